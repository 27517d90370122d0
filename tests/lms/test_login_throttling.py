"""Password guessing: django-axes locks a user name on one address out after
AXES_FAILURE_LIMIT failed sign-ins, on the site's sign-in page and the admin's."""

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db

PASSWORD = "Kp9-granica-2026"


@pytest.fixture
def trainee(django_user_model):
    return django_user_model.objects.create_user("jkowalski", password=PASSWORD)


def sign_in(client, password: str, url: str = "/pl/accounts/login/", **extra):
    return client.post(url, {"username": "jkowalski", "password": password}, **extra)


def test_locked_out_after_the_failure_limit_with_a_friendly_page(client, trainee):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = sign_in(client, "wrong")
        assert response.status_code == 200  # the form again, with its error

    response = sign_in(client, "wrong")

    assert response.status_code == 429
    page = response.content.decode()
    assert "Zbyt wiele nieudanych logowań" in page  # Polish, the site's language
    assert "15 minut" in page
    assert 'href="/static/lms/site.css"' in page  # in the site's layout
    # Even the right password is refused until the cool-off ends.
    assert sign_in(client, PASSWORD).status_code == 429
    assert "_auth_user_id" not in client.session


def test_another_address_is_not_locked_out(client, trainee):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "wrong")

    response = sign_in(client, PASSWORD, REMOTE_ADDR="10.1.2.3")

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(trainee.pk)


def test_a_success_resets_the_count(client, trainee):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, "wrong")
    assert sign_in(client, PASSWORD).status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, "wrong").status_code == 200


def test_the_admin_sign_in_is_protected_too(client, trainee):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = sign_in(client, "wrong", url="/admin/login/")
    assert response.status_code == 429
