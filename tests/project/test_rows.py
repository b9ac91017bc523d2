"""Rows read and written by statements built once (``eventum.rows``): the instances are the
ORM's, field for field, on SQLite and on PostgreSQL."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models import BooleanField
from django.db.models.expressions import RawSQL
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from events.models import TicketType
from eventum.rows import (
    RowQuery,
    instance_insert_unless_taken,
    instance_update,
    instances_insert,
    instances_insert_statements,
    instances_inserted,
    rows_insert,
    statements_run,
)
from organizers.models import Organizer
from privacy.models import PolicyVersion
from tests.factories import TicketTypeFactory
from tests.tickets.flows import place_order
from tickets.models import Cart, Order, OrderLog, Payment

pytestmark = pytest.mark.django_db


@pytest.fixture
def order() -> Order:
    PolicyVersion.objects.create(
        version="2026-1", text="Политика", published_at=timezone.now() - timedelta(days=1)
    )
    return place_order()


def _values(instance) -> dict:
    return {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}


ORDER_WITH_EVENT = RowQuery(
    Order,
    related={"event": None, "event__organizer": ("public_name",)},
    where='{table}."id" = %s',
)


def test_the_instances_are_the_orms_with_their_relations_cached(order, django_assert_num_queries):
    orm = Order.objects.select_related("event__organizer").get(pk=order.pk)
    with django_assert_num_queries(1):
        built = ORDER_WITH_EVENT.first(order.pk)
        # the related rows are cached as select_related caches them: no further query
        assert built.event.title == orm.event.title
        assert built.event.organizer.public_name == orm.event.organizer.public_name
    assert _values(built) == _values(orm)  # money, times, codes: converted as the ORM does
    assert _values(built.event) == _values(orm.event)
    assert isinstance(built.total, Decimal) and timezone.is_aware(built.created_at)
    assert not built._state.adding and built._state.db == "default"
    # a field not selected is deferred, and loaded when asked for, as with only()
    assert "legal_name" in built.event.organizer.get_deferred_fields()
    with django_assert_num_queries(1):
        assert built.event.organizer.legal_name == orm.event.organizer.legal_name


def test_json_and_uuid_columns_come_back_as_the_orm_gives_them(order):
    payment = Payment.objects.create(
        order=order, provider="cloudpayments", amount=order.total, provider_data={"a": [1, "б"]}
    )
    built = RowQuery(Payment, where='{table}."id" = %s').first(payment.pk)
    assert _values(built) == _values(Payment.objects.get(pk=payment.pk))
    assert built.provider_data == {"a": [1, "б"]} and built.public_id == payment.public_id


def test_an_empty_relation_is_none_without_a_query(django_assert_num_queries):
    cart = Cart.objects.create(token="rows-test-cart")
    with django_assert_num_queries(1):
        built = RowQuery(Cart, related={"event": None}, where='{table}."token" = %s').first(
            "rows-test-cart"
        )
        assert built.pk == cart.pk and built.event is None


def test_list_parameters_extra_columns_and_order(django_assert_num_queries):
    first, second = TicketTypeFactory(), TicketTypeFactory()
    query = RowQuery(
        TicketType,
        fields=("name",),
        extra={"expensive": RawSQL('{table}."price" > 1000000', (), output_field=BooleanField())},
        where='{table}."id" IN %l',
        order_by='{table}."id" DESC',
    )
    found = query.all([first.pk, second.pk])
    assert [tt.pk for tt in found] == sorted([first.pk, second.pk], reverse=True)
    assert all(tt.expensive is False for tt in found)  # a bool, on SQLite too (not 0)
    assert query.all([first.pk]) == [first]
    with django_assert_num_queries(0):
        assert query.all([]) == []  # IN () selects nothing, and is not asked


@pytest.mark.django_db(transaction=True)
def test_a_locking_read_locks_the_models_rows_where_the_database_can(order):
    query = RowQuery(Order, related={"event": None}, where='{table}."id" = %s', lock=True)
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        assert query.first(order.pk) == order
    (select,) = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("SELECT")]
    if connection.vendor == "postgresql":
        assert select.endswith('FOR UPDATE OF "tickets_order"')
    else:
        assert "FOR UPDATE" not in select  # SQLite locks the whole database instead


def test_a_shape_that_is_not_a_chain_of_foreign_keys_is_refused():
    with pytest.raises(ValueError, match="parent"):
        RowQuery(Order, related={"event__organizer": None}, where="1 = 1").all()
    with pytest.raises(ValueError, match="foreign key"):
        RowQuery(Order, related={"items": None}, where="1 = 1").all()


def test_inserted_instances_get_their_ids_and_times_as_a_save_gives_them(order):
    logs = [
        OrderLog(order=order, from_status="", to_status="pending", note=f"n{n}") for n in range(3)
    ]
    before = timezone.now()
    instances_insert(logs)
    assert [log.pk for log in logs] == sorted(log.pk for log in logs)
    for log in logs:
        stored = OrderLog.objects.get(pk=log.pk)
        assert _values(stored) == _values(log)
        assert stored.created_at >= before  # auto_now_add, as save() sets it
        assert not log._state.adding


def test_many_rows_go_in_several_statements_in_order(order):
    organizer = Organizer.objects.get(pk=order.organizer_id)
    rows = [
        {
            "order_id": order.pk,
            "from_status": "",
            "to_status": "pending",
            "actor_id": None,
            "actor_label": organizer.public_name[:60],
            "note": str(n),
            "created_at": timezone.now(),
        }
        for n in range(250)  # 7 columns: 114 rows a statement
    ]
    with CaptureQueriesContext(connection) as queries:
        ids = rows_insert(OrderLog, rows, using="default")
    assert len(queries.captured_queries) == 3
    assert [int(OrderLog.objects.get(pk=pk).note) for pk in ids] == list(range(250))


def test_an_insert_unless_taken_writes_nothing_for_a_taken_value(order):
    twin = Order.objects.get(pk=order.pk)
    twin.pk = None
    twin._state.adding = True
    twin.idempotency_key, twin.secret = "another-key", "another-secret"  # the code is taken
    assert instance_insert_unless_taken(twin) is False
    assert twin.pk is None and Order.objects.count() == 1
    twin.code = "ROWSTEST"
    assert instance_insert_unless_taken(twin) is True
    assert Order.objects.get(pk=twin.pk).code == "ROWSTEST"
    # other constraints still refuse the row
    twin.pk, twin.code, twin.idempotency_key, twin.secret = None, "ROWSNEG", "k3", "s3"
    twin.discount = Decimal(-1)
    with pytest.raises(IntegrityError), transaction.atomic():
        instance_insert_unless_taken(twin)


def test_an_update_writes_the_fields_named_and_its_auto_now_time(order):
    stored = Order.objects.get(pk=order.pk)
    stored.needs_review, stored.review_reason, stored.surname = True, "checked", "Not written"
    before = stored.updated_at
    with CaptureQueriesContext(connection) as queries:
        assert instance_update(stored, ["needs_review", "review_reason", "updated_at"])
    assert len(queries.captured_queries) == 1
    fresh = Order.objects.get(pk=order.pk)
    assert (fresh.needs_review, fresh.review_reason) == (True, "checked")
    assert fresh.surname == order.surname  # not named: not written
    assert fresh.updated_at == stored.updated_at > before  # auto_now, as save() sets it
    stored.pk = 0
    assert instance_update(stored, ["needs_review"]) is False  # no such row: nothing written


@pytest.mark.django_db(transaction=True)
def test_statements_go_together_where_the_database_can_and_each_sees_the_last(order):
    """On PostgreSQL one round trip; each statement still runs on its own, after the ones
    before it (the second sees the first's row). SQLite: one by one, same results."""
    log = OrderLog(order=order, from_status="", to_status="pending", note="together")
    count = (
        'SELECT COUNT(*) FROM "tickets_orderlog" WHERE "note" = %s',
        ["together"],
    )
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        inserted, none_found, counted, nothing = statements_run(
            "default",
            [
                *instances_insert_statements([log], using="default"),
                ('SELECT "id" FROM "tickets_orderlog" WHERE "note" = %s', ["no such note"]),
                count,
                ('UPDATE "tickets_orderlog" SET "note" = %s WHERE "note" = %s', ["x", "y"]),
            ],
        )
        instances_inserted([log], inserted, using="default")
    assert none_found == [] and counted == [(1,)] and nothing == []
    assert OrderLog.objects.get(pk=log.pk).note == "together" and not log._state.adding
    sent = [
        q["sql"] for q in queries.captured_queries if not q["sql"].startswith(("BEGIN", "COMMIT"))
    ]
    assert len(sent) == (1 if connection.vendor == "postgresql" else 4)


def test_a_select_sent_with_others_builds_the_same_instances(order):
    query = RowQuery(Order, related={"event": None}, where='{table}."id" IN %l')
    (rows,) = statements_run("default", [query.statement([order.pk])])
    assert [_values(o) for o in query.built(rows)] == [_values(o) for o in query.all([order.pk])]
    with pytest.raises(ValueError, match="IN"):
        query.statement([])
