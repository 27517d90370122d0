"""Reads for the site shell and the learner side."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import TypeVar

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, Permission
from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Cast, Coalesce, Length, Substr
from django.utils import timezone, translation
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Page, PageQuerySet, PageViewRestriction, ReferenceIndex

from courses.models import CoursePage, ModulePage
from quizzes.models import Quiz
from quizzes.selectors import can_review_attempts

from .models import (
    CERTIFICATE_CODE_GROUP_LENGTH,
    Assignment,
    Certificate,
    Enrolment,
    ModuleProgress,
    SessionRegistration,
    TraineeProfile,
    TrainingSession,
    Unit,
)

PageT = TypeVar("PageT", bound=Page)


def visible_pages(user: AbstractBaseUser | AnonymousUser) -> PageQuerySet:
    """Live pages this user may read, honouring Wagtail's page privacy settings.

    Anonymous visitors see public pages only; signed-in users also see pages
    restricted to logged-in users, and pages restricted to groups they are in.
    """
    pages = Page.objects.live()
    if not user.is_authenticated:
        return pages.public()
    if user.is_superuser:
        return pages
    hidden = PageViewRestriction.objects.exclude(
        restriction_type=PageViewRestriction.LOGIN
    ).exclude(groups__in=user.groups.all())
    for restriction in hidden.select_related("page"):
        pages = pages.not_descendant_of(restriction.page, inclusive=True)
    return pages


# --- learner progress ----------------------------------------------------------------------


def source_language() -> str:
    """The content language courses are written in; progress is recorded on these pages."""
    return get_supported_content_language_variant(settings.LANGUAGE_CODE)


def in_source_language(pages: Iterable[PageT]) -> list[PageT]:
    """Each page's translation in the source language, or the page itself where it has none
    (a page written in another language first): one query, duplicates dropped.

    Progress, enrolments and certificates point at the source-language pages, so a trainee
    who switches language keeps one course, one progress and one certificate.
    """
    pages = list(pages)
    if not pages:
        return []
    model = type(pages[0])
    sources = {
        page.translation_key: page
        for page in model.objects.filter(
            translation_key__in={page.translation_key for page in pages},
            locale__language_code=source_language(),
        )
    }
    distinct = {}
    for page in pages:
        source = sources.get(page.translation_key, page)
        distinct.setdefault(source.pk, source)
    return list(distinct.values())


def course_of(module: ModulePage) -> CoursePage:
    return CoursePage.objects.parent_of(module).get()


def has_quiz(module: ModulePage) -> bool:
    return any(block.block_type == "quiz" for block in module.body)


def modules_with_quiz(quiz: Quiz) -> list[ModulePage]:
    """Live modules whose body holds this quiz or a translation of it, in the source
    language: one query when no module holds it (a quiz on its own), three otherwise.

    Wagtail's reference index records every snippet a page's (live) body chooses, so no
    module body is read; a module's entries are written as it is published
    (`services.index_published_module`), not only later by the task worker.
    """
    content_type = ContentType.objects.get_for_model
    translations = (
        Quiz.objects.filter(translation_key=quiz.translation_key)
        # The index stores object ids as text.
        .annotate(text_id=Cast("pk", output_field=CharField()))
        .values("text_id")
    )
    module_ids = list(
        ReferenceIndex.objects.filter(
            base_content_type=content_type(Page),
            content_type=content_type(ModulePage),
            to_content_type=content_type(Quiz),
            to_object_id__in=translations,
        ).values_list("object_id", flat=True)
    )
    if not module_ids:
        return []
    modules = ModulePage.objects.live().filter(pk__in=[int(pk) for pk in module_ids])
    return in_source_language(modules)


def live_module_count(course: CoursePage) -> int:
    return ModulePage.objects.child_of(course).live().count()


def completed_module_count(user: AbstractBaseUser, course: CoursePage) -> int:
    return ModuleProgress.objects.filter(
        user=user,
        module__in=ModulePage.objects.child_of(course).live(),
        completed_at__isnull=False,
    ).count()


def certificate_language(user: AbstractBaseUser) -> str:
    """The trainee's preferred language, else the language they are using the site in."""
    profile = TraineeProfile.objects.filter(user=user).first()
    if profile is not None:
        return profile.preferred_language
    language = translation.get_language()
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def title_in(course: CoursePage, language: str) -> str:
    translated = course.get_translations(inclusive=True).filter(locale__language_code=language)
    return translated.values_list("title", flat=True).first() or course.title


