import datetime

import pytest
from wagtail.models import PageViewRestriction

from courses.selectors import PracticeQuery, search_practices
from tests.factories import make_bank, make_home, make_practice

pytestmark = pytest.mark.django_db


@pytest.fixture
def bank():
    bank = make_bank(make_home())
    make_practice(
        bank,
        title="Wspólna obserwacja balonów przemytniczych",
        summary="Zasadzka przy lądowisku balonu z papierosami.",
        crime_area="smuggling",
        region="podlaskie",
        tags=["balony", "papierosy"],
        date=datetime.date(2025, 9, 1),
    )
    make_practice(
        bank,
        title="Śledzenie odbiorców z wagonów z rudą",
        summary="Papierosy ukryte pod rudą żelaza.",
        crime_area="smuggling",
        region="lubelskie",
        tags=["papierosy", "kolej"],
        date=datetime.date(2024, 6, 1),
    )
    make_practice(
        bank,
        title="Lista kontrolna trafienia w SIS",
        summary="Weryfikacja trafienia nocą.",
        crime_area="fugitives",
        region="national",
        tags=["sis"],
        date=datetime.date(2024, 2, 1),
    )
    make_practice(
        bank,
        title="Szkolenie w punkcie recepcyjnym",
        summary="Wskaźniki handlu ludźmi dla personelu.",
        crime_area="trafficking",
        region="podkarpackie",
        tags=["wskaźniki"],
        date=datetime.date(2023, 4, 1),
    )
    return bank


def search(bank, **params):
    return search_practices(bank, PracticeQuery(**params))


def titles(result):
    return [practice.title for practice in result.results]


def test_without_filters_lists_everything_newest_first(bank):
    result = search(bank)
    assert result.total == 4
    assert titles(result)[0] == "Wspólna obserwacja balonów przemytniczych"


def test_full_text_search_finds_words_in_summary(bank):
    result = search(bank, text="rudą")
    assert titles(result) == ["Śledzenie odbiorców z wagonów z rudą"]


def test_facets_filter_and_count(bank):
    result = search(bank, crime_area="smuggling")
    assert result.total == 2
    # Other crime areas stay selectable with their counts...
    assert {f.value: f.count for f in result.crime_areas} == {
        "fugitives": 1,
        "smuggling": 2,
        "trafficking": 1,
    }
    # ...while regions and tags count only what the chosen crime area leaves.
    assert {f.value: f.count for f in result.regions} == {"lubelskie": 1, "podlaskie": 1}
    assert {f.label: f.count for f in result.tags} == {"papierosy": 2, "balony": 1, "kolej": 1}


def test_facets_combine_with_text_search(bank):
    result = search(bank, text="rudą", crime_area="smuggling")
    assert titles(result) == ["Śledzenie odbiorców z wagonów z rudą"]
    # Counts describe the text matches, not the whole bank.
    assert {f.value: f.count for f in result.regions} == {"lubelskie": 1}
    assert {f.value: f.count for f in result.crime_areas} == {"smuggling": 1}


def test_tag_facet(bank):
    result = search(bank, tag="kolej")
    assert titles(result) == ["Śledzenie odbiorców z wagonów z rudą"]


def test_bank_page_renders_facets_and_ignores_bad_parameters(client, bank):
    response = client.get(bank.url, {"crime_area": "nonsense", "region": "x", "page": "abc"})
    assert response.status_code == 200
    assert response.context["bank"].total == 4
    html = client.get(bank.url, {"crime_area": "smuggling"}).content.decode()
    assert 'aria-current="true"' in html
    assert "crime_area=smuggling" in html


def test_bank_behind_login_redirects_anonymous_visitors(client, bank, django_user_model):
    PageViewRestriction.objects.create(page=bank, restriction_type=PageViewRestriction.LOGIN)
    response = client.get(bank.url)
    assert response.status_code == 302
    assert response.url.startswith("/pl/accounts/login/")
    user = django_user_model.objects.create_user("kursant", password="haslo-kursanta-1")
    client.force_login(user)
    assert client.get(bank.url).status_code == 200
