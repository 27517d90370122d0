"""Output shapes of the learner API (no business logic here): the trainee's own courses and
certificates, and the trainer reports' rows."""

from __future__ import annotations

from django.urls import reverse
from django.utils import translation
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..models import Certificate, Enrolment, TrainingSession, Unit
from ..reports import days, rate
from ..selectors import CourseProgress


class CourseProgressSerializer(serializers.Serializer):
    """One of the trainee's courses (from lms.selectors.dashboard)."""

    course = serializers.IntegerField(source="enrolment.course_id", help_text="Page id.")
    title = serializers.CharField(source="course.title", help_text="In the language asked for.")
    url = serializers.SerializerMethodField()
    stage = serializers.SerializerMethodField(help_text="As on the My courses page.")
    source = serializers.ChoiceField(source="enrolment.source", choices=Enrolment.Source.choices)
    percent = serializers.IntegerField(help_text="Modules done, in percent, rounded down.")
    modules_done = serializers.IntegerField()
    modules_total = serializers.IntegerField()
    enrolled_at = serializers.DateTimeField(source="enrolment.enrolled_at")
    due_date = serializers.DateField(source="enrolment.due_date", allow_null=True)
    is_overdue = serializers.BooleanField(help_text="Not completed and past its due date.")
    completed_at = serializers.DateTimeField(source="enrolment.completed_at", allow_null=True)
    certificate_code = serializers.CharField(
        source="certificate.code", allow_null=True, default=None
    )

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, progress: CourseProgress) -> str:
        return progress.course.get_full_url(self.context["request"])

    @extend_schema_field(serializers.ChoiceField(choices=["assigned", "in_progress", "completed"]))
    def get_stage(self, progress: CourseProgress) -> str:
        if progress.is_completed:
            return "completed"
        if progress.is_assigned and not progress.is_started:
            return "assigned"
        return "in_progress"


class CertificateSerializer(serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField(help_text="The PDF, for its holder only.")
    verification_url = serializers.SerializerMethodField(
        help_text="The public page that confirms the certificate, in its language."
    )

    class Meta:
        model = Certificate
        fields = [
            "code",
            "course",
            "course_title",
            "holder_name",
            "language",
            "issued_at",
            "download_url",
            "verification_url",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_download_url(self, certificate: Certificate) -> str:
        path = reverse("learner:download_certificate", args=[certificate.code])
        return self.context["request"].build_absolute_uri(path)

    @extend_schema_field(OpenApiTypes.URI)
    def get_verification_url(self, certificate: Certificate) -> str:
        with translation.override(certificate.language):
            path = reverse("learner:verify_certificate", args=[certificate.code])
        return self.context["request"].build_absolute_uri(path)


# ---------------------------------------------------------------- trainer reports


class CompletionFiguresSerializer(serializers.Serializer):
    enrolled = serializers.IntegerField()
    completed = serializers.IntegerField()
    completion_rate = serializers.SerializerMethodField(
        help_text="Completed of enrolled, in percent to one decimal; null without enrolments."
    )

    def get_completion_rate(self, row) -> float | None:
        return rate(row.completed, row.enrolled)


class CourseCompletionSerializer(CompletionFiguresSerializer):
    id = serializers.IntegerField(help_text="The course's page id.")
    title = serializers.CharField()
    certified = serializers.IntegerField(
        help_text="Of these enrolments, how many have a certificate."
    )
    average_days = serializers.SerializerMethodField(
        help_text="Average days from enrolment to completion; null before anyone completed."
    )

    def get_average_days(self, row) -> float | None:
        return days(row.average_time)


class UnitCompletionSerializer(CompletionFiguresSerializer):
    """A unit's figures count its own trainees and those of every unit under it."""

    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=Unit.Kind.choices)
    depth = serializers.IntegerField(help_text="1 for the national headquarters.")


class ScoreBandSerializer(serializers.Serializer):
    low = serializers.IntegerField(help_text="Inclusive.")
    high = serializers.IntegerField(help_text="Exclusive, but for the last band (100).")
    attempts = serializers.IntegerField()


class ScoreDistributionSerializer(serializers.Serializer):
    attempts = serializers.IntegerField(help_text="Submitted attempts that count for a grade.")
    passed = serializers.IntegerField()
    pass_rate = serializers.SerializerMethodField(help_text="In percent; null without attempts.")
    average_percent = serializers.FloatField(allow_null=True)
    bands = ScoreBandSerializer(many=True)

    def get_pass_rate(self, figures) -> float | None:
        return rate(figures.passed, figures.attempts)


class OverdueEnrolmentSerializer(serializers.Serializer):
    enrolment = serializers.IntegerField(source="pk")
    trainee = serializers.IntegerField(source="user_id", help_text="User id.")
    username = serializers.CharField(source="user.username")
    full_name = serializers.CharField(source="user.get_full_name")
    unit = serializers.CharField(
        source="user.trainee_profile.unit.name",
        allow_null=True,
        help_text="The trainee's unit; null without one.",
    )
    course = serializers.IntegerField(source="course_id", help_text="Page id.")
    course_title = serializers.CharField(source="course.title")
    due_date = serializers.DateField()
    days_overdue = serializers.SerializerMethodField()

    def get_days_overdue(self, enrolment: Enrolment) -> int:
        return (self.context["today"] - enrolment.due_date).days


class SessionParticipantsSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=TrainingSession.Kind.choices)
    label = serializers.CharField(help_text="The kind's name in the language asked for.")
    sessions = serializers.IntegerField(help_text="Sessions with at least one such trainee.")
    registered = serializers.IntegerField(help_text="Seats taken.")
    waitlisted = serializers.IntegerField()
    present = serializers.IntegerField()
    absent = serializers.IntegerField()
