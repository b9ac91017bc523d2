"""Readable Latin slugs from Russian and Kazakh names: ``Ночь домбры`` -> ``noch-dombry``."""

from django.db.models import Model
from django.utils.text import slugify

_TRANSLIT = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh",
    "з": "z", "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "iu",
    "я": "ia",
    # Kazakh letters
    "ә": "a", "ғ": "g", "қ": "q", "ң": "n", "ө": "o", "ұ": "u", "ү": "u", "һ": "h", "і": "i",
}  # fmt: skip


def transliterate(text: str) -> str:
    return "".join(_TRANSLIT.get(char, char) for char in (text or "").lower())


def slug_from(text: str, *, max_length: int = 80, fallback: str = "item") -> str:
    slug = slugify(transliterate(text))[:max_length].strip("-")
    return slug or fallback


def unique_slug(
    model: type[Model],
    text: str,
    *,
    max_length: int = 80,
    fallback: str = "item",
    reserved: frozenset[str] = frozenset(),
    exclude_pk: int | None = None,
) -> str:
    """A slug for ``text`` not yet used by ``model`` (``-2``, ``-3``... appended when needed)."""
    base = slug_from(text, max_length=max_length - 6, fallback=fallback)
    queryset = model._default_manager.all()
    if exclude_pk is not None:
        queryset = queryset.exclude(pk=exclude_pk)
    taken = set(queryset.filter(slug__startswith=base).values_list("slug", flat=True)) | set(
        reserved
    )
    candidate, counter = base, 1
    while candidate in taken:
        counter += 1
        candidate = f"{base}-{counter}"
    return candidate
