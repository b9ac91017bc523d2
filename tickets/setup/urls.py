"""Routes of the sale set-up in the cabinet: promo codes and checkout questions."""

from django.urls import path

from tickets.setup import views

urlpatterns = [
    path(
        "cabinet/<slug:organizer_slug>/promo-codes/",
        views.promo_codes,
        name="cabinet_promo_codes",
    ),
    path(
        "cabinet/<slug:organizer_slug>/promo-codes/<int:promo_id>/toggle/",
        views.promo_code_toggle,
        name="cabinet_promo_code_toggle",
    ),
    path(
        "cabinet/<slug:organizer_slug>/events/<slug:event_slug>/questions/",
        views.questions,
        name="cabinet_questions",
    ),
    path(
        "cabinet/<slug:organizer_slug>/events/<slug:event_slug>/questions/<int:question_id>/delete/",
        views.question_remove,
        name="cabinet_question_delete",
    ),
]
