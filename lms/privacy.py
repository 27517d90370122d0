"""A trainee's personal data on request (GDPR): export everything held about one trainee
(right of access) and erase what identifies them (right to erasure).

Export: `export_trainee_data` builds one JSON document from `EXPORT_SECTIONS`, a list of
small functions, one per kind of data; adding a kind of data is one function and one
entry. Each section runs a fixed number of queries, whatever the amount of data.

Erasure (`erase_trainee`) keeps the anonymised aggregates. Training reports (completion
per course and per unit, score distributions) and quiz statistics count rows that hang on
the user: enrolments, module progress, quiz attempts and their marks, certificates.
Deleting the user would delete them (and change last year's figures), so the user row
stays as an anonymous placeholder that nobody can sign in as and that nothing links back
to the person:

Kept, because reports count them and they say nothing about who the person was:
  - the user row (new random username ``erased-…``, see below), its date joined;
  - the trainee profile's unit (reports per unit must still add up) and language;
  - enrolments, module progress, quiz attempts with their marks, the questions drawn and
    the grader who marked them; the answers the trainee chose from what a question offers
    (option ids, true/false, an order, matches);
  - certificates with their code, course and date: a certificate shown to someone earlier
    can still be checked, and the verification page says the holder's data was erased;
  - classroom-session registrations and attendance (the participants report counts them).

Erased, in one transaction:
  - username, first and last name, e-mail address, last sign-in; the password becomes
    unusable and the account inactive; groups and user permissions are removed;
  - the profile's rank; Wagtail's user profile (avatar, preferences);
  - everything the trainee typed in answers (essays, short and numerical answers, text
    gaps) except text that is word for word part of the question (an accepted answer, an
    option id), which tells nothing about the person; the graders' comments on them (they
    may quote the answer). Marks stay, so the statistics stay;
  - the holder's name on certificates (left empty: an issued certificate always has one);
  - the user's sessions, API tokens and django-axes sign-in records (they hold the
    username and the addresses the person signed in from);
  - the username in the labels of Wagtail's audit log entries about the user or profile.

The erasure itself is logged in Wagtail's audit log (action `ERASURE_ACTION`, on the
placeholder user): who erased, when, and how many rows were touched, never the name.

An answer whose text was blanked is marked `answer_erased`: a later regrade of the quiz
keeps its mark (nothing is left to grade), so the figures stay after a corrected key too.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, Permission
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.log_actions import LogActionRegistry, log
from wagtail.models import ModelLogEntry
from wagtail.users.models import UserProfile

from quizzes.models import Attempt, AttemptQuestion
from quizzes.selectors import questions_in_order

from .models import (
    Certificate,
    Enrolment,
    ModuleProgress,
    SessionRegistration,
    TraineeProfile,
    Unit,
)

#: Identifies the export's layout; bump the number when a field changes meaning.
EXPORT_FORMAT = "police-training-lms/trainee-data/1"
#: The audit log action of an erasure.
ERASURE_ACTION = "lms.erase_personal_data"
#: Erased users' usernames start with this.
ERASED_USERNAME_PREFIX = "erased-"
#: django-axes' records of sign-ins, by username.
SIGN_IN_RECORD_MODELS = {
    "attempts": AccessAttempt,
    "failures": AccessFailureLog,
    "log": AccessLog,
}


def _time(value: datetime | date | None) -> str | None:
    return None if value is None else value.isoformat()


def _number(value: Decimal | None) -> str | None:
    """Decimals as strings: JSON numbers would lose their exact value."""
    return None if value is None else str(value)


# --------------------------------------------------------------------------------- export

ExportSection = Callable[[AbstractBaseUser], Any]


def _account(user: AbstractBaseUser) -> dict[str, Any]:
    """1 query (the groups)."""
    return {
        "username": user.get_username(),
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "date_joined": _time(user.date_joined),
        "last_login": _time(user.last_login),
        "is_active": user.is_active,
        "groups": sorted(user.groups.values_list("name", flat=True)),
    }


def _profile(user: AbstractBaseUser) -> dict[str, Any] | None:
    """2 queries: the profile with its unit, then the unit's ancestors."""
    profile = TraineeProfile.objects.select_related("unit").filter(user=user).first()
    if profile is None:
        return None
    unit_path = []
    if profile.unit is not None:
        # Each ancestor's path is a prefix of the unit's path (treebeard's materialised path).
        prefixes = [
            profile.unit.path[: depth * Unit.steplen] for depth in range(1, profile.unit.depth + 1)
        ]
        unit_path = list(
            Unit.objects.filter(path__in=prefixes).order_by("path").values_list("name", flat=True)
        )
    return {
        "unit": unit_path,
        "rank": profile.rank,
        "preferred_language": profile.preferred_language,
    }


