"""Query parameters of the trainer reports: read and validated here, applied by the
report reads (lms.reports) through `ReportFilters`."""

from __future__ import annotations

import django_filters

from .. import reports
from ..forms import PeriodForm
from ..models import Enrolment, Unit
from ..selectors import ReportScope


class ScopedReportFilter(django_filters.FilterSet):
    """A unit (with the units under it) within the trainer's scope and a period. A unit
    outside the scope is not a choice: the field says so, and no figures are read."""

    # The parameters are documented in the schema by lms.api.views (COURSE, QUIZ, UNIT_AND_PERIOD).
    unit = django_filters.ModelChoiceFilter(queryset=Unit.objects.none())  # set in __init__
    date_from = django_filters.DateFilter()
    date_to = django_filters.DateFilter()

    class Meta:
        model = Enrolment
        fields: list[str] = []  # the declared filters only
        form = PeriodForm

    def __init__(self, data, *, scope: ReportScope) -> None:
        super().__init__(data, queryset=Enrolment.objects.none())
        self.scope = scope
        self.filters["unit"].queryset = scope.units()

    def report_filters(self) -> reports.ReportFilters:
        """The validated filters; a trainer of one unit gets that unit's subtree."""
        return reports.ReportFilters.scoped(self.form.cleaned_data, self.scope.unit)


class CourseReportFilter(ScopedReportFilter):
    course = django_filters.ModelChoiceFilter(queryset=reports.report_courses())


class QuizReportFilter(ScopedReportFilter):
    quiz = django_filters.ModelChoiceFilter(queryset=reports.report_quizzes(), required=True)
