"""Seat map layouts: JSON and CSV import, generators, and clear reasons for bad input."""

import json

import pytest
from django.utils import translation

from events.seating.layouts import (
    MAX_SEATS,
    LayoutError,
    generate_block,
    generate_rows,
    layout_from_csv,
    layout_from_file,
    layout_from_json,
)


@pytest.fixture(autouse=True)
def _russian():
    with translation.override("ru"):
        yield


def test_json_with_categories_colours_and_labels():
    layout = layout_from_json(
        json.dumps(
            {
                "categories": [{"name": "VIP", "color": "#aa0000"}],
                "seats": [
                    {
                        "section": "Ложа",
                        "row": "A",
                        "number": "1",
                        "x": 10,
                        "y": 5,
                        "category": "VIP",
                    },
                    {
                        "section": "Партер",
                        "row": "1",
                        "number": "2",
                        "x": "40.4",
                        "y": 5,
                        "category": "Партер",
                        "label": "Партер, 1-2",
                    },
                ],
            }
        )
    )
    assert [s.full_label() for s in layout.seats] == ["Ложа, ряд A, место 1", "Партер, 1-2"]
    assert layout.seats[1].x == 40
    assert layout.colors["VIP"] == "#aa0000"
    assert layout.colors["Партер"].startswith("#")


def test_csv_with_semicolons_and_a_bom():
    text = "\ufeffsection;row;number;x;y;category\nБалкон;1;1;0;0;Балкон\nБалкон;1;2;30;0;Балкон\n"
    layout = layout_from_csv(text)
    assert [(s.section, s.row, s.number, s.x) for s in layout.seats] == [
        ("Балкон", "1", "1", 0),
        ("Балкон", "1", "2", 30),
    ]


def test_file_type_is_chosen_by_name_or_content():
    assert (
        len(
            layout_from_file(
                "hall.txt", b'[{"section":"A","row":"1","number":"1","x":0,"y":0,"category":"C"}]'
            ).seats
        )
        == 1
    )
    assert (
        len(layout_from_file("hall.csv", b"section,row,number,x,y,category\nA,1,1,0,0,C").seats)
        == 1
    )
    with pytest.raises(LayoutError, match="UTF-8"):
        layout_from_file("hall.csv", "section".encode("utf-16"))


def _one(categories=None, **overrides) -> str:
    seat = {"section": "A", "row": "1", "number": "1", "x": 0, "y": 0, "category": "C"}
    return json.dumps({"categories": categories or [], "seats": [{**seat, **overrides}]})


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ('{"seats": []}', "нет ни одного места"),
        ('{"seats": {}}', "seats"),
        (_one(section=""), "Место 1"),
        (_one(x=-5), "от 0 до"),
        (_one(x="abc"), "x"),
        (_one(categories=[{"name": "C", "color": "red"}]), "#2b6cb0"),
        ("[1]", "не объектом"),
    ],
)
def test_bad_json_says_what_is_wrong(text, reason):
    with pytest.raises(LayoutError) as caught:
        layout_from_json(text)
    assert reason in caught.value.message


def test_too_many_seats_are_refused():
    seats = [
        {
            "section": "A",
            "row": str(n // 100),
            "number": str(n % 100),
            "x": 0,
            "y": 0,
            "category": "C",
        }
        for n in range(MAX_SEATS + 1)
    ]
    with pytest.raises(LayoutError, match=str(MAX_SEATS)):
        layout_from_json(json.dumps({"seats": seats}))


def test_block_generator_numbers_rows_and_staggers():
    seats = generate_block(
        section="Партер", category="C", rows=2, seats_per_row=3, first_row=5, stagger=True
    )
    assert [(s.row, s.number, s.x, s.y) for s in seats] == [
        ("5", "1", 0, 0),
        ("5", "2", 30, 0),
        ("5", "3", 60, 0),
        ("6", "1", 15, 34),
        ("6", "2", 45, 34),
        ("6", "3", 75, 34),
    ]


def test_rows_generator_centres_rows_or_uses_offsets():
    seats = generate_rows(section="Балкон", category="C", rows_text="1 2\n2 4\n3 1 3\n")
    first_x = {s.row: min(t.x for t in seats if t.row == s.row) for s in seats}
    assert first_x == {"1": 30, "2": 0, "3": 90}
    with pytest.raises(LayoutError, match="Строка 2"):
        generate_rows(section="Балкон", category="C", rows_text="1 2\nабв")
