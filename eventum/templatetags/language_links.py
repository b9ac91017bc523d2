"""``{% language_switch %}``: the current page in every language, as plain links.

Languages live in the URL prefix (``/``, ``/kk/``, ``/en/``), so switching is a link to the
same page in the other language: no form, no CSRF token, and pages stay cacheable.

Translating a URL resolves it and reverses it again (a dozen URL patterns tried per
language, on every page), and the links are the same for everyone who opens that address in
that language: the switch's markup (``includes/language_switch.html``) is rendered once and
kept in this process, a few thousand addresses at most. It depends only on the URL
configuration, the page's language and its address.
"""

from dataclasses import dataclass
from functools import lru_cache

from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import get_urlconf, translate_url
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, get_language_info

register = template.Library()


@dataclass(frozen=True)
class LanguageLink:
    code: str
    name: str
    url: str
    active: bool


@lru_cache(maxsize=4096)
def _switch(urlconf: str, current: str, path: str) -> str:
    links = [
        LanguageLink(
            code=code,
            name=get_language_info(code)["name_local"].capitalize(),
            url=translate_url(path, code),
            active=code == current,
        )
        for code, _name in settings.LANGUAGES
    ]
    return render_to_string("includes/language_switch.html", {"links": links})


@register.simple_tag(takes_context=True)
def language_switch(context: template.Context) -> SafeString:
    request = context.get("request")
    path = request.get_full_path() if request is not None else "/"
    # rendered by our template, its values escaped there
    return mark_safe(_switch(str(get_urlconf() or settings.ROOT_URLCONF), get_language(), path))
