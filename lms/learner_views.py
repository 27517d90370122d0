"""The trainee's pages: my courses, enrolling, certificates and their public verification."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import translation
from django.views.decorators.http import require_POST

from . import selectors, services
from .certificates import certificate_pdf
from .models import Certificate


@login_required
def my_courses(request: HttpRequest) -> HttpResponse:
    return TemplateResponse(
        request, "lms/my_courses.html", {"dashboard": selectors.dashboard(request.user)}
    )


@require_POST
@login_required
def enrol(request: HttpRequest, course_id: int) -> HttpResponse:
    course = selectors.course_for_enrolment(request.user, course_id)
    if course is None:
        raise Http404
    services.enrol(request.user, course)
    return redirect(course.get_url(request) or "/")


@login_required
def download_certificate(request: HttpRequest, code: str) -> HttpResponse:
    """The holder's own certificate only: anyone else gets "not found", as for a wrong code."""
    certificate = get_object_or_404(Certificate, code=code, user=request.user)
    with translation.override(certificate.language):
        verification_url = request.build_absolute_uri(
            reverse("learner:verify_certificate", args=[certificate.code])
        )
    response = HttpResponse(
        certificate_pdf(certificate, verification_url), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="certificate-{certificate.code}.pdf"'
    return response


def verify_certificate(request: HttpRequest, code: str) -> HttpResponse:
    """Public: whoever holds a code sees the holder's name, the course and the date, no more."""
    certificate = selectors.certificate_by_code(code)
    return TemplateResponse(
        request,
        "lms/certificate_verification.html",
        {"certificate": certificate, "code": code},
        status=200 if certificate else 404,
    )
