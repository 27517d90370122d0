"""Writes of the learner side: enrolments, assignments, module progress, completion and
certificates.

Every write is idempotent and safe when requests race (a module view and a quiz submit,
two tabs, a double click). All progress of one trainee in one course is written while
holding a lock on their enrolment row, so "is every module done?" is answered by one
request at a time and sees what the others committed; unique constraints back this up.
"""

from __future__ import annotations

from datetime import date, datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, Group
from django.db import transaction
from django.db.models import Case, F, Q, QuerySet, When
from django.db.models.signals import m2m_changed
from django.dispatch import receiver
from django.utils import timezone

from courses.models import CompletionRule, CoursePage, ModulePage
from quizzes.models import Attempt, Quiz

from . import selectors
from .models import Assignment, Certificate, Enrolment, ModuleProgress, Unit


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
