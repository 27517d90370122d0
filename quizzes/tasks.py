"""Long quiz work as background tasks (Django's tasks API; immediate in tests)."""

from django_tasks import task

from . import services
from .models import Quiz


@task()
def regrade_quiz(quiz_id: int, to_latest_version: bool = False) -> int:
    """Regrade all submitted attempts of a quiz; returns how many."""
    quiz = Quiz.objects.get(pk=quiz_id)
    return services.regrade_quiz(quiz, to_latest_version=to_latest_version)
