"""``{% chart_marks chart %}`` and ``{% chart_table_rows chart %}``: the bars of the dashboards'
orders-per-day chart (``tickets.reports.charts``), as SVG and as the table under it.

Sixty days a chart, each a bar with its tooltip and a row of the table: written here in Python
they cost a fraction of the same markup in template loops and filters, with the same HTML
(numbers localised as ``{{ }}`` does, the day as ``|date:"j.m.Y"``, text escaped)."""

from datetime import date

from django import template
from django.utils.formats import localize
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from eventum.money import format_kzt
from tickets.reports.charts import Chart

register = template.Library()


def _day(value: date) -> str:
    return f"{value.day}.{value.month:02d}.{value.year:04d}"  # ``|date:"j.m.Y"``


@register.simple_tag(takes_context=True)
def chart_marks(context: template.Context, chart: Chart) -> SafeString:
    """The y-axis ticks and the bars (each with its day, orders and revenue as its title)."""

    def number(value: int) -> str:
        return escape(localize(value, use_l10n=context.use_l10n))

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
    rows = (
        f"<tr><td>{_day(bar.day.day)}</td>"
        f"<td>{escape(localize(bar.day.orders, use_l10n=context.use_l10n))}</td>"
        f"<td>{escape(format_kzt(bar.day.revenue))}</td></tr>"
        for bar in chart.bars
    )
    return mark_safe("".join(rows))  # numbers, and text escaped above
