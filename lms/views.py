"""Site-shell views: site-wide search, media in development, a health check."""

from django.conf import settings
from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.response import TemplateResponse
from django.utils.translation import get_language
from django.views.static import serve
from wagtail.models import Locale, Page

from .selectors import visible_pages

RESULTS_PER_PAGE = 10
MAX_QUERY_LENGTH = 200


def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    results = Page.objects.none()
    locale = Locale.objects.filter(language_code=get_language()).first()
    if query and locale is not None:
        pages = visible_pages(request.user).filter(locale=locale)
        results = pages.specific().search(query, operator="and")
    page = Paginator(results, RESULTS_PER_PAGE).get_page(request.GET.get("page"))
    return TemplateResponse(request, "lms/search.html", {"query": query, "results": page})


def media(request: HttpRequest, path: str) -> HttpResponse:
    """Uploaded files, for development and small single-machine installs (SERVE_MEDIA)."""
    return serve(request, path, document_root=settings.MEDIA_ROOT)


def health(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
