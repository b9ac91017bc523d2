"""Phone first: every public, checkout, account, privacy and cabinet page fits a phone.

The URLs come from the URL resolver (every route without arguments) and from the access
matrix (every route with arguments, built from one shared set of real objects), each visited as
the person who may see it: anonymous, the buyer or the organizer's owner. At 360 and 390 px no
page may scroll sideways, the controls that are tapped are at least 44 px high, and the cookie
banner takes at most a quarter of a 390×844 screen. One browser, one page per person, resized
between the two widths.
"""

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.factories import PASSWORD
from tests.security.test_access_matrix import MATRIX, _build

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

PHONE_WIDTHS = (360, 390)
PHONE_HEIGHT = 844
MIN_TOUCH_PX = 44
BANNER_MAX_PX = PHONE_HEIGHT // 4  # 211 px: a quarter of a 390×844 screen

# Routes without arguments that are not pages a person reads (machine ends, POST-only actions).
NOT_PAGES = ("sitemap", "widget:", "tickets:api_", "tickets:cart_", "tickets:promo_apply")
# What a tap needs 44 px for: buttons, fields and the navigation. Links inside running text are
# exempt (WCAG 2.5.8), so are check boxes wrapped in their label.
TAP_TARGETS = (
    "button:not(.link-inline), .button, select, "
    "input:not([type=hidden]):not([type=checkbox]):not([type=radio]):not([type=file]), "
    ".site-header a, .site-header button, .cabinet-nav a, .pagination a"
)

MEASURE_JS = """([selector, width, minTouch]) => {
  const doc = document.documentElement;
  const label = (el) => `${el.tagName.toLowerCase()}.${el.className} «${
    (el.innerText || el.value || el.name || "").trim().slice(0, 30)}»`;
  const small = [];
  for (const el of document.querySelectorAll(selector)) {
    const box = el.getBoundingClientRect();
    if (!box.width || !box.height || getComputedStyle(el).visibility === "hidden") continue;
    if (el.closest("[hidden], details:not([open]) > :not(summary)")) continue;
    if (box.height < minTouch) small.push(`${label(el)} ${Math.round(box.height)}px`);
  }
  const wide = [];
  if (doc.scrollWidth > width || window.innerWidth > width) {
    for (const el of document.body.querySelectorAll("*")) {
      const box = el.getBoundingClientRect();
      let clipped = false;  // inside a box that scrolls by itself: not the page's width
      for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
        if (getComputedStyle(up).overflowX !== "visible") { clipped = true; break; }
      }
      if (!clipped && box.right > width + 1 && box.width) {
        wide.push(`${label(el)} ${Math.round(box.right)}px`);
      }
      if (wide.length > 4) break;
    }
  }
  return {scrollWidth: doc.scrollWidth, innerWidth: window.innerWidth, small, wide};
}"""


@dataclass(frozen=True)
class Visit:
    actor: str  # "anonymous", "buyer" or "owner"
    url: str


