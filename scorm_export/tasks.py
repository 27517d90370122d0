"""SCORM exports as background tasks (Django's tasks API: the database backend and
`manage.py db_worker` in production, immediate in development and tests).

The task writes the package to a temporary file, reports progress on its `ScormExport`
row (throttled), then stores the zip in the private export storage. A failure never
escapes: the row is marked failed with the packager's message (ExportError) or a generic
one (anything else, logged with its traceback).
"""

from __future__ import annotations

import logging
import tempfile
import time
from collections.abc import Callable

from django.core.files import File
from django.db.models import F
from django.utils import timezone, translation
from django_tasks import task

from .errors import ExportError
from .exports import generic_failure, options_of
from .models import ScormExport
from .services import export_package

logger = logging.getLogger(__name__)

#: Progress is written at most this often (seconds)…
PROGRESS_INTERVAL = 0.5
#: …or when it moved by at least this many percent.
PROGRESS_STEP = 5

Status = ScormExport.Status


def enqueue_export(export_id: int) -> None:
    """Queue the export's task and remember its id (called on commit)."""
    try:
        result = export_scorm.enqueue(export_id)
    except Exception:
        logger.exception("Could not queue SCORM export %s", export_id)
        _fail(export_id, generic_failure())
        return
    ScormExport.objects.filter(pk=export_id).update(task_id=str(result.id)[:64])


@task()
def export_scorm(export_id: int) -> str:
    """Run one export; returns its final status."""
    return run_export(export_id)


def run_export(export_id: int) -> str:
    # Claim the row: a task delivered twice, or for an export already done, does nothing.
    claimed = ScormExport.objects.filter(pk=export_id, status=Status.QUEUED).update(
        status=Status.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        return "skipped"
    export = ScormExport.objects.select_related("page").get(pk=export_id)
    with translation.override(export.language or None):
        try:
            _write_package(export)
        except ExportError as error:
            _fail(export_id, str(error))
            return Status.FAILED.value
        except Exception:
            logger.exception("SCORM export %s failed", export_id)
            _fail(export_id, generic_failure())
            return Status.FAILED.value
    return Status.DONE.value


def _write_package(export: ScormExport) -> None:
    if export.page is None:
        raise ExportError(
            translation.gettext("The page %(title)s was deleted before it could be exported.")
            % {"title": export.page_title}
        )
    options = options_of(export)
    with tempfile.TemporaryFile(prefix="scorm-export-", suffix=".zip") as stream:
        export_package(export.page.specific, options, stream, progress=_progress(export.pk))
        size = stream.tell()
        stream.seek(0)
        # The package is stored, then the row says where: a crash in between leaves an
        # orphan file at worst, never a "done" row without its file.
        name = export.file.storage.save(
            export.file.field.generate_filename(export, f"{export.pk}-{export.download_name()}"),
            File(stream),
        )
    # progress_done = total: a finished export shows its progress complete.
    ScormExport.objects.filter(pk=export.pk).update(
        status=Status.DONE,
        file=name,
        size=size,
        progress_done=F("progress_total"),
        error="",
        finished_at=timezone.now(),
    )


def _fail(export_id: int, message: str) -> None:
    ScormExport.objects.filter(pk=export_id).update(
        status=Status.FAILED, error=message, finished_at=timezone.now()
    )


def _progress(export_id: int) -> Callable[[int, int], None]:
    """A progress callback writing to the row at most every PROGRESS_INTERVAL seconds or
    PROGRESS_STEP percent (and always the first and the last call)."""
    last = {"at": float("-inf"), "percent": -100}

    def report(done: int, total: int) -> None:
        now = time.monotonic()
        percent = 100 * done // total if total else 100
        finished = total and done >= total
        if (
            not finished
            and now - last["at"] < PROGRESS_INTERVAL
            and percent - last["percent"] < PROGRESS_STEP
        ):
            return
        last.update(at=now, percent=percent)
        ScormExport.objects.filter(pk=export_id).update(progress_done=done, progress_total=total)

    return report
