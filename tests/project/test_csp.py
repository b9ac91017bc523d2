"""Every page carries a strict Content-Security-Policy: no inline scripts, no framing."""

import pytest

from tests.factories import TicketTypeFactory

pytestmark = pytest.mark.django_db


def _policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {
        part.split()[0]: part.split()[1:] for part in (p.strip() for p in header.split(";")) if part
    }


@pytest.mark.parametrize("path", ["/", "/events/", "/accounts/login/", "/privacy/"])
def test_public_pages_allow_only_own_scripts_and_no_framing(client, path):
    policy = _policy(client.get(path))
    assert policy["script-src"] == ["'self'"]
    assert "'unsafe-inline'" not in policy["style-src"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]


def test_event_page_has_the_policy_and_still_refuses_framing(client):
    ticket_type = TicketTypeFactory()
    response = client.get(ticket_type.session.event.get_absolute_url())
    assert _policy(response)["frame-ancestors"] == ["'none'"]
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_pages_run_without_policy_violations(live_server, page):
    ticket_type = TicketTypeFactory()
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    for path in ("/", "/events/", ticket_type.session.event.get_absolute_url(), "/privacy/"):
        page.goto(live_server.url + path)
        page.wait_for_load_state("load")
    assert violations == []
