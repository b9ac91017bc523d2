"""The cabinet's order list, written in Python where a template costs too much for every page:

* ``{% cabinet_order_rows page.orders orders_url %}``: the rows. Fifty rows a page, each with a
  dozen values, a status badge and sometimes the "data blocked" mark: written here they cost a
  fraction of the same rows in template tags, with the same HTML (values escaped and localised
  as ``{{ }}`` does).
* ``{% order_filter_fields form %}``: the filter form's fields, each an empty one written once
  per language and process (the same HTML every time), the others rendered as before."""

from collections.abc import Iterable
from urllib.parse import quote

from django import forms, template
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import template_localtime
from django.utils.translation import get_language

from eventum.money import format_kzt
from tickets.order_search import OrderRow
from tickets.order_status import order_status
from tickets.templatetags.tickets_dashboard import escape, integers_written
from tickets.templatetags.tickets_status import status_badge

register = template.Library()

BLOCKED_MARK = "privacy/_data_blocked_mark.html"


@register.simple_tag(takes_context=True)
def cabinet_order_rows(
    context: template.Context, orders: Iterable[OrderRow], orders_url: str
) -> SafeString:
    """One ``<tr>`` per order (buyers as ``order.shown``: restricted ones masked and marked);
    each links to ``orders_url`` + the order's code (``tickets:cabinet_order``)."""

    # Every text is escaped as ``{{ }}`` escapes it (``escape``: what ``format_html`` does to
    # each argument), numbers are localised as ``{{ }}`` localises them; f-strings, not
    # ``format_html``, and one badge per status, not per row: fifty rows a page.
    link = escape(orders_url)
    number = integers_written(context)
    blocked_mark = ""
    badges: dict[str, str] = {}
    rows = []
    for order in orders:
        shown = order.shown
        if shown.masked and not blocked_mark:
            blocked_mark = context.template.engine.get_template(BLOCKED_MARK).render(context)
        # ``|date:"j.m.Y H:i"`` in the template's time zone
        when = template_localtime(order.created_at, context.use_tz)
        placed = f"{when.day}.{when.month:02d}.{when.year:04d} {when.hour:02d}:{when.minute:02d}"
        state = order_status(order)
        badge = badges.get(state.key)
        if badge is None:
            badge = badges[state.key] = status_badge(state)
        tickets = number(order.tickets)
        rows.append(
            f'\n    <tr><td><a href="{link}{escape(quote(order.code, safe="/"))}/">'
            f"{escape(order.code)}</a>{' ⚠' if order.needs_review else ''}</td>\n"
            f"      <td>{placed}</td><td>{escape(order.event_title)}</td>\n"
            f"      <td>{escape(shown.name)}{f' {blocked_mark}' if shown.masked else ''}"
            f"<br><small>{escape(shown.email)}</small></td>\n"
            f"      <td>{tickets}</td><td>{escape(format_kzt(order.total))}</td>"
            f"<td>{badge}</td></tr>\n  "
        )
    return mark_safe("".join(rows))  # every value escaped above


# One field of the order list's filters: label, input, help and its errors (the markup the
# page's form always had, whitespace included).
FILTER_FIELD = (
    '\n  <div class="field">\n'
    '    <label for="{{ field.id_for_label }}">{{ field.label }}</label>\n'
    "    {{ field }}\n"
    '    {% if field.help_text %}<small class="help">{{ field.help_text }}</small>{% endif %}\n'
    "    {% for error in field.errors %}"
    '<span class="error" role="alert">{{ error }}</span>{% endfor %}\n'
    "  </div>\n  "
)
_filter_field: list[template.Template] = []
# (form class, field name, language) → the field's HTML while it is empty and has no error:
# a few dozen strings at most, the same for every organizer.
_empty_fields: dict[tuple[type, str, str | None], str] = {}


@register.simple_tag(takes_context=True)
def order_filter_fields(context: template.Context, form: forms.Form) -> SafeString:
    """Every field of ``form`` as ``FILTER_FIELD`` writes it. An empty field without errors
    (most of them on most pages: the list, its next pages) is rendered once per language; its
    widget, label and help text then cost nothing on the next pages."""
    if not _filter_field:
        _filter_field.append(context.template.engine.from_string(FILTER_FIELD))
    field_template = _filter_field[0]
    parts = []
    for field in form:
        empty = field.value() in (None, "") and not field.errors
        key = (type(form), field.name, get_language())
        html = _empty_fields.get(key) if empty else None
        if html is None:
            with context.push(field=field):
                html = field_template.render(context)
            if empty:
                _empty_fields[key] = html
        parts.append(html)
    return mark_safe("".join(parts))  # rendered by the template above, which escapes
