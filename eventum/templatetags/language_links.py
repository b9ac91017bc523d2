"""``{% language_links as links %}``: the current page in every language, as plain links.

Languages live in the URL prefix (``/``, ``/kk/``, ``/en/``), so switching is a link to the
same page in the other language: no form, no CSRF token, and pages stay cacheable.
"""

from dataclasses import dataclass

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language, get_language_info

register = template.Library()


@dataclass(frozen=True)
class LanguageLink:
    code: str
    name: str
    url: str
    active: bool


@register.simple_tag(takes_context=True)
def language_links(context: template.Context) -> list[LanguageLink]:
    request = context.get("request")
    path = request.get_full_path() if request is not None else "/"
    current = get_language()
    return [
        LanguageLink(
            code=code,
            name=get_language_info(code)["name_local"].capitalize(),
            url=translate_url(path, code),
            active=code == current,
        )
        for code, _name in settings.LANGUAGES
    ]
