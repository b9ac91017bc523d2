"""Filters for rendering the subject's data (any JSON-like structure) as readable HTML."""

from collections.abc import Mapping

from django import template

register = template.Library()


@register.filter
def is_mapping(value) -> bool:
    return isinstance(value, Mapping)


@register.filter
def is_sequence(value) -> bool:
    return isinstance(value, list | tuple)
