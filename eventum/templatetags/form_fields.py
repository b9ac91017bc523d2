"""``{{ field|with_input_hints }}``: the keyboard and autofill a phone should offer for a field.

Forms that set ``autocomplete`` or ``inputmode`` themselves keep their values; this fills in
what is missing from the widget's type, so allauth's forms and ours behave the same: an e-mail
field opens the e-mail keyboard, a phone field the dial pad, a one-time code the digits.
"""

from django import template
from django.forms import BoundField

register = template.Library()

# (widget input type or autocomplete token) -> attributes to add when absent
_BY_INPUT_TYPE = {
    "email": {"inputmode": "email", "autocomplete": "email", "autocapitalize": "none"},
    "tel": {"inputmode": "tel", "autocomplete": "tel"},
}
_BY_AUTOCOMPLETE = {
    "one-time-code": {"inputmode": "numeric", "autocapitalize": "none", "spellcheck": "false"},
}
# A person's name split in two, as the checkout and the privacy requests ask it.
_PERSON_NAME_FIELDS = {"surname": "family-name", "name": "given-name"}


def input_hints(field: BoundField) -> dict[str, str]:
    widget = field.field.widget
    attrs = widget.attrs
    hints: dict[str, str] = {}
    input_type = attrs.get("type") or getattr(widget, "input_type", None)
    hints.update(_BY_INPUT_TYPE.get(input_type or "", {}))
    hints.update(_BY_AUTOCOMPLETE.get(attrs.get("autocomplete", ""), {}))
    if field.name in _PERSON_NAME_FIELDS and "surname" in field.form.fields:
        hints.setdefault("autocomplete", _PERSON_NAME_FIELDS[field.name])
    if field.name.endswith("order_code"):
        hints.update(autocapitalize="characters", autocomplete="off", spellcheck="false")
    hints = {name: value for name, value in hints.items() if name not in attrs}
    if field.errors and field.auto_id and "aria-describedby" not in attrs:
        # the error is read out with the field, as the help text is
        described = [f"{field.auto_id}_errors"]
        if field.help_text:
            described.insert(0, f"{field.auto_id}_helptext")
        hints["aria-describedby"] = " ".join(described)
    return hints


@register.filter
def with_input_hints(field: BoundField) -> str:
    """The field's widget with the missing keyboard and autofill hints."""
    attrs: dict[str, str | bool] = dict(input_hints(field))
    return field.as_widget(attrs=attrs)
