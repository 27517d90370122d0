"""Shared by the tests of the export's interfaces (admin, API, task): a small published
course with one module and a quiz, users in each role, packages in a throw-away folder."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.contrib.auth.models import Group

from tests.factories import make_catalogue, make_course, make_home, make_module
from tests.quizzes.factories import make_question, make_quiz

__all__ = ["PASSWORD", "course", "module", "private_exports", "users", "zip_names"]

PASSWORD = "x-Password-1"


@pytest.fixture(autouse=True)
def private_exports(settings, tmp_path):
    """Packages go to a throw-away private folder (outside MEDIA_ROOT)."""
    settings.SCORM_EXPORT_ROOT = tmp_path / "private-exports"
    return settings.SCORM_EXPORT_ROOT


@pytest.fixture
def course():
    return make_course(make_catalogue(make_home()), title="Kurs eksportu")


@pytest.fixture
def module(course):
    quiz = make_quiz([make_question()])
    return make_module(
        course,
        title="Moduł eksportu",
        body=[
            {"type": "heading", "value": {"text": "Wstęp"}},
            {"type": "quiz", "value": {"quiz": quiz.pk}},
        ],
    )


@pytest.fixture
def users(django_user_model):
    """An editor (the "Editors" group: export permission from the migration), a reviewer
    (admin access, no export permission), a trainee (neither)."""

    def make(name: str, group: str | None):
        user = django_user_model.objects.create_user(name, password=PASSWORD)
        if group:
            user.groups.add(Group.objects.get(name=group))
        return user

    return {
        "editor": make("redaktor", "Editors"),
        "editor2": make("redaktor2", "Editors"),
        "reviewer": make("recenzent", "Reviewers"),
        "trainee": make("kursant", None),
    }


def zip_names(content: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert archive.testzip() is None
        return archive.namelist()
