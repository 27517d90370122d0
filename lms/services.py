"""Writes of the learner side: enrolments, assignments, module progress, completion and
certificates.

Every write is idempotent and safe when requests race (a module view and a quiz submit,
two tabs, a double click). All progress of one trainee in one course is written while
holding a lock on their enrolment row, so "is every module done?" is answered by one
request at a time and sees what the others committed; unique constraints back this up.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Case, F, Q, QuerySet, When
from django.db.models.signals import m2m_changed
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext
from wagtail.models import ReferenceIndex
from wagtail.signals import page_published

from courses.models import CompletionRule, CoursePage, ModulePage
from quizzes.models import Attempt, Quiz

from . import selectors
from .models import (
    Assignment,
    Certificate,
    Enrolment,
    ModuleProgress,
    SessionRegistration,
    TrainingSession,
    Unit,
)


def enrol(
    user: AbstractBaseUser,
    course: CoursePage,
    *,
    source: Enrolment.Source = Enrolment.Source.SELF,
) -> Enrolment:
    """Enrol a trainee on a course (in any of its languages); enrolling again changes nothing."""
    (course,) = selectors.in_source_language([course])
    enrolment, _ = Enrolment.objects.get_or_create(
        user=user, course=course, defaults={"source": source}
    )
    return enrolment


def assign_course(
    course: CoursePage,
    *,
    unit: Unit | None = None,
    group: Group | None = None,
    due_date: date,
    include_subunits: bool = True,
    by: AbstractBaseUser | None,
) -> Assignment:
    """Assign a course (in any of its languages) to a unit or a group and enrol everyone it
    covers, in the same few queries however many trainees there are."""
    (course,) = selectors.in_source_language([course])
    with transaction.atomic():
        assignment = Assignment.objects.create(
            course=course,
            unit=unit,
            group=group,
            include_subunits=include_subunits,
            due_date=due_date,
            created_by=by,
        )
        _enrol_assigned(assignment, selectors.assigned_users(assignment))
    return assignment


def apply_assignments(user: AbstractBaseUser) -> None:
    """Enrol a user on every course assigned to their unit or groups, as if they had been
    there when it was assigned. Called whenever a trainee's unit or groups change."""
    with transaction.atomic():
        for assignment in selectors.assignments_covering(user):
            _enrol_assigned(assignment, get_user_model().objects.filter(pk=user.pk))


@receiver(m2m_changed, sender=get_user_model().groups.through, dispatch_uid="lms.assignments")
def on_groups_changed(
    sender: type, instance: object, action: str, reverse: bool, pk_set: set[int] | None, **kwargs
) -> None:
    """Users added to a group (from either side of the relation) get its assignments.
    Leaving a group or a unit keeps the enrolments: progress is never thrown away."""
    if action != "post_add" or not pk_set:
        return
    users = get_user_model().objects.filter(pk__in=pk_set) if reverse else [instance]
    for user in users:
        apply_assignments(user)


def _enrol_assigned(assignment: Assignment, users: QuerySet) -> None:
    """Enrol `users` on the assignment's course, due by its date: one query to list them,
    one insert (SQLite splits a very large one in batches of its parameter limit), one update.

    An enrolment that already exists becomes assigned; when two assignments overlap the
    earlier due date wins, so a trainee is never given more time by a second assignment.
    A completed enrolment is left as it is: nothing is due any more.
    """
    user_ids = users.values_list("pk", flat=True)
    course, due_date = assignment.course, assignment.due_date
    assigned = Enrolment.Source.ASSIGNED
    # New rows first, then one update for the rows that were there (a self-enrolment racing
    # with this one is caught by the update too, whichever commits first).
    Enrolment.objects.bulk_create(
        [
            Enrolment(user_id=pk, course=course, source=assigned, due_date=due_date)
            for pk in user_ids
        ],
        ignore_conflicts=True,
    )
    Enrolment.objects.filter(course=course, user__in=users, completed_at__isnull=True).update(
        source=assigned,
        due_date=Case(
            When(Q(due_date__isnull=True) | Q(due_date__gt=due_date), then=due_date),
            default=F("due_date"),
        ),
    )


def record_module_viewed(user: AbstractBaseUser, module: ModulePage) -> ModuleProgress:
    """A trainee opened a module: enrols them on its course on the first view (courses are
    open to every trainee)."""
    return _record(user, module, "viewed_at")


def record_quiz_passed(user: AbstractBaseUser, quiz: Quiz) -> list[ModuleProgress]:
    """A trainee passed a quiz (any translation): every live module holding it progresses."""
    return [_record(user, module, "quiz_passed_at") for module in selectors.modules_with_quiz(quiz)]


