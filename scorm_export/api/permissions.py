"""Who may use the SCORM export API."""

from rest_framework.permissions import BasePermission

from ..exports import can_export


class CanExportScorm(BasePermission):
    """Editors (`scorm_export.add_scormexport`) request exports and see every export: the
    team that makes packages shares them."""

    def has_permission(self, request, view) -> bool:
        return can_export(request.user)
