import django_filters

from .. import reports
from ..models import Attempt, AttemptState


class AttemptFilter(django_filters.FilterSet):
    quiz = django_filters.NumberFilter(field_name="quiz_id")
    state = django_filters.ChoiceFilter(choices=AttemptState.choices)
    user = django_filters.NumberFilter(field_name="user_id")

    class Meta:
        model = Attempt
        fields = ["quiz", "state", "user"]


class AttemptReportFilter(django_filters.FilterSet):
    """Query parameters of the trainer's attempts report.

    This class reads and validates them; `reports.filter_attempts_table` applies them.
    """

    state = django_filters.ChoiceFilter(choices=AttemptState.choices)
    passed = django_filters.BooleanFilter(label="Passed (true) or failed (false)")
    search = django_filters.CharFilter(
        label="Words to find in the trainee's username, first or last name"
    )
    started_from = django_filters.DateFilter(label="Started on this day or later")
    started_to = django_filters.DateFilter(label="Started on this day or earlier")

    class Meta:
        model = Attempt
        fields = ["state", "passed", "search", "started_from", "started_to"]

    def filter_queryset(self, queryset):
        return reports.filter_attempts_table(queryset, self.form.cleaned_data)
