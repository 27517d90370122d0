"""Object-level rules for the quiz API."""

from rest_framework.permissions import SAFE_METHODS, BasePermission

from ..selectors import can_grade_attempts, can_review_attempts


class IsReviewer(BasePermission):
    """Trainer reports are for reviewers (quiz graders) only."""

    def has_permission(self, request, view) -> bool:
        return can_review_attempts(request.user)


class IsAttemptOwnerOrReviewer(BasePermission):
    """Trainees act on their own attempts only; reviewers may read any attempt."""

    def has_object_permission(self, request, view, obj) -> bool:
        if obj.user_id == request.user.pk:
            return True
        return request.method in SAFE_METHODS and can_review_attempts(request.user)


class IsGrader(BasePermission):
    """Manual grading and regrading: reviewers who may change attempts."""

    def has_permission(self, request, view) -> bool:
        return can_grade_attempts(request.user)
