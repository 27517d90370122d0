"""Quiz API: a trainee starts or resumes an attempt, saves answers one by one, submits."""

from django.utils import timezone
from django.utils.translation import get_language
from django_tasks import TaskResultStatus
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import APIException, NotFound, PermissionDenied
from rest_framework.exceptions import ValidationError as DRFValidationError
from rest_framework.permissions import SAFE_METHODS, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings

from .. import reports, selectors, services, tasks
from ..models import Attempt, AttemptQuestion, Quiz
from ..question_types import AnswerError
from .filters import AttemptFilter, AttemptReportFilter
from .permissions import IsAttemptOwnerOrReviewer, IsGrader, IsReviewer
from .renderers import CSVRenderer
from .serializers import (
    AnswerSerializer,
    AttemptReportRowSerializer,
    AttemptSerializer,
    AttemptSummarySerializer,
    ConflictSerializer,
    ManualGradeSerializer,
    QuizSerializer,
    QuizStatisticsSerializer,
    RegradeResultSerializer,
    RegradeSerializer,
    SavedAnswerSerializer,
    StartSerializer,
)
from .throttling import WindowedScopedRateThrottle

CONFLICT = OpenApiResponse(ConflictSerializer, description="The quiz or attempt state forbids it.")


def conflict(error: services.QuizError) -> Response:
    return Response({"detail": error.message, "code": error.code}, status=status.HTTP_409_CONFLICT)


def attempt_response(attempt: Attempt, status_code: int = status.HTTP_200_OK) -> Response:
    """The attempt as the player shows it, read afresh with its questions."""
    return loaded_attempt_response(
        selectors.attempt_with_questions(attempt.pk, with_versions=False), status_code
    )


def loaded_attempt_response(
    attempt: Attempt,
    status_code: int = status.HTTP_200_OK,
    questions: list[AttemptQuestion] | None = None,
) -> Response:
    """The attempt as the player shows it; its quiz and questions are already loaded."""
    payload = selectors.attempt_payload(attempt, timezone.now(), questions)
    return Response(ATTEMPT_FIELDS.to_representation(payload), status=status_code)


# The attempt API's hot responses are rendered by serializer instances built once per
# process: a new DRF serializer deep-copies every declared field, which cost more than
# rendering the attempt itself. to_representation only reads them, so threads share them.
ATTEMPT_FIELDS = AttemptSerializer()
SAVED_ANSWER_FIELDS = SavedAnswerSerializer()


REVIEWERS = [IsAuthenticated, IsReviewer]


class ThrottledWritesMixin:
    """Writes (start, save, submit) share the "attempt_writes" rate; reads are free."""

    throttle_scope = "attempt_writes"
    throttle_classes = [WindowedScopedRateThrottle]

    def get_throttles(self):
        if self.request.method in SAFE_METHODS:
            return []
        return super().get_throttles()


class QuizViewSet(ThrottledWritesMixin, viewsets.GenericViewSet):
    permission_classes = [IsAuthenticated]
    serializer_class = QuizSerializer
    queryset = Quiz.objects.none()  # objects come from selectors; this types the schema
    filterset_class = None  # the attempts report sets its own
    lookup_value_regex = r"\d+"

    @extend_schema(responses=QuizSerializer, summary="A quiz and how many attempts you used")
    def retrieve(self, request: Request, pk: str) -> Response:
        quiz = selectors.quiz_for_trainee(_int(pk), request.user)
        if quiz is None:
            raise NotFound()
        return Response(QuizSerializer(quiz).data)

    @extend_schema(
        request=StartSerializer,
        responses={201: AttemptSerializer, 200: AttemptSerializer, 409: CONFLICT},
        summary="Start an attempt, or resume the one in progress",
    )
    @action(detail=True, methods=["post"], url_path="attempts")
    def start(self, request: Request, pk: str) -> Response:
        quiz = selectors.quiz_with_source(_int(pk))
        if quiz is None:
            raise NotFound()
        options = StartSerializer(data=request.data)
        options.is_valid(raise_exception=True)
        language = options.validated_data.get("language") or get_language() or "pl"
        try:
            result = services.start_attempt(quiz.source, request.user, language=language)
        except services.QuizError as error:
            return conflict(error)
        if result.created:
            return loaded_attempt_response(result.attempt, 201, result.questions)
        return attempt_response(result.attempt)

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "format", str, enum=["json", "csv"], description="csv: every row, unpaginated."
            )
        ],
        responses={
            (200, "application/json"): AttemptReportRowSerializer(many=True),
            (200, "text/csv"): OpenApiResponse(
                OpenApiTypes.STR, description="The same rows as CSV (UTF-8 with BOM)."
            ),
        },
        summary="Trainer report: the quiz's attempts (reviewers only)",
        description=(
            "Every attempt, in progress too, with whether it counts under the quiz's grading "
            "method. `?format=csv` or `Accept: text/csv` downloads all matching rows as CSV."
        ),
    )
    @action(
        detail=True,
        url_path="report/attempts",
        permission_classes=REVIEWERS,
        queryset=Attempt.objects.none(),
        filterset_class=AttemptReportFilter,
        renderer_classes=[*api_settings.DEFAULT_RENDERER_CLASSES, CSVRenderer],
    )
    def report_attempts(self, request: Request, pk: str) -> Response:
        quiz = _source_quiz(pk)
        rows = self.filter_queryset(reports.attempts_table(quiz))
        if request.accepted_renderer.format == CSVRenderer.format:
            filename = f"quiz-{quiz.pk}-attempts.csv"
            return Response(
                AttemptReportRowSerializer(rows, many=True).data,
                headers={"Content-Disposition": f'attachment; filename="{filename}"'},
            )
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(AttemptReportRowSerializer(page, many=True).data)

    @extend_schema(
        responses=QuizStatisticsSerializer,
        summary="Trainer report: Moodle's quiz statistics (reviewers only)",
        description=(
            "Computed over the attempts that count under the grading method; per position "
            "of the quiz, the questions drawn there and the responses given."
        ),
    )
    @action(detail=True, url_path="report/statistics", permission_classes=REVIEWERS)
    def report_statistics(self, request: Request, pk: str) -> Response:
        report = reports.quiz_statistics(_source_quiz(pk))
        return Response(QuizStatisticsSerializer(report).data)

    @extend_schema(
        request=RegradeSerializer,
        responses={202: RegradeResultSerializer},
        summary="Regrade every submitted attempt (a background task)",
    )
    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated, IsGrader])
    def regrade(self, request: Request, pk: str) -> Response:
        quiz = _source_quiz(pk)
        options = RegradeSerializer(data=request.data)
        options.is_valid(raise_exception=True)
        result = tasks.regrade_quiz.enqueue(quiz.pk, **options.validated_data)
        done = result.status == TaskResultStatus.SUCCESSFUL
        payload = {
            "task_id": str(result.id),
            "status": str(result.status),
            "regraded": result.return_value if done else None,
        }
        return Response(RegradeResultSerializer(payload).data, status=status.HTTP_202_ACCEPTED)


