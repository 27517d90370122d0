"""Classroom and practical sessions (lms.services, lms.selectors): seats and the waiting
list, cancelling, attendance and course completion, who may do what, query counts; and
the race for the last seats on PostgreSQL."""

from __future__ import annotations

from datetime import timedelta
from functools import partial

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.db.models import Count
from django.utils import timezone

from lms import selectors, services
from lms.models import Certificate, Enrolment, SessionRegistration, TrainingSession
from tests.lms.learning import make_course_with_modules, make_trainee
from tests.quizzes.test_concurrency import race

Status = SessionRegistration.Status


def make_session(course, *, capacity=2, starts_in=timedelta(days=7), trainer=None, **fields):
    starts_at = timezone.now() + starts_in
    return TrainingSession.objects.create(
        course=course,
        kind=fields.pop("kind", TrainingSession.Kind.WORKSHOP),
        title=fields.pop("title", "Poszukiwania osób ściganych – warsztaty"),
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=6),
        place=fields.pop("place", "KWP Lublin, sala 12"),
        trainer=trainer,
        capacity=capacity,
        **fields,
    )


def make_trainer(username="trener"):
    user = make_trainee(username)
    user.groups.add(Group.objects.get(name="Reviewers"))
    return user


def make_session_admin(username="koordynator"):
    user = make_trainee(username)
    user.user_permissions.add(
        Permission.objects.get(codename="change_trainingsession"),
        Permission.objects.get(codename="access_admin"),
    )
    return user


def statuses(session) -> dict[str, str]:
    return dict(session.registrations.values_list("user__username", "status"))


@pytest.mark.django_db
class TestSeatsAndWaitingList:
    def test_seats_first_then_the_waiting_list_and_every_registrant_is_enrolled(self):
        course, _ = make_course_with_modules(1)
        session = make_session(course, capacity=2)
        users = [make_trainee(f"kursant-{n}") for n in range(3)]

        for user in users:
            services.register_for_session(user, session)

        assert statuses(session) == {
            "kursant-0": Status.REGISTERED,
            "kursant-1": Status.REGISTERED,
            "kursant-2": Status.WAITLISTED,
        }
        assert Enrolment.objects.filter(course=course).count() == 3

    def test_registering_again_changes_nothing(self):
        course, _ = make_course_with_modules(1)
        session = make_session(course, capacity=1)
        trainee = make_trainee()
        first = services.register_for_session(trainee, session)
        again = services.register_for_session(trainee, session)
        assert (again.pk, again.status, again.registered_at) == (
            first.pk,
            Status.REGISTERED,
            first.registered_at,
        )

    def test_cancelling_a_seat_promotes_the_first_waiting_in_order(self):
        course, _ = make_course_with_modules(1)
        session = make_session(course, capacity=1)
        holder, first, second = (make_trainee(n) for n in ("a", "b", "c"))
        seat = services.register_for_session(holder, session)
        services.register_for_session(first, session)
        services.register_for_session(second, session)

        cancelled = services.cancel_registration(seat, by=holder)

        assert cancelled.status == Status.CANCELLED
        assert statuses(session) == {
            "a": Status.CANCELLED,
            "b": Status.REGISTERED,
            "c": Status.WAITLISTED,
        }

    def test_cancelling_a_waiting_place_gives_nobody_a_seat_and_twice_changes_nothing(self):
        course, _ = make_course_with_modules(1)
        session = make_session(course, capacity=1)
        holder, waiting = make_trainee("a"), make_trainee("b")
        services.register_for_session(holder, session)
        place = services.register_for_session(waiting, session)

        services.cancel_registration(place, by=waiting)
        services.cancel_registration(place, by=waiting)

        assert statuses(session) == {"a": Status.REGISTERED, "b": Status.CANCELLED}

    def test_registering_after_cancelling_starts_at_the_end_of_the_queue(self):
        course, _ = make_course_with_modules(1)
        session = make_session(course, capacity=1)
        holder, early, late = make_trainee("a"), make_trainee("b"), make_trainee("c")
        services.register_for_session(holder, session)
        place = services.register_for_session(early, session)
        services.register_for_session(late, session)
        services.cancel_registration(place, by=early)

        again = services.register_for_session(early, session)

        positions = {
            r.user.username: r.waiting_position
            for r in selectors.with_waiting_position(
                session.registrations.filter(status=Status.WAITLISTED)
            ).select_related("user")
        }
        assert again.status == Status.WAITLISTED
        assert positions == {"c": 1, "b": 2}

    def test_a_bigger_capacity_moves_the_waiting_list_up(self):
        course, _ = make_course_with_modules(1)
        session = make_session(course, capacity=1)
        for name in ("a", "b", "c"):
            services.register_for_session(make_trainee(name), session)

        session.capacity = 2
        session.save()
        services.fill_free_seats(session)

        assert statuses(session) == {
            "a": Status.REGISTERED,
            "b": Status.REGISTERED,
            "c": Status.WAITLISTED,
        }

    def test_trainees_cannot_register_or_cancel_once_the_session_started(self):
        course, _ = make_course_with_modules(1)
        trainer = make_trainer()
        session = make_session(course, starts_in=-timedelta(hours=1), trainer=trainer)
        trainee = make_trainee()

        with pytest.raises(ValidationError):
            services.register_for_session(trainee, session)
        # Its trainer may still add a walk-in, and cancel for them.
        registration = services.register_for_session(trainee, session, by=trainer)
        with pytest.raises(ValidationError):
            services.cancel_registration(registration, by=trainee)
        services.cancel_registration(registration, by=trainer)
        assert statuses(session) == {"kursant": Status.CANCELLED}


