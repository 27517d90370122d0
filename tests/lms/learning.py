"""Builders for the learner-side tests: a course whose modules end with a quiz, trainees,
and passing a quiz the way the player does (start, answer, submit)."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from courses.models import CoursePage, ModulePage
from quizzes import services as quiz_services
from quizzes.models import Attempt, Quiz
from tests.factories import make_catalogue, make_course, make_home, make_module
from tests.quizzes.factories import make_question, make_quiz


def make_trainee(username: str = "kursant", **fields):
    fields = {"first_name": "Zażółć", "last_name": "Gęślą-Jaźń", **fields}
    return get_user_model().objects.create_user(username, password="x-Password-1", **fields)


def make_course_with_modules(
    modules: int = 2, *, with_quiz: bool = True, catalogue=None, **course_fields
) -> tuple[CoursePage, list[ModulePage]]:
    """A live course with live modules, each holding its own one-question quiz."""
    catalogue = catalogue or make_catalogue(make_home())
    course = make_course(
        catalogue, title=course_fields.pop("title", "Poszukiwania"), **course_fields
    )
    return course, [
        make_module(
            course,
            title=f"Moduł {number}",
            body=[("quiz", {"quiz": make_quiz([make_question()])})] if with_quiz else [],
        )
        for number in range(1, modules + 1)
    ]


def quiz_of(module: ModulePage) -> Quiz:
    return next(block.value["quiz"] for block in module.body if block.block_type == "quiz")


def take_quiz(quiz: Quiz, user, *, correct: bool = True) -> Attempt:
    """Answer the one question and submit; runs what waits for the commit (the signal)."""
    attempt = quiz_services.start_attempt(quiz, user).attempt
    quiz_services.save_answer(attempt, 1, {"option": "b" if correct else "a"})
    return quiz_services.submit_attempt(attempt)
