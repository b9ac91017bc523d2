"""Pages buyers land on: home, catalogue, event page, organizer page. Cacheable for anonymous
visitors (``events.caching.headers.public_cache``); the event page, where an on-sale crowd lands, is
also kept a few seconds on the server (``events.caching.pages``)."""

from django.contrib.sitemaps.views import sitemap
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control

from events.caching.headers import public_cache
from events.caching.pages import anonymous_page_cache
from events.forms import CatalogueFilterForm
from events.models import Event
from events.selectors import (
    catalogue_page,
    event_for_public_page,
    events_fresh,
    events_upcoming,
    organizer_with_events,
)
from events.sitemaps import sitemaps_for_host
from events.structured_data import event_json_ld, event_open_graph, event_summary
from organizers.models import Organizer

HOME_EVENTS = 12
CATALOGUE_PAGE_SIZE = 12


@public_cache
def home(request: HttpRequest) -> HttpResponse:
    events = events_fresh(events_upcoming(limit=HOME_EVENTS))
    return render(
        request, "events/home.html", {"events": events, "filter_form": CatalogueFilterForm()}
    )


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
    }
    return render(request, "events/catalogue.html", context)


@public_cache
@anonymous_page_cache
def event_detail(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        event = event_for_public_page(slug=slug)
    except Event.DoesNotExist as exc:
        raise Http404 from exc
    open_graph = event_open_graph(event, request)
    context = {
        "event": event,
        "sessions": event.sessions.all(),
        "json_ld": event_json_ld(event, request),
        "open_graph": open_graph,
        "canonical_url": open_graph["og:url"],
        "meta_description": event_summary(event),
    }
    return render(request, "events/event_detail.html", context)


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
