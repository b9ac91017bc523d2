"""Demo privacy data: the operator's (demo) details and the policy in Russian, Kazakh and English.

The policy texts are the files in ``privacy/policy_texts/``: the Russian text of version 1.0 and
its Kazakh and English translations. They are published together as version 1.1, a
non-material version (the Russian text is unchanged), so nobody is asked to accept it again.
Version 1.2 replaces 1.0's "the period of processing is not limited" with the retention
schedule (``privacy/retention.py``, the periods of the settings' defaults); it only shortens
how long data is kept, so it is not material either. Version 1.3 gives the records of cookie
choices in the consent ledger a term (``RETENTION_COOKIE_CONSENT_DAYS``) instead of none: a
shorter period again, not material. Idempotent; an operator record that staff
already saved is never overwritten.
"""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from privacy.models import Operator, PolicyVersion
from privacy.services import operator_save, policy_publish

POLICY_TEXTS = Path(__file__).resolve().parents[2] / "policy_texts"
TRANSLATED_VERSION = "1.1"
TRANSLATED_CHANGES = {
    "ru": "Добавлены тексты политики на казахском и английском языках. Русский текст не изменился.",
    "kk": "Саясаттың қазақ және ағылшын тілдеріндегі мәтіндері қосылды. Орыс тіліндегі мәтін "
    "өзгерген жоқ.",
    "en": "The policy's Kazakh and English texts are added. The Russian text is unchanged.",
}
SCHEDULE_VERSION = "1.2"
SCHEDULE_CHANGES = {
    "ru": "Вместо неограниченного срока обработки — график хранения: что, сколько и почему "
    "хранится, когда данные обезличиваются и уничтожаются.",
    "kk": "Шектелмеген өңдеу мерзімінің орнына — сақтау кестесі: не, қанша уақыт және неге "
    "сақталады, деректер қашан иесіздендіріледі және жойылады.",
    "en": "The unlimited period of processing is replaced by a retention schedule: what is kept, "
    "for how long and why, and when data is made anonymous and destroyed.",
}
COOKIE_TERM_VERSION = "1.3"
COOKIE_TERM_CHANGES = {
    "ru": "Записи о выборе cookies в журнале согласий хранятся 730 дней, а не без срока.",
    "kk": "Келісімдер журналындағы cookies таңдауы туралы жазбалар мерзімсіз емес, 730 күн "
    "сақталады.",
    "en": "Records of cookie choices in the consent ledger are kept for 730 days instead of "
    "without limit.",
}
DEMO_OPERATOR: dict[str, Any] = {
    "bin": "210140001232",
    "privacy_email": "info@eventum.one",
    "name": {
        "ru": "ТОО «Eventum» (демо-реквизиты)",
        "kk": "«Eventum» ЖШС (демо деректемелер)",
        "en": "Eventum LLP (demo details)",
    },
    "legal_address": {
        "ru": "Республика Казахстан, 050000, г. Алматы, Медеуский район, пр. Достык, 1",
        "kk": "Қазақстан Республикасы, 050000, Алматы қ., Медеу ауданы, Достық даңғылы, 1",
        "en": "1 Dostyk Avenue, Medeu District, Almaty 050000, Republic of Kazakhstan",
    },
    "postal_address": {
        "ru": "Республика Казахстан, 050000, г. Алматы, пр. Достык, 1, офис 10",
        "kk": "Қазақстан Республикасы, 050000, Алматы қ., Достық даңғылы, 1, 10-кеңсе",
        "en": "Office 10, 1 Dostyk Avenue, Almaty 050000, Republic of Kazakhstan",
    },
    "responsible_person": {
        "ru": "Ахметова Динара Сериковна, ответственная за организацию обработки персональных "
        "данных",
        "kk": "Ахметова Динара Серікқызы, дербес деректерді өңдеуді ұйымдастыруға жауапты",
        "en": "Dinara Akhmetova, responsible for organising the processing of personal data",
    },
}


def policy_text(language: str, version: str = "1.0") -> str:
    return (POLICY_TEXTS / f"{version}.{language}.txt").read_text(encoding="utf-8").strip()


def _policy_publish(version: str, texts: str, changes: dict[str, str]) -> None:
    """Publish ``version`` with the texts of the files ``<texts>.<language>.txt`` (once)."""
    if PolicyVersion.objects.filter(version=version).exists():
        return
    draft = PolicyVersion(version=version, material=False)
    for language in ("ru", "kk", "en"):
        setattr(draft, f"text_{language}", policy_text(language, texts))
        setattr(draft, f"changes_{language}", changes[language])
    draft.save()
    policy_publish(policy=draft)


class Command(BaseCommand):
    help = "Demo privacy data: operator details and the policy in ru, kk and en (idempotent)."

    @transaction.atomic
    def handle(self, *args, **options) -> None:
        if not Operator.objects.exists():
            operator = Operator(
                bin=DEMO_OPERATOR["bin"], privacy_email=DEMO_OPERATOR["privacy_email"]
            )
            for field in ("name", "legal_address", "postal_address", "responsible_person"):
                for language, value in DEMO_OPERATOR[field].items():
                    setattr(operator, f"{field}_{language}", value)
            operator_save(operator=operator, by=None)
        _policy_publish(TRANSLATED_VERSION, "1.0", TRANSLATED_CHANGES)
        _policy_publish(SCHEDULE_VERSION, SCHEDULE_VERSION, SCHEDULE_CHANGES)
        _policy_publish(COOKIE_TERM_VERSION, COOKIE_TERM_VERSION, COOKIE_TERM_CHANGES)
        self.stdout.write(self.style.SUCCESS("Demo privacy data ready."))
