"""The export task: progress on the row (throttled), the package stored privately, failures
recorded with a message the editor can act on."""

import logging
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.utils import timezone, translation

from scorm_export import tasks
from scorm_export.exports import request_export
from scorm_export.models import ScormExport
from scorm_export.options import ExportOptions

from .export_helpers import *  # noqa: F403 (the fixtures)
from .export_helpers import zip_names

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def messages_in_english():
    with translation.override("en"):
        yield


def export_now(page, user=None, **options) -> ScormExport:
    """Request an export and run its task (immediate backend) as the commit would."""
    options = {"version": "2004", **options}
    export = request_export(page, ExportOptions(**options), user)
    tasks.enqueue_export(export.pk)
    export.refresh_from_db()
    return export


def test_a_module_is_exported_with_progress_and_stored_privately(module, users, private_exports):
    export = export_now(module, users["editor"], version="1.2")
    assert export.status == ScormExport.Status.DONE, export.error
    assert export.task_id
    assert export.started_at and export.finished_at and export.finished_at >= export.started_at
    assert export.progress_total > 0 and export.progress_done == export.progress_total
    assert export.percent == 100
    assert export.requested_by == users["editor"]

    path = Path(export.file.path)
    assert path.is_relative_to(private_exports), path
    assert not path.is_relative_to(Path(settings.MEDIA_ROOT))
    assert export.size == path.stat().st_size
    assert "imsmanifest.xml" in zip_names(path.read_bytes())
    with pytest.raises(ValueError):
        _ = export.file.url  # no public URL

    export.delete()
    assert not path.exists()  # the package goes with its row


def test_a_course_as_one_sco_and_the_module_flag_normalised(course, module):
    assert export_now(course, single_sco=True).status == ScormExport.Status.DONE
    assert export_now(module, single_sco=True).single_sco is False  # a module is one SCO


def test_progress_writes_are_throttled(module, monkeypatch):
    export = ScormExport.objects.create(page=module, page_title="x", version="1.2", locale="pl")
    writes = []
    clock = [0.0]
    monkeypatch.setattr(tasks.time, "monotonic", lambda: clock[0])
    report = tasks._progress(export.pk)
    original = type(ScormExport.objects.filter(pk=export.pk)).update

    def counting_update(queryset, **fields):
        writes.append(fields)
        return original(queryset, **fields)

    monkeypatch.setattr(type(ScormExport.objects.filter(pk=export.pk)), "update", counting_update)
    for done in range(1, 1001):  # 1000 files in no time: one write per 5 %, and the last
        report(done, 1000)
    assert 20 <= len(writes) <= 21
    assert writes[-1] == {"progress_done": 1000, "progress_total": 1000}
    writes.clear()
    report_slow = tasks._progress(export.pk)
    report_slow(1, 1000)
    clock[0] += 0.6  # half a second later, even a small step is written
    report_slow(2, 1000)
    report_slow(3, 1000)  # not this one: same instant, 0.1 %
    assert [w["progress_done"] for w in writes] == [1, 2]


def test_an_export_error_marks_the_export_failed_with_its_message(module):
    # An unpublished translation: the packager's ExportError message is kept for the editor.
    export = export_now(module, locale="uk")
    assert export.status == ScormExport.Status.FAILED
    assert "no translation in the language uk" in export.error
    assert not export.file and export.finished_at


def test_an_export_with_hidden_keys_is_done(module):
    export = export_now(module, hide_keys=True)
    assert export.status == ScormExport.Status.DONE, export.error
    assert export.file


def test_an_unexpected_error_is_logged_and_reported_generically(module, monkeypatch, caplog):
    def boom(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(tasks, "export_package", boom)
    with caplog.at_level(logging.ERROR, logger="scorm_export.tasks"):
        export = export_now(module)
    assert export.status == ScormExport.Status.FAILED
    assert "unexpected error" in export.error and "disk on fire" not in export.error
    assert "disk on fire" in caplog.text  # the traceback is in the log
    assert not list(Path(settings.SCORM_EXPORT_ROOT).rglob("*.zip"))


def test_a_deleted_page_fails_cleanly(module):
    export = ScormExport.objects.create(
        page=None, page_title="Stary moduł", version="1.2", locale="pl"
    )
    tasks.enqueue_export(export.pk)
    export.refresh_from_db()
    assert export.status == ScormExport.Status.FAILED
    assert "Stary moduł was deleted" in export.error


def test_a_task_delivered_twice_runs_once(module):
    export = export_now(module)
    finished = export.finished_at
    assert tasks.run_export(export.pk) == "skipped"
    export.refresh_from_db()
    assert export.finished_at == finished


def test_messages_follow_the_requesters_language(module):
    with translation.override("pl"):
        export = request_export(module, ExportOptions(version="1.2", locale="uk"), None)
    assert export.language == "pl"
    tasks.enqueue_export(export.pk)
    export.refresh_from_db()
    assert export.status == ScormExport.Status.FAILED
    assert "nie ma tłumaczenia na język uk" in export.error


def test_the_export_is_queued_on_commit(module, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        export = request_export(module, ExportOptions(version="1.2"), None)
    assert len(callbacks) == 1
    assert ScormExport.objects.get(pk=export.pk).status == ScormExport.Status.QUEUED
    callbacks[0]()
    assert ScormExport.objects.get(pk=export.pk).status == ScormExport.Status.DONE


def test_old_exports_are_deleted_with_their_packages_and_stuck_ones_failed(module):
    old = export_now(module)
    recent = export_now(module)
    stuck = ScormExport.objects.create(
        page=module, page_title=module.title, version="1.2", locale="pl", language="en"
    )
    stuck.status = ScormExport.Status.RUNNING
    stuck.save()
    old_package = Path(old.file.path)
    now = timezone.now()
    ScormExport.objects.filter(pk__in=[old.pk]).update(created_at=now - timedelta(days=40))
    ScormExport.objects.filter(pk=stuck.pk).update(created_at=now - timedelta(hours=7))

    output = StringIO()
    call_command("tidy_scorm_exports", stdout=output)

    assert "1 export(s) deleted, 1 unfinished export(s) failed." in output.getvalue()
    assert not old_package.exists() and not ScormExport.objects.filter(pk=old.pk).exists()
    assert Path(ScormExport.objects.get(pk=recent.pk).file.path).exists()
    stuck.refresh_from_db()
    assert stuck.status == ScormExport.Status.FAILED and "export again" in stuck.error
    with pytest.raises(CommandError, match="at least 1"):
        call_command("tidy_scorm_exports", days=0)
