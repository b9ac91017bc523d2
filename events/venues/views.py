"""Cabinet pages of the organizer's venues: the list (with the events held there) and the form.
Another organizer's venue is a 404; a shared venue the organizer only uses is listed, not
edited."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from events.models import Venue
from events.venues.forms import VenueForm
from events.venues.selectors import venues_for_cabinet
from events.venues.services import venue_save
from organizers.permissions import ROLES_EVENTS, organizer_object_or_404, organizer_role_required


@organizer_role_required(*ROLES_EVENTS)
def venue_list(request: HttpRequest, organizer_slug: str) -> HttpResponse:
    own, shared = venues_for_cabinet(organizer=request.organizer)
    context = {"organizer": request.organizer, "venues": own, "shared": shared}
    return render(request, "events/cabinet/venue_list.html", context)


def _form_page(request: HttpRequest, venue: Venue | None) -> HttpResponse:
    form = VenueForm(request.POST or None, instance=venue)
    if request.method == "POST" and form.is_valid():
        saved = venue_save(organizer=request.organizer, venue=venue, data=form.cleaned_data)
        messages.success(request, _("The venue “%(name)s” is saved.") % {"name": saved.name})
        return redirect("events_cabinet:venue_list", request.organizer.slug)
    context = {"organizer": request.organizer, "venue": venue, "form": form}
    return render(
        request, "events/cabinet/venue_form.html", context, status=400 if form.errors else 200
    )


@require_http_methods(["GET", "POST"])
@organizer_role_required(*ROLES_EVENTS)
def venue_create(request: HttpRequest, organizer_slug: str) -> HttpResponse:
    return _form_page(request, None)


@require_http_methods(["GET", "POST"])
@organizer_role_required(*ROLES_EVENTS)
def venue_edit(request: HttpRequest, organizer_slug: str, pk: int) -> HttpResponse:
    venue = organizer_object_or_404(Venue, organizer=request.organizer, pk=pk)
    return _form_page(request, venue)
