"""Question bank (categories, questions, immutable versions), quizzes and attempts."""

from __future__ import annotations

from contextlib import nullcontext
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from taggit.managers import TaggableManager
from treebeard.mp_tree import MP_Node
from wagtail.models import PreviewableMixin, TranslatableMixin

from . import question_types


class QuestionCategory(MP_Node):
    """A node of the bank's category tree, e.g. Smuggling → Excise goods."""

    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)

    node_order_by = ["name"]

    class Meta:
        verbose_name = _("question category")
        verbose_name_plural = _("question categories")

    def __str__(self) -> str:
        return self.name


class Difficulty(models.TextChoices):
    EASY = "easy", _("Easy")
    MEDIUM = "medium", _("Medium")
    HARD = "hard", _("Hard")


class Question(PreviewableMixin, TranslatableMixin, models.Model):
    """A question bank entry. Its content lives in versions; editing adds a version.

    Previewable: the question editor shows it in the player, as trainees see it (see
    quizzes.admin_views; the editor's unsaved content comes as `preview_version`).
    """

    category = models.ForeignKey(
        QuestionCategory,
        verbose_name=_("category"),
        on_delete=models.PROTECT,
        related_name="questions",
    )
    type = models.CharField(_("type"), max_length=40)
    name = models.CharField(
        _("name"), max_length=255, help_text=_("For editors; trainees never see it.")
    )
    difficulty = models.CharField(
        _("difficulty"), max_length=10, choices=Difficulty.choices, default=Difficulty.MEDIUM
    )
    default_mark = models.DecimalField(
        _("default mark"),
        max_digits=6,
        decimal_places=2,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    tags = TaggableManager(blank=True, verbose_name=_("tags"))
    latest_version = models.ForeignKey(
        "QuestionVersion",
        verbose_name=_("latest version"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self) -> str:
        return self.name

    @property
    def question_type(self) -> question_types.QuestionType:
        return question_types.get(self.type)

    # --- preview (PreviewableMixin) ----------------------------------------------------------

    def get_preview_template(self, request, mode_name):
        return "quizzes/question_preview.html"

    def get_preview_context(self, request, mode_name):
        from .admin_views import preview_context  # the admin's business; it imports models

        return {**super().get_preview_context(request, mode_name), **preview_context(self)}

    def serve_preview(self, request, mode_name):
        """Rendered in the question's language, as its trainees see the player."""
        language = self.locale.language_code if self.locale_id else None
        with translation.override(language) if language else nullcontext():
            response = super().serve_preview(request, mode_name)
            response.render()
        return response


class QuestionVersion(models.Model):
    """One immutable state of a question. Attempts keep the version they used."""

    question = models.ForeignKey(
        Question, verbose_name=_("question"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    text = models.TextField(_("question text"))
    definition = models.JSONField(_("definition"))
    general_feedback = models.TextField(_("general feedback"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # A translation's versions point at the original's version they correspond to, so the
    # editor can tell translators when the original has moved on (quizzes.translation_views).
    source_version = models.ForeignKey(
        "self",
        verbose_name=_("translated from"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="translated_versions",
        editable=False,
    )

    class Meta:
        verbose_name = _("question version")
        verbose_name_plural = _("question versions")
        constraints = [
            models.UniqueConstraint(
                fields=["question", "number"], name="quizzes_questionversion_unique_number"
            )
        ]
        ordering = ["question", "number"]

    def __str__(self) -> str:
        return f"{self.question} v{self.number}"


class GradingMethod(models.TextChoices):
    HIGHEST = "highest", _("Highest grade")
    AVERAGE = "average", _("Average grade")
    FIRST = "first", _("First attempt")
    LAST = "last", _("Last attempt")


class Layout(models.TextChoices):
    ONE_PER_PAGE = "one_per_page", _("One question per page")
    ALL_ON_ONE_PAGE = "all", _("All questions on one page")


class Quiz(TranslatableMixin, ClusterableModel):
    """A graded knowledge check: slots of questions plus its settings."""

    title = models.CharField(_("title"), max_length=255)
    intro = models.TextField(_("introduction"), blank=True)
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark (%)"), default=80, validators=[MaxValueValidator(100)]
    )
    time_limit = models.DurationField(_("time limit"), null=True, blank=True)
    attempts_allowed = models.PositiveSmallIntegerField(
        _("attempts allowed"), default=0, help_text=_("0 means unlimited.")
    )
    grading_method = models.CharField(
        _("grading method"),
        max_length=10,
        choices=GradingMethod.choices,
        default=GradingMethod.HIGHEST,
    )
    shuffle_questions = models.BooleanField(_("shuffle questions"), default=False)
    shuffle_options = models.BooleanField(_("shuffle options within questions"), default=True)
    layout = models.CharField(
        _("layout"), max_length=20, choices=Layout.choices, default=Layout.ONE_PER_PAGE
    )
    opens_at = models.DateTimeField(_("opens"), null=True, blank=True)
    closes_at = models.DateTimeField(_("closes"), null=True, blank=True)
    review_options = models.JSONField(
        _("review options"),
        default=dict,
        blank=True,
        help_text=_("What trainees see after an attempt; see quizzes.review."),
    )
    overall_feedback = models.JSONField(
        _("overall feedback"),
        default=list,
        blank=True,
        help_text=_('Score bands: [{"min": 80, "text": "…"}, {"min": 0, "text": "…"}].'),
    )

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("quiz")
        verbose_name_plural = _("quizzes")

    def __str__(self) -> str:
        return self.title


class QuizSlot(models.Model):
    """A place in a quiz: a fixed question, or a number of random draws from a category."""

    quiz = ParentalKey(Quiz, on_delete=models.CASCADE, related_name="slots")
    position = models.PositiveIntegerField(_("position"))
    question = models.ForeignKey(
        Question, null=True, blank=True, on_delete=models.PROTECT, related_name="slots"
    )
    pinned_version = models.ForeignKey(
        QuestionVersion,
        verbose_name=_("pinned version"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty: always the latest version."),
    )
    random_category = models.ForeignKey(
        QuestionCategory, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    random_include_subcategories = models.BooleanField(default=True)
    random_tags = models.JSONField(default=list, blank=True)
    random_count = models.PositiveSmallIntegerField(default=1)
    mark = models.DecimalField(
        _("mark"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Empty: the question's default mark."),
    )

    class Meta:
        ordering = ["quiz", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["quiz", "position"], name="quizzes_slot_unique_position"
            ),
            models.CheckConstraint(
                condition=Q(question__isnull=False, random_category__isnull=True)
                | Q(question__isnull=True, random_category__isnull=False),
                name="quizzes_slot_fixed_or_random",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quiz} #{self.position}"


class AttemptState(models.TextChoices):
    IN_PROGRESS = "in_progress", _("In progress")
    SUBMITTED = "submitted", _("Submitted")


class Attempt(models.Model):
    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="attempts")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quiz_attempts"
    )
    number = models.PositiveIntegerField(_("attempt number"))
    state = models.CharField(
        max_length=20, choices=AttemptState.choices, default=AttemptState.IN_PROGRESS
    )
    seed = models.BigIntegerField(help_text=_("Seeds the question draw and option order."))
    language = models.CharField(max_length=10, default="pl")
    started_at = models.DateTimeField()
    deadline = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    timed_out = models.BooleanField(default=False)
    score = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    max_score = models.DecimalField(max_digits=8, decimal_places=2, default=Decimal("0"))
    percent = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    passed = models.BooleanField(null=True)
    needs_grading = models.BooleanField(default=False)

    class Meta:
        ordering = ["quiz", "user", "number"]
        constraints = [
            # The database, not the application, guarantees attempt limits and
            # at most one attempt in progress per trainee and quiz.
            models.UniqueConstraint(
                fields=["quiz", "user", "number"], name="quizzes_attempt_unique_number"
            ),
            models.UniqueConstraint(
                fields=["quiz", "user"],
                condition=Q(state=AttemptState.IN_PROGRESS),
                name="quizzes_attempt_one_in_progress",
            ),
        ]
        indexes = [models.Index(fields=["quiz", "state"])]

    def __str__(self) -> str:
        return f"{self.quiz} – {self.user} #{self.number}"


class AttemptQuestion(models.Model):
    """A question as drawn for one attempt, with the trainee's answer and its grade."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveIntegerField()
    slot = models.ForeignKey(QuizSlot, null=True, on_delete=models.SET_NULL, related_name="+")
    version = models.ForeignKey(QuestionVersion, on_delete=models.PROTECT, related_name="+")
    max_mark = models.DecimalField(max_digits=6, decimal_places=2)
    answer = models.JSONField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    fraction = models.DecimalField(max_digits=9, decimal_places=7, null=True, blank=True)
    mark = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    feedback = models.TextField(blank=True)
    needs_grading = models.BooleanField(default=False)
    grader_comment = models.TextField(blank=True)
    graded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The trainee's typed text was erased on request (personal data): the answer can no
    # longer be graded, so a regrade keeps the mark it had.
    answer_erased = models.BooleanField(default=False)

    class Meta:
        ordering = ["attempt", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["attempt", "position"], name="quizzes_attemptquestion_unique_position"
            )
        ]

    def __str__(self) -> str:
        return f"{self.attempt} Q{self.position}"
