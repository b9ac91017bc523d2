"""The cabinet's webhooks: the list with the form for a new one, each webhook's page with its
delivery log, and its actions (rotate the secret, switch off and on, remove, send again)."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from organizers.permissions import ROLES_TEAM, OrganizerRequest, organizer_object_or_404
from organizers.permissions import organizer_role_required as role_required
from organizers.webhooks import services
from organizers.webhooks.forms import WebhookEndpointForm
from organizers.webhooks.models import WebhookDelivery, WebhookEndpoint
from organizers.webhooks.selectors import webhook_deliveries, webhooks_of


def _private(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "private, no-store"  # a secret may be on the page
    return response


@role_required(*ROLES_TEAM)
def webhooks(request: OrganizerRequest, organizer_slug: str) -> HttpResponse:
    """The organizer's webhooks and a form for a new one; its secret is shown once, here."""
    form = WebhookEndpointForm(request.POST or None)
    new = None
    if request.method == "POST" and form.is_valid():
        try:
            new = services.webhook_endpoint_create(
                organizer=request.organizer,
                url=form.cleaned_data["url"],
                event_types=form.cleaned_data["event_types"],
                created_by=request.user,
            )
        except services.WebhookError as exc:
            form.add_error(None, str(exc))
        else:
            form = WebhookEndpointForm()
    context = {"form": form, "new": new, "endpoints": webhooks_of(organizer=request.organizer)}
    status = 400 if form.is_bound and form.errors else 200
    return _private(render(request, "organizers/webhooks.html", context, status=status))


@role_required(*ROLES_TEAM)
def webhook_detail(request: OrganizerRequest, organizer_slug: str, pk: int) -> HttpResponse:
    """One webhook: change its address and events; the delivery log with response codes."""
    endpoint = organizer_object_or_404(WebhookEndpoint, organizer=request.organizer, pk=pk)
    initial = {"url": endpoint.url, "event_types": endpoint.event_types}
    form = WebhookEndpointForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.webhook_endpoint_update(
            endpoint_id=endpoint.pk,
            organizer=request.organizer,
            url=form.cleaned_data["url"],
            event_types=form.cleaned_data["event_types"],
        )
        messages.success(request, _("The webhook is saved."))
        return redirect("organizers:webhook_detail", organizer_slug=organizer_slug, pk=pk)
    context = {
        "endpoint": endpoint,
        "form": form,
        "deliveries": webhook_deliveries(endpoint=endpoint),
    }
    status = 400 if form.is_bound and form.errors else 200
    return _private(render(request, "organizers/webhook_detail.html", context, status=status))


@require_http_methods(["GET", "POST"])
@role_required(*ROLES_TEAM)
def webhook_rotate(request: OrganizerRequest, organizer_slug: str, pk: int) -> HttpResponse:
    """Two steps: asks first; the confirming POST makes a new secret and shows it once."""
    endpoint = organizer_object_or_404(WebhookEndpoint, organizer=request.organizer, pk=pk)
    if request.POST.get("confirm") != "yes":
        return render(
            request, "organizers/webhook_confirm.html", {"endpoint": endpoint, "action": "rotate"}
        )
    new = services.webhook_secret_rotate(endpoint_id=endpoint.pk, organizer=request.organizer)
    return _private(render(request, "organizers/webhook_secret.html", {"new": new}))


@require_http_methods(["GET", "POST"])
@role_required(*ROLES_TEAM)
def webhook_delete(request: OrganizerRequest, organizer_slug: str, pk: int) -> HttpResponse:
    """Two steps: asks first; the confirming POST removes the webhook and its log."""
    endpoint = organizer_object_or_404(WebhookEndpoint, organizer=request.organizer, pk=pk)
    if request.POST.get("confirm") != "yes":
        return render(
            request, "organizers/webhook_confirm.html", {"endpoint": endpoint, "action": "delete"}
        )
    services.webhook_endpoint_delete(endpoint_id=endpoint.pk, organizer=request.organizer)
    messages.success(request, _("The webhook is removed."))
    return redirect("organizers:webhooks", organizer_slug=organizer_slug)


@require_POST
@role_required(*ROLES_TEAM)
def webhook_toggle(request: OrganizerRequest, organizer_slug: str, pk: int) -> HttpResponse:
    """Switch the webhook off, or on again (what waits is then sent)."""
    endpoint = organizer_object_or_404(WebhookEndpoint, organizer=request.organizer, pk=pk)
    if endpoint.is_active:
        services.webhook_endpoint_disable(
            endpoint_id=endpoint.pk, organizer=request.organizer, reason=_("switched off by hand")
        )
        messages.success(request, _("The webhook is switched off."))
    else:
        services.webhook_endpoint_enable(endpoint_id=endpoint.pk, organizer=request.organizer)
        messages.success(request, _("The webhook is switched on."))
    return redirect("organizers:webhook_detail", organizer_slug=organizer_slug, pk=pk)


@require_POST
@role_required(*ROLES_TEAM)
def webhook_resend(
    request: OrganizerRequest, organizer_slug: str, pk: int, delivery_id: int
) -> HttpResponse:
    """Send a delivery again (a new entry of the log, with the same event id)."""
    endpoint = organizer_object_or_404(WebhookEndpoint, organizer=request.organizer, pk=pk)
    delivery = organizer_object_or_404(
        WebhookDelivery,
        organizer=request.organizer,
        organizer_field="endpoint__organizer",
        endpoint=endpoint,
        pk=delivery_id,
    )
    try:
        services.webhook_delivery_resend(delivery_id=delivery.pk, organizer=request.organizer)
    except services.WebhookError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The event is sent again."))
    return redirect("organizers:webhook_detail", organizer_slug=organizer_slug, pk=pk)