def _enrolments(user: AbstractBaseUser) -> list[dict[str, Any]]:
    """1 query."""
    return [
        {
            "course": enrolment.course.title,
            "source": enrolment.source,
            "enrolled_at": _time(enrolment.enrolled_at),
            "due_date": _time(enrolment.due_date),
            "completed_at": _time(enrolment.completed_at),
        }
        for enrolment in Enrolment.objects.filter(user=user)
        .select_related("course")
        .order_by("enrolled_at", "pk")
    ]


def _module_progress(user: AbstractBaseUser) -> list[dict[str, Any]]:
    """1 query."""
    return [
        {
            "module": progress.module.title,
            "viewed_at": _time(progress.viewed_at),
            "quiz_passed_at": _time(progress.quiz_passed_at),
            "completed_at": _time(progress.completed_at),
        }
        for progress in ModuleProgress.objects.filter(user=user)
        .select_related("module")
        .order_by("pk")
    ]


def _certificates(user: AbstractBaseUser) -> list[dict[str, Any]]:
    """1 query."""
    return [
        {
            "code": certificate.code,
            "holder_name": certificate.holder_name,
            "course": certificate.course_title,
            "language": certificate.language,
            "issued_at": _time(certificate.issued_at),
        }
        for certificate in Certificate.objects.filter(user=user).order_by("issued_at", "pk")
    ]


def _session_registrations(user: AbstractBaseUser) -> list[dict[str, Any]]:
    """1 query."""
    return [
        {
            "session": registration.session.title,
            "course": registration.session.course.title,
            "kind": registration.session.kind,
            "starts_at": _time(registration.session.starts_at),
            "place": registration.session.place,
            "status": registration.status,
            "registered_at": _time(registration.registered_at),
            "attended": registration.attended,
        }
        for registration in SessionRegistration.objects.filter(user=user)
        .select_related("session__course")
        .order_by("registered_at", "pk")
    ]


def _attempt_question(question: AttemptQuestion) -> dict[str, Any]:
    return {
        "position": question.position,
        "question": question.version.text,
        "answer": question.answer,
        "answered_at": _time(question.answered_at),
        "mark": _number(question.mark),
        "max_mark": _number(question.max_mark),
        "feedback": question.feedback,
        "grader_comment": question.grader_comment,
    }


def _quiz_attempts(user: AbstractBaseUser) -> list[dict[str, Any]]:
    """2 queries: the attempts with their quizzes, then every answer with its question."""
    attempts = (
        Attempt.objects.filter(user=user)
        .select_related("quiz")
        .prefetch_related(questions_in_order())
        .order_by("started_at", "pk")
    )
    return [
        {
            "quiz": attempt.quiz.title,
            "number": attempt.number,
            "state": attempt.state,
            "language": attempt.language,
            "started_at": _time(attempt.started_at),
            "submitted_at": _time(attempt.submitted_at),
            "score": _number(attempt.score),
            "max_score": _number(attempt.max_score),
            "percent": _number(attempt.percent),
            "passed": attempt.passed,
            "answers": [_attempt_question(question) for question in attempt.questions.all()],
        }
        for attempt in attempts
    ]


def _sign_in_records(user: AbstractBaseUser) -> dict[str, list[dict[str, Any]]]:
    """django-axes' records of this username: 1 query per kind (3)."""
    return {
        kind: [
            {
                "time": _time(record.attempt_time),
                "ip_address": record.ip_address,
                "user_agent": record.user_agent,
                "path": record.path_info,
            }
            for record in model.objects.filter(username=user.get_username()).order_by(
                "attempt_time", "pk"
            )
        ]
        for kind, model in SIGN_IN_RECORD_MODELS.items()
    }


