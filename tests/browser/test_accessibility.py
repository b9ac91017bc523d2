"""Accessibility: axe-core finds no moderate or worse violation on the pages people use most.

Home, catalogue, event, checkout, order, account and cabinet pages, each as the person who sees
it, on a phone and on a desktop, in ru, kk and en. axe-core is a pinned test-only file
(tests/browser/vendor), injected into the page; the portal never serves it.
"""

from pathlib import Path

import pytest

from tests.browser import test_mobile_layout as layout
from tests.browser.test_mobile_layout import PHONE_HEIGHT, _checkout_url, _clients, _phone_pages

world = layout.world  # the same shared set of real objects as the phone-layout survey

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
BLOCKING_IMPACTS = ("moderate", "serious", "critical")

RUN_AXE = """async (impacts) => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations
    .filter((v) => impacts.includes(v.impact))
    .map((v) => `${v.impact} ${v.id}: ${v.help} — ${
      v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(" | ")}`);
}"""

PAGES = {
    "home": ("anonymous", lambda w: "/"),
    "catalogue": ("anonymous", lambda w: "/events/"),
    "event": ("anonymous", lambda w: w.event.get_absolute_url()),
    "login": ("anonymous", lambda w: "/accounts/login/"),
    "account": ("buyer", lambda w: "/account/"),
    "order": ("buyer", lambda w: f"/orders/{w.paid.code}/"),
    "cabinet": ("owner", lambda w: f"/cabinet/{w.organizer.slug}/"),
    "cabinet-events": ("owner", lambda w: f"/cabinet/{w.organizer.slug}/events/"),
}


def test_no_moderate_serious_or_critical_violation_on_the_main_pages(live_server, browser, world):
    clients = _clients(world)
    pages = _phone_pages(browser, live_server, clients, bypass_csp=True)
    try:
        checkout = _checkout_url(pages["buyer"], live_server, world)
        visits = {**PAGES, "checkout": ("buyer", lambda w: checkout)}
        found: dict[str, list[str]] = {}
        for language in ("ru", "kk", "en"):
            prefix = "" if language == "ru" else f"/{language}"
            for width, height in ((390, PHONE_HEIGHT), (1280, 800)):
                for name, (actor, url) in visits.items():
                    page = pages[actor]
                    page.set_viewport_size({"width": width, "height": height})
                    response = page.goto(live_server.url + prefix + url(world))
                    assert response is not None and response.ok, f"{name}: {response}"
                    page.add_script_tag(path=str(AXE))
                    violations = page.evaluate(RUN_AXE, list(BLOCKING_IMPACTS))
                    if violations:
                        found[f"{name} {language} @{width}"] = violations
        assert not found, "\n".join(f"{k}:\n  " + "\n  ".join(v) for k, v in found.items())
    finally:
        for page in pages.values():
            page.context.close()
