from django.core.management.base import BaseCommand

from quizzes.services import close_overdue_attempts


class Command(BaseCommand):
    help = "Grade attempts whose time limit has passed (run from cron every few minutes)."

    def handle(self, *args, **options):
        closed = close_overdue_attempts()
        self.stdout.write(f"Closed {closed} overdue attempt(s).")
