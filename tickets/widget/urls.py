"""The embedded widget (``/widget/…``): the script, then the compact checkout in an iframe."""

from django.urls import path

from tickets.widget import views as widget
from tickets.widget.origin_check import origin_check

app_name = "widget"

urlpatterns = [
    path("embed.js", widget.embed_script, name="embed_js"),
    path("start/", widget.start, name="start"),
    path("check/", origin_check, name="check"),
    path("events/", widget.event_list, name="events"),
    path("events/<slug:slug>/", widget.event_choose, name="event"),
    path("checkout/", widget.checkout, name="checkout"),
    path("queue/<int:event_id>/", widget.queue, name="queue"),
    path("cart/", widget.cart_action, name="cart_action"),
    path("orders/<str:code>/", widget.order_page, name="order"),
    path("orders/<str:code>/pay/", widget.order_pay, name="order_pay"),
    path("pay/test/<uuid:public_id>/", widget.test_payment, name="test_payment"),
]