@pytest.mark.django_db
class TestPermissions:
    def test_only_the_sessions_trainer_or_an_administrator_assigns_trainees(self):
        course, _ = make_course_with_modules(1)
        trainer, other_trainer = make_trainer("trener"), make_trainer("inny-trener")
        session = make_session(course, trainer=trainer)
        trainee = make_trainee()

        for intruder in (other_trainer, make_trainee("kolega")):
            with pytest.raises(PermissionDenied):
                services.register_for_session(trainee, session, by=intruder)
        services.register_for_session(trainee, session, by=make_session_admin())

        assert Enrolment.objects.get(user=trainee).source == Enrolment.Source.ASSIGNED

    def test_a_trainee_cannot_cancel_someone_elses_registration(self):
        course, _ = make_course_with_modules(1)
        session = make_session(course, trainer=make_trainer())
        registration = services.register_for_session(make_trainee("a"), session)

        with pytest.raises(PermissionDenied):
            services.cancel_registration(registration, by=make_trainee("b"))
        with pytest.raises(PermissionDenied):
            services.cancel_registration(registration, by=make_trainer("inny-trener"))

    def test_only_the_sessions_trainer_or_an_administrator_marks_attendance(self):
        course, _ = make_course_with_modules(1)
        trainer = make_trainer()
        session = make_session(course, starts_in=-timedelta(hours=2), trainer=trainer)
        trainee = make_trainee()
        services.register_for_session(trainee, session, by=trainer)

        with pytest.raises(PermissionDenied):
            services.mark_attendance(session, [trainee.pk], by=make_trainer("inny-trener"))
        services.mark_attendance(session, [trainee.pk], by=make_session_admin())

        assert session.registrations.get().attended is True

    def test_managed_sessions(self):
        course, _ = make_course_with_modules(1)
        trainer = make_trainer()
        own = make_session(course, trainer=trainer)
        make_session(course, trainer=make_trainer("inny-trener"))

        assert list(selectors.managed_sessions(trainer)) == [own]
        assert selectors.managed_sessions(make_session_admin()).count() == 2
        assert not selectors.managed_sessions(make_trainee()).exists()


