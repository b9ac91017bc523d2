"""The live queue of one event: places, admission and its pace, kept in the store (Redis).

Keys of event ``E`` (``tickets.waitroom.store.key``):

* ``E:cfg`` (hash): the organizer's settings mirrored from ``WaitingRoom`` by
  ``waitroom_save`` — on, opening time, cap per minute, automatic switch and its threshold,
  the event's slug and titles — so that a poll never asks the database;
* ``E:q`` (sorted set): one member per visitor. Arrivals before the opening get a random
  score in [0, 1): at the opening they stand in random order, whenever they came. Later
  arrivals get ``1 + n`` from the counter ``E:seq``: exact arrival order, behind all of them;
* ``E:st`` (hash): how many places are admitted so far (``admitted``, a real number growing
  with time), the pace (``rate``, visitors a minute), the last step (``tick``), when the pace
  was last halved (``cut``), ``soldout``,
  and when the automatic switch turned the room on (``since``) and until when it holds
  (``auto_until``);
* ``E:lat`` (list): recent checkout durations, ``"<epoch>:<ms>"``, newest first.

A visitor at rank ``r`` (0-based) is admitted once ``r < admitted``. Admission moves forward
on polls: the first poll after ``TICK_SECONDS`` takes a short lock and adds
``rate × elapsed``; the rate grows while the checkout's p95 stays under
``WAITROOM_TARGET_P95_MS`` and halves when it does not (never above the organizer's cap); after
a cut only the checkouts since then count, and until enough are in the pace holds. A
checkout's duration counts from when the front proxy received it, when it says
(``eventum.request_timing``): the wait for a free web worker is the buyer's too.
A visitor polls less often the longer their wait ahead (``Place.poll_seconds``).
"""

import json
import math
import random
import time
from dataclasses import dataclass

from django.conf import settings

from tickets.waitroom.store import PREFIX, key, store

TICK_SECONDS = 2.0
LATENCY_WINDOW_SECONDS = 60  # the pace and the automatic switch judge a minute of checkouts
CUT_SPACING_SECONDS = 10  # the pace is halved at most once in this time
LATENCY_SAMPLES_KEPT = 500
LATENCY_MIN_SAMPLES = 5
MIN_RATE_PER_MINUTE = 1.0
# The pace grows by this share of the cap a step, and only while the checkout's p95 is under
# this share of the target: growing right up to the target overshoots, as buyers let in
# already come to the checkout seconds later.
GROWTH_PER_STEP = 1 / 20
HEADROOM = 0.75
POLLS_PER_WAIT = 4  # a visitor far back asks about this many times over the wait ahead
ROOMS_KEY = f"{PREFIX}:rooms"  # ids of events with a waiting room configured


def slug_key(slug: str) -> str:
    return f"{PREFIX}:slug:{slug}"


@dataclass(frozen=True)
class RoomConfig:
    on: bool
    opens_at: float  # epoch seconds; 0: at once
    cap_per_minute: int
    auto: bool
    threshold_ms: int
    slug: str
    titles: dict[str, str]
    since: float = 0.0  # when the organizer last switched the room on

    @classmethod
    def parse(cls, raw: dict[str, str]) -> "RoomConfig | None":
        if not raw:
            return None
        return cls(
            on=raw.get("on") == "1",
            opens_at=float(raw.get("opens") or 0),
            cap_per_minute=int(raw.get("cap") or 1),
            auto=raw.get("auto") == "1",
            threshold_ms=int(raw.get("threshold") or settings.WAITROOM_AUTO_THRESHOLD_MS),
            slug=raw.get("slug", ""),
            titles=json.loads(raw.get("titles") or "{}"),
            since=float(raw.get("since") or 0),
        )

    def title(self, language: str) -> str:
        return self.titles.get(language) or self.titles.get("ru") or ""


