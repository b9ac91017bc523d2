"""``{% cookie_banner %}`` and ``{% privacy_footer %}``: the privacy parts of every page.

Both are the same for every visitor who sees them in one language with one choice (the
banner) or one operator record (the footer), so their markup is rendered once and kept in this
process; the visitor's own values are filled in on each page: the banner's CSRF token and the
address it returns to. Every page of the site renders them, and rendering them anew cost about
a tenth of an event page.
"""

from functools import lru_cache

from django import template
from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from eventum.kept_markup import stand_in_context, with_visitor_token
from privacy.services.cookies import CookieChoice
from privacy.services.operator import OperatorShown, operator_current

register = template.Library()

# Stand-in for the address the banner returns to, in the kept markup (never seen by a visitor;
# the CSRF token has the shared one of eventum.kept_markup).
NEXT_MARK = "__eventum_banner_next__"


@lru_cache(maxsize=64)
def _banner(language: str, decided: bool, analytics: bool, marketing: bool) -> str:
    choice = CookieChoice(decided=decided, analytics=analytics, marketing=marketing)
    context = {"cookie_consent": choice, "next": NEXT_MARK, **stand_in_context()}
    return render_to_string("privacy/_cookie_banner.html", context)


@register.simple_tag(takes_context=True)
def cookie_banner(context: template.Context) -> SafeString:
    """The banner for the visitor's cookie choice (hidden once made): a plain form back to the
    page it was on."""
    choice = context.get("cookie_consent") or CookieChoice()
    markup = _banner(get_language(), choice.decided, choice.analytics, choice.marketing)
    request = context.get("request")
    path = request.get_full_path() if request is not None else "/"
    # rendered by our template; the address is escaped here, the token is letters and digits
    return mark_safe(with_visitor_token(markup, request).replace(NEXT_MARK, escape(path)))


@lru_cache(maxsize=64)
def _footer(language: str, operator: OperatorShown) -> str:
    return render_to_string("privacy/_footer_links.html", {"operator": operator})


@register.simple_tag
def privacy_footer() -> SafeString:
    """The cookie settings link and the operator of personal data, as the record says now."""
    markup = _footer(get_language(), OperatorShown.of(operator_current()))
    return mark_safe(markup)  # rendered by our template, its values escaped there
