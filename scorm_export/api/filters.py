"""Filters of the export list."""

import django_filters

from ..models import ScormExport


class ScormExportFilter(django_filters.FilterSet):
    mine = django_filters.BooleanFilter(method="filter_mine", label="Only the exports I requested.")

    class Meta:
        model = ScormExport
        fields = ["status", "page", "version", "locale"]

    def filter_mine(self, queryset, name, value):
        if value:
            return queryset.filter(requested_by=self.request.user)
        return queryset