def translations_in_active_language(pages: Iterable[Page]) -> dict[uuid.UUID, Page]:
    """Live translations of these pages in the language being read, by translation key."""
    keys = {page.translation_key for page in pages}
    language = get_supported_content_language_variant(translation.get_language())
    if not keys or language == source_language():
        return {}
    translated = Page.objects.live().filter(
        translation_key__in=keys, locale__language_code=language
    )
    return {page.translation_key: page for page in translated.only("title", "url_path", "path")}


@dataclass(frozen=True)
class ModulesDone:
    modules_total: int
    modules_done: int

    @property
    def percent(self) -> int:
        """Rounded down: 100 only once every module is done."""
        if not self.modules_total:
            return 0
        return self.modules_done * 100 // self.modules_total


@dataclass(frozen=True)
class CourseProgress(ModulesDone):
    """One enrolment as the trainee sees it, titles and links in the language being read."""

    enrolment: Enrolment
    course: Page
    next_module: Page | None
    certificate: Certificate | None
    is_started: bool  # some module of the course opened
    is_overdue: bool  # not completed and its due date has passed

    @property
    def is_completed(self) -> bool:
        return self.enrolment.completed_at is not None

    @property
    def is_assigned(self) -> bool:
        return self.enrolment.source == Enrolment.Source.ASSIGNED


@dataclass(frozen=True)
class Dashboard:
    assigned: list[CourseProgress]  # assigned and not started yet
    in_progress: list[CourseProgress]
    completed: list[CourseProgress]


def dashboard(user: AbstractBaseUser) -> Dashboard:
    """The trainee's live courses with progress: at most five queries, however many.

    Overdue courses come first (the longest overdue at the top), then the others, the most
    recently enrolled first."""
    enrolments = list(
        Enrolment.objects.filter(user=user, course__live=True)
        .select_related("course")
        .order_by("-enrolled_at", "pk")
    )
    modules_by_course: dict[str, list[ModulePage]] = {}
    for module in _live_children(ModulePage, [e.course for e in enrolments]):
        modules_by_course.setdefault(module.parent_path, []).append(module)
    all_modules = [m for modules in modules_by_course.values() for m in modules]
    # Every progress row, not just completed ones: a module opened makes a course started.
    completed_at_by_module = dict(
        ModuleProgress.objects.filter(
            user=user, module_id__in=[m.pk for m in all_modules]
        ).values_list("module_id", "completed_at")
    )
    done = {pk for pk, completed_at in completed_at_by_module.items() if completed_at}
    certificates = {
        certificate.course_id: certificate
        for certificate in Certificate.objects.filter(
            user=user, course_id__in=[e.course_id for e in enrolments]
        )
    }
    translated = translations_in_active_language([e.course for e in enrolments] + all_modules)

    def shown(page: Page) -> Page:
        return translated.get(page.translation_key, page)

    today = timezone.localdate()
    progress = []
    for enrolment in enrolments:
        modules = modules_by_course.get(enrolment.course.path, [])
        unfinished = next((m for m in modules if m.pk not in done), None)
        progress.append(
            CourseProgress(
                enrolment=enrolment,
                course=shown(enrolment.course),
                modules_total=len(modules),
                modules_done=sum(m.pk in done for m in modules),
                next_module=shown(unfinished) if unfinished else None,
                certificate=certificates.get(enrolment.course_id),
                is_started=any(m.pk in completed_at_by_module for m in modules),
                is_overdue=enrolment.completed_at is None
                and enrolment.due_date is not None
                and enrolment.due_date < today,
            )
        )
    # A stable sort: the enrolment order stays among courses that are not overdue.
    progress.sort(key=lambda p: (0, p.enrolment.due_date) if p.is_overdue else (1,))
    unfinished = [p for p in progress if not p.is_completed]
    return Dashboard(
        assigned=[p for p in unfinished if p.is_assigned and not p.is_started],
        in_progress=[p for p in unfinished if not p.is_assigned or p.is_started],
        completed=[p for p in progress if p.is_completed],
    )


