"""Pages buyers land on: home, catalogue, event page, organizer page. Cacheable for anonymous
visitors (``events.caching.headers.public_cache``); the event page, where an on-sale crowd lands, is
also kept a few seconds on the server (``events.caching.pages``)."""

from functools import wraps

from django.contrib.sitemaps.views import sitemap
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.cache import patch_cache_control
from django.utils.safestring import mark_safe

from events.caching.fragments import shared_context, shared_parts
from events.caching.headers import public_cache
from events.caching.pages import anonymous_page_cache
from events.forms import CatalogueFilterForm
from events.hooks import hook_call
from events.models import Event
from events.schedules.forms import SlotPickerForm
from events.schedules.selectors import open_dated_session, slot_picker
from events.selectors import (
    catalogue_page,
    event_for_public_page,
    events_fresh,
    events_upcoming,
    organizer_with_events,
)
from events.sessions import session_chosen
from events.sitemaps import sitemaps_for_host
from events.structured_data import event_json_ld, event_open_graph, event_summary
from organizers.models import Organizer

HOME_EVENTS = 12
HOME_SERVICES = 6
CATALOGUE_PAGE_SIZE = 12


@public_cache
def home(request: HttpRequest) -> HttpResponse:
    events = events_fresh(events_upcoming(limit=HOME_EVENTS, kind=Event.Kind.EVENT))
    services = events_fresh(events_upcoming(limit=HOME_SERVICES, kind=Event.Kind.SERVICE))
    context = {"events": events, "services": services, "filter_form": CatalogueFilterForm()}
    return render(request, "events/home.html", context)


@public_cache
def catalogue(request: HttpRequest) -> HttpResponse:
    form = CatalogueFilterForm(request.GET or None)
    page = catalogue_page(
        filters=form.filters(), page_number=request.GET.get("page"), per_page=CATALOGUE_PAGE_SIZE
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "filter_form": form,
        "page": page,
        "events": page.object_list,
        "query_string": query.urlencode(),
        "filtered": bool(form.is_bound and form.filters()),
        "services_only": form.filters().get("kind") == Event.Kind.SERVICE,
    }
    return render(request, "events/catalogue.html", context)


def sale_gated(view):
    """While the event's sale has a waiting room, visitors without a pass go to its queue
    (``events.hooks``: the app selling tickets decides); a page a pass let through is private."""

    @wraps(view)
    def wrapped(request: HttpRequest, slug: str) -> HttpResponse:
        return hook_call(
            "sale_gate", request=request, event_slug=slug, serve=lambda: view(request, slug)
        )

    return wrapped


@sale_gated
@public_cache
@anonymous_page_cache
def event_detail(request: HttpRequest, slug: str) -> HttpResponse:
    parts = shared_parts(request, lambda: _event_parts(request, slug))
    page = {
        "title": parts["title"],
        "meta_description": parts["meta_description"],
        "head": mark_safe(parts["head"]),  # rendered by our templates
        "content": parts["content"],  # markup: ``{% held_filled %}`` outputs it as safe
    }
    return render(request, "events/event_detail.html", {"page": page})


def _event_parts(request: HttpRequest, slug: str) -> dict[str, str]:
    """The event page's parts that are the same for every visitor of this language and
    address, rendered with markers for the visitor's own values (``events.caching.fragments``)."""
    try:
        event = event_for_public_page(slug=slug)
    except Event.DoesNotExist as exc:
        raise Http404 from exc
    open_graph = event_open_graph(event, request)
    picker = open_dated = None
    if event.is_service and event.status == Event.Status.PUBLISHED:
        picker = slot_picker(event=event, **SlotPickerForm(request.GET).choice())
        open_dated = open_dated_session(event=event)
    sessions = event.listed
    context = {
        "event": event,
        "sessions": sessions,
        "chosen_session": session_chosen(sessions, request.GET.get("session")),
        "picker": picker,
        "open_dated": open_dated,
        "json_ld": event_json_ld(event, request),
        "open_graph": open_graph,
        "canonical_url": open_graph["og:url"],
        **shared_context(),
    }
    return {
        "title": event.title,
        "meta_description": event_summary(event),
        "head": render_to_string("events/_event_detail_head.html", context, request),
        "content": render_to_string("events/_event_detail_content.html", context, request),
    }


@public_cache
def organizer_detail(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        organizer, events = organizer_with_events(slug=slug)
    except Organizer.DoesNotExist as exc:
        raise Http404 from exc
    return render(
        request, "events/organizer_detail.html", {"organizer": organizer, "events": events}
    )


def sitemap_xml(request: HttpRequest) -> HttpResponse:
    """sitemap.xml with absolute URLs on the host that was asked for."""
    response = sitemap(request, sitemaps=sitemaps_for_host(request.get_host()))
    patch_cache_control(response, public=True, max_age=3600)
    return response
