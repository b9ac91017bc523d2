"""A backup of the database (and media) restores into a fresh database with every row intact."""

import os
import shutil
import subprocess
import uuid
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import psycopg
import pytest
from django.db import connection
from django.utils import timezone

from tests.factories import OrganizerFactory, TicketTypeFactory

ROOT = Path(__file__).resolve().parents[2]
SCRIPTS = [ROOT / "deploy" / "backup.sh", ROOT / "deploy" / "restore.sh"]


def _libpq_env() -> dict[str, str]:
    db = connection.settings_dict
    env = {**os.environ, "PGHOST": db.get("HOST") or "127.0.0.1"}
    env["PGPORT"] = str(db.get("PORT") or 5432)
    env["PGUSER"] = db.get("USER") or "postgres"
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return env


def _url(name: str) -> str:
    env = _libpq_env()
    password = f":{env['PGPASSWORD']}" if env.get("PGPASSWORD") else ""
    return f"postgres://{env['PGUSER']}{password}@{env['PGHOST']}:{env['PGPORT']}/{name}"


def _run(*command: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        command, env=env or _libpq_env(), capture_output=True, text=True, check=False
    )


@pytest.fixture
def scratch_db() -> Iterator[str]:
    """An empty database next to the test database, dropped afterwards."""
    name = f"{connection.settings_dict['NAME']}_restore_{uuid.uuid4().hex[:8]}"
    created = _run("createdb", name)
    assert created.returncode == 0, created.stderr
    try:
        yield name
    finally:
        dropped = _run("dropdb", "--if-exists", "--force", name)
        assert dropped.returncode == 0, dropped.stderr


@pytest.fixture
def sales() -> dict:
    """Two organizers with events and ticket types and, as the tickets app has it, a paid order."""
    from tickets.models import Order, OrderItem

    types = [
        TicketTypeFactory(session__event__organizer=OrganizerFactory(slug="backup-org-a")),
        TicketTypeFactory(session__event__organizer=OrganizerFactory(slug="backup-org-b")),
        TicketTypeFactory(price=Decimal("12000")),
    ]
    ticket_type = types[0]
    order = Order.objects.create(
        code="BKP12345",
        secret=uuid.uuid4().hex,
        idempotency_key=uuid.uuid4().hex,
        event=ticket_type.session.event,
        status=Order.Status.PAID,
        surname="Абаев",
        name="Ерлан",
        phone="+77011234567",
        email="buyer@example.kz",
        subtotal=Decimal("10000"),
        total=Decimal("10000"),
        paid_at=timezone.now(),
    )
    items = [
        OrderItem.objects.create(
            order=order, ticket_type=ticket_type, price=Decimal("5000"), amount=Decimal("5000")
        )
        for _ in range(2)
    ]
    return {
        "organizers": ["backup-org-a", "backup-org-b"],
        "events": sorted(t.session.event.slug for t in types),
        "order": order.code,
        "tickets": sorted(item.secret for item in items),
    }


