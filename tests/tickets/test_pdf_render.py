"""PDF tickets are real PDFs: read back as text, as fonts and as a scanned QR code."""

import io
from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pypdfium2
import pytest
import zxingcpp
from django.conf import settings
from django.utils import timezone, translation
from fontTools.ttLib import TTFont
from PIL import Image
from pypdf import PdfReader

from tickets.delivery.pdf import TicketPrint, qr_png_data_uri, render_tickets_pdf

NBSP = "\u00a0"
KAZAKH_LETTERS = "әғқңөұүһі"
FONTS = settings.BASE_DIR / "static" / "fonts" / "noto-sans"
STARTS_AT = datetime(2026, 12, 12, 13, 30, tzinfo=UTC)
ALMATY_TIME = STARTS_AT.astimezone(ZoneInfo("Asia/Almaty")).strftime("%H:%M")


@pytest.fixture(scope="module")
def logo_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("logo") / "logo.png"
    Image.new("RGB", (64, 64), (11, 87, 208)).save(path)
    return path


def _ticket(number: int, **changes) -> TicketPrint:
    ticket = TicketPrint(
        event_title="Концерт «Әуен» — ғажайып қоңыр күз, өнер, ұлы үн, һәм іңкәр",
        session_starts_at=STARTS_AT,
        doors_open_at=datetime(2026, 12, 12, 12, 30, tzinfo=UTC),
        venue_name="Дворец Республики",
        venue_address="пр. Достык, 56",
        city="Алматы",
        ticket_type_name="Партер",
        price=Decimal("12500"),
        order_code="ABCD2345",
        buyer_name="Әлихан Ғабитұлы",
        secret=f"tk{number}-Qm9vLkJhei5RdXV4LWZvby1iYXI",
        organizer_name="ТОО «Әуен Продакшн»",
        ticket_number=f"ABCD2345-{number}",
        seat_label=f"Партер, ряд 5, место {10 + number}",
    )
    return replace(ticket, **changes)


@pytest.fixture(scope="module")
def order(logo_path):
    return [_ticket(number, organizer_logo_path=logo_path) for number in (1, 2, 3)]


@pytest.fixture(scope="module")
def order_pdf(order):
    # Another active time zone must not leak into the ticket: it shows Almaty time.
    with timezone.override(ZoneInfo("UTC")):
        return render_tickets_pdf(order)


def _text(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def _decoded_qr_codes(pdf: bytes) -> list[str]:
    document = pypdfium2.PdfDocument(pdf)
    decoded = []
    for page in document:
        image = page.render(scale=150 / 72).to_pil()
        results = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
        decoded.append([result.text for result in results])
    document.close()
    return decoded


def test_order_renders_one_page_per_ticket_with_every_field(order_pdf):
    pages = _text(order_pdf)

    assert len(pages) == 3
    for number, text in enumerate(pages, start=1):
        assert "Концерт «Әуен»" in text
        assert "Әлихан Ғабитұлы" in text
        assert "Дворец Республики" in text
        assert "пр. Достык, 56, Алматы" in text
        assert "Партер" in text
        assert f"Партер, ряд 5, место {10 + number}" in text
        assert "ABCD2345" in text
        assert f"ABCD2345-{number}" in text
        assert f"12{NBSP}500{NBSP}₸" in text
        assert "ТОО «Әуен Продакшн»" in text
        assert "Покажите этот QR-код на входе" in text


def test_kazakh_letters_survive_text_extraction(order_pdf):
    text = _text(order_pdf)[0]

    assert "Әлихан Ғабитұлы" in text
    for letter in KAZAKH_LETTERS:
        assert letter in text, letter


def test_session_time_is_shown_in_almaty_whatever_the_active_zone(order_pdf):
    text = _text(order_pdf)[0]

    assert ALMATY_TIME != "13:30"
    assert f"12 декабря 2026 {ALMATY_TIME}" in text
    assert "Суббота" in text
    assert "13:30" not in text
    assert "Вход с 17:30" in text


def _images_per_page(pdf: bytes) -> list[int]:
    document = pypdfium2.PdfDocument(pdf)
    counts = [
        len(list(page.get_objects(filter=[pypdfium2.raw.FPDF_PAGEOBJ_IMAGE]))) for page in document
    ]
    document.close()
    return counts


def test_every_page_carries_the_organizer_logo_and_the_qr_code(order_pdf):
    assert _images_per_page(order_pdf) == [2, 2, 2]


@pytest.mark.parametrize("layout", ["a4", "phone"])
def test_qr_code_decodes_to_the_ticket_secret(order, layout):
    pdf = render_tickets_pdf(order, layout=layout)

    assert _decoded_qr_codes(pdf) == [[ticket.secret] for ticket in order]


def test_phone_layout_is_a_narrow_page_per_ticket(order):
    reader = PdfReader(io.BytesIO(render_tickets_pdf(order, layout="phone")))

    assert len(reader.pages) == 3
    for page in reader.pages:
        width_mm = float(page.mediabox.width) * 25.4 / 72
        height_mm = float(page.mediabox.height) * 25.4 / 72
        assert (round(width_mm), round(height_mm)) == (80, 160)


def test_a4_layout_is_an_a4_page(order_pdf):
    page = PdfReader(io.BytesIO(order_pdf)).pages[0]

    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)


