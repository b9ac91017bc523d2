"""The policy in ru, kk and en: each reader gets their language's text, the ledger records which
one was accepted, and staff are warned about a version missing a language."""

import re
from html import unescape
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from privacy.models import ConsentRecord, PolicyVersion
from privacy.services import consent_record, policy_current, policy_publish

pytestmark = pytest.mark.django_db

TEXTS = Path(__file__).resolve().parents[2] / "privacy" / "policy_texts"


CURRENT = "1.3"  # the version the demo seed publishes last: the retention schedule, cookie term


def _paragraphs(language: str, version: str = CURRENT) -> list[str]:
    text = (TEXTS / f"{version}.{language}.txt").read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip()]


def _policy_text_of(html: str) -> str:
    block = html.split('data-testid="policy-text">')[1].split("</div>")[0]
    return unescape(re.sub(r"<[^>]+>", "\n", block))


def _shown_paragraphs(html: str) -> list[str]:
    return [line.strip() for line in _policy_text_of(html).splitlines() if line.strip()]


@pytest.mark.parametrize(("version", "count"), [("1.0", 40), ("1.2", 46), ("1.3", 47)])
def test_the_translations_are_whole_the_same_paragraphs_as_the_russian_text(version, count):
    russian, kazakh, english = (_paragraphs(lang, version) for lang in ("ru", "kk", "en"))
    assert len(russian) == len(kazakh) == len(english) == count
    cyrillic = re.compile("[А-Яа-яЁё]")
    kazakh_letters = re.compile("[ӘәҒғҚқҢңӨөҰұҮүҺһІі]")
    assert not any(cyrillic.search(p) for p in english)
    # Every Kazakh paragraph but the short term definitions' headings carries Kazakh letters.
    assert sum(bool(kazakh_letters.search(p)) for p in kazakh) >= 38
    for ru, kk, en in zip(russian, kazakh, english, strict=True):
        # The same structure: a definition stays a definition, and the e-mail stays.
        assert ("\t" in ru) == ("\t" in kk) == ("\t" in en)
        email = "info@eventum.one"
        assert (email in ru) == (email in kk) == (email in en)
        assert ("30" in ru) == ("30" in kk) == ("30" in en)


def test_the_demo_seed_publishes_the_policy_in_three_languages_without_asking_again():
    call_command("seed_demo_privacy")
    call_command("seed_demo_privacy")  # idempotent
    policy = policy_current()
    assert policy.version == CURRENT and not policy.material
    assert policy.missing_languages() == []
    translated = PolicyVersion.objects.get(version="1.1")
    assert translated.text_ru == PolicyVersion.objects.get(version="1.0").text_ru
    assert PolicyVersion.objects.filter(version__in=["1.1", "1.2", "1.3"]).count() == 3


def test_the_unlimited_term_became_the_retention_schedule_in_three_languages():
    call_command("seed_demo_privacy")
    policy = policy_current()
    assert "ничем не ограничен" in PolicyVersion.objects.get(version="1.1").text_ru
    assert "ничем не ограничен" not in policy.text_ru
    assert "ештеңемен шектелмейді" not in policy.text_kk
    assert "not limited in any way" not in policy.text_en
    for text, words in (
        (policy.text_ru, ("90 дней", "/24", "5 лет", "журнал уничтожения")),
        (policy.text_kk, ("90 күн", "/24", "5 жыл", "жою журналы")),
        (policy.text_en, ("90 days", "/24", "5 years", "destruction log")),
    ):
        assert all(word in text for word in words), words


@pytest.mark.parametrize("prefix,language", [("/kk", "kk"), ("/en", "en")])
def test_the_policy_page_shows_its_language_and_no_russian_paragraph(client, prefix, language):
    call_command("seed_demo_privacy")
    html = client.get(f"{prefix}/privacy/").content.decode()
    assert f'lang="{language}" data-testid="policy-text"' in html
    shown = _shown_paragraphs(html)
    assert shown == _paragraphs(language)
    page_text = unescape(html)
    for paragraph in _paragraphs("ru"):
        assert paragraph not in page_text, paragraph[:60]
    assert 'data-testid="language-note"' not in html


def test_the_russian_page_shows_the_russian_text(client):
    call_command("seed_demo_privacy")
    html = client.get(reverse("privacy:policy")).content.decode()
    assert _shown_paragraphs(html) == _paragraphs("ru")