@dataclass(frozen=True)
class RoomState:
    admitted: float = 0.0
    rate: float = 0.0
    tick: float = 0.0
    sold_out: bool = False
    since: float = 0.0
    auto_until: float = 0.0
    cut: float = 0.0  # when the pace was last halved

    @classmethod
    def parse(cls, raw: dict[str, str]) -> "RoomState":
        return cls(
            admitted=float(raw.get("admitted") or 0),
            rate=float(raw.get("rate") or 0),
            tick=float(raw.get("tick") or 0),
            sold_out=raw.get("soldout") == "1",
            since=float(raw.get("since") or 0),
            auto_until=float(raw.get("auto_until") or 0),
            cut=float(raw.get("cut") or 0),
        )


def room_active(config: RoomConfig | None, state: RoomState, now: float) -> bool:
    """Whether visitors of the event queue now: switched on, or automatically while slow."""
    if config is None:
        return False
    return config.on or (config.auto and state.auto_until > now)


def room_opens_at(config: RoomConfig, state: RoomState) -> float:
    """When admission starts: the organizer's on-sale time, or when the automatic switch fired."""
    if config.on:
        return config.opens_at
    return state.since


def room_on_since(config: RoomConfig, state: RoomState) -> float:
    """When the room (as it is on now) came on: holds taken before then may check out."""
    return config.since if config.on else state.since


