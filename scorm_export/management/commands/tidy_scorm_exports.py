"""python manage.py tidy_scorm_exports [--days 30] [--stuck-hours 6] — for cron."""

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError, CommandParser

from scorm_export.exports import tidy_exports


class Command(BaseCommand):
    help = (
        "Deletes SCORM exports (and their packages) older than --days, and marks exports "
        "still queued or running after --stuck-hours as failed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=30, help="keep exports this long (30)")
        parser.add_argument(
            "--stuck-hours", type=int, default=6, help="fail unfinished exports older (6)"
        )

    def handle(self, *args, days: int, stuck_hours: int, **options) -> None:
        if days < 1 or stuck_hours < 1:
            raise CommandError("--days and --stuck-hours must be at least 1.")
        result = tidy_exports(
            keep_for=timedelta(days=days), stuck_after=timedelta(hours=stuck_hours)
        )
        self.stdout.write(
            f"{result.deleted} export(s) deleted, {result.failed} unfinished export(s) failed."
        )