def on_attempt_graded(sender: type[Attempt], attempt: Attempt, **kwargs) -> None:
    """Receiver of quizzes.signals.attempt_graded (sent after the grading transaction
    commits). A pass counts once and for good: a later regrade does not take it back."""
    if attempt.passed:
        record_quiz_passed(attempt.user, attempt.quiz)


@receiver(page_published, sender=ModulePage, dispatch_uid="lms.index_published_module")
def index_published_module(sender: type, instance: ModulePage, **kwargs) -> None:
    """Write a published module's entries in Wagtail's reference index at once.

    A passed quiz finds its modules through that index (`selectors.modules_with_quiz`),
    which Wagtail otherwise updates in a background task: with the database task backend,
    only once a worker runs it. A trainee passing the quiz of a module published a moment
    earlier (or while no worker runs) would not have it counted, and passes count once."""
    ReferenceIndex.create_or_update_for_object(instance)


def _record(user: AbstractBaseUser, module: ModulePage, event: str) -> ModuleProgress:
    (module,) = selectors.in_source_language([module])
    recorded = ModuleProgress.objects.filter(
        user=user, module=module, **{f"{event}__isnull": False}
    )
    if progress := recorded.first():  # the usual case: a module opened again
        return progress
    course = selectors.course_of(module)
    now = timezone.now()
    with transaction.atomic():
        enrolment = _locked_enrolment(user, course)
        progress, _ = ModuleProgress.objects.get_or_create(user=user, module=module)
        if getattr(progress, event) is None:
            setattr(progress, event, now)
            progress.save(update_fields=[event])
        if progress.completed_at is None and _module_done(progress, course, module):
            progress.completed_at = now
            progress.save(update_fields=["completed_at"])
            _complete_course_if_done(user, enrolment, course, now)
    return progress


def _locked_enrolment(user: AbstractBaseUser, course: CoursePage) -> Enrolment:
    Enrolment.objects.get_or_create(user=user, course=course)
    return Enrolment.objects.select_for_update().get(user=user, course=course)


def _module_done(progress: ModuleProgress, course: CoursePage, module: ModulePage) -> bool:
    viewed = progress.viewed_at is not None
    # A module without a quiz has nothing to pass: viewing it is enough.
    quiz_passed = progress.quiz_passed_at is not None if selectors.has_quiz(module) else viewed
    if course.completion_rule == CompletionRule.VIEWED:
        return viewed
    if course.completion_rule == CompletionRule.QUIZ_PASSED:
        return quiz_passed
    return viewed and quiz_passed


def _complete_course_if_done(
    user: AbstractBaseUser, enrolment: Enrolment, course: CoursePage, now: datetime
) -> None:
    if enrolment.completed_at is not None:
        return
    total = selectors.live_module_count(course)
    if not total or selectors.completed_module_count(user, course) < total:
        return
    if course.attendance_required and not selectors.attended_a_session(user, course):
        return
    enrolment.completed_at = now
    enrolment.save(update_fields=["completed_at"])
    issue_certificate(user, course)


def issue_certificate(user: AbstractBaseUser, course: CoursePage) -> Certificate:
    """The trainee's certificate for a course, issued once, in their language."""
    language = selectors.certificate_language(user)
    certificate, _ = Certificate.objects.get_or_create(
        user=user,
        course=course,
        defaults={
            "holder_name": user.get_full_name() or user.get_username(),
            "course_title": selectors.title_in(course, language),
            "language": language,
        },
    )
    return certificate


# --- classroom and practical sessions ------------------------------------------------------
# Every write on a session's seats first locks the session's row, so "is a seat free?" and
# "who is next on the waiting list?" are answered by one request at a time; the unique
# (session, user) constraint backs this up.


