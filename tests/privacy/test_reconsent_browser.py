"""A material policy change in a real browser: the cookie banner comes back, and a signed-in
buyer on a phone reads the change, accepts it and goes on where they were."""

import pytest

from privacy.models import ConsentRecord, PolicyVersion
from privacy.services import consent_record, policy_publish
from privacy.services.cookies import COOKIE_NAME, cookie_choice_parse
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _publish_material() -> PolicyVersion:
    return policy_publish(
        policy=PolicyVersion.objects.create(
            version="2.0",
            material=True,
            text_ru="Политика, версия 2.0.",
            text_kk="Саясат, 2.0 нұсқасы.",
            text_en="Policy, version 2.0.",
            changes_ru="Добавлены новые партнёры.",
            changes_kk="Жаңа серіктестер қосылды.",
        )
    )


def test_the_cookie_banner_comes_back_after_a_material_change(live_server, page):
    page.goto(live_server.url + "/")
    banner = page.locator("#cookie-banner")
    banner.get_by_role("button", name="Разрешить все cookies").click()
    banner.wait_for(state="hidden")
    page.reload()
    assert not banner.is_visible()
    _publish_material()
    page.reload()
    assert banner.is_visible()
    banner.get_by_role("button", name="Только необходимые cookies").click()
    banner.wait_for(state="hidden")
    cookies = {c["name"]: c["value"] for c in page.context.cookies()}
    assert cookie_choice_parse(cookies[COOKIE_NAME]).policy_version == "2.0"
    page.reload()
    assert not banner.is_visible()


def test_a_buyer_on_a_phone_accepts_the_new_policy_and_goes_on(
    live_server, phone_page, artifacts_dir
):
    user = UserFactory(email="aigerim@example.kz")
    consent_record(
        purpose=ConsentRecord.Purpose.PROCESSING_AND_TRANSFER,
        action=ConsentRecord.Action.GIVEN,
        wording="…",
        channel=ConsentRecord.Channel.SITE,
        user=user,
    )
    _publish_material()
    page = phone_page
    page.goto(live_server.url + "/kk/accounts/login/?next=/kk/")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url("**/kk/privacy/accept/**")
    assert page.get_by_text("Жаңа серіктестер қосылды.").is_visible()
    page.screenshot(path=str(artifacts_dir / "privacy-policy-accept-kk-390.png"), full_page=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390  # nothing wider than the phone
    page.get_by_role("button", name="2.0 нұсқасын қабылдау").click()
    page.wait_for_url(live_server.url + "/kk/")
    row = ConsentRecord.objects.filter(user=user).latest("id")
    assert (row.policy_version.version, row.policy_language) == ("2.0", "kk")
