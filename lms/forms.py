"""Forms of accounts and units: the admin's unit and trainee forms, the CSV import and the
self-registration page. Saving goes through lms.accounts."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import UserCreationForm
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from . import accounts
from .models import TraineeProfile, Unit


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
