"""The site's URLs plus the benchmark's baseline: POST /bench/write/.

The baseline is the cheapest useful authenticated write: token authentication
(one query) and exactly one UPDATE of the user's row. Quiz API throughput is
reported as a ratio of it. It exists only in this URLconf (benchmarks.settings).
"""

from django.contrib.auth import get_user_model
from django.urls import path
from django.utils import timezone
from rest_framework import status
from rest_framework.authentication import TokenAuthentication
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from lms.urls import urlpatterns as site_urlpatterns


class BaselineWrite(APIView):
    """One authenticated database write: the user's last_login is set to now."""

    authentication_classes = [TokenAuthentication]
    permission_classes = [IsAuthenticated]

    def post(self, request: Request) -> Response:
        get_user_model().objects.filter(pk=request.user.pk).update(last_login=timezone.now())
        return Response(status=status.HTTP_204_NO_CONTENT)


# First: the site's own patterns end with Wagtail's catch-all page route.
urlpatterns = [
    path("bench/write/", BaselineWrite.as_view(), name="bench-write"),
    *site_urlpatterns,
]
