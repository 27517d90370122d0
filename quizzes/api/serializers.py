"""Input and output shapes of the quiz API (no business logic here)."""

from django.conf import settings
from rest_framework import serializers

from ..models import Attempt, AttemptState, GradingMethod, Layout


class QuizSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    intro = serializers.CharField()
    pass_mark = serializers.IntegerField()
    time_limit_seconds = serializers.SerializerMethodField()
    attempts_allowed = serializers.IntegerField(help_text="0 means unlimited.")
    attempts_used = serializers.IntegerField()
    grading_method = serializers.ChoiceField(choices=GradingMethod.choices)
    layout = serializers.ChoiceField(choices=Layout.choices)
    opens_at = serializers.DateTimeField(allow_null=True)
    closes_at = serializers.DateTimeField(allow_null=True)

    def get_time_limit_seconds(self, quiz) -> int | None:
        return int(quiz.time_limit.total_seconds()) if quiz.time_limit else None


class AttemptSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = Attempt
        fields = [
            "id",
            "quiz",
            "user",
            "number",
            "state",
            "started_at",
            "deadline",
            "submitted_at",
            "timed_out",
            "needs_grading",
        ]
        read_only_fields = fields


class AttemptResultSerializer(serializers.Serializer):
    needs_grading = serializers.BooleanField()
    score = serializers.DecimalField(max_digits=8, decimal_places=2, required=False)
    max_score = serializers.DecimalField(max_digits=8, decimal_places=2, required=False)
    percent = serializers.DecimalField(max_digits=6, decimal_places=2, required=False)
    passed = serializers.BooleanField(allow_null=True, required=False)
    pass_mark = serializers.IntegerField(required=False)
    overall_feedback = serializers.CharField(required=False)


class AttemptQuestionSerializer(serializers.Serializer):
    position = serializers.IntegerField()
    type = serializers.CharField(help_text="A question type from the registry.")
    widget = serializers.CharField(help_text="The player widget that renders this question.")
    text = serializers.CharField()
    max_mark = serializers.DecimalField(max_digits=6, decimal_places=2)
    data = serializers.JSONField(help_text="What the player needs to render it; never the key.")
    answer = serializers.JSONField(allow_null=True)
    correctness = serializers.ChoiceField(
        choices=["correct", "partial", "incorrect"], required=False
    )
    mark = serializers.DecimalField(max_digits=8, decimal_places=2, allow_null=True, required=False)
    feedback = serializers.CharField(required=False)
    grader_comment = serializers.CharField(required=False)
    general_feedback = serializers.CharField(required=False)
    right_answer = serializers.JSONField(required=False)


class AttemptSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    quiz = serializers.IntegerField()
    quiz_title = serializers.CharField()
    number = serializers.IntegerField()
    state = serializers.ChoiceField(choices=AttemptState.choices)
    layout = serializers.ChoiceField(choices=Layout.choices)
    started_at = serializers.DateTimeField()
    deadline = serializers.DateTimeField(allow_null=True)
    seconds_left = serializers.IntegerField(allow_null=True)
    submitted_at = serializers.DateTimeField(allow_null=True)
    timed_out = serializers.BooleanField()
    result = AttemptResultSerializer(allow_null=True)
    questions = AttemptQuestionSerializer(many=True)


class StartSerializer(serializers.Serializer):
    language = serializers.ChoiceField(
        choices=[code for code, _ in settings.LANGUAGES],
        required=False,
        help_text="Language to draw the questions in; default: the request's language.",
    )


class AnswerSerializer(serializers.Serializer):
    answer = serializers.JSONField(
        allow_null=True, help_text="The answer in the question type's shape; null clears it."
    )


class SavedAnswerSerializer(serializers.Serializer):
    position = serializers.IntegerField()
    answer = serializers.JSONField(allow_null=True)
    answered_at = serializers.DateTimeField(allow_null=True)


class ConflictSerializer(serializers.Serializer):
    detail = serializers.CharField()
    code = serializers.CharField()


# ---------------------------------------------------------------- trainer reports


