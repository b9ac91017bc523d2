"""The queue itself: places, the random draw at the opening, arrival order after it, the pace
following checkout latency, sold out, and the automatic switch."""

import time

import pytest

from events.models import TicketType
from tests.factories import TicketTypeFactory
from tests.tickets.factories import new_token
from tests.tickets.waitroom_helpers import admission_order, automatic_room, room_on
from tickets.services.cart import cart_set_quantities
from tickets.waitroom import room
from tickets.waitroom.services import waitroom_sold_out_refresh

pytestmark = pytest.mark.django_db


@pytest.fixture
def event():
    return TicketTypeFactory(quantity=50).session.event


def _admit(event_id: int, count: float, now: float) -> None:
    room.store().hset(
        room.key(event_id, "st"), mapping={"admitted": count, "rate": 60, "tick": now}
    )


def test_early_arrivals_are_drawn_at_random_and_later_ones_queue_in_arrival_order(event):
    room_on(event, opens_in_seconds=3600)
    opens = time.time() + 3600
    early = [f"early-visitor-{n:04d}" for n in range(200)]
    for visitor in early:
        assert room.join(event.pk, visitor, now=opens - 100)
    late = [f"late-visitor-{n:04d}" for n in range(50)]
    for n, visitor in enumerate(reversed(late)):  # names do not decide: arrival does
        assert room.join(event.pk, visitor, now=opens + n)

    order = admission_order(event.pk)
    assert set(order[:200]) == set(early)  # everyone early stands before everyone late
    assert order[200:] == list(reversed(late))  # exact arrival order after the opening
    # A random draw, not the order of arrival (200 in their arrival order by chance: ~1/200!).
    assert order[:200] != early
    positions = [order.index(v) for v in early]
    assert max(positions[:100]) > 100  # early-early arrivals are spread, not at the front


def test_joining_again_keeps_the_first_place(event):
    room_on(event)
    assert room.join(event.pk, "visitor-aaaaaaaaaaaa")
    assert room.join(event.pk, "visitor-bbbbbbbbbbbb")
    assert not room.join(event.pk, "visitor-aaaaaaaaaaaa")
    assert admission_order(event.pk) == ["visitor-aaaaaaaaaaaa", "visitor-bbbbbbbbbbbb"]


def test_before_the_opening_nobody_is_admitted_and_no_place_is_shown(event):
    room_on(event, opens_in_seconds=600)
    room.join(event.pk, "visitor-aaaaaaaaaaaa")
    place = room.place_of(event.pk, "visitor-aaaaaaaaaaaa")
    assert place.state == "before_opening"
    assert place.position == 0


def test_admission_moves_forward_with_time_in_queue_order(event):
    room_on(event, opens_in_seconds=-1, cap=60)
    now = time.time()
    visitors = [f"visitor-{n:012d}" for n in range(10)]
    for visitor in visitors:
        room.join(event.pk, visitor, now=now)
    _admit(event.pk, 0, now)
    assert room.place_of(event.pk, visitors[0], now=now).state == "waiting"
    # Five seconds at 60 a minute (and growing, never above the cap of 60) lets five in.
    later = now + 5
    first = room.place_of(event.pk, visitors[0], now=later)
    assert first.state == "admitted"
    states = [room.place_of(event.pk, v, now=later + 0.1).state for v in visitors]
    assert states == ["admitted"] * 5 + ["waiting"] * 5
    sixth = room.place_of(event.pk, visitors[5], now=later + 0.1)
    assert sixth.position == 1
    assert sixth.estimate_seconds == 1  # 1 ahead at 60 a minute: about a second


def test_the_estimate_is_the_place_over_the_current_pace(event):
    room_on(event, cap=30)
    now = time.time()
    for n in range(100):
        room.join(event.pk, f"visitor-{n:012d}", now=now)
    room.store().hset(room.key(event.pk, "st"), mapping={"admitted": 0, "rate": 30, "tick": now})
    place = room.place_of(event.pk, "visitor-000000000059", now=now + 0.5)
    assert place.position == 60
    assert place.estimate_seconds == 120  # 60 places at 30 a minute