#: The export's sections in document order: (key, function of the user).
EXPORT_SECTIONS: list[tuple[str, ExportSection]] = [
    ("account", _account),
    ("profile", _profile),
    ("enrolments", _enrolments),
    ("module_progress", _module_progress),
    ("certificates", _certificates),
    ("session_registrations", _session_registrations),
    ("quiz_attempts", _quiz_attempts),
    ("sign_in_records", _sign_in_records),
]


def export_trainee_data(user: AbstractBaseUser) -> dict[str, Any]:
    """Everything held about `user`, as a JSON-serialisable document (GDPR art. 15):
    a fixed number of queries (see each section), whatever the amount of data."""
    return {
        "format": EXPORT_FORMAT,
        "exported_at": _time(timezone.now()),
        **{key: section(user) for key, section in EXPORT_SECTIONS},
    }


def export_filename(user: AbstractBaseUser, today: date | None = None) -> str:
    return f"trainee-{user.get_username()}-{(today or timezone.localdate()).isoformat()}.json"


# ---------------------------------------------------------------------------------- erasure


class ErasureRefused(Exception):
    """The account may not be erased here (an administrator, editor or trainer)."""


@dataclass(frozen=True)
class ErasureReport:
    """What an erasure did; `username` is the placeholder the user row now has."""

    user_id: int
    username: str
    answers_blanked: int
    certificates: int
    sessions: int
    api_tokens: int
    sign_in_records: int


def has_admin_access(user: AbstractBaseUser) -> bool:
    """Superusers, staff and anyone given access to Wagtail's admin (editors, trainers),
    read from the tables so that an inactive account counts too (`has_perm` says no to
    every inactive user): 1 query unless a flag says it."""
    if user.is_superuser or user.is_staff:
        return True
    return Permission.objects.filter(
        Q(user=user) | Q(group__user=user),
        content_type__app_label="wagtailadmin",
        codename="access_admin",
    ).exists()


#: Who may export and erase trainees' personal data (superusers have every permission).
PERSONAL_DATA_PERMISSION = "lms.delete_traineeprofile"


def can_handle_personal_data(actor: AbstractBaseUser, subject: AbstractBaseUser) -> bool:
    """`actor` may export and erase `subject`'s data: they may delete trainee profiles
    (administrators; trainers may not), and only a superuser handles an account with admin
    access (its export holds an administrator's sign-in records)."""
    if not actor.is_authenticated or not actor.has_perm(PERSONAL_DATA_PERMISSION):
        return False
    return actor.is_superuser or not has_admin_access(subject)


def check_erasable(user: AbstractBaseUser) -> None:
    """Raise ErasureRefused for accounts that run the site: they are not trainees, and
    their names stay on the content and grades they signed off."""
    if has_admin_access(user):
        raise ErasureRefused(
            _(
                "“%(username)s” is an administrator, editor or trainer account. Only "
                "trainee accounts can be erased here; remove the account’s admin access "
                "first."
            )
            % {"username": user.get_username()}
        )


def erase_trainee(user: AbstractBaseUser, *, by: AbstractBaseUser | None) -> ErasureReport:
    """Erase what identifies the trainee and keep the anonymised aggregates (see the
    module's docstring), in one transaction; `by` is who asked (None: the command line).
    Raises ErasureRefused for administrators, editors and trainers."""
    check_erasable(user)
    with transaction.atomic():
        user = get_user_model().objects.select_for_update().get(pk=user.pk)
        old_username = user.get_username()
        placeholder = f"{ERASED_USERNAME_PREFIX}{secrets.token_hex(8)}"
        user.username = placeholder
        user.first_name = user.last_name = user.email = ""
        user.last_login = None
        user.is_active = False
        user.set_unusable_password()
        user.save()
        user.groups.clear()
        user.user_permissions.clear()
        profile_ids = list(TraineeProfile.objects.filter(user=user).values_list("pk", flat=True))
        TraineeProfile.objects.filter(user=user).update(rank="")
        _delete_wagtail_profile(user)
        report = ErasureReport(
            user_id=user.pk,
            username=placeholder,
            answers_blanked=_blank_typed_answers(user),
            certificates=Certificate.objects.filter(user=user).update(holder_name=""),
            sessions=_delete_sessions(user),
            api_tokens=_delete_api_tokens(user),
            sign_in_records=sum(
                model.objects.filter(username=old_username).delete()[1].get(model._meta.label, 0)
                for model in SIGN_IN_RECORD_MODELS.values()
            ),
        )
        _relabel_audit_log(user, profile_ids)
        log(
            user,
            ERASURE_ACTION,
            user=by,
            title=placeholder,
            data={
                "answers_blanked": report.answers_blanked,
                "certificates": report.certificates,
                "sessions": report.sessions,
                "api_tokens": report.api_tokens,
                "sign_in_records": report.sign_in_records,
            },
        )
    return report


