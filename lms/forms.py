"""Forms of accounts and units: the admin's unit, trainee and assignment forms, the CSV
import and the self-registration page. Saving goes through lms.accounts and lms.services."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import UserCreationForm
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from . import accounts, selectors, services
from .models import Assignment, TraineeProfile, Unit


class UnitChoiceField(forms.ModelChoiceField):
    """Units in tree order, each indented under its parent, so a district is picked
    knowing its voivodeship."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("queryset", Unit.objects.order_by("path"))
        super().__init__(**kwargs)

    def label_from_instance(self, unit: Unit) -> str:
        return "\u2014 " * (unit.depth - 1) + unit.name


class UnitForm(WagtailAdminModelForm):
    """A unit and where it sits in the tree; moving it moves its whole subtree."""

    parent = UnitChoiceField(
        label=_("Parent unit"),
        required=False,
        help_text=_("Leave empty for a unit at the top, such as national headquarters."),
    )

    class Meta:
        model = Unit
        fields = ["name", "code", "kind"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # A unit cannot sit inside itself or its own subtree.
            subtree = Unit.get_tree(self.instance).values("pk")
            self.fields["parent"].queryset = Unit.objects.exclude(pk__in=subtree).order_by("path")
            self.initial["parent"] = self.instance.get_parent()

    def save(self, commit: bool = True) -> Unit:
        # Wagtail's views show and redirect to form.instance: it must be the saved unit.
        self.instance = accounts.save_unit(self.instance, self.cleaned_data["parent"])
        return self.instance


class TraineeProfileForm(WagtailAdminModelForm):
    unit = UnitChoiceField(label=_("unit"), required=False)

    class Meta:
        model = TraineeProfile
        fields = ["unit", "rank", "preferred_language"]

    def save(self, commit: bool = True) -> TraineeProfile:
        profile = super().save(commit)
        # The unit may have changed: the courses assigned to it are now this trainee's too.
        services.apply_assignments(profile.user)
        return profile


class TraineeCreateForm(TraineeProfileForm):
    """A new user and their trainee profile in one form. The account gets no password: the
    trainee signs in through single sign-on or sets one with a password reset."""

    username = get_user_model()._meta.get_field("username").formfield()
    first_name = forms.CharField(label=_("first name"), max_length=150)
    last_name = forms.CharField(label=_("last name"), max_length=150)
    email = forms.EmailField(label=_("e-mail address"))

    field_order = ["username", "first_name", "last_name", "email"]

    def clean_username(self) -> str:
        username = self.cleaned_data["username"]
        if get_user_model().objects.filter(username=username).exists():
            raise forms.ValidationError(_("A user with that username already exists."))
        return username

    def save(self, commit: bool = True) -> TraineeProfile:
        user = accounts.create_trainee(trainee_data(self.cleaned_data))
        # Wagtail's views show and redirect to form.instance: it must be the saved profile.
        self.instance = user.trainee_profile
        return self.instance


def trainee_data(cleaned: dict[str, Any]) -> accounts.TraineeData:
    return accounts.TraineeData(
        username=cleaned["username"],
        first_name=cleaned["first_name"],
        last_name=cleaned["last_name"],
        email=cleaned["email"],
        unit=cleaned["unit"],
        rank=cleaned["rank"],
        language=cleaned["preferred_language"],
    )


class AssignmentForm(WagtailAdminModelForm):
    """A live course assigned to a unit or a group; saving enrols everyone it covers."""

    unit = UnitChoiceField(label=_("unit"), required=False)

    class Meta:
        model = Assignment
        fields = ["course", "unit", "include_subunits", "group", "due_date"]
        help_texts = {
            "include_subunits": _("Also assign it to the trainees of every unit under this one."),
            "group": _("Or assign it to the members of a group instead of a unit."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = selectors.assignable_courses()

    def clean_due_date(self) -> date:
        # A course already overdue on the day it is assigned would only make noise in reports.
        due_date = self.cleaned_data["due_date"]
        if due_date < timezone.localdate():
            raise forms.ValidationError(_("The due date has passed."))
        return due_date

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        unit, group = cleaned.get("unit"), cleaned.get("group")
        if unit is None and group is None and "unit" not in self.errors:
            self.add_error("unit", _("Choose a unit or a group."))
        elif unit is not None and group is not None:
            self.add_error("group", _("Choose a unit or a group, not both."))
        return cleaned

    def save(self, commit: bool = True) -> Assignment:
        cleaned = self.cleaned_data
        # Wagtail's views show and redirect to form.instance: it must be the saved assignment.
        self.instance = services.assign_course(
            cleaned["course"],
            unit=cleaned["unit"],
            group=cleaned["group"],
            include_subunits=cleaned["include_subunits"],
            due_date=cleaned["due_date"],
            by=self.for_user,
        )
        return self.instance


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "UTF-8, columns separated by commas or semicolons: %(columns)s. "
            "The first line names the columns."
        )
        % {"columns": ", ".join(accounts.IMPORT_COLUMNS)},
    )
    dry_run = forms.BooleanField(
        label=_("Dry run: check the file and show what would change, without saving"),
        required=False,
        initial=True,
    )


class RegistrationForm(UserCreationForm):
    """Self-registration: the account (password twice, checked by the site's password
    validators; user names unique regardless of case) and the trainee's unit, rank and
    language."""

    unit = UnitChoiceField(label=_("Unit"))
    rank = forms.CharField(label=_("Rank"), max_length=100, required=False)
    preferred_language = forms.ChoiceField(
        label=_("Preferred language"), choices=settings.LANGUAGES, initial=settings.LANGUAGE_CODE
    )

    class Meta(UserCreationForm.Meta):
        fields = ["username", "first_name", "last_name", "email"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("first_name", "last_name", "email"):
            self.fields[name].required = True

    def save(self, commit: bool = True):
        return accounts.create_trainee(
            trainee_data(self.cleaned_data), password=self.cleaned_data["password1"]
        )


class PeriodForm(forms.Form):
    """A form whose `date_from` and `date_to` bound a period (the admin reports' filters
    and the learner API's): the end may not come before the start."""

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end of the period is before its start."))
        return cleaned
