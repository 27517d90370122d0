from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, no_translations

from lms.accounts import IMPORT_COLUMNS, import_trainees


class Command(BaseCommand):
    help = (
        f"Create or update trainees from a CSV file with the columns {','.join(IMPORT_COLUMNS)}. "
        "Nothing is written unless every row is valid."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the file and report, write nothing."
        )

    @no_translations  # messages in English, like the summary and Django's own commands
    def handle(self, *args, path: Path, dry_run: bool = False, **options):
        try:
            with path.open("rb") as file:
                report = import_trainees(file, dry_run=dry_run)
        except OSError as exc:
            raise CommandError(f"{path}: {exc.strerror}") from exc
        # file:line: field: message, as compilers write it, so editors can jump to the row.
        for error in report.errors:
            self.stderr.write(f"{path.name}:{error.line}: {error.field}: {error.message}")
        if not report.ok:
            raise CommandError(f"{path.name}: {len(report.errors)} error(s); nothing was imported.")
        verb = "would be" if dry_run else "were"
        self.stdout.write(
            f"{path.name}: {len(report.created)} trainee(s) {verb} created, "
            f"{len(report.updated)} {verb} updated."
        )
