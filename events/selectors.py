"""Reads for the public catalogue and the cabinet. Each owns its joins and subqueries, so a
page makes the same small number of queries however many events, sessions and ticket types
there are."""

import logging
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    When,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce
from django.utils import timezone, translation

from events.hooks import EventCancelFigures, hook_call
from events.models import Category, City, Event, Session, SessionSeating, TicketType, Venue
from events.schedules.selectors import open_dated_session
from eventum.cache import CACHE_ERRORS
from organizers.models import Organizer

logger = logging.getLogger(__name__)

SEARCH_CONFIG = "russian"
CABINET_NEXT_SLOTS = 20
SERVICE_PAGE_SLOTS = 5


def _session_window(
    *, prefix: str, now: datetime, starts_from: datetime | None, starts_until: datetime | None
) -> dict[str, datetime]:
    """Lookups restricting sessions to those ahead (and inside the date range), for a query
    on ``Session`` (``prefix=""``) or on ``TicketType`` (``prefix="session__"``)."""
    lookups = {f"{prefix}starts_at__gte": max(now, starts_from or now)}
    if starts_until is not None:
        lookups[f"{prefix}starts_at__lte"] = starts_until
    return lookups


def _with_catalogue_facts(
    qs: QuerySet[Event], window: dict[str, dict[str, datetime]], *, ahead_only: bool
) -> QuerySet[Event]:
    """Annotate the next session start, the lowest price and the tickets left over the sessions
    in ``window`` (correlated subqueries in one statement; no joins that multiply rows).

    ``ahead_only`` (no date range): the next start is the stored ``upcoming_at``.
    """
    sessions = Session.objects.filter(event=OuterRef("pk"), **window[""])
    ticket_types = TicketType.objects.filter(session__event=OuterRef("pk"), **window["session__"])
    lowest_price = (
        ticket_types.order_by().values("session__event").annotate(m=Min("price")).values("m")
    )
    left = (
        ticket_types.order_by()
        .values("session__event")
        .annotate(n=Sum(F("quantity") - F("quantity_taken")))
        .values("n")
    )
    first_in_window = Subquery(sessions.order_by("starts_at").values("starts_at")[:1])
    # The stored start, unless it has passed since the last refresh: then the next one is read.
    next_start = (
        Case(
            When(upcoming_at__gte=window[""]["starts_at__gte"], then=F("upcoming_at")),
            default=first_in_window,
        )
        if ahead_only
        else first_in_window
    )
    return qs.annotate(
        next_starts_at=next_start,
        min_price=Subquery(lowest_price[:1]),
        tickets_left=Coalesce(Subquery(left[:1], output_field=IntegerField()), 0),
    )


def search_filter(qs: QuerySet[Event], text: str) -> QuerySet[Event]:
    """Full-text search with the Russian configuration on PostgreSQL; ``icontains`` elsewhere."""
    text = " ".join((text or "").split())[:100]
    if not text:
        return qs
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

        vector = (
            SearchVector("title_ru", weight="A", config=SEARCH_CONFIG)
            + SearchVector("title_kk", "title_en", weight="A", config="simple")
            + SearchVector("description_ru", weight="B", config=SEARCH_CONFIG)
            + SearchVector("venue__name", "organizer__public_name", weight="C", config="simple")
        )
        query = SearchQuery(text, config=SEARCH_CONFIG, search_type="websearch") | SearchQuery(
            text, config="simple", search_type="websearch"
        )
        return (
            qs.annotate(search=vector, search_rank=SearchRank(vector, query))
            .filter(search=query)
            # ``next_starts_at`` is the catalogue's annotation, which QuerySet[Event] cannot name.
            .order_by("-search_rank", "next_starts_at", "id")  # type: ignore[misc]
        )
    # SQLite's LIKE folds case for ASCII only, so try the usual spellings of Cyrillic words.
    variants = {text, text.lower(), text.upper(), text.capitalize(), text.title()}
    condition = Q()
    for variant in variants:
        for field in ("title_ru", "title_kk", "title_en", "description_ru", "venue__name"):
            condition |= Q(**{f"{field}__contains": variant})
    return qs.filter(condition)


