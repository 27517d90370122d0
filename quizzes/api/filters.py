import django_filters

from ..models import Attempt, AttemptState


class AttemptFilter(django_filters.FilterSet):
    quiz = django_filters.NumberFilter(field_name="quiz_id")
    state = django_filters.ChoiceFilter(choices=AttemptState.choices)
    user = django_filters.NumberFilter(field_name="user_id")

    class Meta:
        model = Attempt
        fields = ["quiz", "state", "user"]
