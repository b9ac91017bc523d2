"""``{% privacy_operator as operator %}``: the operator of personal data, for the site footer and
e-mails (which are rendered without a request, so a context processor would not reach them)."""

from django import template

from privacy.models import Operator
from privacy.services.operator import operator_current

register = template.Library()


@register.simple_tag
def privacy_operator() -> Operator:
    return operator_current()
