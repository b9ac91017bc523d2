"""Special categories of personal data: identity documents and health.

The law asks for the subject's separate written consent before such data is collected. An
organizer's question is a free label, so the label is read for the words that usually ask for
such data (in Russian, Kazakh and English); a match warns the organizer, who then marks the
question "needs written consent" (or says it asks for nothing of the kind).
"""

import re

from django.utils.translation import gettext

IDENTITY_DOCUMENT = "identity_document"
HEALTH = "health"

# Word stems, matched at the start of a word, case-insensitively.
_STEMS: dict[str, tuple[str, ...]] = {
    IDENTITY_DOCUMENT: (
        # ru
        "паспорт",
        "удостоверени",
        "иин",
        "свидетельств",
        "документ",
        "вод. прав",
        "водительск",
        "студенческ",
        "пенсионн",
        # kk
        "жеке куәлі",
        "куәлі",
        "төлқұжат",
        "жсн",
        # en
        "passport",
        "identity",
        "id card",
        "id number",
        "driver",
        "document",
        "certificate",
    ),
    HEALTH: (
        # ru
        "здоров",
        "медицин",
        "справк",
        "болезн",
        "заболева",
        "диагноз",
        "инвалид",
        "аллерг",
        "беремен",
        "вакцин",
        "прививк",
        "группа крови",
        "лекарств",
        # kk
        "денсаулы",
        "медициналық",
        "анықтама",
        "ауру",
        "мүгедек",
        "аллергия",
        "екпе",
        # en
        "health",
        "medical",
        "disab",
        "allerg",
        "diagnos",
        "pregnan",
        "vaccin",
        "blood type",
        "medication",
    ),
}
_PATTERNS = {
    category: re.compile(r"(?<!\w)(" + "|".join(re.escape(s) for s in stems) + ")", re.I)
    for category, stems in _STEMS.items()
}


def special_categories_of(text: str) -> list[str]:
    """The special categories the text (a question's label and hint) seems to ask for."""
    return [category for category, pattern in _PATTERNS.items() if pattern.search(text or "")]


def special_category_name(category: str) -> str:
    """A category as a phrase in the active language."""
    names = {
        IDENTITY_DOCUMENT: gettext("identity documents"),
        HEALTH: gettext("health data"),
    }
    return names.get(category, gettext("special categories of personal data"))
