"""PostgreSQL restarts during a stream of checkouts.

A PostgreSQL cluster of the test's own (initdb in a temporary directory, never the shared
server) behind gunicorn. Buyers check out in a loop; the database is stopped: requests get the
503 page with Retry-After; it is started again: sales resume with no restart of the web
server, and no order is left half-written.
"""

import threading
import uuid
from collections import Counter
from dataclasses import dataclass, field

import httpx
import psycopg
import pytest

from tests.fixtures_services import wait_for
from tests.services.faults_processes import PostgresCluster, WebServer, app_env, manage

pytestmark = [pytest.mark.services]

SEED = """
from decimal import Decimal
from tests.factories import TicketTypeFactory
tt = TicketTypeFactory(price=Decimal("5000"), quantity=500)
print("SEEDED", tt.session_id, tt.pk, tt.session.event.get_absolute_url())
"""
UNAVAILABLE_TEXT = "Сайт ненадолго недоступен"


@pytest.fixture(scope="module")
def database():
    cluster = PostgresCluster()
    try:
        cluster.init()
        cluster.start()
        cluster.createdb("eventum_faults")
        yield cluster
    finally:
        cluster.close()


@pytest.fixture(scope="module")
def site(database, tmp_path_factory):
    mail_dir = tmp_path_factory.mktemp("db-faults-mail")
    env = app_env(
        database_url=database.url("eventum_faults"),
        broker_url="",  # tasks in-process: this test is about the database alone
        mail_dir=mail_dir,
    )
    migrated = manage("migrate", "--noinput", env=env)
    assert migrated.returncode == 0, migrated.stderr
    seeded = manage("shell", "-c", SEED, env=env)
    assert seeded.returncode == 0, seeded.stderr
    [line] = [line for line in seeded.stdout.splitlines() if line.startswith("SEEDED ")]
    _marker, session_id, ticket_type_id, event_path = line.split()
    web = WebServer(env)
    try:
        web.start()
        yield {
            "web": web,
            "session_id": int(session_id),
            "ticket_type_id": int(ticket_type_id),
            "event_path": event_path,
        }
    finally:
        web.stop()


@dataclass
class Traffic:
    """Checkouts in a loop on a thread; what each request got, by phase."""

    site: dict
    phase: str = "before"
    statuses: Counter = field(default_factory=Counter)
    orders: Counter = field(default_factory=Counter)
    unavailable_pages: list[httpx.Response] = field(default_factory=list)
    unexpected: list[str] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)

    def _record(self, response: httpx.Response, allowed: set[int]) -> bool:
        self.statuses[(self.phase, response.status_code)] += 1
        if response.status_code == 503:
            self.unavailable_pages.append(response)
        elif response.status_code not in allowed:
            self.unexpected.append(f"{response.request.url}: {response.status_code}")
        return response.status_code in allowed

    def checkout_once(self) -> None:
        phase = self.phase
        with httpx.Client(base_url=self.site["web"].base_url, timeout=30) as client:
            if not self._record(client.get(self.site["event_path"]), {200}):
                return
            token = client.cookies.get("csrftoken", "")
            ticket_type_id = self.site["ticket_type_id"]
            cart = client.post(
                "/orders/cart/",
                data={
                    "csrfmiddlewaretoken": token,
                    "session": self.site["session_id"],
                    f"qty_{ticket_type_id}": "1",
                },
            )
            if not self._record(cart, {302}):
                return
            checkout = client.post(
                "/orders/checkout/",
                data={
                    "csrfmiddlewaretoken": token,
                    "surname": "Сериков",
                    "name": "Арман",
                    "phone": "+77011234567",
                    "email": f"restart-{uuid.uuid4().hex[:8]}@example.kz",
                    "consent_processing": "on",
                    "idempotency_key": uuid.uuid4().hex,
                },
            )
            if self._record(checkout, {302}) and "/orders/" in checkout.headers["location"]:
                self.orders[phase] += 1

    def run(self) -> None:
        while not self.stop.is_set():
            try:
                self.checkout_once()
            except httpx.HTTPError as exc:  # the server must answer, even without a database
                self.unexpected.append(f"{type(exc).__name__}: {exc}")
            self.stop.wait(0.05)


def _invariants(database: PostgresCluster, ticket_type_id: int) -> dict[str, int]:
    url = database.url("eventum_faults").replace("postgres://", "postgresql://")
    with psycopg.connect(url) as conn:

        def one(sql: str, *params) -> int:
            return conn.execute(sql, params).fetchone()[0]

        return {
            "orders": one("SELECT count(*) FROM tickets_order"),
            "orders_without_tickets": one(
                "SELECT count(*) FROM tickets_order o WHERE NOT EXISTS "
                "(SELECT 1 FROM tickets_orderitem i WHERE i.order_id = o.id)"
            ),
            "orders_whose_tickets_and_holds_differ": one(
                "SELECT count(*) FROM tickets_order o WHERE "
                "(SELECT count(*) FROM tickets_orderitem i WHERE i.order_id = o.id) <> "
                "(SELECT coalesce(sum(r.quantity), 0) FROM tickets_reservation r "
                " WHERE r.order_id = o.id)"
            ),
            "counter_minus_holds": one(
                "SELECT t.quantity_taken - (SELECT coalesce(sum(r.quantity), 0) "
                "FROM tickets_reservation r WHERE r.ticket_type_id = t.id "
                "AND r.released_at IS NULL) FROM events_tickettype t WHERE t.id = %s",
                ticket_type_id,
            ),
        }


def test_checkouts_get_a_503_while_the_database_restarts_and_resume_by_themselves(database, site):
    traffic = Traffic(site)
    loop = threading.Thread(target=traffic.run, daemon=True)
    loop.start()
    try:
        wait_for(lambda: traffic.orders["before"] >= 3, timeout=90)

        traffic.phase = "down"
        database.stop()
        wait_for(lambda: traffic.statuses[("down", 503)] >= 5, timeout=60)

        database.start()
        traffic.phase = "after"
        wait_for(lambda: traffic.orders["after"] >= 3, timeout=90)
    finally:
        traffic.stop.set()
        loop.join(timeout=60)

    assert traffic.unexpected == []
    for page in traffic.unavailable_pages:
        assert page.headers["Retry-After"] == "30"
        assert UNAVAILABLE_TEXT in page.text
    facts = _invariants(database, site["ticket_type_id"])
    assert facts["orders"] == sum(traffic.orders.values())
    assert facts["orders_without_tickets"] == 0
    assert facts["orders_whose_tickets_and_holds_differ"] == 0
    assert facts["counter_minus_holds"] == 0
