"""The dashboards' orders-per-day chart: its markup, and a rendering whose template work does
not grow with the days (the bars are written by a tag, not by template loops and filters)."""

from datetime import date, timedelta
from decimal import Decimal
from unittest import mock

from django.template import Context, Template, base
from django.template.loader import render_to_string
from django.utils import translation

from tickets.reports.charts import orders_chart
from tickets.reports.selectors import Day


def _chart(days: int):
    first = date(2026, 12, 1)
    return orders_chart(
        [
            Day(day=first + timedelta(days=n), orders=n % 4, revenue=Decimal(n % 4) * 1250)
            for n in range(days)
        ]
    )


def _variables_rendered(chart) -> int:
    render = base.VariableNode.render
    with mock.patch.object(base.VariableNode, "render", autospec=True, side_effect=render) as seen:
        render_to_string("tickets/dashboard/_chart.html", {"chart": chart})
    return seen.call_count


def test_the_chart_costs_the_same_template_work_for_3_and_60_days():
    assert _variables_rendered(_chart(3)) == _variables_rendered(_chart(60))


def test_each_day_is_a_bar_with_its_figures_and_a_row_of_the_table():
    with translation.override("ru"):
        html = render_to_string("tickets/dashboard/_chart.html", {"chart": _chart(3)})
    assert html.count('class="chart-bar"') == 3
    # the third day: 2 orders, 2,500 ₸ (its bar is the tallest: it reaches the top of the plot)
    assert (
        '<rect class="chart-bar" x="513.2" y="10.0" width="180.27" height="206.0" fill="#2b6cb0">'
        "<title>3.12.2026: 2 — 2\u00a0500\u00a0₸</title></rect>"
    ) in html
    assert '<text x="513.2" y="234" font-size="11" fill="#555">03.12</text>' in html
    assert "<tr><td>1.12.2026</td><td>0</td><td>0\u00a0₸</td></tr>" in html
    assert (
        '<line x1="40" x2="720" y1="10.0" y2="10.0" stroke="#ddd" stroke-width="1"/>\n'
        '    <text x="34" y="10.0" text-anchor="end" dominant-baseline="middle" font-size="11"'
        ' fill="#555">2</text>'
    ) in html


def test_numbers_are_written_as_the_template_writes_them_with_thousand_separators_too(settings):
    chart = orders_chart([Day(day=date(2026, 12, 1), orders=12345, revenue=Decimal("1"))])
    plain = render_to_string("tickets/dashboard/_chart.html", {"chart": chart})
    assert "<td>12345</td>" in plain
    settings.USE_THOUSAND_SEPARATOR = True
    with translation.override("en"):
        grouped = render_to_string("tickets/dashboard/_chart.html", {"chart": chart})
        expected = Template("{{ n }}").render(Context({"n": 12345}))
    assert expected != "12345" and f"<td>{expected}</td>" in grouped