def catalogue(
    *,
    q: str = "",
    city: City | None = None,
    category: Category | None = None,
    starts_from: datetime | None = None,
    starts_until: datetime | None = None,
    price_max: Decimal | None = None,
    organizer: Organizer | None = None,
    kind: str | None = None,
) -> QuerySet[Event]:
    """Published events with a session ahead (within the date range), filtered, soonest first.

    Each row carries ``next_starts_at``, ``min_price`` (lowest price over those sessions) and
    ``tickets_left``.
    """
    now = timezone.now()
    window = {
        prefix: _session_window(
            prefix=prefix, now=now, starts_from=starts_from, starts_until=starts_until
        )
        for prefix in ("", "session__")
    }
    # Without a date range the stored next start decides (an index scan, however many events
    # there are). A read never writes: an event whose stored start has passed since the last
    # periodic refresh (events.tasks) is checked for a session ahead on the spot — a handful
    # of rows at most, listed first for the minute until the refresh moves it on.
    ahead_only = starts_until is None and (starts_from is None or starts_from <= now)
    qs: QuerySet[Event] = Event.objects.filter(status=Event.Status.PUBLISHED)
    if ahead_only:
        ahead = Session.objects.filter(event=OuterRef("pk"), starts_at__gte=now)
        qs = qs.filter(Q(upcoming_at__gte=now) | Q(Exists(ahead), upcoming_at__lt=now))
    else:
        qs = qs.filter(Exists(Session.objects.filter(event=OuterRef("pk"), **window[""])))
    if city is not None:
        qs = qs.filter(venue__city=city)
    if category is not None:
        qs = qs.filter(category=category)
    if organizer is not None:
        qs = qs.filter(organizer=organizer)
    if kind:
        qs = qs.filter(kind=kind)
    if price_max is not None:
        qs = qs.filter(
            Exists(
                TicketType.objects.filter(
                    session__event=OuterRef("pk"), price__lte=price_max, **window["session__"]
                )
            )
        )
    qs = _with_catalogue_facts(qs, window, ahead_only=ahead_only).select_related(
        "organizer", "category", "venue__city"
    )
    qs = qs.order_by("upcoming_at" if ahead_only else "next_starts_at", "id")
    return search_filter(qs, q)


def events_fresh(qs: QuerySet[Event], ids: list[int] | None = None) -> list[Event]:
    """The rows of ``qs`` (or those of ``ids``, in that order), read in one query by id.

    A read only: expired cart holds are returned to sale by the next purchase of their ticket
    type and by the periodic task, never by a page view."""
    if ids is None:
        ids = list(qs.values_list("pk", flat=True))
    if not ids:
        return []
    rows = {event.pk: event for event in _unsliced(qs).filter(pk__in=ids)}
    return [rows[pk] for pk in ids if pk in rows]


def _unsliced(qs: QuerySet[Event]) -> QuerySet[Event]:
    if qs.query.is_sliced:
        qs = qs.all()
        qs.query.clear_limits()
    return qs


def catalogue_page(
    *, filters: dict[str, Any], page_number: str | int | None, per_page: int = 12
) -> "Page[Event]":
    """One page of the catalogue: a count, the page's ids, then the rows."""
    qs = catalogue(**filters)
    paginator = Paginator(qs, per_page)
    page = paginator.get_page(page_number)
    bottom = (page.number - 1) * per_page
    ids = list(qs.values_list("pk", flat=True)[bottom : bottom + per_page])
    page.object_list = events_fresh(qs, ids)
    return page


