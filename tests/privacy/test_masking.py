"""Masked display of blocked subjects for organizer lists and exports."""

import pytest

from privacy.services import (
    blocked_index,
    mask_email,
    mask_name,
    mask_phone,
    mask_row,
    subject_display,
)
from tests.privacy.conftest import make_blocked


def test_masks_hide_all_but_a_hint():
    assert mask_email("aigerim@mail.kz") == "a***@m***.kz"
    assert mask_phone("+77011234567") == "+7********67"
    assert mask_name("Айгерим Садыкова") == "А*** С***"
    assert mask_email("") == mask_phone("") == mask_name("") == ""


def test_unblocked_subject_is_shown_as_is():
    shown = subject_display(name="Иван", email="i@example.kz", phone="+77010000000", blocked=False)
    assert (shown.name, shown.email, shown.phone, shown.masked) == (
        "Иван",
        "i@example.kz",
        "+77010000000",
        False,
    )


def test_export_row_of_a_blocked_subject_keeps_only_non_personal_columns():
    row = {
        "ticket_code": "T-1",
        "buyer_name": "Иван Петров",
        "email": "ivan@example.kz",
        "phone": "+77011234567",
        "answer: company": "ТОО Ромашка",
    }
    masked = mask_row(row, blocked=True, keep=("ticket_code",))
    assert masked == {
        "ticket_code": "T-1",
        "buyer_name": "И*** П***",
        "email": "i***@e***.kz",
        "phone": "+7********67",
        "answer: company": "***",
    }
    assert mask_row(row, blocked=False) == row


@pytest.mark.django_db
def test_attendee_list_masks_exactly_the_blocked_buyer(staff_user, django_assert_num_queries):
    """What an organizer's attendee list or export does: one query, then mask per row."""
    make_blocked(staff=staff_user, email="blocked@example.kz")
    attendees = [
        {"name": "Иван Петров", "email": "ivan@example.kz", "phone": "+77010000001"},
        {"name": "Айгерим Садыкова", "email": "Blocked@example.kz", "phone": "+77010000002"},
    ]
    with django_assert_num_queries(1):
        index = blocked_index(
            emails=[a["email"] for a in attendees], phones=[a["phone"] for a in attendees]
        )
    shown = [
        subject_display(**a, blocked=index.is_blocked(email=a["email"], phone=a["phone"]))
        for a in attendees
    ]
    assert [s.masked for s in shown] == [False, True]
    assert shown[0].email == "ivan@example.kz"
    assert shown[1].email == "B***@e***.kz" and "Садыкова" not in shown[1].name
