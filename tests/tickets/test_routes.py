"""How the tickets' routes are mounted: the organizer's under one ``cabinet/`` prefix, each at
the address it always had, so a buyer's request (cart, checkout, the queue's poll) never tries
the organizer's routes one by one."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import Resolver404, URLResolver, include, path, resolve
from django.utils import translation

from tickets import urls as tickets_urls


def _cabinet_routes() -> list[str]:
    return [str(route.pattern) for route in tickets_urls._routes if tickets_urls._is_cabinet(route)]


def test_each_cabinet_route_keeps_its_address_view_and_name():
    orders, cabinet = tickets_urls.urlpatterns
    assert str(orders.pattern) == "orders/" and str(cabinet.pattern) == "cabinet/"
    mounted = {str(route.pattern): route for route in cabinet.url_patterns}
    originals = {str(route.pattern): route for route in tickets_urls._routes}
    assert len(mounted) == len(_cabinet_routes()) > 40
    for route, original in ((f"cabinet/{r}", m) for r, m in mounted.items()):
        assert originals[route].callback is original.callback, route
        assert originals[route].name == original.name
        assert originals[route].default_args == original.default_args


@pytest.mark.parametrize(
    ("address", "name", "kwargs"),
    [
        ("/cabinet/acme/orders/", "cabinet_orders", {"organizer_slug": "acme"}),
        (
            "/cabinet/acme/orders/AB12CD/move/",
            "cabinet_order_move",
            {"organizer_slug": "acme", "code": "AB12CD"},
        ),
        ("/cabinet/acme/waiting-room/", "cabinet_waitrooms", {"organizer_slug": "acme"}),
        ("/kk/cabinet/acme/dashboard/", "cabinet_dashboard", {"organizer_slug": "acme"}),
        ("/orders/queue/7/status/", "waitroom_status", {"event_id": 7}),
        ("/orders/cabinet/acme/orders/", "cabinet_moved", {"organizer_slug": "acme"}),
        ("/orders/AB12CD/", "order_detail", {"code": "AB12CD"}),
    ],
)
def test_addresses_resolve_as_before(address, name, kwargs):
    with translation.override(address.split("/")[1] if address.startswith("/kk/") else "ru"):
        match = resolve(address)
    assert (match.namespace, match.url_name) == ("tickets", name)
    assert {k: v for k, v in match.kwargs.items() if k in kwargs} == kwargs


def _tried(address: str) -> list[str]:
    with pytest.raises(Resolver404) as caught:
        resolve(address)
    return ["".join(str(p.pattern) for p in tried) for tried in caught.value.args[0]["tried"]]


def test_a_buyers_address_passes_the_cabinet_over_with_one_prefix():
    tried = _tried("/orders/no/such/page/")
    cabinet = [route for route in tried if route.startswith("cabinet/<slug:organizer_slug>/")]
    assert not any("orders/<str:code>/move/" in route for route in cabinet)
    # the organizer's routes were still all tried for an address under the cabinet
    tried = _tried("/cabinet/acme/no/such/page/")
    assert any(
        route.endswith("cabinet/<slug:organizer_slug>/orders/<str:code>/move/") for route in tried
    )


def test_a_cabinet_route_must_be_a_single_view():
    nested = path("cabinet/<slug:organizer_slug>/more/", include([]))
    assert isinstance(nested, URLResolver)
    with pytest.raises(ImproperlyConfigured, match="single view"):
        tickets_urls._under_cabinet(nested)
