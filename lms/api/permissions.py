"""Who may read what through the learner API (trainers: see lms.selectors.report_scope)."""

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission


class HasReportScope(BasePermission):
    """A trainer reads the reports of the units in their scope (`view.scope`); a trainer
    without a unit has none, and is told why."""

    message = _("Your account has no unit; ask an administrator.")

    def has_permission(self, request, view) -> bool:
        return not view.scope.is_empty
