from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from events.models import Event
from events.selectors import event_for_public_page, events_upcoming


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "events/home.html", {"events": events_upcoming(limit=12)})


def event_detail(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        event = event_for_public_page(slug=slug)
    except Event.DoesNotExist as exc:
        raise Http404 from exc
    return render(request, "events/event_detail.html", {"event": event})
