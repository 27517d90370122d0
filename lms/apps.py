from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LmsConfig(AppConfig):
    name = "lms"
    verbose_name = _("Training site")

    def ready(self) -> None:
        from quizzes.signals import attempt_graded

        from . import checks  # noqa: F401  (registers the deployment checks)
        from .services import on_attempt_graded

        attempt_graded.connect(on_attempt_graded, dispatch_uid="lms.progress.quiz_passed")
