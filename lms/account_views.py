"""The site's account pages: self-registration (when SELF_REGISTRATION is on) and the page
shown after too many failed sign-ins."""

from __future__ import annotations

import math

from axes.helpers import get_cool_off, get_failure_limit
from django.conf import settings
from django.contrib.auth import login
from django.contrib.auth.views import LoginView
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from .forms import RegistrationForm


class SignInView(LoginView):
    """Django's sign-in page, with a link to self-registration when it is on."""

    redirect_authenticated_user = True

    def get_context_data(self, **kwargs) -> dict:
        return {
            **super().get_context_data(**kwargs),
            "self_registration": settings.SELF_REGISTRATION,
        }


def register(request: HttpRequest) -> HttpResponse:
    if not settings.SELF_REGISTRATION:
        raise Http404
    if request.user.is_authenticated:
        return redirect(settings.LOGIN_REDIRECT_URL)
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return redirect("learner:my_courses")
    return render(request, "lms/accounts/register.html", {"form": form})


def lockout(
    request: HttpRequest, original_response: HttpResponse | None, credentials: dict | None
) -> HttpResponse:
    """django-axes' AXES_LOCKOUT_CALLABLE: a translated page in the site's layout instead of
    its plain message, saying how long to wait."""
    cool_off = get_cool_off(request)
    return render(
        request,
        "lms/accounts/lockout.html",
        {
            "failure_limit": get_failure_limit(request, credentials),
            "minutes": math.ceil(cool_off.total_seconds() / 60) if cool_off else 0,
        },
        status=429,
    )
