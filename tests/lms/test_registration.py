"""Self-registration: a 404 unless SELF_REGISTRATION is on; then a trainee account."""

import pytest
from django.contrib.auth import get_user_model

from lms.accounts import TRAINEES_GROUP
from tests.lms.units import make_units

pytestmark = pytest.mark.django_db

URL = "/pl/accounts/register/"


@pytest.fixture
def units():
    return make_units()


@pytest.fixture
def registration_on(settings):
    settings.SELF_REGISTRATION = True


def form_data(units, **overrides):
    return {
        "username": "jkowalski",
        "first_name": "Jan",
        "last_name": "Kowalski",
        "email": "jan.kowalski@policja.gov.pl",
        "password1": "Kp9-granica-2026",
        "password2": "Kp9-granica-2026",
        "unit": units["kmp-chelm"].pk,
        "rank": "aspirant",
        "preferred_language": "uk",
        **overrides,
    }


def test_registration_is_off_by_default(client, units):
    assert client.get(URL).status_code == 404
    assert URL not in client.get("/pl/accounts/login/").content.decode()
    assert client.post(URL, form_data(units)).status_code == 404
    assert not get_user_model().objects.exists()


def test_the_sign_in_page_offers_registration_when_it_is_on(client, registration_on):
    assert f'href="{URL}"' in client.get("/pl/accounts/login/").content.decode()


def test_the_form_is_labelled_and_lists_units_as_a_tree(client, units, registration_on):
    page = client.get(URL).content.decode()
    assert '<label for="id_username">' in page and '<label for="id_unit">' in page
    assert "— — KMP w Chełmie" in page  # a district under its voivodeship


def test_registering_creates_a_signed_in_trainee(client, units, registration_on):
    response = client.post(URL, form_data(units))

    assert response.status_code == 302 and response["Location"] == "/pl/my-courses/"
    user = get_user_model().objects.get(username="jkowalski")
    assert user.check_password("Kp9-granica-2026")
    assert user.groups.filter(name=TRAINEES_GROUP).exists()
    assert (user.trainee_profile.unit, user.trainee_profile.preferred_language) == (
        units["kmp-chelm"],
        "uk",
    )
    assert client.session["_auth_user_id"] == str(user.pk)


def test_errors_are_tied_to_their_fields(client, units, registration_on):
    get_user_model().objects.create_user("JKowalski")

    response = client.post(
        URL, form_data(units, password1="12345678", password2="12345678", email="x")
    )

    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"username", "email", "password2"}
    page = response.content.decode()
    assert 'aria-invalid="true"' in page
    assert 'id="id_email_error"' in page and 'aria-describedby="id_email_error"' in page
    assert get_user_model().objects.count() == 1