def _live_children(model: type[PageT], parents: list[Page]) -> QuerySet[PageT]:
    """Live pages of `model` under any of `parents`, in tree order, each with `parent_path`."""
    return (
        model.objects.live()
        .annotate(parent_path=Substr("path", 1, Length("path") - Page.steplen))
        .filter(parent_path__in=[parent.path for parent in parents])
        .only("title", "url_path", "path", "depth", "translation_key")
        .order_by("path")
    )


class ModuleState(StrEnum):
    NOT_STARTED = "not_started"
    STARTED = "started"
    DONE = "done"


@dataclass(frozen=True)
class CourseStanding(ModulesDone):
    """Where a trainee stands in a course, for its page (in whichever language it is read)."""

    enrolment: Enrolment | None
    certificate: Certificate | None
    states: dict[uuid.UUID, ModuleState]  # by the module's translation key
    next_module: Page | None  # the first module not done, as the page lists it

    def module_state(self, module: Page) -> ModuleState:
        return self.states.get(module.translation_key, ModuleState.NOT_STARTED)


def course_standing(
    user: AbstractBaseUser, course: CoursePage, modules: list[ModulePage]
) -> CourseStanding:
    """The trainee's standing in a course whose page lists `modules`: four queries."""
    (source,) = in_source_language([course])
    enrolment = Enrolment.objects.filter(user=user, course=source).first()
    states: dict[uuid.UUID, ModuleState] = {}
    certificate = None
    if enrolment is not None:
        rows = ModuleProgress.objects.filter(
            user=user, module__in=ModulePage.objects.child_of(source)
        ).values_list("module__translation_key", "completed_at")
        states = {
            key: ModuleState.DONE if completed_at else ModuleState.STARTED
            for key, completed_at in rows
        }
        certificate = Certificate.objects.filter(user=user, course=source).first()
    done = [m for m in modules if states.get(m.translation_key) == ModuleState.DONE]
    return CourseStanding(
        enrolment=enrolment,
        certificate=certificate,
        states=states,
        modules_total=len(modules),
        modules_done=len(done),
        next_module=next((m for m in modules if m not in done), None),
    )


def course_for_enrolment(user: AbstractBaseUser, course_id: int) -> CoursePage | None:
    """A live course this user may read (page privacy applies to enrolling too)."""
    visible = visible_pages(user).filter(pk=course_id)
    return CoursePage.objects.live().filter(pk__in=visible.values("pk")).first()


def certificate_by_code(code: str) -> Certificate | None:
    """Codes as people type them: any case, with or without the dashes (or with spaces)."""
    characters = "".join(c for c in code.upper() if c.isalnum())
    groups = [
        characters[i : i + CERTIFICATE_CODE_GROUP_LENGTH]
        for i in range(0, len(characters), CERTIFICATE_CODE_GROUP_LENGTH)
    ]
    return Certificate.objects.filter(code="-".join(groups)).first()


# --- assignments -----------------------------------------------------------------------


def assignable_courses() -> QuerySet[CoursePage]:
    """Live courses in the source language, the pages enrolments point at, by title."""
    return (
        CoursePage.objects.live()
        .filter(locale__language_code=source_language())
        .order_by("title", "pk")
    )


def assigned_users(assignment: Assignment) -> QuerySet:
    """The users an assignment covers now: the group's members, or the trainees of the unit
    (and, with include_subunits, of every unit under it)."""
    users = get_user_model().objects.all()
    if assignment.group_id is not None:
        return users.filter(groups=assignment.group_id)
    if assignment.include_subunits:
        # A materialised path starts with the paths of its ancestors: one prefix match.
        return users.filter(trainee_profile__unit__path__startswith=assignment.unit.path)
    return users.filter(trainee_profile__unit=assignment.unit_id)


def assignments_covering(user: AbstractBaseUser) -> QuerySet[Assignment]:
    """The assignments that cover a user now, through one of their groups or their unit
    (an assignment to an ancestor unit covers them if it includes subunits): two queries."""
    covering = Q(group__in=user.groups.all())
    unit = Unit.objects.filter(trainees__user=user).first()
    if unit is not None:
        ancestors = [unit.path[:end] for end in range(Unit.steplen, len(unit.path), Unit.steplen)]
        covering |= Q(unit=unit) | Q(unit__path__in=ancestors, include_subunits=True)
    return Assignment.objects.filter(covering).select_related("course")


@dataclass(frozen=True)
class AssignmentCounts:
    enrolled: int
    completed: int


