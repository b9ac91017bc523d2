"""An organizer in a real browser: sign in, create an event, add a session and a ticket type,
publish it and open its public page."""

from datetime import timedelta

import pytest
from django.utils import timezone

from events.models import Event
from tests.factories import PASSWORD, CategoryFactory, CityFactory, MembershipFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_organizer_creates_and_publishes_an_event(live_server, page, artifacts_dir):
    CityFactory()
    CategoryFactory()
    membership = MembershipFactory(role="owner", user__email="owner@steppe.kz")
    slug = membership.organizer.slug

    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=login]", "owner@steppe.kz")
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state()

    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Организаторам").first.click()
    page.wait_for_url(f"**/cabinet/{slug}/")
    page.get_by_role("link", name="События").first.click()
    page.get_by_role("link", name="Создать событие").click()
    page.get_by_label("Название (на русском)").fill("Джаз в степи")
    page.get_by_label("Категория").select_option(label="Концерты")
    page.get_by_label("Название площадки (на русском)").fill("Парк Первого Президента")
    page.get_by_label("Город", exact=True).select_option(label="Алматы")
    page.get_by_label("Адрес (на русском)").fill("пр. Аль-Фараби")
    page.screenshot(path=str(artifacts_dir / "organizer-1-event-form.png"), full_page=True)
    page.get_by_role("button", name="Сохранить").click()
    page.wait_for_selector("text=Черновик сохранён")

    page.get_by_role("link", name="Добавить сеанс").click()
    starts = timezone.localtime() + timedelta(days=20)
    page.locator("input[name=starts_at]").fill(starts.strftime("%Y-%m-%dT19:00"))
    page.get_by_role("button", name="Сохранить").click()
    page.wait_for_selector("text=Сеанс добавлен")

    page.get_by_role("link", name="Добавить тип билета").click()
    page.get_by_label("Название (на русском)").fill("Танцпол")
    page.get_by_label("Цена, ₸").fill("8000")
    page.get_by_label("Количество в продаже").fill("100")
    page.get_by_role("button", name="Сохранить").click()
    page.wait_for_selector("text=Тип билета добавлен")
    page.get_by_role("button", name="Опубликовать").click()
    page.wait_for_selector("text=Событие опубликовано")
    page.screenshot(path=str(artifacts_dir / "organizer-2-published.png"), full_page=True)

    event = Event.objects.get()
    assert event.status == Event.Status.PUBLISHED
    page.get_by_role("link", name="Публичная страница").last.click()
    page.wait_for_url(f"**/events/{event.slug}/")
    assert "8\u00a0000\u00a0₸" in page.locator("main").inner_text()
    page.screenshot(path=str(artifacts_dir / "organizer-3-public.png"), full_page=True)
