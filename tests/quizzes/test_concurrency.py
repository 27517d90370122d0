"""Races between real database connections (PostgreSQL; SQLite serialises writers)."""

import threading

import pytest
from django.db import connection, connections

from quizzes import services
from quizzes.models import Attempt, AttemptState
from tests.quizzes.factories import make_question, make_quiz

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row-lock races need PostgreSQL: set DATABASE_URL to run them",
    ),
]


def race(*functions):
    """Run the functions at the same moment in threads; return results or exceptions."""
    barrier = threading.Barrier(len(functions))
    results: list = [None] * len(functions)

    def run(index, function):
        try:
            barrier.wait()
            results[index] = function()
        except Exception as error:  # the caller inspects what each thread got
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=item) for item in enumerate(functions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


@pytest.fixture
def trainee(django_user_model):
    return django_user_model.objects.create_user("kursant", password="x-Password-1")


def test_two_simultaneous_submits_grade_once(trainee):
    quiz = make_quiz([make_question()])
    attempt = services.start_attempt(quiz, trainee).attempt
    services.save_answer(attempt, 1, {"option": "b"})

    results = race(*[lambda: services.submit_attempt(attempt)] * 2)

    conflicts = [r for r in results if isinstance(r, services.AttemptConflict)]
    graded = [r for r in results if isinstance(r, Attempt)]
    assert len(graded) == 1 and len(conflicts) == 1
    attempt.refresh_from_db()
    assert attempt.state == AttemptState.SUBMITTED and attempt.score == 1


def test_simultaneous_starts_never_exceed_the_attempts_allowed(trainee):
    quiz = make_quiz([make_question()], attempts_allowed=1)
    results = race(*[lambda: services.start_attempt(quiz, trainee)] * 4)
    assert not [
        r for r in results if isinstance(r, Exception) and not isinstance(r, services.QuizError)
    ]
    assert Attempt.objects.filter(quiz=quiz, user=trainee).count() == 1


def test_a_save_racing_a_submit_is_graded_or_rejected_never_lost(trainee):
    for _ in range(5):
        quiz = make_quiz([make_question()])
        attempt = services.start_attempt(quiz, trainee).attempt
        save, submit = race(
            lambda attempt=attempt: services.save_answer(attempt, 1, {"option": "b"}),
            lambda attempt=attempt: services.submit_attempt(attempt),
        )
        attempt.refresh_from_db()
        question = attempt.questions.get()
        if isinstance(save, services.AttemptConflict):
            assert question.answer is None and attempt.score == 0
        else:
            assert question.answer == {"option": "b"} and attempt.score == 1
        assert isinstance(submit, Attempt)