def _assert_restored(name: str, sales: dict) -> None:
    env = _libpq_env()
    with psycopg.connect(
        host=env["PGHOST"],
        port=env["PGPORT"],
        user=env["PGUSER"],
        password=env.get("PGPASSWORD"),
        dbname=name,
    ) as restored:
        slugs = {row[0] for row in restored.execute("SELECT slug FROM organizers_organizer")}
        assert set(sales["organizers"]) <= slugs
        events = sorted(row[0] for row in restored.execute("SELECT slug FROM events_event"))
        assert events == sales["events"]
        assert restored.execute("SELECT count(*) FROM events_tickettype").fetchone() == (3,)
        prices = restored.execute("SELECT price FROM events_tickettype ORDER BY price").fetchall()
        assert [row[0] for row in prices] == [Decimal("5000"), Decimal("5000"), Decimal("12000")]
        order = restored.execute(
            "SELECT status, total, surname FROM tickets_order WHERE code = %s", [sales["order"]]
        ).fetchone()
        assert order == ("paid", Decimal("10000.00"), "Абаев")
        tickets = restored.execute(
            "SELECT i.secret FROM tickets_orderitem i JOIN tickets_order o ON o.id = i.order_id"
            " WHERE o.code = %s ORDER BY i.secret",
            [sales["order"]],
        ).fetchall()
        assert [row[0] for row in tickets] == sales["tickets"]
        # Migrations came along too: the restored database is ready for the application.
        applied = restored.execute(
            "SELECT count(*) FROM django_migrations WHERE app = 'tickets'"
        ).fetchone()[0]
        assert applied > 0


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_pg_dump_restores_into_a_fresh_database(sales, scratch_db, tmp_path):
    dump = tmp_path / "eventum.dump"
    dumped = _run("pg_dump", "-Fc", "--no-owner", "-f", str(dump), connection.settings_dict["NAME"])
    assert dumped.returncode == 0, dumped.stderr
    assert dump.stat().st_size > 0

    restored = _run("pg_restore", "--no-owner", "--exit-on-error", "-d", scratch_db, str(dump))
    assert restored.returncode == 0, restored.stderr
    _assert_restored(scratch_db, sales)


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_backup_script_then_restore_script_bring_back_rows_and_files(sales, scratch_db, tmp_path):
    media, private = tmp_path / "media", tmp_path / "private"
    (media / "events").mkdir(parents=True)
    (media / "events" / "poster.jpg").write_bytes(b"poster")
    (private / "tickets").mkdir(parents=True)
    (private / "tickets" / "BKP12345.pdf").write_bytes(b"%PDF-1.7 ticket")
    source_env = {
        **_libpq_env(),
        "DATABASE_URL": _url(connection.settings_dict["NAME"]),
        "MEDIA_ROOT": str(media),
        "PRIVATE_MEDIA_ROOT": str(private),
    }
    backup = _run("bash", str(SCRIPTS[0]), str(tmp_path / "backups"), env=source_env)
    assert backup.returncode == 0, backup.stderr
    folder = Path(backup.stdout.strip().splitlines()[-1])
    assert folder.parent == tmp_path / "backups"
    assert {p.name for p in folder.iterdir()} == {
        "database.dump",
        "media.tar.gz",
        "private.tar.gz",
        "SHA256SUMS",
    }

    target = {
        **source_env,
        "DATABASE_URL": _url(scratch_db),
        "MEDIA_ROOT": str(tmp_path / "restored-media"),
        "PRIVATE_MEDIA_ROOT": str(tmp_path / "restored-private"),
    }
    restore = _run("bash", str(SCRIPTS[1]), str(folder), env=target)
    assert restore.returncode == 0, restore.stderr
    _assert_restored(scratch_db, sales)
    assert (tmp_path / "restored-media" / "events" / "poster.jpg").read_bytes() == b"poster"
    ticket_pdf = tmp_path / "restored-private" / "tickets" / "BKP12345.pdf"
    assert ticket_pdf.read_bytes() == b"%PDF-1.7 ticket"

    # A second restore would overwrite a live database: refused unless forced.
    again = _run("bash", str(SCRIPTS[1]), str(folder), env=target)
    assert again.returncode == 1
    assert "--force" in again.stderr
    ticket_pdf.unlink()
    shutil.rmtree(tmp_path / "restored-media")
    forced = _run("bash", str(SCRIPTS[1]), "--force", str(folder), env=target)
    assert forced.returncode == 0, forced.stderr
    _assert_restored(scratch_db, sales)
    assert ticket_pdf.read_bytes() == b"%PDF-1.7 ticket"


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_tampered_backup(sales, scratch_db, tmp_path):
    env = {
        **_libpq_env(),
        "DATABASE_URL": _url(connection.settings_dict["NAME"]),
        "MEDIA_ROOT": str(tmp_path / "media"),
        "PRIVATE_MEDIA_ROOT": str(tmp_path / "private"),
    }
    backup = _run("bash", str(SCRIPTS[0]), str(tmp_path / "backups"), env=env)
    assert backup.returncode == 0, backup.stderr
    folder = Path(backup.stdout.strip().splitlines()[-1])
    with (folder / "database.dump").open("ab") as dump:
        dump.write(b"tampered")

    target = {**env, "DATABASE_URL": _url(scratch_db), "MEDIA_ROOT": str(tmp_path / "m2")}
    target["PRIVATE_MEDIA_ROOT"] = str(tmp_path / "p2")
    result = _run("bash", str(SCRIPTS[1]), str(folder), env=target)
    assert result.returncode == 1
    assert "SHA256SUMS" in result.stderr
    tables = _run(
        "psql", "-tAc", "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'", scratch_db
    )
    assert tables.stdout.strip() == "0"
