"""The export's one write: a published course or module → a SCORM package."""

from __future__ import annotations

from typing import BinaryIO

from wagtail.models import Page

from .options import ExportOptions
from .package import Progress, write_package
from .plan import PackagePlan, build_plan


def export_package(
    page: Page, options: ExportOptions, output: BinaryIO, progress: Progress | None = None
) -> PackagePlan:
    """Write the SCORM package of `page` (a course or module, in any language: its
    translation in `options.locale` is exported) to `output`; returns the plan.

    Raises ExportError (with a message for the editor) before anything is written when the
    page cannot be exported: no published translation, a missing media file…
    """
    plan = build_plan(page, options)
    write_package(plan, output, progress)
    return plan