def test_those_further_back_are_asked_to_poll_less_often(event, settings):
    settings.WAITROOM_POLL_SECONDS = 5
    settings.WAITROOM_POLL_MAX_SECONDS = 30
    room_on(event, cap=60)
    now = time.time()
    for n in range(3000):
        room.join(event.pk, f"visitor-{n:012d}", now=now)
    room.store().hset(room.key(event.pk, "st"), mapping={"admitted": 0, "rate": 60, "tick": now})

    def interval(rank: int) -> int:
        place = room.place_of(event.pk, f"visitor-{rank:012d}", now=now + 0.5)
        assert place.state == "waiting"
        return place.poll_seconds

    assert interval(0) == 5  # a minute's wait or less: the page's own interval
    assert interval(19) == 5  # 20 s ahead: a poll every 5 s is four over the wait
    assert interval(59) == 15  # 60 s ahead: four polls over the wait
    assert interval(99) == 25
    assert interval(2999) == 30  # 50 minutes ahead: never longer than the longest interval
    # someone nearer the front never polls less often than someone further back
    intervals = [interval(rank) for rank in range(0, 3000, 97)]
    assert intervals == sorted(intervals)


def test_before_the_opening_the_interval_follows_the_time_left(event, settings):
    settings.WAITROOM_POLL_SECONDS = 5
    settings.WAITROOM_POLL_MAX_SECONDS = 30
    room_on(event, opens_in_seconds=3600)
    opens = time.time() + 3600
    room.join(event.pk, "visitor-aaaaaaaaaaaa", now=opens - 600)
    far = room.place_of(event.pk, "visitor-aaaaaaaaaaaa", now=opens - 600)
    near = room.place_of(event.pk, "visitor-aaaaaaaaaaaa", now=opens - 8)
    assert far.state == near.state == "before_opening"
    assert (far.poll_seconds, near.poll_seconds) == (30, 5)


def test_the_longest_interval_never_falls_below_the_page_interval(event, settings):
    settings.WAITROOM_POLL_SECONDS = 20
    settings.WAITROOM_POLL_MAX_SECONDS = 10
    assert room.Place(state="waiting", wait_seconds=3600).poll_seconds == 20
    assert room.Place(state="admitted").poll_seconds == 20


def test_slow_checkouts_halve_the_pace_and_fast_ones_raise_it_to_the_cap(event, settings):
    settings.WAITROOM_TARGET_P95_MS = 1000
    room_on(event, cap=100)
    now = time.time()
    room.join(event.pk, "visitor-aaaaaaaaaaaa", now=now)
    room.store().hset(room.key(event.pk, "st"), mapping={"rate": 80, "tick": now - 3})
    for _ in range(10):
        room.latency_record(event.pk, 2500, now=now)
    room.place_of(event.pk, "visitor-aaaaaaaaaaaa", now=now)
    assert room.RoomState.parse(room.store().hgetall(room.key(event.pk, "st"))).rate == 40

    room.store().delete(room.key(event.pk, "lat"), room.key(event.pk, "lock"))
    for _ in range(10):
        room.latency_record(event.pk, 200, now=now + 3)
    for step in range(1, 14):  # by a twentieth of the cap a step
        room.store().delete(room.key(event.pk, "lock"))
        room.place_of(event.pk, "visitor-aaaaaaaaaaaa", now=now + 3 * step)
    assert room.RoomState.parse(room.store().hgetall(room.key(event.pk, "st"))).rate == 100


def test_after_a_cut_only_newer_checkouts_judge_the_pace(event, settings):
    """The slow checkouts that halved the pace do not halve it again at every step: the pace
    holds until checkouts made since say how it goes."""
    settings.WAITROOM_TARGET_P95_MS = 500
    room_on(event, cap=600)
    now = time.time()
    room.join(event.pk, "visitor-aaaaaaaaaaaa", now=now)
    room.store().hset(room.key(event.pk, "st"), mapping={"rate": 400, "tick": now - 3})

    def step(at: float) -> float:
        room.store().delete(room.key(event.pk, "lock"))
        room.place_of(event.pk, "visitor-aaaaaaaaaaaa", now=at)
        return room.RoomState.parse(room.store().hgetall(room.key(event.pk, "st"))).rate

    for n in range(10):
        room.latency_record(event.pk, 900, now=now - 1 + n / 100)
    assert step(now) == 200
    assert [step(now + 2 * n) for n in range(1, 5)] == [200] * 4  # the same evidence: holds
    for n in range(3):  # too few to tell yet
        room.latency_record(event.pk, 900, now=now + 5 + n / 100)
    assert step(now + 6) == 200
    for n in range(3):  # five since the cut and still slow, but the cut was just now: holds
        room.latency_record(event.pk, 900, now=now + 7 + n / 100)
    assert step(now + 8) == 200
    assert step(now + 12) == 100  # ten seconds on and still slow: halved again
    for n in range(10):  # fast since: the pace grows again, by a twentieth of the cap a step
        room.latency_record(event.pk, 120, now=now + 13 + n / 100)
    assert step(now + 14) == 130
    assert step(now + 16) == 160
    room.store().delete(room.key(event.pk, "lat"))
    for n in range(10):  # near the target (over three quarters of it): the pace holds
        room.latency_record(event.pk, 450, now=now + 17 + n / 100)
    assert step(now + 18) == 160
    assert step(now + 20) == 160