@dataclass(frozen=True)
class Place:
    """What a visitor's poll answers."""

    state: str  # "open" (no queue), "waiting", "before_opening", "admitted", "sold_out", "none"
    position: int = 0  # 1-based place among those not yet admitted
    number: int = 0  # 1-based place in the whole queue (fixed once the sale is open)
    size: int = 0  # places in the queue
    estimate_seconds: int = 0
    opens_at: float = 0.0
    config: RoomConfig | None = None
    wait_seconds: float = 0.0  # what is ahead: the estimate, or the time until the opening

    @property
    def poll_seconds(self) -> int:
        """When to ask again: every ``WAITROOM_POLL_SECONDS`` near the front, less often the
        longer the wait ahead (about ``POLLS_PER_WAIT`` times over it), at most every
        ``WAITROOM_POLL_MAX_SECONDS``. Those far back learn nothing new from a poll every few
        seconds, and in a big queue their polls would take the cores the buyers need."""
        base = settings.WAITROOM_POLL_SECONDS
        longest = max(base, settings.WAITROOM_POLL_MAX_SECONDS)
        return int(min(max(base, self.wait_seconds // POLLS_PER_WAIT), longest))


def _read(event_id: int, visitor: str) -> tuple[RoomConfig | None, RoomState, int | None, int]:
    pipe = store().pipeline(transaction=False)
    pipe.hgetall(key(event_id, "cfg"))
    pipe.hgetall(key(event_id, "st"))
    pipe.zrank(key(event_id, "q"), visitor)
    pipe.zcard(key(event_id, "q"))
    cfg, st, rank, size = pipe.execute()
    return RoomConfig.parse(cfg), RoomState.parse(st), rank, int(size)


# An event found without a room is not asked again by this process for this long: every
# ticket choice and checkout asks, and nearly every event has none. A room set up in another
# process holds the sale at most this much later; one set up in this process at once.
NO_ROOM_KEPT_SECONDS = 1.0
_NO_ROOM_KEPT_MOST = 10_000
_no_room_until: dict[int, float] = {}  # event id -> time.monotonic() until which


def config_read(event_id: int) -> tuple[RoomConfig | None, RoomState]:
    """The room's mirrored settings and state (one round trip, or none for an event this
    process just found without a room)."""
    now = time.monotonic()
    if _no_room_until.get(event_id, 0.0) > now:
        return None, RoomState.parse({})
    pipe = store().pipeline(transaction=False)
    pipe.hgetall(key(event_id, "cfg"))
    pipe.hgetall(key(event_id, "st"))
    cfg, st = pipe.execute()
    config = RoomConfig.parse(cfg)
    if config is None and not st:
        if len(_no_room_until) >= _NO_ROOM_KEPT_MOST:
            _no_room_until.clear()
        _no_room_until[event_id] = now + NO_ROOM_KEPT_SECONDS
    return config, RoomState.parse(st)


def event_id_for_slug(slug: str) -> int | None:
    """The event of a slug, when it has a waiting room configured (no database)."""
    value = store().get(slug_key(slug))
    return int(value) if value else None


def rooms_configured() -> bool:
    """Whether any event has a waiting room: when none does, the sale paths ask nothing more."""
    return bool(store().scard(ROOMS_KEY))


def place_of(event_id: int, visitor: str, *, now: float | None = None) -> Place:
    """The visitor's place; moves admission forward when a step is due. Never the database."""
    now = time.time() if now is None else now
    config, state, rank, size = _read(event_id, visitor)
    if not room_active(config, state, now):
        return Place(state="open", config=config)
    assert config is not None
    opens_at = room_opens_at(config, state)
    if now >= opens_at and now - state.tick >= TICK_SECONDS:
        state = _tick(event_id, config, state, opens_at, size, now) or state
    return _place(config, state, rank, size, opens_at, now)


def _place(
    config: RoomConfig, state: RoomState, rank: int | None, size: int, opens_at: float, now: float
) -> Place:
    common = {"size": size, "opens_at": opens_at, "config": config}
    if state.sold_out:
        return Place(state="sold_out", **common)
    if rank is None:
        return Place(state="none", **common)
    if state.tick < opens_at:  # the opening has not been processed: places are not final yet
        return Place(state="before_opening", wait_seconds=max(opens_at - now, 0), **common)
    admitted = math.floor(state.admitted)
    if rank < admitted:
        return Place(state="admitted", number=rank + 1, **common)
    ahead = rank - admitted
    rate = max(state.rate, MIN_RATE_PER_MINUTE)
    estimate = math.ceil((ahead + 1) / rate * 60)
    return Place(
        state="waiting",
        position=ahead + 1,
        number=rank + 1,
        estimate_seconds=estimate,
        wait_seconds=estimate,
        **common,
    )


def join(event_id: int, visitor: str, *, now: float | None = None) -> bool:
    """Give the visitor a place (once: a second join keeps the first place). True if new.

    Before the opening the place is random among all early arrivals; afterwards it is the
    next in arrival order."""
    now = time.time() if now is None else now
    config, state = config_read(event_id)
    if not room_active(config, state, now):
        return False
    assert config is not None
    queue = key(event_id, "q")
    client = store()
    if client.zrank(queue, visitor) is not None:
        return False
    if now < room_opens_at(config, state):
        score = random.SystemRandom().random()
    else:
        score = 1 + client.incr(key(event_id, "seq"))
    return bool(client.zadd(queue, {visitor: score}, nx=True))


def _tick(
    event_id: int, config: RoomConfig, state: RoomState, opens_at: float, size: int, now: float
) -> RoomState | None:
    """One step of admission, by whichever poll gets the lock (others go on with the state)."""
    client = store()
    if not client.set(key(event_id, "lock"), "1", nx=True, px=int(TICK_SECONDS * 1000)):
        return None
    if state.sold_out:
        return None
    cap = float(config.cap_per_minute)
    rate = state.rate or min(cap, float(settings.WAITROOM_START_RATE))
    cut = state.cut
    # Only checkouts since the last cut judge the pace: those before it were slow at the pace
    # already halved, and judging them again would halve it at every step. Nor is it cut
    # again within CUT_SPACING_SECONDS: the buyers let in just before the cut still come.
    p95 = latency_p95(event_id, now=now, since=cut)
    target = settings.WAITROOM_TARGET_P95_MS
    # Close to the target the pace holds (the pace that got it there is about right); with too
    # few checkouts to tell it grows, unless it was just cut.
    grows = p95 <= target * HEADROOM if p95 is not None else now - cut >= LATENCY_WINDOW_SECONDS
    if p95 is not None and p95 > target:
        if now - cut >= CUT_SPACING_SECONDS:
            rate, cut = max(MIN_RATE_PER_MINUTE, rate / 2), now
    elif grows:
        rate = min(cap, rate + max(1.0, cap * GROWTH_PER_STEP))
    since = max(state.tick, opens_at)
    admitted = min(float(size), state.admitted + rate * max(now - since, 0) / 60)
    new = RoomState(
        admitted=max(admitted, state.admitted),
        rate=rate,
        tick=now,
        sold_out=False,
        since=state.since,
        auto_until=state.auto_until,
        cut=cut,
    )
    client.hset(
        key(event_id, "st"),
        mapping={"admitted": new.admitted, "rate": rate, "tick": now, "cut": cut},
    )
    return new


def latency_record(event_id: int, milliseconds: float, *, now: float | None = None) -> None:
    """Note one checkout's duration; switch the room on when automatic and too slow."""
    now = time.time() if now is None else now
    config, state = config_read(event_id)
    if config is None:  # no room: nobody needs the figure
        return
    client = store()
    pipe = client.pipeline(transaction=False)
    pipe.lpush(key(event_id, "lat"), f"{now:.3f}:{milliseconds:.1f}")
    pipe.ltrim(key(event_id, "lat"), 0, LATENCY_SAMPLES_KEPT - 1)
    pipe.execute()
    if not config.auto or config.on:
        return
    p95 = latency_p95(event_id, now=now)
    if p95 is None or p95 <= config.threshold_ms:
        return
    hold_until = now + settings.WAITROOM_AUTO_HOLD_SECONDS
    mapping: dict[str, float | str] = {"auto_until": hold_until}
    if state.auto_until <= now:  # switching on now: a fresh queue that opens at once
        client.delete(key(event_id, "q"), key(event_id, "seq"))
        mapping.update(since=now, tick=0, admitted=0, rate=0, cut=0, soldout="0")
    client.hset(key(event_id, "st"), mapping=mapping)


def latency_p95(event_id: int, *, now: float | None = None, since: float = 0) -> float | None:
    """The 95th percentile of the checkout durations of the last minute (ms), if enough;
    only of those noted after ``since`` (epoch seconds)."""
    now = time.time() if now is None else now
    recent = []
    for entry in store().lrange(key(event_id, "lat"), 0, LATENCY_SAMPLES_KEPT - 1):
        at, _, ms = entry.partition(":")
        if now - float(at) <= LATENCY_WINDOW_SECONDS and float(at) > since:
            recent.append(float(ms))
    if len(recent) < LATENCY_MIN_SAMPLES:
        return None
    recent.sort()
    return recent[min(len(recent) - 1, math.ceil(0.95 * len(recent)) - 1)]


def sold_out_mark(event_id: int, sold_out: bool, *, now: float | None = None) -> None:
    """Tell the queue the event has nothing left on sale (or again has: tickets came back).

    Admission paused while sold out, so its clock restarts rather than letting in at once
    everyone the pause would have admitted."""
    client = store()
    state = RoomState.parse(client.hgetall(key(event_id, "st")))
    if state.sold_out == sold_out:
        return
    mapping: dict[str, str | float] = {"soldout": "1" if sold_out else "0"}
    if not sold_out and state.tick:
        mapping["tick"] = time.time() if now is None else now
    client.hset(key(event_id, "st"), mapping=mapping)


def config_mirror(
    *,
    event_id: int,
    slug: str,
    titles: dict[str, str],
    on: bool,
    opens_at: float,
    cap_per_minute: int,
    auto: bool,
    threshold_ms: int,
    reset: bool,
) -> None:
    """Copy the organizer's settings into the store; ``reset`` starts an empty queue."""
    _no_room_until.pop(event_id, None)
    client = store()
    if reset:
        client.delete(key(event_id, "q"), key(event_id, "seq"), key(event_id, "st"))
        client.hset(key(event_id, "cfg"), mapping={"since": time.time()})
    client.hset(
        key(event_id, "cfg"),
        mapping={
            "on": "1" if on else "0",
            "opens": opens_at,
            "cap": cap_per_minute,
            "auto": "1" if auto else "0",
            "threshold": threshold_ms,
            "slug": slug,
            "titles": json.dumps(titles, ensure_ascii=False),
        },
    )
    client.set(slug_key(slug), event_id)
    client.sadd(ROOMS_KEY, str(event_id))
