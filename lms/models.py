"""The learner side: who trainees are, what they study, how far they got, what they earned."""

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node

# No 0/O, 1/I/L or U/V pairs: a code read out over a radio or typed from paper stays unambiguous.
CERTIFICATE_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTWXYZ"
CERTIFICATE_CODE_GROUPS = 3
CERTIFICATE_CODE_GROUP_LENGTH = 4


def new_certificate_code() -> str:
    """A random code like "K7QF-2M9X-PR3A": 29¹² ≈ 3.5·10¹⁷ codes, so among a million
    certificates a clash has odds of about one in 700 000. The unique constraint catches
    it: that request fails and the next one draws a new code."""
    return "-".join(
        "".join(
            secrets.choice(CERTIFICATE_CODE_ALPHABET) for _ in range(CERTIFICATE_CODE_GROUP_LENGTH)
        )
        for _ in range(CERTIFICATE_CODE_GROUPS)
    )


class Unit(MP_Node):
    """A police unit: national headquarters, voivodeship headquarters and their districts."""

    class Kind(models.TextChoices):
        NATIONAL = "national", _("National")
        VOIVODESHIP = "voivodeship", _("Voivodeship")
        DISTRICT = "district", _("District")

    name = models.CharField(_("name"), max_length=255)
    code = models.SlugField(_("code"), max_length=64, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)

    node_order_by = ["name"]

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")

    def __str__(self) -> str:
        return self.name


class TraineeProfile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="trainee_profile",
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="trainees",
    )
    rank = models.CharField(_("rank"), max_length=100, blank=True)
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=10,
        choices=settings.LANGUAGES,
        default="pl",
        help_text=_("The language of the trainee's certificates."),
    )

    class Meta:
        verbose_name = _("trainee profile")
        verbose_name_plural = _("trainee profiles")

    def __str__(self) -> str:
        return str(self.user)


class Enrolment(models.Model):
    """A trainee on a course (the course's page in the source language, whatever language
    the trainee reads it in: one course, one progress, one certificate)."""

    class Source(models.TextChoices):
        SELF = "self", _("Self-enrolled")
        ASSIGNED = "assigned", _("Assigned")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="enrolments",
    )
    course = models.ForeignKey(
        "courses.CoursePage",
        verbose_name=_("course"),
        on_delete=models.CASCADE,
        related_name="enrolments",
    )
    source = models.CharField(
        _("source"), max_length=20, choices=Source.choices, default=Source.SELF
    )
    enrolled_at = models.DateTimeField(_("enrolled"), default=timezone.now)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            models.UniqueConstraint(fields=["user", "course"], name="lms_enrolment_unique_course")
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.course}"


class ModuleProgress(models.Model):
    """How far a trainee got in one module (its page in the source language)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="module_progress",
    )
    module = models.ForeignKey(
        "courses.ModulePage",
        verbose_name=_("module"),
        on_delete=models.CASCADE,
        related_name="progress",
    )
    viewed_at = models.DateTimeField(_("first viewed"), null=True, blank=True)
    quiz_passed_at = models.DateTimeField(_("quiz passed"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)

    class Meta:
        verbose_name = _("module progress")
        verbose_name_plural = _("module progress")
        constraints = [
            models.UniqueConstraint(fields=["user", "module"], name="lms_progress_unique_module")
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.module}"


class Certificate(models.Model):
    """Proof of a completed course. The holder's name and the course's title are copied
    when it is issued, so the certificate reads the same if either changes later."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("holder"),
        on_delete=models.CASCADE,
        related_name="certificates",
    )
    course = models.ForeignKey(
        "courses.CoursePage",
        verbose_name=_("course"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="certificates",
    )
    code = models.CharField(
        _("verification code"),
        max_length=20,
        unique=True,
        default=new_certificate_code,
        editable=False,
    )
    holder_name = models.CharField(_("holder's name"), max_length=255)
    course_title = models.CharField(_("course title"), max_length=255)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    issued_at = models.DateTimeField(_("issued"), default=timezone.now)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        constraints = [
            models.UniqueConstraint(fields=["user", "course"], name="lms_certificate_unique_course")
        ]

    def __str__(self) -> str:
        return f"{self.code} – {self.holder_name}"


class Assignment(models.Model):
    """A course assigned to a unit (with or without its subunits) or to a group, due by a date.

    Assigning enrols the unit's or group's trainees (lms.services.assign_course); trainees
    who join the unit or group later are enrolled when they join (apply_assignments)."""

    course = models.ForeignKey(
        "courses.CoursePage",
        verbose_name=_("course"),
        on_delete=models.CASCADE,
        related_name="assignments",
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="assignments",
    )
    group = models.ForeignKey(
        "auth.Group",
        verbose_name=_("group"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="course_assignments",
    )
    include_subunits = models.BooleanField(_("include subunits"), default=True)
    due_date = models.DateField(_("due date"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("assigned"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(unit__isnull=False, group__isnull=True)
                | models.Q(unit__isnull=True, group__isnull=False),
                name="lms_assignment_unit_or_group",
            )
        ]

    def __str__(self) -> str:
        return f"{self.course} – {self.unit or self.group}"


# --- classroom and practical sessions (blended learning) ---------------------------------


class TrainingSession(models.Model):
    """A workshop, seminar, language course or practical training held in person, on a
    course (its page in the source language, like enrolments)."""

    class Kind(models.TextChoices):
        WORKSHOP = "workshop", _("Workshop")
        SEMINAR = "seminar", _("Seminar")
        LANGUAGE_COURSE = "language_course", _("Language course")
        PRACTICAL = "practical", _("Practical training")

    course = models.ForeignKey(
        "courses.CoursePage",
        verbose_name=_("course"),
        on_delete=models.CASCADE,
        related_name="training_sessions",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(
        _("place"), max_length=255, help_text=_("The address and the room or training ground.")
    )
    trainer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("trainer"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="training_sessions_led",
    )
    capacity = models.PositiveIntegerField(
        _("capacity"),
        validators=[MinValueValidator(1)],
        help_text=_("Seats; trainees who register when every seat is taken join the waiting list."),
    )

    class Meta:
        verbose_name = _("classroom session")
        verbose_name_plural = _("classroom sessions")
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["course", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="lms_session_ends_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(capacity__gte=1), name="lms_session_capacity_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({timezone.localtime(self.starts_at):%Y-%m-%d %H:%M})"

    def clean(self) -> None:
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("The session must end after it starts.")})


class SessionRegistration(models.Model):
    """A trainee's seat (or place on the waiting list) at a session, and their attendance.

    A cancelled registration is kept (with its history) and reused if they register again;
    the waiting list is served in the order of `registered_at`."""

    class Status(models.TextChoices):
        REGISTERED = "registered", _("Registered")
        WAITLISTED = "waitlisted", _("On the waiting list")
        CANCELLED = "cancelled", _("Cancelled")

    session = models.ForeignKey(
        TrainingSession,
        verbose_name=_("session"),
        on_delete=models.CASCADE,
        related_name="registrations",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("trainee"),
        on_delete=models.CASCADE,
        related_name="session_registrations",
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    registered_at = models.DateTimeField(_("registered"), default=timezone.now)
    # None until the trainer marks it: not marked is not the same as absent.
    attended = models.BooleanField(_("attended"), null=True, blank=True)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("attendance marked by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    marked_at = models.DateTimeField(_("attendance marked"), null=True, blank=True)

    class Meta:
        verbose_name = _("session registration")
        verbose_name_plural = _("session registrations")
        indexes = [models.Index(fields=["session", "status", "registered_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "user"], name="lms_session_registration_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.session}"
