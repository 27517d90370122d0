"""One SCORM export requested in the admin or through the API, and its package.

Packages are stored outside MEDIA_ROOT (`settings.SCORM_EXPORT_ROOT`), so the web server
never serves them: downloads go through permission-checked views that stream the file.
"""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from .options import LOCALES, REPORTING_MODES, VERSIONS

#: The permission that lets a user export packages (and see every export: a small team).
EXPORT_PERMISSION = "scorm_export.add_scormexport"


VERSION_CHOICES = [("1.2", "SCORM 1.2"), ("2004", "SCORM 2004 4th Edition")]
assert [code for code, _label in VERSION_CHOICES] == list(VERSIONS)


def export_root() -> Path:
    """Where packages are kept: `SCORM_EXPORT_ROOT`, or a folder next to MEDIA_ROOT in a
    site that does not set it (never inside MEDIA_ROOT, which the web server serves)."""
    root = getattr(settings, "SCORM_EXPORT_ROOT", None)
    if root:
        return Path(root)
    return Path(settings.MEDIA_ROOT).resolve().parent / "private" / "scorm_exports"


class PrivateExportStorage(FileSystemStorage):
    """File system storage under `export_root()` (read at each use, so tests may change
    it) without public URLs."""

    @property
    def base_location(self) -> str:  # type: ignore[override]
        return str(export_root())

    @property
    def location(self) -> str:  # type: ignore[override]
        return os.path.abspath(self.base_location)

    def url(self, name: str | None) -> str:
        raise ValueError("SCORM packages have no public URL; use the download view.")


_storage = PrivateExportStorage()


def export_storage() -> PrivateExportStorage:
    return _storage


def package_path(export: ScormExport, filename: str) -> str:
    return f"{timezone.now():%Y/%m}/{filename}"


class ScormExport(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    # SET_NULL: deleting a page keeps its past exports (packages may already be in an
    # LMS); `page_title` says what they were.
    page = models.ForeignKey(
        "wagtailcore.Page",
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("page"),
    )
    page_title = models.CharField(_("page title"), max_length=255)
    version = models.CharField(_("SCORM version"), max_length=8, choices=VERSION_CHOICES)
    locale = models.CharField(
        _("language"), max_length=8, choices=[(code, code) for code in LOCALES]
    )
    single_sco = models.BooleanField(_("the whole course as one SCO"), default=False)
    reporting = models.CharField(
        _("reporting"),
        max_length=32,
        choices=[(mode, mode) for mode in REPORTING_MODES],
        default=REPORTING_MODES[0],
    )
    mastery_score = models.PositiveSmallIntegerField(
        _("mastery score"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    hide_keys = models.BooleanField(_("hide answer keys"), default=False)

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    #: The language of the requester's interface: error messages are written in it.
    language = models.CharField(max_length=16, default="", blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.QUEUED
    )
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    error = models.TextField(_("error"), blank=True)
    file = models.FileField(
        _("package"), storage=export_storage, upload_to=package_path, blank=True, max_length=255
    )
    size = models.PositiveBigIntegerField(_("size"), null=True, blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(_("requested at"), default=timezone.now, db_index=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("SCORM export")
        verbose_name_plural = _("SCORM exports")

    def __str__(self) -> str:
        return f"{self.page_title} (SCORM {self.version}, {self.locale})"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        if not self.progress_total:
            return 0
        return min(100, 100 * self.progress_done // self.progress_total)

    def download_name(self) -> str:
        """The zip's name for the browser: page slug-ish title, version, language."""
        stem = slugify(self.page_title, allow_unicode=False) or "package"
        return f"{stem}-scorm{self.version.replace('.', '')}-{self.locale}.zip"


@receiver(post_delete, sender=ScormExport)
def _delete_package(sender, instance: ScormExport, **kwargs) -> None:
    """Deleting an export (or pruning old ones) removes its package too."""
    if instance.file:
        instance.file.delete(save=False)