def test_a_version_without_a_kazakh_text_shows_the_russian_one_and_says_so(client):
    policy_publish(
        policy=PolicyVersion.objects.create(
            version="2.0", text_ru="Русский текст политики.", text_en="The English text."
        )
    )
    kazakh = client.get("/kk/privacy/").content.decode()
    assert 'lang="ru" data-testid="policy-text"' in kazakh
    assert "Русский текст политики." in kazakh
    assert 'data-testid="language-note"' in kazakh
    english = client.get("/en/privacy/").content.decode()
    assert "The English text." in english and "Русский текст политики." not in english


def test_the_ledger_records_the_language_of_the_text_accepted():
    policy = policy_publish(
        policy=PolicyVersion.objects.create(version="2.0", text_ru="Текст.", text_kk="Мәтін.")
    )
    common = {
        "purpose": ConsentRecord.Purpose.PROCESSING_AND_TRANSFER,
        "action": ConsentRecord.Action.GIVEN,
        "wording": "…",
        "channel": ConsentRecord.Channel.SITE,
        "email": "aigerim@example.kz",
    }
    with translation.override("kk"):
        assert consent_record(**common).policy_language == "kk"
    with translation.override("en"):  # no English text: the Russian one was shown
        assert consent_record(**common).policy_language == "ru"
    assert consent_record(**common, policy_version=policy).policy_language == "ru"
    withdrawn = consent_record(**{**common, "action": ConsentRecord.Action.WITHDRAWN})
    assert withdrawn.policy_language == ""


def test_signing_up_in_kazakh_records_the_kazakh_text(client):
    call_command("seed_demo_privacy")
    response = client.post(
        "/kk/accounts/signup/",
        {
            "email": "jana@example.kz",
            "password1": "a-long-signup-pass-31",
            "password2": "a-long-signup-pass-31",
        },
    )
    assert response.status_code == 302
    row = ConsentRecord.objects.get(
        email="jana@example.kz", purpose=ConsentRecord.Purpose.PROCESSING_AND_TRANSFER
    )
    assert (row.policy_version.version, row.policy_language) == (CURRENT, "kk")


def test_staff_are_warned_when_a_draft_lacks_the_kazakh_or_english_text(admin_client):
    response = admin_client.post(
        reverse("admin:privacy_policyversion_add"),
        {"version": "2.0", "text_ru": "Новый текст.", "text_kk": "", "text_en": "New text."},
        follow=True,
    )
    warnings = [str(m) for m in response.context["messages"] if m.level_tag == "warning"]
    assert len(warnings) == 1 and "2.0" in warnings[0]
    assert "Қазақша" in warnings[0] and "English" not in warnings[0]
    draft = PolicyVersion.objects.get(version="2.0")
    response = admin_client.post(
        reverse("admin:privacy_policyversion_changelist"),
        {"action": "publish_selected", "_selected_action": [draft.pk]},
        follow=True,
    )
    messages = [str(m) for m in response.context["messages"]]
    assert any("Қазақша" in m and "2.0" in m for m in messages), messages
    assert policy_current().version == "2.0"  # a warning, not a refusal: Russian is enough
    listing = admin_client.get(reverse("admin:privacy_policyversion_changelist")).content.decode()
    assert "ru en" in listing and "kk" in listing


def test_a_complete_version_publishes_without_a_language_warning(admin_client):
    draft = PolicyVersion.objects.create(
        version="2.0", text_ru="Текст.", text_kk="Мәтін.", text_en="Text."
    )
    response = admin_client.post(
        reverse("admin:privacy_policyversion_changelist"),
        {"action": "publish_selected", "_selected_action": [draft.pk]},
        follow=True,
    )
    messages = [str(m) for m in response.context["messages"]]
    assert not any("Қазақша" in m or "English" in m for m in messages), messages