def events_upcoming(*, limit: int | None = None, kind: str | None = None) -> QuerySet[Event]:
    """Published events (or services, by ``kind``) with a session still ahead, soonest first."""
    qs = catalogue(kind=kind)
    return qs[:limit] if limit else qs


def event_for_public_page(*, slug: str) -> Event:
    """A published (or cancelled/finished) event with its sessions and ticket types."""
    event = (
        Event.objects.exclude(status=Event.Status.DRAFT)
        .select_related("organizer", "category", "venue__city")
        .get(slug=slug)
    )
    ticket_types = TicketType.objects.order_by("position", "price", "id")
    sessions = Session.objects.order_by("starts_at", "id").prefetch_related(
        Prefetch("ticket_types", queryset=ticket_types)
    )
    if event.is_service:
        # Months of slots: the page reads one month and one day (``events.schedules``);
        # the next few slots describe it to search engines and link previews.
        upcoming = sessions.filter(starts_at__gte=timezone.now())[:SERVICE_PAGE_SLOTS]
        prefetch_related_objects([event], Prefetch("sessions", queryset=upcoming, to_attr="listed"))
    else:
        prefetch_related_objects([event], Prefetch("sessions", queryset=sessions))
        event.listed = list(event.sessions.all())
    return event


def session_with_ticket_types(*, pk: int) -> Session:
    """A session of a public event with its ticket types, read now (live availability).

    ``Session.DoesNotExist`` for a draft event's session or an unknown id."""
    ticket_types = TicketType.objects.order_by("position", "price", "id")
    return (
        Session.objects.exclude(event__status=Event.Status.DRAFT)
        .prefetch_related(Prefetch("ticket_types", queryset=ticket_types))
        .get(pk=pk)
    )


def sessions_seated(*, session_ids: list[int]) -> set[int]:
    """Which of these sessions sell reserved seats (one query)."""
    if not session_ids:
        return set()
    return set(
        SessionSeating.objects.filter(session_id__in=session_ids).values_list(
            "session_id", flat=True
        )
    )


def categories_all() -> QuerySet[Category]:
    return Category.objects.order_by("name", "id")


def cities_all() -> QuerySet[City]:
    return City.objects.order_by("name", "id")


def cities_with_upcoming_events() -> list[tuple[str, str]]:
    """(slug, name in the current language) of the cities where a published event has a
    session ahead — the catalogue's city filter. One query, kept in the cache for a minute
    (``PUBLIC_PAGE_CACHE_SECONDS`` × 12; not at all when public pages are not cached)."""
    seconds = settings.PUBLIC_PAGE_CACHE_SECONDS * 12
    key = f"catalogue:cities:{translation.get_language()}"
    if seconds > 0:
        try:
            cached = cache.get(key)
        except CACHE_ERRORS as error:
            logger.warning("City filter: cache unavailable (%s)", error)
            seconds, cached = 0, None
        if cached is not None:
            return list(cached)
    now = timezone.now()
    ahead = Session.objects.filter(event=OuterRef("pk"), starts_at__gte=now)
    upcoming = Event.objects.filter(venue__city=OuterRef("pk"), status=Event.Status.PUBLISHED)
    upcoming = upcoming.filter(Q(upcoming_at__gte=now) | Q(Exists(ahead), upcoming_at__lt=now))
    cities = [
        (city.slug, str(city.name))
        for city in City.objects.filter(Exists(upcoming)).order_by("name", "id")
    ]
    if seconds > 0:
        try:
            cache.set(key, cities, seconds)
        except CACHE_ERRORS as error:
            logger.warning("City filter: cache unavailable (%s)", error)
    return cities


def venues_of(*, organizer: Organizer) -> QuerySet[Venue]:
    """The organizer's own venues, to choose from in the event form."""
    return Venue.objects.filter(organizer=organizer).select_related("city").order_by("name", "id")