def register_for_session(
    user: AbstractBaseUser,
    session: TrainingSession,
    *,
    by: AbstractBaseUser | None = None,
    now: datetime | None = None,
) -> SessionRegistration:
    """Register a trainee for a session: a seat while one is free, otherwise the end of the
    waiting list; they are enrolled on the session's course too.

    `by` is the trainer assigning them (who must manage the session, and may do so after
    it started, for a walk-in); without it the trainee registers themselves, before the
    session starts. Registering again changes nothing; after a cancellation the trainee
    starts over at the end of the queue."""
    if by is not None and not selectors.can_manage_session(by, session):
        raise PermissionDenied
    if by is None and session.starts_at <= (now or timezone.now()):
        raise ValidationError(gettext("This session has already started."), code="started")
    cancelled = SessionRegistration.Status.CANCELLED
    with transaction.atomic():
        session = _locked_session(session)
        # The time the lock was granted: the waiting list is served in the order of the locks.
        registered_at = now or timezone.now()
        registration = SessionRegistration.objects.filter(session=session, user=user).first()
        if registration is not None and registration.status != cancelled:
            return registration
        status = (
            SessionRegistration.Status.REGISTERED
            if selectors.seats_taken(session) < session.capacity
            else SessionRegistration.Status.WAITLISTED
        )
        if registration is None:
            registration = SessionRegistration.objects.create(
                session=session, user=user, status=status, registered_at=registered_at
            )
        else:
            registration.status, registration.registered_at = status, registered_at
            registration.attended = registration.marked_by = registration.marked_at = None
            registration.save()
        source = Enrolment.Source.SELF if by is None else Enrolment.Source.ASSIGNED
        enrol(user, session.course, source=source)
    return registration


def cancel_registration(
    registration: SessionRegistration, *, by: AbstractBaseUser, now: datetime | None = None
) -> SessionRegistration:
    """Give up a seat or a place on the waiting list. A freed seat goes to the first trainee
    waiting, in the same transaction. Trainees cancel their own registrations before the
    session starts; its trainer can cancel any of them at any time. Cancelling twice
    changes nothing."""
    session = registration.session
    is_manager = selectors.can_manage_session(by, session)
    if registration.user_id != by.pk and not is_manager:
        raise PermissionDenied
    if not is_manager and session.starts_at <= (now or timezone.now()):
        raise ValidationError(gettext("This session has already started."), code="started")
    with transaction.atomic():
        session = _locked_session(session)
        registration = SessionRegistration.objects.get(pk=registration.pk)
        if registration.status == SessionRegistration.Status.CANCELLED:
            return registration
        registration.status = SessionRegistration.Status.CANCELLED
        registration.save(update_fields=["status"])
        _fill_seats(session)
    return registration


def fill_free_seats(session: TrainingSession) -> None:
    """After a session's capacity grew: the first trainees waiting get the new seats."""
    with transaction.atomic():
        _fill_seats(_locked_session(session))


def mark_attendance(
    session: TrainingSession,
    present: Iterable[int],
    *,
    by: AbstractBaseUser,
    now: datetime | None = None,
) -> list[SessionRegistration]:
    """Mark everyone with a seat present (their user ids in `present`) or absent, in one go,
    once the session has started; only its trainer or a session administrator may. Rows
    whose mark does not change keep who marked them and when.

    Where the course requires attendance, a trainee marked present whose modules are all
    done completes the course now (and gets the certificate). Marking them absent later
    does not take a completion back, as a regrade does not take back a pass."""
    now = now or timezone.now()
    if not selectors.can_manage_session(by, session):
        raise PermissionDenied
    if session.starts_at > now:
        raise ValidationError(
            gettext("Attendance can be marked once the session has started."), code="not_started"
        )
    present = set(present)
    with transaction.atomic():
        session = _locked_session(session)
        registrations = list(
            session.registrations.filter(status=SessionRegistration.Status.REGISTERED)
            .select_related("user")
            .order_by("pk")
        )
        changed = [r for r in registrations if r.attended != (r.user_id in present)]
        for registration in changed:
            registration.attended = registration.user_id in present
            registration.marked_by, registration.marked_at = by, now
        SessionRegistration.objects.bulk_update(changed, ["attended", "marked_by", "marked_at"])
        course = session.course
        if course.attendance_required:
            # Enrolments are locked in one order (by registration), like progress writes.
            for registration in changed:
                if registration.attended:
                    user = registration.user
                    _complete_course_if_done(user, _locked_enrolment(user, course), course, now)
    return registrations


def _locked_session(session: TrainingSession) -> TrainingSession:
    # `of` locks the session's row only, not its course page's.
    return (
        TrainingSession.objects.select_for_update(of=("self",))
        .select_related("course")
        .get(pk=session.pk)
    )


def _fill_seats(session: TrainingSession) -> None:
    """Give the free seats of a locked session to the first trainees waiting."""
    free = session.capacity - selectors.seats_taken(session)
    if free <= 0:
        return
    first_waiting = session.registrations.filter(
        status=SessionRegistration.Status.WAITLISTED
    ).order_by("registered_at", "pk")[:free]
    SessionRegistration.objects.filter(
        pk__in=list(first_waiting.values_list("pk", flat=True))
    ).update(status=SessionRegistration.Status.REGISTERED)
