"""Privacy-policy versions: the text buyers agreed to, frozen once published."""

import hashlib
from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PolicyQuerySet(models.QuerySet["PolicyVersion"]):
    """Bulk writes may only touch drafts: published versions are frozen."""

    def update(self, **kwargs: Any) -> int:
        if self.filter(published_at__isnull=False).exists():
            raise PermissionError("A published policy version cannot be changed.")
        return super().update(**kwargs)

    def delete(self) -> tuple[int, dict[str, int]]:
        if self.filter(published_at__isnull=False).exists():
            raise PermissionError("A published policy version cannot be deleted.")
        return super().delete()


# modeltranslation swaps in a subclass of this manager at start-up; the type checker is told
# the manager that the code below relies on.
PolicyManager = models.Manager.from_queryset(PolicyQuerySet)


class PolicyVersion(models.Model):
    """A privacy-policy text. Published versions are never edited, only superseded."""

    version = models.CharField(_("version"), max_length=20, unique=True)
    text = models.TextField(_("text"))
    material = models.BooleanField(
        _("material change"),
        default=False,
        help_text=_(
            "Signed-in buyers must accept it again at their next visit and the cookie banner "
            "is shown to everyone again. Leave it unticked for corrections that change no one's "
            "rights: such a version takes effect on publication."
        ),
    )
    changes = models.TextField(
        _("what changed"),
        blank=True,
        help_text=_("A few plain sentences shown to buyers asked to accept a material change"),
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, db_index=True)
    content_hash = models.CharField(_("SHA-256 of the text"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects: ClassVar[PolicyManager["PolicyVersion"]] = PolicyManager()

    class Meta:
        verbose_name = _("privacy policy version")
        verbose_name_plural = _("privacy policy versions")
        ordering = ["-published_at", "-id"]

    def __str__(self) -> str:
        return self.version

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and (
            PolicyVersion.objects.filter(pk=self.pk, published_at__isnull=False).exists()
        ):
            raise PermissionError("A published policy version cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        if self.is_published:
            raise PermissionError("A published policy version cannot be deleted.")
        return super().delete(*args, **kwargs)

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    def missing_languages(self) -> list[str]:
        """Codes of the site's languages this version has no text in (ru is required)."""
        return [code for code, _name in settings.LANGUAGES if not self._has_text(code)]

    def _has_text(self, code: str) -> bool:
        """Whether this version has a text in ``code``. A version read without its texts
        (``policy_current()``) carries ``has_text_<code>`` instead, so this does not read them."""
        has_text = getattr(self, f"has_text_{code}", None)
        if has_text is None:
            has_text = bool((getattr(self, f"text_{code}", "") or "").strip())
        return has_text

    def text_language(self, language: str) -> str:
        """The language whose text a reader of ``language`` is shown: their own, or Russian."""
        code = (language or "").split("-")[0]
        if code and self._has_text(code):
            return code
        return settings.MODELTRANSLATION_DEFAULT_LANGUAGE

    def text_in(self, language: str) -> str:
        return getattr(self, f"text_{self.text_language(language)}") or ""

    def compute_hash(self) -> str:
        texts = [getattr(self, f"text_{code}", "") or "" for code, _name in settings.LANGUAGES]
        return hashlib.sha256("\n\x1e\n".join(texts).encode()).hexdigest()
