"""An amount of tenge in words, as Kazakh payment documents write it (Russian or Kazakh)."""

from decimal import ROUND_HALF_UP, Decimal

from num2words import num2words

# num2words calls Kazakh "kz"; an English document writes the amount in Russian, the language
# of accounting documents next to Kazakh.
_NUM2WORDS_LANGUAGE = {"ru": "ru", "kk": "kz"}
_CURRENCY = {"ru": ("тенге", "тиын"), "kz": ("теңге", "тиын")}


def amount_in_words(amount: Decimal, language: str) -> str:
    """``Decimal("12500.50")`` → "Двенадцать тысяч пятьсот тенге 50 тиын" (ru), "Он екі мың
    бес жүз теңге 50 тиын" (kk): whole tenge in words, tiyn in two digits."""
    words_language = _NUM2WORDS_LANGUAGE.get(language, "ru")
    amount = amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    tenge = int(amount)
    tiyn = int((amount - tenge) * 100)
    words = num2words(tenge, lang=words_language)
    tenge_word, tiyn_word = _CURRENCY[words_language]
    return f"{words[:1].upper()}{words[1:]} {tenge_word} {tiyn:02d} {tiyn_word}"