class AttemptReportRowSerializer(serializers.Serializer):
    """One line of the attempts report (and of its CSV download)."""

    id = serializers.IntegerField()
    user = serializers.IntegerField(source="user_id")
    username = serializers.CharField()
    full_name = serializers.CharField()
    number = serializers.IntegerField()
    state = serializers.ChoiceField(choices=AttemptState.choices)
    started_at = serializers.DateTimeField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    duration_seconds = serializers.SerializerMethodField()
    score = serializers.DecimalField(max_digits=8, decimal_places=2, allow_null=True)
    max_score = serializers.DecimalField(max_digits=8, decimal_places=2)
    percent = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    passed = serializers.BooleanField(allow_null=True)
    needs_grading = serializers.BooleanField()
    counted = serializers.BooleanField(
        help_text="The attempt counts for the trainee's grade under the quiz's grading method."
    )

    def get_duration_seconds(self, row) -> int | None:
        return None if row.duration is None else round(row.duration.total_seconds())


class QuizStatsSerializer(serializers.Serializer):
    """Quiz-level figures in % of the maximum grade (see quizzes.statistics.QuizStats)."""

    attempt_count = serializers.IntegerField()
    mean = serializers.FloatField(allow_null=True)
    median = serializers.FloatField(allow_null=True)
    standard_deviation = serializers.FloatField(allow_null=True)
    skewness = serializers.FloatField(allow_null=True)
    kurtosis = serializers.FloatField(allow_null=True)
    cronbach_alpha = serializers.FloatField(
        allow_null=True, help_text="Coefficient of internal consistency, in %."
    )
    error_ratio = serializers.FloatField(allow_null=True)
    standard_error = serializers.FloatField(allow_null=True)


class QuestionStatsSerializer(serializers.Serializer):
    """Figures of one position in % (see quizzes.statistics.QuestionStats)."""

    count = serializers.IntegerField()
    facility_index = serializers.FloatField(allow_null=True)
    standard_deviation = serializers.FloatField(allow_null=True)
    random_guess_score = serializers.FloatField(allow_null=True)
    discrimination_index = serializers.FloatField(allow_null=True)
    discriminative_efficiency = serializers.FloatField(allow_null=True)


class ResponseCountSerializer(serializers.Serializer):
    response = serializers.CharField()
    count = serializers.IntegerField()


class ReportQuestionSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="question_id")
    name = serializers.CharField()
    type = serializers.CharField(help_text="A question type from the registry.")
    text = serializers.CharField(help_text="The question's latest text.")
    count = serializers.IntegerField(help_text="Counted attempts that drew this question here.")
    no_response = serializers.IntegerField()
    responses = ResponseCountSerializer(
        many=True, help_text="Answers given (as SCORM 2004 responses), most frequent first."
    )


class ReportPositionSerializer(serializers.Serializer):
    position = serializers.IntegerField(help_text="Position in slot order.")
    slot = serializers.IntegerField(allow_null=True, help_text="The slot's position.")
    random = serializers.BooleanField()
    max_mark = serializers.FloatField()
    statistics = QuestionStatsSerializer(allow_null=True)
    questions = ReportQuestionSerializer(many=True)


class QuizStatisticsSerializer(serializers.Serializer):
    quiz = serializers.IntegerField(source="quiz_id")
    grading_method = serializers.ChoiceField(choices=GradingMethod.choices)
    max_grade = serializers.FloatField()
    attempts_needing_grading = serializers.IntegerField()
    statistics = QuizStatsSerializer()
    positions = ReportPositionSerializer(many=True)


class ManualGradeSerializer(serializers.Serializer):
    fraction = serializers.DecimalField(
        max_digits=8,
        decimal_places=7,
        min_value=0,
        max_value=1,
        help_text="Share of the question's mark: 0 to 1.",
    )
    comment = serializers.CharField(allow_blank=True, max_length=5000, required=False, default="")


class RegradeSerializer(serializers.Serializer):
    to_latest_version = serializers.BooleanField(
        default=False, help_text="Move each question to its latest version before regrading."
    )


class RegradeResultSerializer(serializers.Serializer):
    task_id = serializers.CharField()
    status = serializers.CharField()
    regraded = serializers.IntegerField(allow_null=True)
