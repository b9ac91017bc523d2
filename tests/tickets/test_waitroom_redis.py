"""With Redis the queue lives only there: another client and another process (a restarted or a
second web process) read the same places, and a poll still asks no database."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from redis import Redis

from tests.factories import TicketTypeFactory
from tests.tickets.waitroom_helpers import admission_order, admit_everyone, queued_client, room_on
from tickets.waitroom import room
from tickets.waitroom.store import store

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def event():
    return TicketTypeFactory(quantity=10).session.event


def test_places_are_in_redis_and_another_process_reads_the_same_queue(event):
    assert isinstance(store(), Redis)
    room_on(event)
    visitors = [f"visitor-{n:012d}" for n in range(30)]
    for visitor in visitors:
        room.join(event.pk, visitor)
    room.store().hset(room.key(event.pk, "st"), mapping={"admitted": 10, "tick": 10**10})

    fresh_client = Redis.from_url(settings.REDIS_URL, decode_responses=True)
    assert fresh_client.zrange(room.key(event.pk, "q"), 0, -1) == visitors

    # A new process (what a restarted web process is) finds every place where it was.
    script = (
        "import json, django; django.setup();"
        "from tickets.waitroom import room;"
        f"print(json.dumps([[p.state, p.position] for p in "
        f"(room.place_of({event.pk}, v) for v in {visitors!r})]))"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "eventum.settings"}
    env["REDIS_URL"] = settings.REDIS_URL
    output = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    places = json.loads(output.strip().splitlines()[-1])
    assert places == [["admitted", 0]] * 10 + [["waiting", n] for n in range(1, 21)]


def test_the_random_draw_and_arrival_order_hold_on_redis(event):
    room_on(event, opens_in_seconds=600)
    opens = room.config_read(event.pk)[0].opens_at
    early = [f"early-{n:012d}" for n in range(100)]
    for visitor in early:
        room.join(event.pk, visitor, now=opens - 10)
    late = [f"late-{n:012d}" for n in range(20)]
    for n, visitor in enumerate(late):
        room.join(event.pk, visitor, now=opens + n)
    order = admission_order(event.pk)
    assert set(order[:100]) == set(early) and order[:100] != early
    assert order[100:] == late


def test_a_poll_on_redis_asks_no_database(event, django_assert_num_queries):
    room_on(event)
    admit_everyone(event.pk)
    client, _ = queued_client(event)
    with django_assert_num_queries(0):
        body = client.get(reverse("tickets:waitroom_status", args=[event.pk])).json()
    assert body["state"] == "waiting" and body["position"] == 1
