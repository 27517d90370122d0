"""Site-wide middleware."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse


class AllowSameOriginPreviewMiddleware:
    """Let Wagtail's live preview frame its own pages while everything else stays DENY.

    The admin shows page previews in a same-origin iframe; the rest of the site
    must never be framed (clickjacking), so X_FRAME_OPTIONS stays "DENY".
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path.startswith("/admin/") and "/preview/" in request.path:
            response.headers.setdefault("X-Frame-Options", "SAMEORIGIN")
        return response
