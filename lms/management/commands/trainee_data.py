import json
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.management.base import BaseCommand, CommandError, no_translations

from lms import privacy


class Command(BaseCommand):
    help = (
        "A trainee's personal data on request (GDPR): export it as JSON, or erase what "
        "identifies the trainee while their results stay in the reports anonymised."
    )

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        export = actions.add_parser("export", help="Everything held about the trainee, as JSON.")
        export.add_argument("username")
        export.add_argument(
            "--output", type=Path, help="Write to this file instead of the standard output."
        )
        erase = actions.add_parser("erase", help="Erase the trainee's personal data for good.")
        erase.add_argument("username")
        erase.add_argument(
            "--yes", action="store_true", help="Confirm: the erasure cannot be undone."
        )

    @no_translations  # messages in English, like Django's own commands
    def handle(self, *args, action: str, username: str, **options):
        user = self._user(username)
        if action == "export":
            self._export(user, options["output"])
        else:
            self._erase(user, confirmed=options["yes"])

    def _user(self, username: str) -> AbstractBaseUser:
        try:
            return get_user_model().objects.get_by_natural_key(username)
        except get_user_model().DoesNotExist:
            raise CommandError(f"No user with the username “{username}”.") from None

    def _export(self, user: AbstractBaseUser, output: Path | None) -> None:
        text = json.dumps(privacy.export_trainee_data(user), ensure_ascii=False, indent=2)
        if output is None:
            self.stdout.write(text)
            return
        try:
            output.write_text(text + "\n", encoding="utf-8")
        except OSError as exc:
            raise CommandError(f"{output}: {exc.strerror}") from exc
        self.stdout.write(f"{user.get_username()}: data written to {output}.")

    def _erase(self, user: AbstractBaseUser, *, confirmed: bool) -> None:
        if not confirmed:
            raise CommandError(
                f"Erasing “{user.get_username()}” cannot be undone; add --yes to confirm."
            )
        try:
            report = privacy.erase_trainee(user, by=None)
        except privacy.ErasureRefused as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"{user.get_username()}: personal data erased; the results stay in the reports "
            f"under {report.username} ({report.answers_blanked} answer(s) blanked, "
            f"{report.certificates} certificate(s) anonymised, {report.sessions} session(s), "
            f"{report.api_tokens} API token(s) and {report.sign_in_records} sign-in record(s) "
            "deleted)."
        )
