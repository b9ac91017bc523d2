"""Payment provider callbacks: no session, no CSRF token; the signature is the authentication."""

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from privacy.identity import request_client_ip
from tickets.payments.callbacks import KINDS, cloudpayments_notification_handle


@csrf_exempt
@require_POST
def cloudpayments_notification(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in KINDS:
        raise Http404
    result = cloudpayments_notification_handle(
        kind=kind,
        body=request.body,
        content_type=request.content_type or "",
        headers=request.headers,
        ip=request_client_ip(request) or None,
    )
    return JsonResponse(result.body, status=result.http_status)