@pytest.mark.django_db
class TestAttendance:
    def test_marks_present_and_absent_and_leaves_the_waiting_list_alone(self):
        course, _ = make_course_with_modules(1)
        trainer = make_trainer()
        session = make_session(course, capacity=2, starts_in=-timedelta(hours=2), trainer=trainer)
        came, missed, waiting = make_trainee("a"), make_trainee("b"), make_trainee("c")
        for user in (came, missed, waiting):
            services.register_for_session(user, session, by=trainer)

        services.mark_attendance(session, [came.pk, waiting.pk], by=trainer)

        marks = dict(session.registrations.values_list("user__username", "attended"))
        assert marks == {"a": True, "b": False, "c": None}
        assert set(
            session.registrations.exclude(marked_by=None).values_list("marked_by", flat=True)
        ) == {trainer.pk}

    def test_attendance_cannot_be_marked_before_the_session(self):
        course, _ = make_course_with_modules(1)
        trainer = make_trainer()
        session = make_session(course, trainer=trainer)
        with pytest.raises(ValidationError):
            services.mark_attendance(session, [], by=trainer)

    def test_a_course_requiring_attendance_completes_when_the_trainee_is_marked_present(self):
        course, modules = make_course_with_modules(
            2, completion_rule="viewed", attendance_required=True
        )
        trainer = make_trainer()
        session = make_session(course, starts_in=-timedelta(hours=2), trainer=trainer)
        trainee = make_trainee()
        services.register_for_session(trainee, session, by=trainer)
        for module in modules:
            services.record_module_viewed(trainee, module)
        assert Enrolment.objects.get(user=trainee).completed_at is None

        services.mark_attendance(session, [], by=trainer)  # absent: still not complete
        assert Enrolment.objects.get(user=trainee).completed_at is None
        services.mark_attendance(session, [trainee.pk], by=trainer)
        services.mark_attendance(session, [trainee.pk], by=trainer)  # again: no change

        assert Enrolment.objects.get(user=trainee).completed_at is not None
        assert Certificate.objects.filter(user=trainee, course=course).count() == 1

    def test_modules_done_after_attending_complete_the_course(self):
        course, modules = make_course_with_modules(
            1, completion_rule="viewed", attendance_required=True
        )
        trainer = make_trainer()
        session = make_session(course, starts_in=-timedelta(hours=2), trainer=trainer)
        trainee = make_trainee()
        services.register_for_session(trainee, session, by=trainer)
        services.mark_attendance(session, [trainee.pk], by=trainer)
        assert Enrolment.objects.get(user=trainee).completed_at is None  # modules not done

        services.record_module_viewed(trainee, modules[0])

        assert Enrolment.objects.get(user=trainee).completed_at is not None
        assert Certificate.objects.filter(user=trainee).exists()

    def test_without_the_requirement_modules_alone_complete_the_course(self):
        _, (module,) = make_course_with_modules(1, completion_rule="viewed")
        trainee = make_trainee()
        services.record_module_viewed(trainee, module)
        assert Enrolment.objects.get(user=trainee).completed_at is not None


@pytest.mark.django_db
class TestReads:
    def test_upcoming_sessions_with_seats_left_and_the_trainees_place(
        self, django_assert_num_queries
    ):
        course, _ = make_course_with_modules(1)
        full = make_session(course, capacity=1, starts_in=timedelta(days=2))
        open_ = make_session(course, capacity=3, starts_in=timedelta(days=5))
        make_session(course, starts_in=-timedelta(days=1))  # past: not listed
        trainee = make_trainee()
        services.register_for_session(make_trainee("inny"), full)
        services.register_for_session(trainee, full)

        with django_assert_num_queries(2):
            sessions = selectors.upcoming_sessions(course, trainee)

        assert [(s.pk, s.seats_left) for s in sessions] == [(full.pk, 0), (open_.pk, 3)]
        assert sessions[0].registration.status == Status.WAITLISTED
        assert sessions[0].registration.waiting_position == 1
        assert sessions[1].registration is None

    def test_my_registrations_and_the_roster_take_fixed_queries(self, django_assert_num_queries):
        course, _ = make_course_with_modules(1)
        trainee = make_trainee()

        def build(count: int):
            session = make_session(course, capacity=count)
            for n in range(count + 2):
                services.register_for_session(make_trainee(f"k-{count}-{n}"), session)
            services.register_for_session(trainee, session)
            return session

        for count in (1, 4):
            session = build(count)
            with django_assert_num_queries(1):
                roster = selectors.session_roster(session)
                units = [
                    getattr(r.user, "trainee_profile", None)
                    for r in roster.registered + roster.waitlisted
                ]
            assert (len(roster.registered), len(roster.waitlisted), len(units)) == (
                count,
                3,
                count + 3,
            )
            # The source language is read: no translations to look up.
            with django_assert_num_queries(1):
                mine = selectors.my_session_registrations(trainee)
            assert [r.waiting_position for r in mine][-1] == 3
            assert mine[-1].course_title == course.title


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row-lock races need PostgreSQL: set DATABASE_URL to run them",
)
def test_concurrent_registrations_never_take_more_seats_than_there_are():
    course, _ = make_course_with_modules(1)
    session = make_session(course, capacity=3)
    trainees = [make_trainee(f"kursant-{n}") for n in range(8)]

    results = race(*[partial(services.register_for_session, t, session) for t in trainees])

    assert not [r for r in results if isinstance(r, Exception)], results
    counts = dict(
        session.registrations.values("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    assert counts == {Status.REGISTERED: 3, Status.WAITLISTED: 5}
