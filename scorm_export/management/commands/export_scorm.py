"""export_scorm <course-or-module-slug> --scorm 1.2|2004 --locale pl --output x.zip"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from quizzes import question_types
from scorm_export.errors import ExportError
from scorm_export.options import LOCALES, REPORTING_MODES, VERSIONS, ExportOptions
from scorm_export.selectors import find_exportable_page
from scorm_export.services import export_package

BAR_WIDTH = 30


class Command(BaseCommand):
    help = "Export a published course or module as a SCORM 1.2 or SCORM 2004 package."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug", help="the course's or module's slug (in any language)")
        parser.add_argument("--scorm", choices=VERSIONS, required=True, help="SCORM version")
        parser.add_argument("--locale", choices=LOCALES, default="pl", help="package language")
        parser.add_argument("--output", required=True, help="the zip file to write")
        parser.add_argument(
            "--single-sco",
            action="store_true",
            help="a course as one SCO (default: one SCO per module)",
        )
        parser.add_argument("--reporting", choices=REPORTING_MODES, default="passed-incomplete")
        parser.add_argument(
            "--mastery-score",
            type=int,
            default=None,
            help="0-100, written to the manifest (default: none; the SCO reports pass/fail)",
        )
        parser.add_argument(
            "--hide-keys",
            action="store_true",
            help="answer keys as salted hashes in the package (numerical and wildcard keys "
            "stay readable: a warning names each such question)",
        )
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args, **options) -> None:
        output = Path(options["output"]).resolve()
        if not output.parent.is_dir():
            raise CommandError(
                _("The folder %(folder)s does not exist.") % {"folder": output.parent}
            )
        try:
            export_options = ExportOptions(
                version=options["scorm"],
                locale=options["locale"],
                single_sco=options["single_sco"],
                reporting=options["reporting"],
                mastery_score=options["mastery_score"],
                hide_keys=options["hide_keys"],
            )
            page = find_exportable_page(options["slug"])
            # A temporary file next to the target, renamed when complete: a failure never
            # leaves half a zip under the requested name.
            handle, temporary = tempfile.mkstemp(
                prefix=f".{output.name}.", suffix=".part", dir=output.parent
            )
            try:
                with os.fdopen(handle, "wb") as stream:
                    plan = export_package(
                        page,
                        export_options,
                        stream,
                        progress=None if options["no_progress"] else self._progress,
                    )
                os.replace(temporary, output)
            except BaseException:
                Path(temporary).unlink(missing_ok=True)
                raise
        except ExportError as error:
            raise CommandError(str(error)) from error
        finally:
            if not options["no_progress"] and getattr(self, "_bar_shown", False):
                self.stderr.write("")
        self.stdout.write(
            _("%(file)s: SCORM %(version)s, %(language)s, %(scos)d SCO(s), %(files)d files.")
            % {
                "file": output,
                "version": export_options.version,
                "language": export_options.locale,
                "scos": len(plan.scos),
                "files": len(plan.files) + 1,
            }
        )
        for question in plan.readable_keys:
            self.stderr.write(
                self.style.WARNING(
                    _(
                        "Warning: the answer key of “%(name)s” (%(id)s, %(type)s) stays "
                        "readable in the package: numerical answers and answers with "
                        "wildcards cannot be hidden."
                    )
                    % {
                        "name": question.name,
                        "id": question.question_id,
                        "type": question_types.get(question.type).label,
                    }
                )
            )

    def _progress(self, done: int, total: int) -> None:
        filled = BAR_WIDTH * done // total if total else BAR_WIDTH
        bar = "#" * filled + "-" * (BAR_WIDTH - filled)
        self.stderr.write(f"\r[{bar}] {done}/{total}", ending="")
        self.stderr.flush()
        self._bar_shown = True
