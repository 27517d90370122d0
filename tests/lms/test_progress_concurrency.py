"""Races between real database connections (PostgreSQL; SQLite serialises writers)."""

import time
from functools import partial

import pytest
from django.db import connection

from lms import selectors, services
from lms.models import Certificate, Enrolment, ModuleProgress
from tests.lms.learning import make_course_with_modules, make_trainee
from tests.quizzes.test_concurrency import race

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row-lock races need PostgreSQL: set DATABASE_URL to run them",
    ),
]


def test_completing_the_last_two_modules_at_once_issues_one_certificate(monkeypatch):
    """Each request sees only its own module done until the other commits: without the
    enrolment lock, neither would see the course complete. A pause before counting makes
    the two requests overlap every time."""
    count = selectors.live_module_count

    def slow_count(course):
        time.sleep(0.3)
        return count(course)

    monkeypatch.setattr(selectors, "live_module_count", slow_count)
    for attempt in range(3):
        trainee = make_trainee(f"kursant-{attempt}")
        course, modules = make_course_with_modules(2, completion_rule="viewed")
        services.enrol(trainee, course)

        results = race(*[partial(services.record_module_viewed, trainee, m) for m in modules])

        assert not [r for r in results if isinstance(r, Exception)], results
        assert Enrolment.objects.get(user=trainee).completed_at is not None
        assert Certificate.objects.filter(user=trainee, course=course).count() == 1


def test_the_same_module_recorded_at_once_gives_one_row_and_one_certificate():
    trainee = make_trainee()
    course, (module,) = make_course_with_modules(1, completion_rule="viewed")

    results = race(*[lambda: services.record_module_viewed(trainee, module)] * 4)

    assert not [r for r in results if isinstance(r, Exception)], results
    assert ModuleProgress.objects.filter(user=trainee).count() == 1
    assert Enrolment.objects.filter(user=trainee).count() == 1
    assert Certificate.objects.filter(user=trainee, course=course).count() == 1
