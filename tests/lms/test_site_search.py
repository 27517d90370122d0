import pytest
from wagtail.models import PageViewRestriction

from tests.factories import make_bank, make_catalogue, make_course, make_home, make_practice

pytestmark = pytest.mark.django_db


@pytest.fixture
def site():
    home = make_home()
    make_course(make_catalogue(home), title="Przemyt wyrobów akcyzowych", intro="<p>Balony</p>")
    bank = make_bank(home)
    make_practice(bank, title="Przemyt balonami: dyżury", summary="Wspólne dyżury.")
    PageViewRestriction.objects.create(page=bank, restriction_type=PageViewRestriction.LOGIN)
    return home


def result_titles(response):
    return [page.title for page in response.context["results"]]


def test_anonymous_search_skips_pages_behind_login(client, site):
    response = client.get("/pl/search/", {"q": "przemyt"})
    assert response.status_code == 200
    assert result_titles(response) == ["Przemyt wyrobów akcyzowych"]


def test_signed_in_search_includes_the_good_practice_bank(client, site, django_user_model):
    client.force_login(django_user_model.objects.create_user("kursant", password="x-Pass-12"))
    titles = result_titles(client.get("/pl/search/", {"q": "przemyt"}))
    assert sorted(titles) == ["Przemyt balonami: dyżury", "Przemyt wyrobów akcyzowych"]


def test_search_only_returns_pages_in_the_active_language(client, site):
    assert result_titles(client.get("/en/search/", {"q": "przemyt"})) == []


def test_empty_and_overlong_queries_are_harmless(client, site):
    assert client.get("/pl/search/").status_code == 200
    assert client.get("/pl/search/", {"q": "x" * 5000, "page": "zz"}).status_code == 200
