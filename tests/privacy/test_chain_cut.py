"""The retention run deletes consent-ledger rows whose term has ended in anchored runs of the
chain: ``privacy_verify`` steps over the anchors and still finds any other change or removal."""

from datetime import timedelta

import pytest
from django.utils import timezone

from privacy.models import ChainCut, ConsentRecord, DestructionRecord
from privacy.purposes import processing_purposes
from privacy.services.chain_cut import consent_ledger_cut
from privacy.services.ledger import chain_verify, ledger_verify
from privacy.tasks import privacy_retention_task
from tests.factories import UserFactory
from tests.privacy.conftest import make_blocked
from tests.privacy.test_ledger import _behind_the_back

pytestmark = pytest.mark.django_db

YEAR = timedelta(days=365)


def _row(email: str, purpose: str, action: str, ago: timedelta, **fields) -> ConsentRecord:
    fields = {"wording": "Согласен", "channel": "site", **fields}
    return ConsentRecord.objects.create(
        email=email, purpose=purpose, action=action, created_at=timezone.now() - ago, **fields
    )


def _cookie(ago: timedelta, browser: str = "b1") -> ConsentRecord:
    return ConsentRecord.objects.create(
        browser_id=browser,
        purpose="cookies_analytics",
        action="given",
        wording="Cookies",
        channel="site",
        source="cookie-banner",
        created_at=timezone.now() - ago,
    )


@pytest.fixture
def ledger() -> dict[str, ConsentRecord]:
    """A ledger in insertion order: which rows' terms have ended is in each name."""
    return {
        "given_then_withdrawn_5y_ago": _row("a@e.kz", "marketing", "given", 6 * YEAR),
        "withdrawn_5y_ago": _row("a@e.kz", "marketing", "withdrawn", 5 * YEAR),
        "live_consent": _row("b@e.kz", "processing_and_transfer", "given", 5 * YEAR),
        "superseded_1y_ago": _row("c@e.kz", "marketing", "given", 4 * YEAR),
        "live_reconsent": _row("c@e.kz", "marketing", "given", YEAR),
        "old_cookie_choice": _cookie(800 * timedelta(days=1)),
        "recent_cookie_choice": _cookie(400 * timedelta(days=1)),
        "withdrawn_4y_ago": _row("d@e.kz", "marketing", "withdrawn", 4 * YEAR),
        "newest_row": _row("e@e.kz", "marketing", "withdrawn", 4 * YEAR),
    }


def _remaining() -> set[int]:
    return set(ConsentRecord.objects.values_list("pk", flat=True))


def test_a_cut_deletes_exactly_the_rows_whose_term_ended_and_the_chains_still_verify(ledger):
    result = consent_ledger_cut()

    expired = {"given_then_withdrawn_5y_ago", "withdrawn_5y_ago", "old_cookie_choice"}
    expired.add("withdrawn_4y_ago")
    assert _remaining() == {row.pk for name, row in ledger.items() if name not in expired}
    assert (result.rows, result.cookie_rows, result.cuts, result.held) == (4, 1, 3, 0)
    # The newest row is past its term too, but the next insert links to it.
    assert ConsentRecord.objects.filter(pk=ledger["newest_row"].pk).exists()
    cuts = list(ChainCut.objects.order_by("pk"))
    assert [(cut.first_id, cut.last_id, cut.rows) for cut in cuts] == [
        (ledger["given_then_withdrawn_5y_ago"].pk, ledger["withdrawn_5y_ago"].pk, 2),
        (ledger["old_cookie_choice"].pk, ledger["old_cookie_choice"].pk, 1),
        (ledger["withdrawn_4y_ago"].pk, ledger["withdrawn_4y_ago"].pk, 1),
    ]
    assert cuts[0].before_hash == "0" * 64  # a prefix
    assert [cut.rule for cut in cuts] == ["registers", "cookie_consents", "registers"]
    assert all(report.broken is None for report in ledger_verify())
    runs = {run.rule: run for run in DestructionRecord.objects.all()}
    assert (runs["registers"].rows, runs["cookie_consents"].rows) == (3, 1)
    assert runs["registers"].scope == "privacy_consentrecord"
    # Nothing more is due: a second night deletes nothing and writes no destruction row.
    assert consent_ledger_cut().rows == 0
    assert DestructionRecord.objects.count() == 2
    # New rows link to the newest one, and later cuts next to earlier ones still verify.
    _row("f@e.kz", "marketing", "given", timedelta(0))
    assert consent_ledger_cut().rows == 1  # "newest_row" is no longer the newest
    assert chain_verify(ConsentRecord).broken is None


def test_a_remaining_row_edited_behind_the_applications_back_is_still_found(ledger):
    consent_ledger_cut()
    live = ledger["live_consent"]
    _behind_the_back("UPDATE privacy_consentrecord SET wording = 'x' WHERE id = %s", [live.pk])
    broken = chain_verify(ConsentRecord).broken
    assert broken is not None and broken.row_id == live.pk
    assert "изменили после внесения" in broken.problem


