"""Site-wide middleware."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.utils.translation import get_language


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


class LocaleMiddleware(DjangoLocaleMiddleware):
    """Django's LocaleMiddleware, except for paths that have no language prefix.

    Django turns a 404 into a redirect to the language-prefixed path whenever
    that path would resolve, and Wagtail's catch-all page route resolves
    everything, so an API 404 would become a 302 to /pl/api/…
    """

    UNPREFIXED = ("/api/", "/admin/", "/documents/", "/media/", "/static/", "/i18n/")

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if request.path_info.startswith(self.UNPREFIXED):
            response.headers.setdefault("Content-Language", get_language())
            return response
        return super().process_response(request, response)
