"""Payment provider callbacks (no session, no CSRF token; each provider authenticates its own:
a signature, a per-payment secret, a status query), through the registry; the page that
runs Halyk's payment widget; the organizer's choice of payment methods in the cabinet."""

from urllib.parse import urlsplit

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from organizers.permissions import ROLES_PROFILE, OrganizerRequest, organizer_role_required
from privacy.identity import request_client_ip
from tickets.errors import TicketsError
from tickets.models import Payment
from tickets.payments.forms import PaymentMethodsForm
from tickets.payments.providers import provider_for, providers_registered
from tickets.payments.selectors import payment_method_choices
from tickets.payments.services import payment_methods_save


@csrf_exempt
@require_POST
def payment_notification(request: HttpRequest, provider_name: str, kind: str) -> HttpResponse:
    if provider_name not in providers_registered():
        raise Http404
    provider = provider_for(provider_name)
    if kind not in provider.notification_kinds:
        raise Http404
    result = provider.notification_handle(
        kind=kind,
        body=request.body,
        content_type=request.META.get("CONTENT_TYPE", ""),  # with its boundary, if multipart
        headers=request.headers,
        ip=request_client_ip(request) or None,
        url=request.build_absolute_uri(),
    )
    return HttpResponse(result.body, status=result.http_status, content_type=result.content_type)


def halyk_payment_page(request: HttpRequest, public_id: str) -> HttpResponse:
    """Loads Halyk's payment-api.js with this invoice's parameters; they carry the token Halyk
    issued for this one invoice (its widget needs it in the page), never our credentials."""
    payment = (
        Payment.objects.select_related("order__event")
        .filter(public_id=public_id, provider="halyk")
        .first()
    )
    if payment is None:
        raise Http404
    if payment.status != Payment.Status.CREATED or not payment.provider_data.get("widget"):
        return redirect(payment.order.get_absolute_url())
    widget = dict(payment.provider_data["widget"])
    script_url = widget.get("script", "")
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(script_url))
    context = {"payment": payment, "order": payment.order, "widget": widget}
    response = render(
        request, "tickets/payments/halyk_page.html", {**context, "script_url": script_url}
    )
    response._csp_update = {  # type: ignore[attr-defined]
        "script-src": [origin],
        "connect-src": [origin],
        "frame-src": [origin],
        "form-action": [origin],
    }
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response


@organizer_role_required(*ROLES_PROFILE)
def payment_methods(request: OrganizerRequest, organizer_slug: str) -> HttpResponse:
    """The organizer switches payment methods on or off and puts them in order."""
    organizer = request.organizer
    form = PaymentMethodsForm(
        request.POST or None, choices=payment_method_choices(organizer=organizer)
    )
    if request.method == "POST" and form.is_valid():
        try:
            payment_methods_save(organizer=organizer, choices=form.chosen())
        except TicketsError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Payment methods saved."))
            return redirect("tickets:cabinet_payment_methods", organizer.slug)
    status = 400 if form.errors else 200
    context = {"organizer": organizer, "form": form}
    return render(request, "tickets/cabinet/payment_methods.html", context, status=status)
