from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class QuizzesConfig(AppConfig):
    name = "quizzes"
    verbose_name = _("Quizzes")

    def ready(self) -> None:
        from .models import QuestionVersion
        from .selectors import forget_version_content

        def forget(sender, instance, **kwargs) -> None:
            forget_version_content(instance.pk)

        for signal in (post_save, post_delete):
            signal.connect(forget, sender=QuestionVersion, dispatch_uid=f"quizzes-{signal}")
