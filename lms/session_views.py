"""Classroom and practical sessions in Wagtail's admin ("Classroom sessions").

Trainers (reviewers) create sessions and manage the sessions they lead: edit them, see the
roster and the waiting list, assign trainees and mark attendance, on one page. Session
administrators (superusers, or the "change training session" permission) manage every
session. Who may act on which session is `lms.selectors`'; the writes are `lms.services`'.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.views.generic import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.history import HistoryView
from wagtail.admin.views.generic.usage import UsageView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from . import selectors, services
from .models import SessionRegistration, TrainingSession

ROSTER_URL_NAME = "roster"


class SessionPermissionPolicy(ModelPermissionPolicy):
    """Trainers may add sessions, and change or delete those they lead; session
    administrators may do anything (lms.selectors)."""

    def user_has_permission(self, user: AbstractBaseUser, action: str) -> bool:
        return selectors.can_manage_sessions(user)

    def user_has_any_permission(self, user: AbstractBaseUser, actions: list[str]) -> bool:
        return selectors.can_manage_sessions(user)

    def user_has_permission_for_instance(
        self, user: AbstractBaseUser, action: str, instance: TrainingSession
    ) -> bool:
        return selectors.can_manage_session(user, instance)

    def instances_user_has_any_permission_for(
        self, user: AbstractBaseUser, actions: list[str]
    ) -> QuerySet[TrainingSession]:
        return selectors.managed_sessions(user)


register_permission_policy(TrainingSession, SessionPermissionPolicy(TrainingSession))


def person(user: AbstractBaseUser) -> str:
    full_name = user.get_full_name()
    return f"{full_name} ({user.get_username()})" if full_name else user.get_username()


class TrainerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: AbstractBaseUser) -> str:
        return person(obj)


class SessionForm(WagtailAdminModelForm):
    class Meta:
        model = TrainingSession
        fields = [
            "course",
            "kind",
            "title",
            "description",
            "starts_at",
            "ends_at",
            "place",
            "trainer",
            "capacity",
        ]
        field_classes = {"trainer": TrainerChoiceField}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = selectors.assignable_courses()
        trainer = self.fields["trainer"]
        trainer.queryset = selectors.session_trainers()
        if not selectors.is_session_admin(self.for_user):
            # A trainer leads the sessions they create: otherwise they could not manage them.
            trainer.queryset = trainer.queryset.filter(pk=self.for_user.pk)
            trainer.required = True
            trainer.initial = self.for_user.pk


def _seats(session: TrainingSession) -> str:
    return _("%(taken)d of %(capacity)d") % {"taken": session.taken, "capacity": session.capacity}


class SessionIndexView(generic.IndexView):
    roster_url_name = ""

    def get_base_queryset(self) -> QuerySet[TrainingSession]:
        return selectors.sessions_with_counts(selectors.managed_sessions(self.request.user))

    @cached_property
    def columns(self) -> list[Column]:
        return [
            *super().columns,
            Column(
                "roster",
                label=gettext_lazy("roster"),
                accessor=lambda session: format_html(
                    '<a href="{}">{}</a>',
                    reverse(self.roster_url_name, args=[session.pk]),
                    _("Roster and attendance"),
                ),
            ),
        ]


# Views of one session find only the sessions the user manages: another trainer's session
# is "not found", as in the list. Edit and delete look it up with Django's `get_queryset`,
# history and usage with Wagtail's `get_base_object_queryset`.


class ManagedSessionMixin:
    def get_queryset(self) -> QuerySet[TrainingSession]:
        return selectors.managed_sessions(self.request.user)


class ManagedSessionObjectMixin:
    def get_base_object_queryset(self) -> QuerySet[TrainingSession]:
        return selectors.managed_sessions(self.request.user)


class SessionSaveMixin:
    def save_instance(self) -> TrainingSession:
        session = super().save_instance()
        # A bigger capacity gives seats to the trainees waiting.
        services.fill_free_seats(session)
        return session


class SessionCreateView(SessionSaveMixin, generic.CreateView):
    pass


class SessionEditView(ManagedSessionMixin, SessionSaveMixin, generic.EditView):
    pass


class SessionDeleteView(ManagedSessionMixin, generic.DeleteView):
    pass


class SessionHistoryView(ManagedSessionObjectMixin, HistoryView):
    pass


class SessionUsageView(ManagedSessionObjectMixin, UsageView):
    pass


class AttendanceForm(forms.Form):
    """A checkbox per trainee with a seat: ticked is present, unticked absent."""

    present = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Present"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, registrations: list[SessionRegistration], *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["present"].choices = [(r.user_id, person(r.user)) for r in registrations]
        self.fields["present"].initial = [r.user_id for r in registrations if r.attended]


class AssignTraineeForm(forms.Form):
    username = forms.CharField(
        label=gettext_lazy("Trainee's username"),
        max_length=150,
        help_text=gettext_lazy(
            "They get a seat while one is free, otherwise a place on the waiting list."
        ),
    )

    def clean_username(self) -> AbstractBaseUser:
        username = self.cleaned_data["username"].strip()
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise ValidationError(_("No active user has this username."), code="unknown")
        return user


def registration_message(registration: SessionRegistration, user: AbstractBaseUser) -> str:
    if registration.status == SessionRegistration.Status.REGISTERED:
        return _("%(trainee)s has a seat.") % {"trainee": person(user)}
    return _("Every seat is taken: %(trainee)s is on the waiting list, position %(position)d.") % {
        "trainee": person(user),
        "position": selectors.waiting_position(registration),
    }


class SessionRosterView(WagtailAdminTemplateMixin, TemplateView):
    """The roster, the waiting list and the cancelled registrations; the attendance form
    (once the session started) and the form to assign a trainee. Each form posts here
    with its `action`."""

    template_name = "lms/sessions/roster.html"
    header_icon = "calendar-check"
    page_title = gettext_lazy("Roster and attendance")
    index_url_name = ""
    edit_url_name = ""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not selectors.can_manage_sessions(request.user):
            raise PermissionDenied
        # Another trainer's session is "not found", as in the list.
        self.session = get_object_or_404(selectors.managed_sessions(request.user), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self) -> str:
        return str(self.session)

    def get_breadcrumbs_items(self) -> list[dict[str, Any]]:
        return [
            *self.breadcrumbs_items,
            {"url": reverse(self.index_url_name), "label": SessionViewSet.menu_label},
            {
                "url": reverse(self.edit_url_name, args=[self.session.pk]),
                "label": str(self.session),
            },
            {"url": "", "label": self.get_page_title()},
        ]

    @cached_property
    def roster(self) -> selectors.Roster:
        return selectors.session_roster(self.session)

    @property
    def has_started(self) -> bool:
        return self.session.starts_at <= timezone.now()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        attendance_form = kwargs.pop("attendance_form", None) or AttendanceForm(
            self.roster.registered
        )
        return super().get_context_data(
            session=self.session,
            roster=self.roster,
            has_started=self.has_started,
            attendance_rows=list(
                zip(self.roster.registered, attendance_form["present"], strict=True)
            ),
            attendance_form=attendance_form,
            assign_form=kwargs.pop("assign_form", None) or AssignTraineeForm(),
            **kwargs,
        )

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        action = request.POST.get("action")
        if action == "attendance":
            return self.mark_attendance(request)
        if action == "assign":
            return self.assign(request)
        if action == "cancel":
            return self.cancel(request)
        return self.render_to_response(self.get_context_data(), status=400)

    def mark_attendance(self, request: HttpRequest) -> HttpResponse:
        form = AttendanceForm(self.roster.registered, request.POST)
        if form.is_valid():
            try:
                services.mark_attendance(
                    self.session, form.cleaned_data["present"], by=request.user
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Attendance saved."))
                return redirect(request.path)
        return self.render_to_response(self.get_context_data(attendance_form=form), status=400)

    def assign(self, request: HttpRequest) -> HttpResponse:
        form = AssignTraineeForm(request.POST)
        if form.is_valid():
            trainee = form.cleaned_data["username"]
            registration = services.register_for_session(trainee, self.session, by=request.user)
            messages.success(request, registration_message(registration, trainee))
            return redirect(request.path)
        return self.render_to_response(self.get_context_data(assign_form=form), status=400)

    def cancel(self, request: HttpRequest) -> HttpResponse:
        registration_id = request.POST.get("registration", "")
        if not registration_id.isdigit():
            return self.render_to_response(self.get_context_data(), status=400)
        registration = get_object_or_404(
            self.session.registrations.select_related("user", "session"), pk=registration_id
        )
        services.cancel_registration(registration, by=request.user)
        messages.success(
            request,
            _("The registration of %(trainee)s is cancelled.")
            % {"trainee": person(registration.user)},
        )
        return redirect(request.path)


class SessionViewSet(ModelViewSet):
    model = TrainingSession
    name = "training-sessions"
    icon = "calendar-alt"
    menu_label = gettext_lazy("Classroom sessions")
    add_item_label = gettext_lazy("Add session")
    add_to_admin_menu = True
    menu_order = 340
    index_view_class = SessionIndexView
    add_view_class = SessionCreateView
    edit_view_class = SessionEditView
    delete_view_class = SessionDeleteView
    history_view_class = SessionHistoryView
    usage_view_class = SessionUsageView
    list_display = [
        "title",
        "kind",
        "course",
        "starts_at",
        "place",
        "trainer",
        Column("seats", label=gettext_lazy("seats taken"), accessor=_seats),
        Column("waiting", label=gettext_lazy("waiting"), accessor="waiting"),
    ]
    list_filter = ["kind", "starts_at"]
    search_fields = ["title", "place"]
    ordering = ["-starts_at"]
    copy_view_enabled = False

    def get_form_class(self, for_update: bool = False) -> type[SessionForm]:
        return SessionForm

    def get_index_view_kwargs(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_index_view_kwargs(
            roster_url_name=self.get_url_name(ROSTER_URL_NAME), **kwargs
        )

    @property
    def roster_view(self):
        return SessionRosterView.as_view(
            index_url_name=self.get_url_name("index"), edit_url_name=self.get_url_name("edit")
        )

    def get_urlpatterns(self) -> list:
        return [
            *super().get_urlpatterns(),
            path("<int:pk>/roster/", self.roster_view, name=ROSTER_URL_NAME),
        ]
