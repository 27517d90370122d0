"""Learner API: a trainee's own courses and certificates, and the training reports for
trainers, scoped to their units (lms.selectors.report_scope)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils import timezone
from django.utils.functional import cached_property
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import Serializer

from quizzes.api.permissions import IsReviewer
from quizzes.reports import quiz_for_report

from .. import reports, selectors
from ..models import Certificate
from .filters import CourseReportFilter, QuizReportFilter, ScopedReportFilter
from .permissions import HasReportScope
from .serializers import (
    CertificateSerializer,
    CourseCompletionSerializer,
    CourseProgressSerializer,
    OverdueEnrolmentSerializer,
    ScoreDistributionSerializer,
    SessionParticipantsSerializer,
    UnitCompletionSerializer,
)


class MeViewSet(viewsets.GenericViewSet):
    """The signed-in trainee's own data: nobody else's is ever read here."""

    permission_classes = [IsAuthenticated]
    filter_backends: list = []

    @extend_schema(
        responses=CourseProgressSerializer(many=True),
        summary="Your courses with your progress",
        description=(
            "Your enrolments on live courses, as on the My courses page: assigned and not "
            "started, in progress, completed; in each, overdue first (the longest overdue at "
            "the top), then the most recently enrolled. Titles and links in the language "
            "asked for."
        ),
    )
    @action(detail=False)
    def courses(self, request: Request) -> Response:
        dashboard = selectors.dashboard(request.user)
        rows = [*dashboard.assigned, *dashboard.in_progress, *dashboard.completed]
        page = self.paginate_queryset(rows)
        serializer = CourseProgressSerializer(page, many=True, context={"request": request})
        return self.get_paginated_response(serializer.data)

    @extend_schema(
        responses=CertificateSerializer(many=True),
        summary="Your certificates",
        description="The newest first, each with its PDF and its public verification page.",
    )
    @action(detail=False)
    def certificates(self, request: Request) -> Response:
        certificates = Certificate.objects.filter(user=request.user).order_by("-issued_at", "pk")
        page = self.paginate_queryset(certificates)
        serializer = CertificateSerializer(page, many=True, context={"request": request})
        return self.get_paginated_response(serializer.data)


def _parameter(name: str, type_: OpenApiTypes, description: str, **extra) -> OpenApiParameter:
    return OpenApiParameter(name, type_, OpenApiParameter.QUERY, description=description, **extra)


UNIT_AND_PERIOD = [
    _parameter(
        "unit",
        OpenApiTypes.INT,
        "A unit's id, in your scope: with every unit under it (default: your unit, or all "
        "units for national trainers). Another unit is a 400 error.",
    ),
    _parameter("date_from", OpenApiTypes.DATE, "From this day (inclusive)."),
    _parameter("date_to", OpenApiTypes.DATE, "To this day (inclusive), not before date_from."),
]
COURSE = _parameter("course", OpenApiTypes.INT, "A course's page id (source language).")
QUIZ = _parameter("quiz", OpenApiTypes.INT, "A quiz's id (source language).", required=True)
ERRORS = {
    400: OpenApiResponse(OpenApiTypes.OBJECT, description="Bad filters: messages per field."),
    403: OpenApiResponse(
        OpenApiTypes.OBJECT, description="Not a trainer, or a trainer without a unit."
    ),
}
SCOPE = " Trainers see their own unit and the units under it; national trainers every unit."


class TrainingReportViewSet(viewsets.GenericViewSet):
    """The admin's training reports (lms.report_views) as data: the same reads, the same
    filters, the same scope."""

    permission_classes = [IsAuthenticated, IsReviewer, HasReportScope]
    filter_backends: list = []

    @cached_property
    def scope(self) -> selectors.ReportScope:
        return selectors.report_scope(self.request.user)

    def valid_filterset(self, filter_class: type[ScopedReportFilter]) -> ScopedReportFilter:
        """The query's filters, validated: 400 with a message per field otherwise."""
        filterset = filter_class(self.request.query_params, scope=self.scope)
        if not filterset.is_valid():
            raise ValidationError(filterset.errors)
        return filterset

    def paginated(
        self, rows: Sequence[Any], serializer_class: type[Serializer], **context: Any
    ) -> Response:
        page = self.paginate_queryset(rows)
        serializer = serializer_class(page, many=True, context={"request": self.request, **context})
        return self.get_paginated_response(serializer.data)

    @extend_schema(
        parameters=[COURSE, *UNIT_AND_PERIOD],
        responses={200: CourseCompletionSerializer(many=True), **ERRORS},
        summary="Trainer report: completion per course",
        description="Enrolments, completions and certificates per course; the period is the "
        "enrolment date." + SCOPE,
    )
    @action(detail=False, url_path="course-completion")
    def course_completion(self, request: Request) -> Response:
        filters = self.valid_filterset(CourseReportFilter).report_filters()
        return self.paginated(reports.course_completion(filters), CourseCompletionSerializer)

    @extend_schema(
        parameters=[COURSE, *UNIT_AND_PERIOD],
        responses={200: UnitCompletionSerializer(many=True), **ERRORS},
        summary="Trainer report: completion per unit",
        description="Each unit in tree order, counting its own trainees and those of every "
        "unit under it; the period is the enrolment date." + SCOPE,
    )
    @action(detail=False, url_path="unit-completion")
    def unit_completion(self, request: Request) -> Response:
        filters = self.valid_filterset(CourseReportFilter).report_filters()
        return self.paginated(reports.unit_completion(filters), UnitCompletionSerializer)

    @extend_schema(
        parameters=[QUIZ, *UNIT_AND_PERIOD],
        responses={200: ScoreDistributionSerializer, **ERRORS},
        summary="Trainer report: a quiz's score distribution",
        description="The attempts that count for a grade, in 10-point bands; the period is "
        "the submission date." + SCOPE,
    )
    @action(detail=False, url_path="score-distribution")
    def score_distribution(self, request: Request) -> Response:
        filterset = self.valid_filterset(QuizReportFilter)
        quiz = quiz_for_report(filterset.form.cleaned_data["quiz"].pk)
        figures = reports.score_distribution(quiz, filterset.report_filters())
        return Response(ScoreDistributionSerializer(figures).data)

    @extend_schema(
        parameters=[COURSE, *UNIT_AND_PERIOD],
        responses={200: OverdueEnrolmentSerializer(many=True), **ERRORS},
        summary="Trainer report: overdue enrolments",
        description="Enrolments past their due date and not completed, the most overdue "
        "first; the period is the due date." + SCOPE,
    )
    @action(detail=False)
    def overdue(self, request: Request) -> Response:
        filters = self.valid_filterset(CourseReportFilter).report_filters()
        today = timezone.localdate()
        rows = reports.overdue_enrolments(filters, today)
        return self.paginated(rows, OverdueEnrolmentSerializer, today=today)

    @extend_schema(
        parameters=[COURSE, *UNIT_AND_PERIOD],
        responses={200: SessionParticipantsSerializer(many=True), **ERRORS},
        summary="Trainer report: classroom session participants",
        description="Per kind of session, the trainees with a seat or on the waiting list and "
        "those marked present or absent; the period is the session's start." + SCOPE,
    )
    @action(detail=False, url_path="session-participants")
    def session_participants(self, request: Request) -> Response:
        filters = self.valid_filterset(CourseReportFilter).report_filters()
        rows = reports.session_participants(filters)
        return Response(SessionParticipantsSerializer(rows, many=True).data)
