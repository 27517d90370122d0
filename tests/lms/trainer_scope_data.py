"""Two voivodeships' trainees and their trainers, for the trainer-scope tests of the
training reports and of the learner API: what a Lublin trainer may see, and what not."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone
from wagtail.users.models import UserProfile

from lms.models import Certificate, Enrolment, TraineeProfile, Unit
from quizzes.models import Attempt, AttemptState
from tests.factories import make_catalogue, make_course, make_home
from tests.lms.learning import make_trainee
from tests.quizzes.factories import make_question, make_quiz

PASSWORD = "x-Password-1"


def at(day: date) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, 12))


def trainee_in(username: str, unit: Unit | None):
    user = make_trainee(username, first_name=username.title(), last_name="Nowak")
    if unit is not None:
        TraineeProfile.objects.create(user=user, unit=unit)
    return user


def trainer_in(username: str, unit: Unit | None, *, profile: bool = True):
    """A member of the Reviewers group, reading the admin in English (the msgids)."""
    user = get_user_model().objects.create_user(username, password=PASSWORD)
    user.groups.add(Group.objects.get(name="Reviewers"))
    if profile:
        TraineeProfile.objects.create(user=user, unit=unit)
    wagtail_profile = UserProfile.get_for_user(user)
    wagtail_profile.preferred_language = "en"
    wagtail_profile.save()
    return user


def enrol(user, course, *, completed: bool = False, overdue_days: int | None = None):
    today = timezone.localdate()
    return Enrolment.objects.create(
        user=user,
        course=course,
        enrolled_at=at(date(2026, 3, 1)),
        completed_at=at(date(2026, 3, 5)) if completed else None,
        due_date=today - timedelta(days=overdue_days) if overdue_days else None,
    )


def certify(user, course) -> Certificate:
    return Certificate.objects.create(
        user=user,
        course=course,
        holder_name=user.get_full_name(),
        course_title=course.title,
        language="pl",
    )


def attempt(quiz, user, percent: str) -> Attempt:
    submitted = at(date(2026, 3, 20))
    return Attempt.objects.create(
        quiz=quiz,
        user=user,
        number=1,
        state=AttemptState.SUBMITTED,
        seed=1,
        started_at=submitted,
        submitted_at=submitted,
        percent=Decimal(percent),
        passed=Decimal(percent) >= quiz.pass_mark,
    )


def make_two_voivodeships() -> dict:
    """National HQ over Lublin (Chełm, Biała) and Białystok (Suwałki); trainees
    in each, one without a unit; trainers of Lublin and of the nation, and two without a
    unit (no profile; a profile with no unit)."""
    Unit.add_root(name="Komenda Główna Policji", code="kgp", kind="national")
    for parent, name, code, kind in (
        ("kgp", "KWP Lublin", "kwp-lublin", "voivodeship"),
        ("kgp", "KWP Białystok", "kwp-bialystok", "voivodeship"),
        ("kwp-lublin", "KMP Chełm", "kmp-chelm", "district"),
        ("kwp-lublin", "KMP Biała", "kmp-biala", "district"),
        ("kwp-bialystok", "KMP Suwałki", "kmp-suwalki", "district"),
    ):
        # Read afresh: adding a sibling sorted before a unit moves its path.
        Unit.objects.get(code=parent).add_child(name=name, code=code, kind=kind)
    units = {unit.code: unit for unit in Unit.objects.all()}

    catalogue = make_catalogue(make_home())
    searches = make_course(catalogue, title="Poszukiwania")
    smuggling = make_course(catalogue, title="Przemyt")
    quiz = make_quiz([make_question()], title="Sprawdzian")

    anna = trainee_in("anna", units["kmp-chelm"])
    bartek = trainee_in("bartek", units["kmp-biala"])
    celina = trainee_in("celina", units["kwp-lublin"])
    darek = trainee_in("darek", units["kmp-suwalki"])
    ewa = trainee_in("ewa", units["kwp-bialystok"])
    franek = trainee_in("franek", None)

    enrol(anna, searches, completed=True)
    certify(anna, searches)
    enrol(anna, smuggling, overdue_days=5)
    enrol(bartek, searches)
    enrol(celina, searches, completed=True)
    enrol(darek, searches, overdue_days=10)
    enrol(ewa, smuggling, completed=True)
    certify(ewa, smuggling)
    enrol(franek, searches, overdue_days=30)

    attempt(quiz, anna, "95.00")
    attempt(quiz, bartek, "45.00")
    attempt(quiz, darek, "30.00")
    attempt(quiz, ewa, "80.00")

    return {
        "units": units,
        "searches": searches,
        "smuggling": smuggling,
        "quiz": quiz,
        "trainees": {u.username: u for u in (anna, bartek, celina, darek, ewa, franek)},
        "lublin_trainer": trainer_in("trener-lublin", units["kwp-lublin"]),
        "national_trainer": trainer_in("trener-kgp", units["kgp"]),
        "trainer_without_profile": trainer_in("trener-bez-profilu", None, profile=False),
        "trainer_without_unit": trainer_in("trener-bez-jednostki", None),
    }
