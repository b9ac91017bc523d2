"""The repeated markup of the dashboards and the payout report, written in Python:

* ``{% chart_marks chart %}`` and ``{% chart_table_rows chart %}``: the bars of the
  orders-per-day chart (``tickets.reports.charts``), as SVG and as the table under it;
* ``{% dashboard_event_rows rows organizer_slug %}`` and ``{% payout_event_rows rows %}``: a
  page of events with their figures.

Sixty days a chart and twenty events a page, each with a dozen values: here they cost a
fraction of the same markup in template loops and filters, with the same HTML (numbers
localised as ``{{ }}`` does, the day as ``|date:"j.m.Y"``, text escaped)."""

import html
import re
from collections.abc import Callable, Iterable
from datetime import date

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils.formats import localize
from django.utils.safestring import SafeString, mark_safe

from eventum.money import format_kzt
from tickets.reports.charts import Chart
from tickets.reports.selectors import EventRow

register = template.Library()


def escape(text: object) -> str:
    """``django.utils.html.escape`` (the same characters encoded: what ``{{ }}`` does to text
    not marked safe) without its wrapper for lazy strings, which costs more than the escaping
    on pages that escape hundreds of values."""
    return html.escape(str(text))


def integers_written(context: template.Context) -> Callable[[int], str]:
    """How ``{{ }}`` writes an integer in this context, escaped: localised, which without
    thousand separators (``USE_THOUSAND_SEPARATOR``) is its plain digits, at a fraction of
    ``localize``'s cost (it looks the formats up for every number)."""
    if not settings.USE_THOUSAND_SEPARATOR:
        return str
    return lambda value: escape(localize(value, use_l10n=context.use_l10n))


def _day(value: date) -> str:
    return f"{value.day}.{value.month:02d}.{value.year:04d}"  # ``|date:"j.m.Y"``


@register.simple_tag(takes_context=True)
def chart_marks(context: template.Context, chart: Chart) -> SafeString:
    """The y-axis ticks and the bars (each with its day, orders and revenue as its title)."""

    number = integers_written(context)
    # coordinates are floats written as ``|stringformat:'s'`` writes them
    left, width = number(chart.left), number(chart.width)
    label_x, label_y = number(chart.left - 6), number(chart.height - 6)
    parts = [
        f'\n    <line x1="{left}" x2="{width}" y1="{tick.y}" y2="{tick.y}" stroke="#ddd"'
        f' stroke-width="1"/>\n    <text x="{label_x}" y="{tick.y}" text-anchor="end"'
        f' dominant-baseline="middle" font-size="11" fill="#555">{number(tick.value)}</text>\n    '
        for tick in chart.ticks
    ]
    parts.append("\n    ")
    for bar in chart.bars:
        revenue = escape(format_kzt(bar.day.revenue))
        parts.append(
            f'\n    <rect class="chart-bar" x="{bar.x}" y="{bar.y}" width="{bar.width}"'
            f' height="{bar.height}" fill="#2b6cb0"><title>{_day(bar.day.day)}:'
            f" {number(bar.day.orders)} — {revenue}</title></rect>\n    "
        )
        if bar.label:
            parts.append(
                f'<text x="{bar.x}" y="{label_y}" font-size="11" fill="#555">'
                f"{escape(bar.label)}</text>"
            )
        parts.append("\n    ")
    return mark_safe("".join(parts))  # numbers, and text escaped above


@register.simple_tag(takes_context=True)
def chart_table_rows(context: template.Context, chart: Chart) -> SafeString:
    """The chart's figures as table rows: day, paid orders, revenue."""
    number = integers_written(context)
    rows = (
        f"<tr><td>{_day(bar.day.day)}</td><td>{number(bar.day.orders)}</td>"
        f"<td>{escape(format_kzt(bar.day.revenue))}</td></tr>"
        for bar in chart.bars
    )
    return mark_safe("".join(rows))  # numbers, and text escaped above


_SLUG = re.compile(r"[-a-zA-Z0-9_]+")  # what ``<slug:…>`` accepts: nothing to quote
_SLUG_MARK = "event--slug--mark"


@register.simple_tag(takes_context=True)
def dashboard_event_rows(
    context: template.Context, rows: Iterable[EventRow], organizer_slug: str
) -> SafeString:
    """The sales dashboard's events: title (a link to the event's dashboard), paid orders,
    tickets, gross, refunds, net and check-ins."""

    number = integers_written(context)
    # one reverse() a page, each event's slug put in (a slug needs no quoting)
    pattern = reverse("tickets:cabinet_event_dashboard", args=[organizer_slug, _SLUG_MARK])
    parts = []
    for row in rows:
        slug = row.event.slug
        url = (
            pattern.replace(_SLUG_MARK, slug)
            if _SLUG.fullmatch(slug)
            else reverse("tickets:cabinet_event_dashboard", args=[organizer_slug, slug])
        )
        money, tickets = row.revenue, row.tickets
        sold = number(tickets.sold)
        parts.append(
            f'\n    <tr><td><a href="{escape(url)}">{escape(row.event.title)}</a></td>\n'
            f"      <td>{number(money.orders)}</td><td>{sold}</td>"
            f"<td>{escape(format_kzt(money.gross))}</td>"
            f"<td>{escape(format_kzt(money.refunds))}</td>"
            f"<td>{escape(format_kzt(money.net))}</td>"
            f"<td>{number(tickets.checked_in)} / {sold}</td></tr>\n  "
        )
    return mark_safe("".join(parts))  # numbers, and text escaped above


@register.simple_tag(takes_context=True)
def payout_event_rows(context: template.Context, rows: Iterable[EventRow]) -> SafeString:
    """The payout report's events: title, paid orders, gross, refunds, net, fee and payout."""
    number = integers_written(context)
    parts = []
    for row in rows:
        money = row.revenue
        figures = "".join(
            f"<td>{escape(format_kzt(value))}</td>"
            for value in (money.gross, money.refunds, money.net, money.fee, money.payout)
        )
        parts.append(
            f"\n    <tr><td>{escape(row.event.title)}</td><td>{number(money.orders)}</td>"
            f"{figures}</tr>\n  "
        )
    return mark_safe("".join(parts))  # numbers, and text escaped above