def test_with_no_checkouts_after_a_cut_the_pace_grows_again_a_minute_later(event, settings):
    settings.WAITROOM_TARGET_P95_MS = 500
    room_on(event, cap=600)
    now = time.time()
    room.join(event.pk, "visitor-aaaaaaaaaaaa", now=now)
    room.store().hset(room.key(event.pk, "st"), mapping={"rate": 100, "tick": now, "cut": now})
    room.store().delete(room.key(event.pk, "lock"))
    room.place_of(event.pk, "visitor-aaaaaaaaaaaa", now=now + room.LATENCY_WINDOW_SECONDS - 5)
    assert room.RoomState.parse(room.store().hgetall(room.key(event.pk, "st"))).rate == 100
    room.store().delete(room.key(event.pk, "lock"))
    room.place_of(event.pk, "visitor-aaaaaaaaaaaa", now=now + room.LATENCY_WINDOW_SECONDS + 1)
    assert room.RoomState.parse(room.store().hgetall(room.key(event.pk, "st"))).rate == 130


def test_the_queue_is_told_when_nothing_is_left_and_again_when_tickets_return(event):
    room_on(event)
    room.join(event.pk, "visitor-aaaaaaaaaaaa")
    assert room.place_of(event.pk, "visitor-aaaaaaaaaaaa").state == "admitted"
    ticket_type = event.sessions.get().ticket_types.get()
    for _ in range(5):
        cart_set_quantities(cart_token=new_token(), quantities={ticket_type.pk: 10})
    waitroom_sold_out_refresh(event_id=event.pk)
    assert room.place_of(event.pk, "visitor-aaaaaaaaaaaa").state == "sold_out"
    TicketType.objects.filter(pk=ticket_type.pk).update(quantity=51)
    waitroom_sold_out_refresh(event_id=event.pk)
    assert room.place_of(event.pk, "visitor-aaaaaaaaaaaa").state == "admitted"


def test_a_slow_checkout_switches_an_automatic_room_on(event, settings):
    automatic_room(event)
    now = time.time()
    for _ in range(10):
        room.latency_record(event.pk, 900, now=now)
    assert room.place_of(event.pk, "visitor-aaaaaaaaaaaa", now=now).state == "open"
    for _ in range(20):
        room.latency_record(event.pk, 3000, now=now + 1)
    assert room.place_of(event.pk, "visitor-aaaaaaaaaaaa", now=now + 1).state == "none"
    assert room.join(event.pk, "visitor-aaaaaaaaaaaa", now=now + 2)
    # Ten minutes after the last slow checkout it switches itself off again.
    later = now + 1 + settings.WAITROOM_AUTO_HOLD_SECONDS + 1
    assert room.place_of(event.pk, "visitor-aaaaaaaaaaaa", now=later).state == "open"


def test_an_event_without_a_room_is_asked_again_only_after_a_second(event, monkeypatch):
    """Nearly every event has no room, and every choice and checkout asks: the process keeps
    the answer for a second. A room set up here is seen at once; one set up by another
    process (written to the store directly) once the second is over."""
    from tickets.waitroom.store import key, store

    now = [500.0]
    monkeypatch.setattr(room.time, "monotonic", lambda: now[0])
    assert room.config_read(event.pk)[0] is None
    pipelines = []
    real_pipeline = type(store()).pipeline
    monkeypatch.setattr(
        type(store()),
        "pipeline",
        lambda self, *a, **k: pipelines.append(1) or real_pipeline(self, *a, **k),
    )
    assert room.config_read(event.pk)[0] is None
    assert pipelines == []  # not asked again within the second
    store().hset(key(event.pk, "cfg"), mapping={"on": "1", "cap": 60, "slug": event.slug})
    assert room.config_read(event.pk)[0] is None
    now[0] += room.NO_ROOM_KEPT_SECONDS
    assert room.config_read(event.pk)[0].on
    assert pipelines == [1]
    other = TicketTypeFactory().session.event
    assert room.config_read(other.pk)[0] is None
    room_on(other)  # set up in this process: seen at once
    assert room.config_read(other.pk)[0].on