def test_checkout_in_english_records_the_english_text(client):
    from tests.factories import SessionFactory, TicketTypeFactory
    from tests.tickets.helpers import buyer_data, choose, idempotency_key

    call_command("seed_demo_privacy")
    tt = TicketTypeFactory(session=SessionFactory(), quantity=5)
    client.get("/en/")
    choose(client, tt.session, {tt: 1})
    with translation.override("en"):
        key = idempotency_key(client)
        response = client.post(reverse("tickets:checkout"), buyer_data(key))
    assert response.status_code == 302
    row = ConsentRecord.objects.get(
        purpose=ConsentRecord.Purpose.PROCESSING_AND_TRANSFER, source__startswith="order:"
    )
    assert (row.policy_version.version, row.policy_language) == (CURRENT, "en")


@pytest.mark.parametrize("language", ["ru", "kk", "en"])
def test_the_policy_in_force_states_the_retention_periods_the_settings_enforce(language):
    """Changing a period in the settings without a new policy text fails here."""
    from privacy.retention import policy_periods_mismatch, policy_stated_periods

    call_command("seed_demo_privacy")
    text = getattr(policy_current(), f"text_{language}")
    assert len(policy_stated_periods(text)) == 6
    assert policy_periods_mismatch(text) == []


@pytest.mark.parametrize(
    ("setting", "value", "said"),
    [
        ("IP_LOG_RETENTION_DAYS", 30, "30 days, the policy says 90 days"),
        ("RETENTION_IP_STATS_DAYS", 365, "365 days, the policy says 730 days"),
        ("RETENTION_ORDER_IP_DAYS", 180, "180 days, the policy says 365 days"),
        ("RETENTION_ORDERS_YEARS", 6, "6 years, the policy says 5 years"),
        ("RETENTION_REGISTERS_YEARS", 4, "4 years, the policy says 3 years"),
        ("RETENTION_COOKIE_CONSENT_DAYS", 400, "400 days, the policy says 730 days"),
    ],
)
def test_a_setting_changed_without_the_policy_is_a_mismatch(settings, setting, value, said):
    from privacy.retention import policy_periods_mismatch, retention_schedule

    text = (TEXTS / f"{CURRENT}.ru.txt").read_text(encoding="utf-8")
    setattr(settings, setting, value)
    assert policy_periods_mismatch(text) == [f"{setting} = {said}"]
    assert any(str(value) in rule.period for rule in retention_schedule())


def test_a_policy_without_the_cookie_term_no_longer_matches_the_schedule():
    from privacy.retention import policy_periods_mismatch

    text = (TEXTS / "1.2.kk.txt").read_text(encoding="utf-8")
    assert policy_periods_mismatch(text) == ["the policy states 5 periods, the schedule has 6"]


def test_staff_are_warned_when_a_text_states_other_retention_periods(admin_client, settings):
    text = (TEXTS / f"{CURRENT}.en.txt").read_text(encoding="utf-8")
    settings.RETENTION_ORDER_IP_DAYS = 180
    response = admin_client.post(
        reverse("admin:privacy_policyversion_add"),
        {"version": "2.0", "text_ru": "Текст.", "text_kk": "Мәтін.", "text_en": text},
        follow=True,
    )
    warnings = [str(m) for m in response.context["messages"] if m.level_tag == "warning"]
    assert len(warnings) == 1 and "RETENTION_ORDER_IP_DAYS" in warnings[0], warnings
    assert "English" in warnings[0]


def test_the_version_in_force_is_read_without_its_texts_yet_knows_its_languages(
    django_assert_num_queries,
):
    """A checkout names the version in force: its texts in three languages (tens of
    kilobytes) stay in the database, and which language a reader is shown needs no more;
    it is kept in the cache until a new version is published."""
    from django.utils import timezone

    PolicyVersion.objects.create(
        version="9.0", text_ru="Текст", text_kk="   ", text_en="Text", published_at=timezone.now()
    )
    with django_assert_num_queries(1):
        policy = policy_current()
        assert policy.get_deferred_fields() >= {"text_ru", "text_kk", "text_en"}
        assert policy.text_language("en") == "en"
        assert policy.text_language("kk") == "ru"  # only spaces: the Russian text is shown
        assert policy.missing_languages() == ["kk"]
    with django_assert_num_queries(1):
        assert policy_current(with_texts=True).text_in("kk") == "Текст"
    with django_assert_num_queries(0):  # kept in the cache
        assert policy_current().pk == policy.pk
    draft = PolicyVersion.objects.create(version="9.1", text_ru="Новый текст")
    policy_publish(policy=draft)
    assert policy_current().version == "9.1"  # publishing forgets the cached one at once
