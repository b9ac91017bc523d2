"""Before the widget opens its window: is the host page's site registered by the organizer?

The portal lets only registered sites frame the widget, so on any other site the window would
stay blank. The embed script asks here first (a cross-origin GET, no cookies) and, when the
site is not registered, tells the site owner in the browser console exactly which origin to
register and where, and gives buyers a link to the same tickets on the portal instead.
The answer says nothing that is not public: whether this one origin may embed, and the public
pages of the event or organizer.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from events.models import Event
from organizers.models import Organizer
from organizers.origins import origin_allowed, origin_normalise


def _public_target(request: HttpRequest) -> tuple[Organizer | None, str]:
    """The organizer and the portal page (event or organizer) the widget element points at."""
    slug = request.GET.get("event", "")
    if slug:
        event = (
            Event.objects.select_related("organizer")
            .filter(slug=slug, status=Event.Status.PUBLISHED)
            .first()
        )
        if event is None:
            return None, reverse("events:home")
        return event.organizer, event.get_absolute_url()
    organizer = Organizer.objects.filter(slug=request.GET.get("organizer", "")).first()
    if organizer is None:
        return None, reverse("events:home")
    return organizer, reverse("events:organizer_detail", kwargs={"slug": organizer.slug})


def _origin_shown(origin: str) -> str:
    try:
        return origin_normalise(origin)
    except ValidationError:
        return origin[:200]


@require_GET
def origin_check(request: HttpRequest) -> JsonResponse:
    """``{"allowed": true}``, or why not with the portal's link for buyers (any origin may ask)."""
    language = request.GET.get("lang", "")
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    origin = request.GET.get("origin", "")
    with translation.override(language):
        organizer, page = _public_target(request)
        if organizer is not None and origin_allowed(origin, organizer.widget_origin_list):
            answer: dict[str, object] = {"allowed": True}
        else:
            answer = {
                "allowed": False,
                "origin": _origin_shown(origin),
                "portal_url": request.build_absolute_uri(page),
                "message": _console_message(request, organizer, _origin_shown(origin)),
            }
    response = JsonResponse(answer)
    response["Access-Control-Allow-Origin"] = "*"
    response["Cross-Origin-Resource-Policy"] = "cross-origin"
    response["Cache-Control"] = "no-store"
    return response


def _console_message(request: HttpRequest, organizer: Organizer | None, origin: str) -> str:
    """What the site owner reads in the browser console, in the widget's language."""
    if organizer is None:
        return _(
            "eventum widget: there is no published event or organizer with this address; "
            "check data-eventum-event or data-eventum-organizer on this page."
        )
    where = request.build_absolute_uri(reverse("tickets:cabinet_embed", args=[organizer.slug]))
    return _(
        "eventum widget: the site %(origin)s is not registered for the organizer "
        "“%(organizer)s”, so the checkout cannot open inside this page. Add exactly "
        "%(origin)s to the list of sites on the “Embed on your site” page of the cabinet: "
        "%(where)s. Until then buyers get a link that opens the checkout on the portal."
    ) % {"origin": origin, "organizer": organizer.public_name, "where": where}
