"""What a trainee may see of a finished attempt (Moodle's review options, simplified).

Each option is shown "immediately" after the attempt and/or "after_close" (once
the quiz closes). Stored on the quiz as {"immediately": [...], "after_close": [...]}.
"""

from __future__ import annotations

from datetime import datetime

from .models import Attempt

OPTIONS = (
    "correctness",
    "marks",
    "feedback",
    "general_feedback",
    "right_answer",
    "overall_feedback",
)
DEFAULTS = {
    "immediately": ["correctness", "marks", "feedback", "general_feedback", "overall_feedback"],
    "after_close": list(OPTIONS),
}


def visible_options(attempt: Attempt, now: datetime) -> set[str]:
    """The review options in force for this attempt now."""
    settings = {**DEFAULTS, **(attempt.quiz.review_options or {})}
    closed = attempt.quiz.closes_at is not None and now >= attempt.quiz.closes_at
    return set(settings["after_close"] if closed else settings["immediately"]) & set(OPTIONS)


def overall_feedback(attempt: Attempt) -> str:
    """The feedback text of the highest score band the attempt reached."""
    if attempt.percent is None:
        return ""
    bands = sorted(attempt.quiz.overall_feedback or [], key=lambda band: -band.get("min", 0))
    for band in bands:
        if attempt.percent >= band.get("min", 0):
            return band.get("text", "")
    return ""