def assignment_counts(assignment: Assignment) -> AssignmentCounts:
    """How many of the users the assignment covers now are enrolled on its course, and how
    many of them completed it: one query."""
    enrolments = Enrolment.objects.filter(
        course=assignment.course_id, user__in=assigned_users(assignment)
    )
    counts = enrolments.aggregate(
        enrolled=Count("pk"), completed=Count("pk", filter=Q(completed_at__isnull=False))
    )
    return AssignmentCounts(**counts)


# --- trainer scope ---------------------------------------------------------------------


@dataclass(frozen=True)
class ReportScope:
    """The units whose trainees' data a trainer may read: every unit, one unit's subtree,
    or none at all."""

    everything: bool = False
    unit: Unit | None = None  # the subtree's top; None when everything or nothing

    @property
    def is_empty(self) -> bool:
        return not self.everything and self.unit is None

    def units(self) -> QuerySet[Unit]:
        """The units in scope, in tree order (parents before their children)."""
        units = Unit.objects.order_by("path")
        if self.everything:
            return units
        if self.unit is None:
            return units.none()
        # A materialised path starts with the paths of its ancestors: one prefix match.
        return units.filter(path__startswith=self.unit.path)


def report_scope(user: AbstractBaseUser | AnonymousUser) -> ReportScope:
    """Whose learner data a trainer reads: superusers and trainers of a national unit see
    every unit; other trainers see their own unit and the units under it; a trainer without
    a unit sees nothing. At most one query."""
    if user.is_superuser:
        return ReportScope(everything=True)
    if not user.is_authenticated:
        return ReportScope()
    unit = Unit.objects.filter(trainees__user=user).first()
    if unit is not None and unit.kind == Unit.Kind.NATIONAL:
        return ReportScope(everything=True)
    return ReportScope(unit=unit)


# --- classroom and practical sessions ----------------------------------------------------

ACTIVE_REGISTRATION = (SessionRegistration.Status.REGISTERED, SessionRegistration.Status.WAITLISTED)


def is_session_admin(user: AbstractBaseUser | AnonymousUser) -> bool:
    """Session administrators manage every session, whoever leads it: superusers and anyone
    granted the "change training session" permission."""
    return user.is_authenticated and user.has_perm("lms.change_trainingsession")


def can_manage_sessions(user: AbstractBaseUser | AnonymousUser) -> bool:
    """Trainers (reviewers, who read quiz results and reports too) and session administrators."""
    return can_review_attempts(user) or is_session_admin(user)


def can_manage_session(user: AbstractBaseUser | AnonymousUser, session: TrainingSession) -> bool:
    """A trainer manages the sessions they lead; a session administrator manages every one."""
    return is_session_admin(user) or (can_review_attempts(user) and session.trainer_id == user.pk)


def managed_sessions(user: AbstractBaseUser | AnonymousUser) -> QuerySet[TrainingSession]:
    """The sessions `user` may edit, assign trainees to and mark attendance for."""
    sessions = TrainingSession.objects.select_related("course", "trainer")
    if is_session_admin(user):
        return sessions
    if can_review_attempts(user):
        return sessions.filter(trainer=user.pk)
    return sessions.none()


