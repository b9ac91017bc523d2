"""The waiting room in the API: ``/api/v1/queue/{event_id}`` and the refusal of hold/checkout.

While an event's sale has a queue, ``PUT /me/cart`` and ``POST /me/checkout`` for it answer
``429`` with ``error: "waiting_room"``, ``Retry-After`` and ``details[0]`` holding the place,
the estimate and ``poll_url``; the refusal also takes the account's place in the queue. The app
polls ``GET /api/v1/queue/{event_id}`` until ``state`` is ``admitted``, then sends the
``pass`` it gets as ``X-Queue-Pass`` with the hold and the checkout. The pass is bound to the
signed-in account: another account's pass is refused.
"""

from django.contrib.auth.models import User
from django.http import HttpRequest
from django.urls import reverse
from ninja import Router, Schema

from eventum.api.auth import buyer_auth, signed_in_user
from eventum.api.errors import ApiError, error_responses
from eventum.cache import CACHE_ERRORS
from tickets.waitroom import room
from tickets.waitroom.gate import (
    QUEUE_FIRST,
    TOO_MANY_PLACES,
    held_before_room,
    join_allowed,
    room_holds,
)
from tickets.waitroom.passes import pass_issue, pass_valid
from tickets.waitroom.views import estimate_text

PASS_HEADER = "X-Queue-Pass"
router = Router(tags=["waiting room"], auth=buyer_auth)


class QueueOut(Schema):
    state: str  # open, waiting, before_opening, admitted, sold_out, none
    position: int
    estimate_seconds: int
    estimate_text: str
    poll_seconds: int
    opens_at: float | None = None  # epoch seconds
    queue_pass: str | None = None  # when admitted: send it as X-Queue-Pass


def api_visitor(user: User) -> str:
    return f"u:{user.pk}"


def _out(event_id: int, user: User, place: room.Place) -> QueueOut:
    token = None
    if place.state == "admitted":
        token = pass_issue(event_id=event_id, visitor=api_visitor(user))
    return QueueOut(
        state=place.state,
        position=place.position,
        estimate_seconds=place.estimate_seconds,
        estimate_text=estimate_text(place.estimate_seconds) if place.state == "waiting" else "",
        poll_seconds=place.poll_seconds,
        opens_at=place.opens_at or None,
        queue_pass=token,
    )


def _place(request: HttpRequest, event_id: int, user: User, *, join: bool) -> room.Place:
    visitor = api_visitor(user)
    try:
        place = room.place_of(event_id, visitor)
        if join and place.state == "none":
            if not join_allowed(request, event_id):
                raise ApiError("too_many_places", TOO_MANY_PLACES, status=429, retry_after=3600)
            room.join(event_id, visitor)
            place = room.place_of(event_id, visitor)
    except CACHE_ERRORS:
        return room.Place(state="open")
    return place


@router.get(
    "/queue/{event_id}",
    response={200: QueueOut, **error_responses(401)},
    url_name="api_queue",
    summary="The account's place in an event's waiting room (poll at poll_seconds)",
)
def queue_read(request: HttpRequest, event_id: int) -> QueueOut:
    user = signed_in_user(request)
    return _out(event_id, user, _place(request, event_id, user, join=False))


@router.post(
    "/queue/{event_id}",
    response={200: QueueOut, **error_responses(401, 429)},
    url_name="api_queue_join",
    summary="Take a place in an event's waiting room (once per account)",
)
def queue_join(request: HttpRequest, event_id: int) -> QueueOut:
    user = signed_in_user(request)
    return _out(event_id, user, _place(request, event_id, user, join=True))


def api_queue_first(
    request: HttpRequest, user: User, event_id: int | None, *, cart_token: str | None = None
) -> None:
    """Raise the ``waiting_room`` refusal for an account without a pass while the room holds
    (taking its place in the queue); return when it may go on. A checkout (``cart_token``)
    whose tickets were held before the room came on goes on."""
    if event_id is None or not room_holds(event_id):
        return
    if held_before_room(cart_token=cart_token, event_id=event_id):
        return
    token = request.headers.get(PASS_HEADER)
    if pass_valid(token, event_id=event_id, visitor=api_visitor(user)):
        return
    place = _place(request, event_id, user, join=True)
    if place.state in ("open", "sold_out"):  # no queue (any more): the sale says the rest
        return
    # Waiting, or admitted without sending the pass: the poll hands it over.
    poll = place.poll_seconds
    raise ApiError(
        "waiting_room",
        QUEUE_FIRST,
        status=429,
        retry_after=poll,
        details=[
            {
                "state": place.state,
                "position": place.position,
                "estimate_seconds": place.estimate_seconds,
                "poll_url": request.build_absolute_uri(reverse("api:api_queue", args=[event_id])),
                "poll_seconds": poll,
            }
        ],
    )
