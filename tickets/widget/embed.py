"""The cabinet's “Embed on your site” page: the snippet to copy and the sites allowed to use it."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Min, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from events.models import Event
from organizers.forms import WidgetOriginsForm
from organizers.permissions import ROLES_EVENTS, ROLES_PROFILE, organizer_role_required
from organizers.services import organizer_set_widget_origins

SITES_SAVED = _("The list of sites is saved.")
OWNER_ONLY = _("Only the owner can change the sites allowed to show the widget.")


@organizer_role_required(*ROLES_EVENTS)
def embed(request: HttpRequest, organizer_slug: str) -> HttpResponse:
    organizer = request.organizer
    may_edit = request.membership.role in ROLES_PROFILE
    form = WidgetOriginsForm(
        request.POST or None, initial={"widget_origins": organizer.widget_origins}
    )
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied(OWNER_ONLY)
        if form.is_valid():
            organizer_set_widget_origins(
                organizer=organizer, origins=form.cleaned_data["widget_origins"]
            )
            messages.success(request, SITES_SAVED)
            return redirect("tickets:cabinet_embed", organizer.slug)
    events = list(
        Event.objects.filter(organizer=organizer, status=Event.Status.PUBLISHED)
        .annotate(
            next_at=Min("sessions__starts_at", filter=Q(sessions__starts_at__gt=timezone.now()))
        )
        .filter(next_at__isnull=False)
        .order_by("next_at", "pk")
    )
    chosen = next((e for e in events if e.slug == request.GET.get("event")), None)
    language = request.GET.get("lang", "")
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    with translation.override(settings.LANGUAGE_CODE):
        script_url = request.build_absolute_uri(reverse("widget:embed_js"))
    snippet = render_to_string(
        "tickets/cabinet/embed_snippet.html",
        {"script_url": script_url, "event": chosen, "organizer": organizer, "lang": language},
    ).strip()
    context = {
        "organizer": organizer,
        "form": form,
        "may_edit": may_edit,
        "events": events,
        "chosen": chosen,
        "lang": language,
        "languages": settings.LANGUAGES,
        "snippet": snippet,
        "origins": organizer.widget_origin_list,
    }
    status = 400 if form.errors else 200
    return render(request, "tickets/cabinet/embed.html", context, status=status)