def organizer_with_events(*, slug: str) -> tuple[Organizer, list[Event]]:
    """An organizer's public page: the organizer and its upcoming published events."""
    organizer = Organizer.objects.get(slug=slug)
    return organizer, events_fresh(catalogue(organizer=organizer))


def organizers_public() -> QuerySet[Organizer]:
    """Organizers with at least one public event (for the sitemap)."""
    public = Event.objects.filter(organizer=OuterRef("pk")).exclude(status=Event.Status.DRAFT)
    return Organizer.objects.filter(Exists(public)).order_by("pk")


def events_for_cabinet(*, organizer: Organizer) -> QuerySet[Event]:
    """All events of an organizer for its cabinet, newest first, with counts for the list."""
    first_start = Session.objects.filter(event=OuterRef("pk")).order_by("starts_at")
    taken = (
        TicketType.objects.filter(session__event=OuterRef("pk"))
        .order_by()
        .values("session__event")
        .annotate(n=Sum("quantity_taken"))
        .values("n")
    )
    return (
        Event.objects.filter(organizer=organizer)
        .select_related("category", "venue__city")
        .annotate(
            first_starts_at=Subquery(first_start.values("starts_at")[:1]),
            tickets_taken=Coalesce(Subquery(taken[:1], output_field=IntegerField()), 0),
        )
        .order_by("-created_at", "-id")
    )


def event_for_cabinet(*, organizer: Organizer, pk: int) -> Event:
    """One event of the organizer with sessions and ticket types (``Event.DoesNotExist`` for
    someone else's)."""
    ticket_types = TicketType.objects.order_by("position", "price", "id")
    sessions = Session.objects.order_by("starts_at", "id").prefetch_related(
        Prefetch("ticket_types", queryset=ticket_types)
    )
    event = (
        Event.objects.filter(organizer=organizer)
        .select_related("organizer", "category", "venue__city")
        .get(pk=pk)
    )
    if event.is_service:
        # Months of slots: the page shows the schedules and the next slots only.
        upcoming = sessions.filter(starts_at__gte=timezone.now())[:CABINET_NEXT_SLOTS]
        prefetch_related_objects(
            [event], "schedules", Prefetch("sessions", queryset=upcoming, to_attr="listed")
        )
        event.open_dated = open_dated_session(event=event)
    else:
        prefetch_related_objects([event], Prefetch("sessions", queryset=sessions))
        event.listed = list(event.sessions.all())
    return event


def event_cancel_figures(*, event: Event) -> EventCancelFigures:
    """What cancelling ``event`` would do: the orders, tickets and money, as counted by the app
    that holds the orders (the ``event_cancel_figures`` hook). Writes nothing."""
    figures = hook_call("event_cancel_figures", event=event)
    return figures if isinstance(figures, EventCancelFigures) else EventCancelFigures()


def session_delete_figures(*, session: Session) -> dict[str, int]:
    """What deleting ``session`` takes with it: its ticket types and the tickets taken of them
    (sold, in pending orders or held in carts; while any are taken the session stays)."""
    return session.ticket_types.aggregate(
        ticket_types=Count("pk"), taken=Coalesce(Sum("quantity_taken"), 0)
    )


def any_language(field: str, lookup: str, value: str, *, through: str = "") -> Q:
    """A translated ``field`` (reached ``through`` a relation, e.g. ``"ticket_type__"``)
    matched in every language it is kept in (ru, kk, en)."""
    condition = Q()
    for language, _name in settings.LANGUAGES:
        condition |= Q(**{f"{through}{field}_{language}__{lookup}": value})
    return condition


def organizer_events_typed(*, organizer: Organizer, text: str) -> QuerySet[Event]:
    """The organizer's events someone means by typing ``text``: its address (slug) exactly, or
    part of its title in any language. For cabinet forms that must not list every event."""
    text = text.strip()
    return Event.objects.filter(organizer=organizer).filter(
        Q(slug=text) | any_language("title", "icontains", text)
    )
