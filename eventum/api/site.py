"""The one NinjaAPI of ``/api/v1/``: settings shared by every endpoint, and the routers of the
apps mounted under it. Routing only; each endpoint lives with its app (``events.api``, ...)."""

from ninja import NinjaAPI

from events.api import organizer_writes  # noqa: F401  (its writes join the router below)
from events.api.endpoints import router as catalogue_router
from events.api.organizer import router as organizer_events_router
from eventum.api.errors import install_error_handlers
from eventum.api.throttling import api_throttles
from privacy.api.endpoints import router as privacy_router
from tickets.api.orders import router as orders_router
from tickets.api.organizer import router as organizer_orders_router
from tickets.api.organizer_actions import router as organizer_actions_router
from tickets.api.purchase import router as purchase_router
from tickets.waitroom.api import router as waitroom_router

DESCRIPTION = """
The public API of eventum for mobile apps and partners' sites.

* Texts (names, messages) follow `Accept-Language`: `ru` (default), `kk`, `en`.
* Errors answer `{"error": "<stable code>", "message": "<translated text>"}`;
  validation errors add `details`.
* Lists are paged by cursor: pass the `next_cursor` of one page as `cursor` of the next
  (`null` on the last page).
* Public reads carry an `ETag`; send it back as `If-None-Match` to get `304` while unchanged.
* Buyers sign in through allauth's app endpoints under `/_allauth/app/v1/` (sign-up,
  e-mail confirmation, password reset) and send the session token they get as
  `X-Session-Token`. Apps name themselves in `X-App-Name` (kept with consents given).
* Organizers' systems send an API key made in the cabinet (API keys) as
  `Authorization: Bearer evk_...`; each key has scopes (`events:read`,
  `events:write`, `orders:read`, `orders:refund`, `checkin`). Check-in also takes a scanner
  device's token. Organizers' webhooks are set up in the cabinet (Webhooks).
  Buyers whose data is blocked are masked as in the cabinet; every read is logged.
* Too many requests: `429` with `Retry-After` (seconds).
* Big on-sales may have a waiting room: holding tickets or checking out then answers `429`
  with `error: "waiting_room"` and the place and `poll_url` in `details`; poll
  `GET /api/v1/queue/{event_id}` until `state` is `admitted` and send its `queue_pass` as
  `X-Queue-Pass`.
"""

api = NinjaAPI(
    title="eventum API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
    throttle=api_throttles(),
)
install_error_handlers(api)
api.add_router("/", catalogue_router)
api.add_router("/", orders_router)
api.add_router("/", purchase_router)
api.add_router("/", waitroom_router)
api.add_router("/", privacy_router)
api.add_router("/", organizer_events_router)
api.add_router("/", organizer_orders_router)
api.add_router("/", organizer_actions_router)