class AttemptViewSet(ThrottledWritesMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    permission_classes = [IsAuthenticated, IsAttemptOwnerOrReviewer]
    serializer_class = AttemptSummarySerializer
    filterset_class = AttemptFilter
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return Attempt.objects.none()
        return selectors.attempts_visible_to(self.request.user).order_by("-started_at", "-pk")

    def get_attempt(self, pk: str) -> Attempt:
        """The attempt with its questions, if the user may read it, else 404."""
        attempt = selectors.attempt_with_questions(_int(pk), with_versions=False)
        user = self.request.user
        # Most requests come from the attempt's owner: ask the (costlier) reviewer
        # question only for someone else's attempt.
        if attempt is None or (
            attempt.user_id != user.pk and not selectors.can_review_attempts(user)
        ):
            raise NotFound()
        self.check_object_permissions(self.request, attempt)
        return services.close_if_overdue(attempt)

    def not_theirs(self, pk: str) -> APIException:
        """Writes are the owner's (the services check it as they lock the attempt): someone
        else's attempt is 403 to a reviewer, who may read it, and 404 to anyone else."""
        if (
            selectors.can_review_attempts(self.request.user)
            and Attempt.objects.filter(pk=_int(pk)).exists()
        ):
            return PermissionDenied()
        return NotFound()

    @extend_schema(responses=AttemptSerializer, summary="An attempt with its questions (no keys)")
    def retrieve(self, request: Request, pk: str) -> Response:
        return loaded_attempt_response(self.get_attempt(pk))

    @extend_schema(
        request=AnswerSerializer,
        responses={200: SavedAnswerSerializer, 409: CONFLICT},
        summary="Save the answer to one question (autosave; idempotent)",
    )
    @action(detail=True, methods=["put"], url_path=r"answers/(?P<position>\d+)")
    def answer(self, request: Request, pk: str, position: str) -> Response:
        serializer = AnswerSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            saved = services.save_answer(
                _int(pk),
                int(position),
                serializer.validated_data["answer"],
                trainee=request.user,
            )
        except services.AttemptNotFound:
            raise self.not_theirs(pk) from None
        except services.QuizError as error:
            return conflict(error)
        except AnswerError as error:
            raise DRFValidationError(error.message_dict) from error
        return Response(
            SAVED_ANSWER_FIELDS.to_representation(
                {
                    "position": saved.position,
                    "answer": saved.answer,
                    "answered_at": saved.answered_at,
                }
            )
        )

    @extend_schema(
        request=None,
        responses={200: AttemptSerializer, 409: CONFLICT},
        summary="Submit the attempt for grading",
    )
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str) -> Response:
        try:
            submitted = services.submit_attempt(_int(pk), trainee=request.user)
        except services.AttemptNotFound:
            raise self.not_theirs(pk) from None
        except services.QuizError as error:
            return conflict(error)
        return loaded_attempt_response(submitted)

    @extend_schema(
        request=ManualGradeSerializer,
        responses={200: AttemptSerializer, 409: CONFLICT},
        summary="Grade one question by hand (essays), with a comment",
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=r"questions/(?P<position>\d+)/grade",
        permission_classes=[IsAuthenticated, IsGrader],
    )
    def grade(self, request: Request, pk: str, position: str) -> Response:
        attempt = self.get_attempt(pk)
        question = attempt.questions.filter(position=int(position)).first()
        if question is None:
            raise NotFound()
        grade = ManualGradeSerializer(data=request.data)
        grade.is_valid(raise_exception=True)
        try:
            services.grade_manually(question, grader=request.user, **grade.validated_data)
        except services.QuizError as error:
            return conflict(error)
        return attempt_response(attempt)


def _source_quiz(pk: str) -> Quiz:
    """The translation holding the quiz's slots and attempts, or 404."""
    quiz = reports.quiz_for_report(_int(pk))
    if quiz is None:
        raise NotFound()
    return quiz


def _int(value: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise NotFound() from None