def test_rows_deleted_without_an_anchor_are_found(ledger):
    consent_ledger_cut()
    _behind_the_back(
        "DELETE FROM privacy_consentrecord WHERE id = %s", [ledger["superseded_1y_ago"].pk]
    )
    broken = chain_verify(ConsentRecord).broken
    assert broken is not None and broken.row_id == ledger["live_reconsent"].pk
    assert "перед ней запись удалили или вставили" in broken.problem


def test_an_expired_prefix_deleted_without_an_anchor_is_found(ledger):
    first, second = ledger["given_then_withdrawn_5y_ago"], ledger["withdrawn_5y_ago"]
    _behind_the_back(
        "DELETE FROM privacy_consentrecord WHERE id IN (%s, %s)", [first.pk, second.pk]
    )
    broken = chain_verify(ConsentRecord).broken
    assert broken is not None and broken.row_id == ledger["live_consent"].pk


def test_an_anchor_that_does_not_match_the_gap_hides_nothing(ledger):
    removed, following = ledger["superseded_1y_ago"], ledger["live_reconsent"]
    ChainCut.objects.create(
        chain_table="privacy_consentrecord",
        first_id=removed.pk,
        last_id=removed.pk,
        before_hash=removed.chain_previous,
        last_hash="f" * 64,  # not the removed row's hash
        rows=1,
        rule="registers",
        why="forged",
    )
    _behind_the_back("DELETE FROM privacy_consentrecord WHERE id = %s", [removed.pk])
    broken = chain_verify(ConsentRecord).broken
    assert broken is not None and broken.row_id == following.pk


def test_rows_of_subjects_on_a_legal_hold_stay(ledger):
    make_blocked(staff=UserFactory(is_staff=True), email="a@e.kz")
    result = consent_ledger_cut()
    held = {ledger["given_then_withdrawn_5y_ago"].pk, ledger["withdrawn_5y_ago"].pk}
    assert held <= _remaining()
    assert ledger["withdrawn_4y_ago"].pk not in _remaining()
    assert result.held == 2
    assert DestructionRecord.objects.get(rule="registers").held == 2
    assert chain_verify(ConsentRecord).broken is None


def test_a_withdrawal_of_processing_stays_until_the_orders_it_restricts_are_anonymous(settings):
    settings.RETENTION_ORDERS_YEARS = 5
    still_restricting = _row("g@e.kz", "processing_and_transfer", "withdrawn", 4 * YEAR)
    past_the_orders = _row("h@e.kz", "processing_and_transfer", "withdrawn", 7 * YEAR)
    _row("i@e.kz", "marketing", "given", timedelta(0))
    consent_ledger_cut()
    assert _remaining() >= {still_restricting.pk}
    assert past_the_orders.pk not in _remaining()


def test_cookie_choices_expire_after_their_own_setting(settings, ledger):
    settings.RETENTION_COOKIE_CONSENT_DAYS = 380  # no shorter than the browser keeps it
    consent_ledger_cut()
    assert ledger["recent_cookie_choice"].pk not in _remaining()
    assert chain_verify(ConsentRecord).broken is None


def test_the_nightly_retention_task_cuts_the_ledger(ledger):
    assert privacy_retention_task() == 4
    assert ChainCut.objects.count() == 3


def test_the_access_answer_states_the_term_of_cookie_records(settings):
    settings.RETENTION_COOKIE_CONSENT_DAYS = 500
    cookies = next(p for p in processing_purposes() if p.key == "cookies")
    assert "500" in cookies.retention and "без ограничения" not in cookies.retention


def test_a_guests_consent_ended_with_its_orders_goes_three_years_after_that():
    given = _row("guest@e.kz", "processing_and_transfer", "given", 9 * YEAR)
    ended = _row("guest@e.kz", "processing_and_transfer", "ended", 4 * YEAR, channel="retention")
    recent_end = _row("late@e.kz", "processing_and_transfer", "ended", YEAR, channel="retention")
    _row("j@e.kz", "marketing", "given", timedelta(0))
    consent_ledger_cut()
    assert given.pk not in _remaining() and ended.pk not in _remaining()
    assert recent_end.pk in _remaining()
    assert chain_verify(ConsentRecord).broken is None


def test_staff_see_the_anchors_read_only(admin_client, ledger):
    from django.urls import reverse

    consent_ledger_cut()
    cut = ChainCut.objects.order_by("pk").first()
    response = admin_client.get(reverse("admin:privacy_chaincut_changelist"))
    assert response.status_code == 200 and "privacy_consentrecord" in response.content.decode()
    page = admin_client.get(reverse("admin:privacy_chaincut_change", args=[cut.pk]))
    assert page.status_code == 200 and b'name="_save"' not in page.content
    assert admin_client.get(reverse("admin:privacy_chaincut_add")).status_code == 403
