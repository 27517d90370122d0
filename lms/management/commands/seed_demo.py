from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from courses.demo.content import ContentError
from courses.demo.seed import DEMO_USERS
from lms.demo import DEMO_TRAINER, seed_demo_site
from quizzes.demo import BankContentError


class Command(BaseCommand):
    help = (
        "Create the demo site (courses with quizzes, question bank, good practices, campaign, "
        "demo users). Idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Seed even with DEBUG off (the demo users have published passwords).",
        )

    def handle(self, *args, allow_production: bool = False, **options):
        if not settings.DEBUG and not allow_production:
            raise CommandError(
                "Refusing to seed demo content with DEBUG off: the demo users' passwords are "
                "public. Pass --allow-production to do it anyway."
            )
        try:
            report = seed_demo_site()
        except (ContentError, BankContentError) as error:
            raise CommandError(f"Demo content error: {error}") from error
        if report.total:
            created = ", ".join(f"{count} {kind}" for kind, count in sorted(report.created.items()))
            self.stdout.write(self.style.SUCCESS(f"Demo content created: {created}."))
        else:
            self.stdout.write("Demo content already present; nothing changed.")
        self.stdout.write("Sign in at /pl/accounts/login/ (site) or /admin/ (editors):")
        for user in (*DEMO_USERS, DEMO_TRAINER):
            self.stdout.write(f"  {user.role:<17} {user.username} / {user.password}")
