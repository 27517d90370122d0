"""Units and trainees in the admin: the unit tree, adding and moving units, trainees."""

import pytest
from django.contrib.auth.models import Group

from lms.accounts import TRAINEES_GROUP
from lms.models import TraineeProfile, Unit
from tests.lms.units import make_units

pytestmark = pytest.mark.django_db


@pytest.fixture
def units():
    return make_units()


def test_the_unit_list_reads_as_a_tree(admin_client, units):
    page = admin_client.get("/admin/units/").content.decode()
    names = ["Komenda Główna Policji", "KWP w Lublinie", "KMP w Chełmie", "KWP w Rzeszowie"]
    assert [page.index(name) for name in names] == sorted(page.index(name) for name in names)


def test_add_a_unit_under_a_parent(admin_client, units):
    response = admin_client.post(
        "/admin/units/new/",
        {
            "name": "KPP w Hrubieszowie",
            "code": "kpp-hrubieszow",
            "kind": "district",
            "parent": units["kwp-lublin"].pk,
        },
    )

    assert response.status_code == 302
    unit = Unit.objects.get(code="kpp-hrubieszow")
    assert unit.get_parent() == units["kwp-lublin"]


def test_add_a_top_unit_without_a_parent(admin_client, units):
    admin_client.post("/admin/units/new/", {"name": "CBZC", "code": "cbzc", "kind": "national"})
    assert Unit.objects.get(code="cbzc").is_root()


def test_moving_a_unit_moves_its_subtree(admin_client, units):
    lublin = units["kwp-lublin"]
    response = admin_client.post(
        f"/admin/units/edit/{lublin.pk}/",
        {
            "name": "KWP Lublin",
            "code": "kwp-lublin",
            "kind": "voivodeship",
            "parent": units["kwp-rzeszow"].pk,
        },
    )

    assert response.status_code == 302
    lublin = Unit.objects.get(pk=lublin.pk)
    assert lublin.name == "KWP Lublin" and lublin.get_parent() == units["kwp-rzeszow"]
    assert Unit.objects.get(code="kmp-chelm").get_parent() == lublin


def test_a_unit_cannot_move_into_its_own_subtree(admin_client, units):
    lublin = units["kwp-lublin"]
    response = admin_client.post(
        f"/admin/units/edit/{lublin.pk}/",
        {
            "name": lublin.name,
            "code": "kwp-lublin",
            "kind": "voivodeship",
            "parent": units["kmp-chelm"].pk,
        },
    )
    assert response.status_code == 200 and "parent" in response.context["form"].errors


def test_editors_cannot_manage_units_or_trainees(client, django_user_model, units):
    editor = django_user_model.objects.create_user("editor")
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    for url in ("/admin/units/", "/admin/units/new/", "/admin/trainees/", "/admin/trainees/new/"):
        assert client.get(url).status_code == 302, url  # Wagtail: back to the dashboard


def test_add_a_trainee_with_their_account(admin_client, units, django_user_model):
    response = admin_client.post(
        "/admin/trainees/new/",
        {
            "username": "jkowalski",
            "first_name": "Jan",
            "last_name": "Kowalski",
            "email": "jan.kowalski@policja.gov.pl",
            "unit": units["kmp-chelm"].pk,
            "rank": "sierżant",
            "preferred_language": "pl",
        },
    )

    assert response.status_code == 302
    user = django_user_model.objects.get(username="jkowalski")
    assert not user.has_usable_password() and user.groups.filter(name=TRAINEES_GROUP).exists()
    assert user.trainee_profile.unit == units["kmp-chelm"]


def test_trainee_list_filters_and_edit(admin_client, units, django_user_model):
    for username, unit in (("jkowalski", "kmp-chelm"), ("onowak", "kwp-rzeszow")):
        TraineeProfile.objects.create(
            user=django_user_model.objects.create_user(username), unit=units[unit]
        )
    page = admin_client.get(f"/admin/trainees/?unit={units['kmp-chelm'].pk}").content.decode()
    assert "jkowalski" in page and "onowak" not in page

    profile = TraineeProfile.objects.get(user__username="onowak")
    response = admin_client.post(
        f"/admin/trainees/edit/{profile.pk}/",
        {"unit": units["kwp-lublin"].pk, "rank": "aspirant", "preferred_language": "uk"},
    )
    assert response.status_code == 302
    profile.refresh_from_db()
    assert (profile.unit, profile.rank, profile.preferred_language) == (
        units["kwp-lublin"],
        "aspirant",
        "uk",
    )
