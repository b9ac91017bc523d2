"""Questions an organizer asks buyers of an event, and the buyers' answers."""

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils.translation import gettext_lazy as _

from events.models import Event


class PrivateStorage(FileSystemStorage):
    """Files under PRIVATE_MEDIA_ROOT, never served by a URL of their own."""

    def __init__(self) -> None:
        super().__init__(base_url=None)

    @property
    def base_location(self) -> str:  # follows the setting at run time (tests change it)
        return str(settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self) -> str:
        import os

        return os.path.abspath(self.base_location)

    def url(self, name: str | None) -> str:
        raise ValueError("Private files have no public URL; serve them through a checked view.")


def private_storage() -> PrivateStorage:
    return PrivateStorage()


class Question(models.Model):  # type: ignore[django-manager-missing]
    class Kind(models.TextChoices):
        TEXT = "text", _("Text")
        NUMBER = "number", _("Number")
        CHOICE = "choice", _("Choice")
        YES_NO = "yes_no", _("Yes or no")
        DATE = "date", _("Date")
        FILE = "file", _("File attachment")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="questions")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    label = models.CharField(_("question"), max_length=200)
    help_text = models.CharField(_("hint"), max_length=300, blank=True)
    required = models.BooleanField(_("required"), default=False)
    choices = models.TextField(_("choices, one per line"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    needs_written_consent = models.BooleanField(
        _("needs written consent"),
        default=False,
        help_text=_(
            "Tick it when the question asks for identity documents, health or other special "
            "categories of data: checkout then asks the buyer for a separate written consent."
        ),
    )

    class Meta:
        verbose_name = _("buyer question")
        verbose_name_plural = _("buyer questions")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.label

    @property
    def choice_list(self) -> list[str]:
        return [line.strip() for line in self.choices.splitlines() if line.strip()]


def answer_upload_to(instance: "Answer", filename: str) -> str:
    import secrets

    return f"answers/{instance.question.event_id}/{secrets.token_hex(16)}"


class Answer(models.Model):
    order = models.ForeignKey("tickets.Order", on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    value = models.TextField(_("answer"), blank=True)
    file = models.FileField(
        _("file"), storage=private_storage, upload_to=answer_upload_to, blank=True, max_length=200
    )
    file_name = models.CharField(_("file name"), max_length=200, blank=True)
    file_content_type = models.CharField(_("file type"), max_length=100, blank=True)
    file_size = models.PositiveIntegerField(_("file size"), null=True, blank=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        ordering = ["question__position", "question_id"]
        constraints = [
            models.UniqueConstraint(fields=["order", "question"], name="answer_one_per_question")
        ]

    def __str__(self) -> str:
        return f"{self.question}: {self.value or self.file_name}"
