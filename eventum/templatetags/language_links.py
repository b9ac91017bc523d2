"""``{% language_links as links %}``: the current page in every language, as plain links.

Languages live in the URL prefix (``/``, ``/kk/``, ``/en/``), so switching is a link to the
same page in the other language: no form, no CSRF token, and pages stay cacheable.

Translating a URL resolves it and reverses it again (a dozen URL patterns tried per
language, on every page): the answers are kept in this process, a few thousand at most. They
depend only on the URL configuration, the page's language and its address.
"""

from dataclasses import dataclass
from functools import lru_cache

from django import template
from django.conf import settings
from django.urls import get_urlconf, translate_url
from django.utils.translation import get_language, get_language_info

register = template.Library()


@dataclass(frozen=True)
class LanguageLink:
    code: str
    name: str
    url: str
    active: bool


@lru_cache(maxsize=4096)
def _links(urlconf: str, current: str, path: str) -> tuple[LanguageLink, ...]:
    return tuple(
        LanguageLink(
            code=code,
            name=get_language_info(code)["name_local"].capitalize(),
            url=translate_url(path, code),
            active=code == current,
        )
        for code, _name in settings.LANGUAGES
    )


@register.simple_tag(takes_context=True)
def language_links(context: template.Context) -> tuple[LanguageLink, ...]:
    request = context.get("request")
    path = request.get_full_path() if request is not None else "/"
    return _links(str(get_urlconf() or settings.ROOT_URLCONF), get_language(), path)