def session_trainers() -> QuerySet:
    """Who may lead a session: the users who can review quiz results (as
    `can_review_attempts` asks, through a group or their own permissions) and superusers."""
    review = Q(codename="view_attempt", content_type__app_label="quizzes")
    permissions = Permission.objects.filter(review)
    return (
        get_user_model()
        .objects.filter(
            Q(is_superuser=True)
            | Q(groups__permissions__in=permissions)
            | Q(user_permissions__in=permissions),
            is_active=True,
        )
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


def sessions_with_counts(sessions: QuerySet[TrainingSession]) -> QuerySet[TrainingSession]:
    """Sessions with `taken` seats and trainees `waiting`, counted in the same query."""
    return sessions.annotate(
        taken=_seats_taken(),
        waiting=Count(
            "registrations",
            filter=Q(registrations__status=SessionRegistration.Status.WAITLISTED),
        ),
    )


def _seats_taken() -> Count:
    return Count(
        "registrations", filter=Q(registrations__status=SessionRegistration.Status.REGISTERED)
    )


def seats_taken(session: TrainingSession) -> int:
    return session.registrations.filter(status=SessionRegistration.Status.REGISTERED).count()


def upcoming_sessions(
    course: CoursePage, user: AbstractBaseUser, *, now: datetime | None = None
) -> list[TrainingSession]:
    """Sessions of a course (its source-language page) not started yet, earliest first,
    each with `seats_left` and the trainee's `registration` (registered or waiting, else
    None): two queries."""
    sessions = list(
        TrainingSession.objects.filter(course=course, starts_at__gt=now or timezone.now())
        .select_related("trainer")
        .annotate(taken=_seats_taken())
        .order_by("starts_at", "pk")
    )
    registrations = {
        registration.session_id: registration
        for registration in with_waiting_position(
            SessionRegistration.objects.filter(
                user=user, session__in=[s.pk for s in sessions], status__in=ACTIVE_REGISTRATION
            )
        )
    }
    for session in sessions:
        session.seats_left = max(session.capacity - session.taken, 0)
        session.registration = registrations.get(session.pk)
    return sessions


def upcoming_session_counts(
    course_ids: Iterable[int], *, now: datetime | None = None
) -> dict[int, int]:
    """How many sessions not started yet each course has (courses without any are left
    out): one query."""
    return dict(
        TrainingSession.objects.filter(
            course__in=list(course_ids), starts_at__gt=now or timezone.now()
        )
        .order_by()
        .values("course")
        .annotate(n=Count("pk"))
        .values_list("course", "n")
    )


def with_waiting_position(
    registrations: QuerySet[SessionRegistration],
) -> QuerySet[SessionRegistration]:
    """Registrations with `waiting_position`: 1 for the next on the waiting list to get a
    seat, counted in the same query (meaningless for registrations not waiting)."""
    ahead = (
        SessionRegistration.objects.filter(
            Q(registered_at__lt=OuterRef("registered_at"))
            | Q(registered_at=OuterRef("registered_at"), pk__lt=OuterRef("pk")),
            session=OuterRef("session"),
            status=SessionRegistration.Status.WAITLISTED,
        )
        .order_by()
        .values("session")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return registrations.annotate(waiting_position=Coalesce(Subquery(ahead), 0) + 1)


def my_session_registrations(
    user: AbstractBaseUser, *, now: datetime | None = None
) -> list[SessionRegistration]:
    """The trainee's seats and waiting-list places at sessions not ended yet, soonest first,
    with the session and its course title in the language being read: two queries at most."""
    registrations = list(
        with_waiting_position(
            SessionRegistration.objects.filter(
                user=user,
                status__in=ACTIVE_REGISTRATION,
                session__ends_at__gt=now or timezone.now(),
            )
        )
        .select_related("session__course", "session__trainer")
        .order_by("session__starts_at", "pk")
    )
    translated = translations_in_active_language([r.session.course for r in registrations])
    for registration in registrations:
        course = registration.session.course
        registration.course_title = translated.get(course.translation_key, course).title
    return registrations


@dataclass(frozen=True)
class Roster:
    """A session's trainees: with a seat, waiting (in the order they get a seat), cancelled."""

    registered: list[SessionRegistration]
    waitlisted: list[SessionRegistration]
    cancelled: list[SessionRegistration]


def session_roster(session: TrainingSession) -> Roster:
    """One query, with each trainee's profile and unit."""
    rows = list(
        session.registrations.select_related("user__trainee_profile__unit", "marked_by").order_by(
            "registered_at", "pk"
        )
    )
    by_status: dict[str, list[SessionRegistration]] = {s: [] for s in SessionRegistration.Status}
    for row in rows:
        by_status[row.status].append(row)
    registered = sorted(
        by_status[SessionRegistration.Status.REGISTERED],
        key=lambda r: (r.user.last_name, r.user.first_name, r.user.username),
    )
    return Roster(
        registered=registered,
        waitlisted=by_status[SessionRegistration.Status.WAITLISTED],
        cancelled=by_status[SessionRegistration.Status.CANCELLED],
    )


def attended_a_session(user: AbstractBaseUser, course: CoursePage) -> bool:
    """Marked present at a session of the course (its source-language page)."""
    return SessionRegistration.objects.filter(
        user=user,
        session__course=course,
        status=SessionRegistration.Status.REGISTERED,
        attended=True,
    ).exists()


def waiting_position(registration: SessionRegistration) -> int:
    """Where a waiting registration stands on its session's waiting list: one query."""
    registrations = SessionRegistration.objects.filter(pk=registration.pk)
    return with_waiting_position(registrations).get().waiting_position
