"""The invoice and the act as PDF (WeasyPrint), in the document's language; no database here."""

from pathlib import Path
from zoneinfo import ZoneInfo

from django.template.loader import render_to_string
from django.utils import timezone, translation
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

from tickets.companies.documents import CompanyDocument

ALMATY = ZoneInfo("Asia/Almaty")
TEMPLATE = "tickets/companies/pdf/document.html"
STYLESHEET = Path(__file__).resolve().parents[2] / "static" / "tickets" / "company_documents.css"


def render_company_document(document: CompanyDocument) -> bytes:
    """The PDF of an invoice or an act; only local files and data URIs are fetched."""
    with translation.override(document.language), timezone.override(ALMATY):
        html = render_to_string(TEMPLATE, {"doc": document})
    fetcher = URLFetcher(allowed_protocols={"file", "data"})
    fonts = FontConfiguration()
    stylesheet = CSS(filename=str(STYLESHEET), font_config=fonts, url_fetcher=fetcher)
    page = HTML(string=html, base_url=str(STYLESHEET.parent), url_fetcher=fetcher)
    return page.write_pdf(stylesheets=[stylesheet], font_config=fonts)
