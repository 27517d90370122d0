"""The trainee's pages: my courses, enrolling, classroom sessions, certificates and their
public verification."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import selectors, services
from .certificates import certificate_pdf
from .models import Certificate, SessionRegistration, TrainingSession


@login_required
def my_courses(request: HttpRequest) -> HttpResponse:
    dashboard = selectors.dashboard(request.user)
    # Every course is counted, completed ones too: one query whichever sections are empty.
    items = dashboard.assigned + dashboard.in_progress + dashboard.completed
    open_sessions = selectors.upcoming_session_counts(i.enrolment.course_id for i in items)

    def cards(items: list[selectors.CourseProgress]) -> list[tuple]:
        # Sessions are offered on courses still to complete.
        return [
            (item, 0 if item.is_completed else open_sessions.get(item.enrolment.course_id, 0))
            for item in items
        ]

    return TemplateResponse(
        request,
        "lms/my_courses.html",
        {
            "dashboard": dashboard,
            "registrations": selectors.my_session_registrations(request.user),
            "sections": [
                ("assigned", _("Assigned to you"), cards(dashboard.assigned)),
                ("in-progress", _("In progress"), cards(dashboard.in_progress)),
                ("completed", _("Completed"), cards(dashboard.completed)),
            ],
        },
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


# --- classroom and practical sessions ------------------------------------------------------


@login_required
def course_sessions(request: HttpRequest, course_id: int) -> HttpResponse:
    """The sessions of a course the trainee may read, not started yet, to register for."""
    course = selectors.course_for_enrolment(request.user, course_id)
    if course is None:
        raise Http404
    (source,) = selectors.in_source_language([course])
    shown = selectors.translations_in_active_language([source]).get(source.translation_key)
    return TemplateResponse(
        request,
        "lms/course_sessions.html",
        {
            "course": shown or source,
            "attendance_required": source.attendance_required,
            "sessions": selectors.upcoming_sessions(source, request.user),
        },
    )


@require_POST
@login_required
def register_for_session(request: HttpRequest, session_id: int) -> HttpResponse:
    session = get_object_or_404(TrainingSession, pk=session_id)
    # Only on a course the trainee may read: page privacy applies to sessions too.
    if selectors.course_for_enrolment(request.user, session.course_id) is None:
        raise Http404
    try:
        registration = services.register_for_session(request.user, session)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if registration.status == SessionRegistration.Status.REGISTERED:
            messages.success(
                request, _("You are registered for “%(session)s”.") % {"session": session.title}
            )
        else:
            position = selectors.waiting_position(registration)
            messages.warning(
                request,
                _(
                    "Every seat of “%(session)s” is taken: you are on the waiting list, "
                    "position %(position)d. You get a seat as soon as someone cancels."
                )
                % {"session": session.title, "position": position},
            )
    return redirect("learner:course_sessions", session.course_id)


@require_POST
@login_required
def cancel_session_registration(request: HttpRequest, registration_id: int) -> HttpResponse:
    """The trainee's own registrations only: anyone else's is "not found"."""
    registration = get_object_or_404(
        SessionRegistration.objects.select_related("session"),
        pk=registration_id,
        user=request.user,
    )
    try:
        services.cancel_registration(registration, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Your registration for “%(session)s” is cancelled.")
            % {"session": registration.session.title},
        )
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = reverse("learner:my_courses")
    return redirect(next_url)