def _plain_routes(resolver=None, prefix="", namespace="") -> Iterator[str]:
    """Names of the routes without arguments (the admin aside: it is Django's own)."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = namespace
            if pattern.namespace:
                ns = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _plain_routes(pattern, prefix + str(pattern.pattern), ns)
            continue
        assert isinstance(pattern, URLPattern)
        route = prefix + str(pattern.pattern)
        if pattern.pattern.regex.groups or "<" in route or route.startswith("admin/"):
            continue
        if pattern.name:
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name


def _is_page(client: Client, url: str) -> bool:
    response = client.get(url)
    return response.status_code == 200 and response["Content-Type"].startswith("text/html")


def _visits(world, clients: dict[str, Client]) -> list[Visit]:
    visits: list[Visit] = []
    for name in sorted(set(_plain_routes())):
        if name.startswith(NOT_PAGES):
            continue
        url = reverse(name)
        if _is_page(clients["anonymous"], url):
            visits.append(Visit("anonymous", url))
        signed_in = next((a for a in ("buyer", "owner") if _is_page(clients[a], url)), None)
        if signed_in:
            visits.append(Visit(signed_in, url))
    for name, rule in sorted(MATRIX.items()):
        if rule.method != "get":
            continue
        actor = next(
            (a for a in ("owner", "buyer", "anonymous") if rule.expect.get(a) == 200), None
        )
        if actor is None:
            continue
        url = reverse(name, kwargs=rule.kwargs(world))
        if _is_page(clients[actor], url):
            visits.append(Visit(actor, url))
    return visits


@pytest.fixture
def world(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.MEDIA_ROOT = tmp_path / "media"
    return _build(settings.PRIVATE_MEDIA_ROOT)


def _clients(world) -> dict[str, Client]:
    clients = {"anonymous": Client(), "buyer": Client(), "owner": Client()}
    clients["buyer"].force_login(world.buyer)
    clients["owner"].force_login(world.users["owner"])
    return clients


def _phone_pages(browser, live_server, clients, *, bypass_csp: bool = False) -> dict:
    pages = {}
    for actor, client in clients.items():
        context = browser.new_context(
            bypass_csp=bypass_csp,  # only for a test tool injected into the page (axe-core)
            locale="ru-RU",
            viewport={"width": PHONE_WIDTHS[0], "height": PHONE_HEIGHT},
            is_mobile=True,
            has_touch=True,
        )
        if "sessionid" in client.cookies:
            context.add_cookies(
                [
                    {
                        "name": "sessionid",
                        "value": client.cookies["sessionid"].value,
                        "url": live_server.url,
                    }
                ]
            )
        pages[actor] = context.new_page()
        pages[actor].set_default_timeout(15_000)
    return pages


def _checkout_url(page, live_server, world) -> str:
    """The buyer chooses two tickets on the event page and lands on the checkout."""
    page.goto(live_server.url + world.event.get_absolute_url())
    page.locator(f"#qty-{world.ticket_type.pk}").fill("2")
    page.locator(f"#session-{world.session.pk} button[type=submit]").click()
    page.wait_for_url("**/orders/checkout/")
    return page.url.removeprefix(live_server.url)


def test_no_page_scrolls_sideways_on_a_phone(live_server, browser, world):
    clients = _clients(world)
    visits = _visits(world, clients)
    pages = _phone_pages(browser, live_server, clients)
    try:
        visits.append(Visit("buyer", _checkout_url(pages["buyer"], live_server, world)))
        names = {visit.url for visit in visits}
        # the survey really covers every kind of page
        assert {"/", "/accounts/login/", "/account/", "/privacy/", "/orders/checkout/"} <= names
        assert any(url.startswith("/cabinet/") and "/orders/" in url for url in names)
        assert not any(url.startswith("/orders/cabinet/") for url in names)
        assert len(visits) > 40

        sideways, small = {}, {}
        for visit in visits:
            page = pages[visit.actor]
            page.goto(live_server.url + visit.url)
            for width in PHONE_WIDTHS:
                page.set_viewport_size({"width": width, "height": PHONE_HEIGHT})
                got = page.evaluate(MEASURE_JS, [TAP_TARGETS, width, MIN_TOUCH_PX])
                # a phone zooms a too-wide page out: the layout is wider than the screen
                if max(got["scrollWidth"], got["innerWidth"]) > width:
                    sideways[f"{visit.actor} {visit.url} @{width}"] = (
                        f"{got['scrollWidth']}px: {got['wide']}"
                    )
                if got["small"]:
                    small[f"{visit.actor} {visit.url} @{width}"] = got["small"][:4]
        assert not sideways, "\n".join(f"{k}: {v}" for k, v in sideways.items())
        assert not small, "\n".join(f"{k}: {v}" for k, v in small.items())
    finally:
        for page in pages.values():
            page.context.close()


def test_cookie_banner_takes_at_most_a_quarter_of_a_phone_screen(live_server, browser):
    for language in ("", "/kk", "/en"):
        context = browser.new_context(
            locale="ru-RU", viewport={"width": 390, "height": PHONE_HEIGHT}, is_mobile=True
        )
        page = context.new_page()
        try:
            page.goto(live_server.url + language + "/")
            banner = page.locator("#cookie-banner")
            assert banner.is_visible()
            height = banner.bounding_box()["height"]
            assert height <= BANNER_MAX_PX, f"{language or '/ru'}: banner {height}px high"
            # its three choices are all reachable on the first screen
            for button in banner.locator(".cookie-actions button, summary").all():
                box = button.bounding_box()
                assert box["y"] + box["height"] <= BANNER_MAX_PX
                assert box["height"] >= MIN_TOUCH_PX
        finally:
            context.close()


KEY_PAGES = {
    "home": ("anonymous", lambda w: "/"),
    "event": ("anonymous", lambda w: w.event.get_absolute_url()),
    "login": ("anonymous", lambda w: "/accounts/login/"),
    "signup": ("anonymous", lambda w: "/accounts/signup/"),
    "account": ("buyer", lambda w: "/account/"),
    "order": ("buyer", lambda w: f"/orders/{w.paid.code}/"),
    "totp": ("buyer", lambda w: "/accounts/2fa/totp/activate/"),
    "blocking": ("buyer", lambda w: "/privacy/blocking-request/"),
    "cabinet-orders": ("owner", lambda w: f"/cabinet/{w.organizer.slug}/orders/"),
    "not-found": ("anonymous", lambda w: "/no-such-page/"),
}


def test_key_pages_in_three_languages_on_a_phone_and_a_desktop(
    live_server, browser, world, artifacts_dir
):
    """Screenshots to look at (test-artifacts/design-*.png); each page is the right one."""
    clients = _clients(world)
    pages = _phone_pages(browser, live_server, clients)
    try:
        checkout = _checkout_url(pages["buyer"], live_server, world)
        shots = {**KEY_PAGES, "checkout": ("buyer", lambda w: checkout)}
        for language in ("ru", "kk", "en"):
            prefix = "" if language == "ru" else f"/{language}"
            for width, height in ((390, PHONE_HEIGHT), (1280, 800)):
                for name, (actor, url) in shots.items():
                    page = pages[actor]
                    page.set_viewport_size({"width": width, "height": height})
                    page.goto(live_server.url + prefix + url(world))
                    if "/reauthenticate/" in page.url:  # allauth asks for the password first
                        page.fill("input[name=password]", PASSWORD)
                        page.locator("form button[type=submit]").last.click()
                        page.wait_for_load_state()
                    assert page.locator("html").get_attribute("lang") == language
                    assert page.locator("h1").count() >= 1, f"{name}: no heading"
                    if name == "totp":  # the whole 32-character secret is on the page
                        secret = page.locator("#authenticator_secret")
                        assert len(secret.inner_text().strip()) == 32
                        assert secret.bounding_box()["width"] <= width
                    page.screenshot(
                        path=str(artifacts_dir / f"design-{name}-{language}-{width}.png"),
                        full_page=True,
                    )
    finally:
        for page in pages.values():
            page.context.close()
