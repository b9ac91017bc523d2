"""``{% cookie_banner %}`` and ``{% privacy_footer %}``: the privacy parts of every page.

Both are the same for every visitor who sees them in one language with one choice (the
banner) or one operator record (the footer), so their markup is rendered once and kept in this
process; the visitor's own values are filled in on each page: the banner's CSRF token and the
address it returns to. Every page of the site renders them, and rendering them anew cost about
a tenth of an event page.
"""

from functools import lru_cache

from django import template
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from privacy.services.cookies import CookieChoice
from privacy.services.operator import OperatorShown, operator_current

register = template.Library()

# Stand-ins for the visitor's values in the kept markup (never seen by a visitor).
CSRF_MARK = "__eventum_banner_csrf__"
NEXT_MARK = "__eventum_banner_next__"


@lru_cache(maxsize=64)
def _banner(language: str, decided: bool, analytics: bool, marketing: bool) -> str:
    choice = CookieChoice(decided=decided, analytics=analytics, marketing=marketing)
    context = {"cookie_consent": choice, "csrf_token": CSRF_MARK, "next": NEXT_MARK}
    return render_to_string("privacy/_cookie_banner.html", context)


@register.simple_tag(takes_context=True)
def cookie_banner(context: template.Context) -> SafeString:
    """The banner for the visitor's cookie choice (hidden once made): a plain form back to the
    page it was on."""
    choice = context.get("cookie_consent") or CookieChoice()
    markup = _banner(get_language(), choice.decided, choice.analytics, choice.marketing)
    request = context.get("request")
    token = get_token(request) if request is not None else ""
    path = request.get_full_path() if request is not None else "/"
    # rendered by our template; the address is escaped here, the token is letters and digits
    return mark_safe(markup.replace(CSRF_MARK, token).replace(NEXT_MARK, escape(path)))


@lru_cache(maxsize=64)
def _footer(language: str, operator: OperatorShown) -> str:
    return render_to_string("privacy/_footer_links.html", {"operator": operator})


@register.simple_tag
def privacy_footer() -> SafeString:
    """The cookie settings link and the operator of personal data, as the record says now."""
    markup = _footer(get_language(), OperatorShown.of(operator_current()))
    return mark_safe(markup)  # rendered by our template, its values escaped there
