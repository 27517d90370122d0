"""Quiz API: a trainee starts or resumes an attempt, saves answers one by one, submits."""

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import get_language
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.exceptions import ValidationError as DRFValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from .. import selectors, services
from ..models import Attempt, Quiz
from ..question_types import AnswerError
from .filters import AttemptFilter
from .permissions import IsAttemptOwnerOrReviewer
from .serializers import (
    AnswerSerializer,
    AttemptSerializer,
    AttemptSummarySerializer,
    ConflictSerializer,
    QuizSerializer,
    SavedAnswerSerializer,
    StartSerializer,
)

CONFLICT = OpenApiResponse(ConflictSerializer, description="The quiz or attempt state forbids it.")


def conflict(error: services.QuizError) -> Response:
    return Response({"detail": error.message, "code": error.code}, status=status.HTTP_409_CONFLICT)


def attempt_response(attempt: Attempt, status_code: int = status.HTTP_200_OK) -> Response:
    fresh = selectors.attempt_with_questions(attempt.pk)
    payload = selectors.attempt_payload(fresh, timezone.now())
    return Response(AttemptSerializer(payload).data, status=status_code)


class ThrottledWritesMixin:
    """Writes (start, save, submit) share the "attempt_writes" rate; reads are free."""

    throttle_scope = "attempt_writes"

    def get_throttles(self):
        if self.request.method in ("GET", "HEAD", "OPTIONS"):
            return []
        return super().get_throttles()


class QuizViewSet(ThrottledWritesMixin, viewsets.GenericViewSet):
    permission_classes = [IsAuthenticated]
    serializer_class = QuizSerializer
    queryset = Quiz.objects.none()  # objects come from selectors; this types the schema
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
        quiz = selectors.quiz_for_trainee(_int(pk), request.user)
        if quiz is None:
            raise NotFound()
        options = StartSerializer(data=request.data)
        options.is_valid(raise_exception=True)
        language = options.validated_data.get("language") or get_language() or "pl"
        try:
            result = services.start_attempt(quiz.source, request.user, language=language)
        except services.QuizError as error:
            return conflict(error)
        return attempt_response(result.attempt, 201 if result.created else 200)


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
        attempt = get_object_or_404(self.get_queryset(), pk=_int(pk))
        self.check_object_permissions(self.request, attempt)
        return services.close_if_overdue(attempt)

    @extend_schema(responses=AttemptSerializer, summary="An attempt with its questions (no keys)")
    def retrieve(self, request: Request, pk: str) -> Response:
        return attempt_response(self.get_attempt(pk))

    @extend_schema(
        request=AnswerSerializer,
        responses={200: SavedAnswerSerializer, 409: CONFLICT},
        summary="Save the answer to one question (autosave; idempotent)",
    )
    @action(detail=True, methods=["put"], url_path=r"answers/(?P<position>\d+)")
    def answer(self, request: Request, pk: str, position: str) -> Response:
        attempt = self.get_attempt(pk)
        serializer = AnswerSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            saved = services.save_answer(
                attempt, int(position), serializer.validated_data["answer"]
            )
        except services.QuizError as error:
            return conflict(error)
        except AnswerError as error:
            raise DRFValidationError(error.message_dict) from error
        return Response(
            SavedAnswerSerializer(
                {
                    "position": saved.position,
                    "answer": saved.answer,
                    "answered_at": saved.answered_at,
                }
            ).data
        )

    @extend_schema(
        request=None,
        responses={200: AttemptSerializer, 409: CONFLICT},
        summary="Submit the attempt for grading",
    )
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str) -> Response:
        attempt = self.get_attempt(pk)
        try:
            services.submit_attempt(attempt)
        except services.QuizError as error:
            return conflict(error)
        return attempt_response(attempt)


def _int(value: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise NotFound() from None