def test_free_ticket_says_free_and_shows_no_empty_seat():
    ticket = _ticket(1, price=Decimal("0"), seat_label="", doors_open_at=None)

    text = _text(render_tickets_pdf([ticket]))[0]

    assert "Бесплатно" in text
    assert "₸" not in text
    assert "МЕСТО" not in text
    assert "Вход с" not in text


def test_buyer_text_is_printed_literally_not_as_markup():
    ticket = _ticket(1, buyer_name="<b>Ержан</b> & Co")

    assert "<b>Ержан</b> & Co" in _text(render_tickets_pdf([ticket]))[0]


@pytest.mark.parametrize(
    ("language", "labels", "absent"),
    [
        ("ru", ["ЦЕНА", "КОД ЗАКАЗА", "Покажите этот QR-код на входе"], "PRICE"),
        ("kk", ["БАҒАСЫ", "ТАПСЫРЫС КОДЫ", "Осы QR-кодты кіреберісте көрсетіңіз"], "ЦЕНА"),
        ("en", ["PRICE", "ORDER CODE", "Show this QR code at the entrance"], "ЦЕНА"),
    ],
    ids=["ru", "kk", "en"],
)
def test_language_changes_the_labels(language, labels, absent):
    text = _text(render_tickets_pdf([_ticket(1)], language=language))[0]

    for label in labels:
        assert label in text
    assert absent not in text


def test_kazakh_ticket_names_the_day_in_kazakh():
    text = _text(render_tickets_pdf([_ticket(1)], language="kk"))[0]

    assert "Сенбі" in text
    assert "Есік ашылуы: 17:30" in text


def test_rendering_leaves_the_active_language_alone():
    with translation.override("ru"):
        render_tickets_pdf([_ticket(1)], language="en")
        assert translation.get_language() == "ru"


def test_empty_order_is_refused():
    with pytest.raises(ValueError, match="at least one ticket"):
        render_tickets_pdf([])


def test_unknown_layout_is_refused():
    with pytest.raises(ValueError, match="layout"):
        render_tickets_pdf([_ticket(1)], layout="letter")


def test_unknown_language_is_refused():
    with pytest.raises(ValueError, match="language"):
        render_tickets_pdf([_ticket(1)], language="de")


def _embedded_fonts(pdf: bytes) -> dict[str, bytes]:
    fonts = {}
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            program = descriptor.get_object()["/FontFile2"].get_object().get_data()
            fonts[str(font["/BaseFont"])] = program
    return fonts


def test_only_the_bundled_noto_sans_is_embedded_and_subset(order_pdf):
    bundled = {}
    for path in FONTS.glob("*.ttf"):
        font = TTFont(path)
        bundled[font["name"].getDebugName(6)] = font["head"].fontRevision

    embedded = _embedded_fonts(order_pdf)

    # Named after the @font-face family: a system fallback would carry its own name.
    assert {name.split("+", 1)[1] for name in embedded} == {
        "Eventum-Ticket-Sans",
        "Eventum-Ticket-Sans-Bold",
    }
    programs = [TTFont(io.BytesIO(program)) for program in embedded.values()]
    assert {font["name"].getDebugName(6): font["head"].fontRevision for font in programs} == (
        bundled
    )
    for program in embedded.values():
        assert len(program) < 100_000  # a subset of the ~600 kB file, not all of it


def test_missing_logo_file_is_skipped_not_fatal(tmp_path):
    ticket = _ticket(1, organizer_logo_path=tmp_path / "gone.png")

    assert _images_per_page(render_tickets_pdf([ticket])) == [1]  # the QR code only


def test_unreadable_logo_file_is_skipped_not_fatal(tmp_path):
    path = tmp_path / "logo.png"
    path.write_bytes(b"not an image")

    assert _images_per_page(render_tickets_pdf([_ticket(1, organizer_logo_path=path)])) == [1]


def test_large_logo_is_shrunk_to_print_size(tmp_path):
    path = tmp_path / "logo.png"
    Image.new("RGB", (2400, 1200), (200, 30, 30)).save(path)

    pdf = render_tickets_pdf([_ticket(1, organizer_logo_path=path)])

    sizes = sorted(image.image.size for image in PdfReader(io.BytesIO(pdf)).pages[0].images)
    assert sizes[-1] == (240, 120)


def test_qr_png_is_small():
    uri = qr_png_data_uri("tk1-Qm9vLkJhei5RdXV4LWZvby1iYXI")

    assert uri.startswith("data:image/png;base64,")
    assert len(uri) < 1000