def _delete_wagtail_profile(user: AbstractBaseUser) -> None:
    profile = UserProfile.objects.filter(user=user).first()
    if profile is None:
        return
    if profile.avatar:
        # The file goes once the transaction commits: a rollback must not lose it.
        transaction.on_commit(lambda name=profile.avatar.name: profile.avatar.storage.delete(name))
    profile.delete()


def _strings_in(data: Any) -> set[str]:
    """Every string value anywhere in a JSON document."""
    if isinstance(data, str):
        return {data}
    if isinstance(data, dict):
        return set().union(*(_strings_in(value) for value in data.values()))
    if isinstance(data, list):
        return set().union(*(_strings_in(value) for value in data))
    return set()


def _without_typed_text(answer: Any, offered: set[str]) -> Any:
    """The answer with every string the question did not offer replaced by "" (its shape,
    keys, numbers and booleans stay): option ids and accepted answers are in the
    question's definition, what the trainee wrote in their own words is not."""
    if isinstance(answer, str):
        return answer if answer in offered else ""
    if isinstance(answer, dict):
        return {key: _without_typed_text(value, offered) for key, value in answer.items()}
    if isinstance(answer, list):
        return [_without_typed_text(value, offered) for value in answer]
    return answer


def _blank_typed_answers(user: AbstractBaseUser) -> int:
    """Blank typed text and grader comments in the user's answers: one read, then a bulk
    update of the rows that changed. Returns how many answers changed."""
    changed = []
    for question in (
        AttemptQuestion.objects.filter(attempt__user=user)
        .select_related("version")
        .only("pk", "answer", "answer_erased", "grader_comment", "version__definition")
    ):
        blanked = _without_typed_text(question.answer, _strings_in(question.version.definition))
        if blanked != question.answer:
            # What is left can no longer be graded: a regrade keeps the mark it had.
            question.answer, question.answer_erased = blanked, True
        if question.answer_erased or question.grader_comment:
            question.grader_comment = ""
            changed.append(question)
    AttemptQuestion.objects.bulk_update(
        changed, ["answer", "answer_erased", "grader_comment"], batch_size=500
    )
    return len(changed)


def _delete_sessions(user: AbstractBaseUser) -> int:
    """Sessions store the user's id signed and encoded, so each live one is decoded.
    (An unusable password already ends every session at its next request.)"""
    user_id = str(user.pk)
    keys = [
        session.session_key
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if session.get_decoded().get("_auth_user_id") == user_id
    ]
    return Session.objects.filter(session_key__in=keys).delete()[0]


def _delete_api_tokens(user: AbstractBaseUser) -> int:
    if not apps.is_installed("rest_framework.authtoken"):
        return 0
    from rest_framework.authtoken.models import Token

    return Token.objects.filter(user=user).delete()[0]


def _relabel_audit_log(user: AbstractBaseUser, profile_ids: list[int]) -> None:
    """Audit log entries about the user or their profile are labelled with the user's
    name or username as it was then; they get the placeholder."""
    content_types = ContentType.objects.get_for_models(get_user_model(), TraineeProfile)
    about = Q(content_type=content_types[get_user_model()], object_id=str(user.pk)) | Q(
        content_type=content_types[TraineeProfile],
        object_id__in=[str(pk) for pk in profile_ids],
    )
    ModelLogEntry.objects.filter(about).update(label=user.get_username())


def register_log_actions(actions: LogActionRegistry) -> None:
    """The `register_log_actions` hook: the erasure's entry in the audit log."""
    actions.register_action(
        ERASURE_ACTION,
        gettext_lazy("Erase personal data"),
        gettext_lazy("Personal data erased on request"),
    )
