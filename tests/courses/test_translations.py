import pytest
from wagtail.models import Locale

from tests.factories import make_catalogue, make_course, make_home, make_module

pytestmark = pytest.mark.django_db


def translate(page, code: str, **fields):
    locale, _ = Locale.objects.get_or_create(language_code=code)
    translation = page.copy_for_translation(locale, copy_parents=True)
    for name, value in fields.items():
        setattr(translation, name, value)
    translation.save_revision().publish()
    return translation


@pytest.fixture
def course_in_three_languages():
    home = make_home()
    catalogue = make_catalogue(home)
    course = make_course(catalogue, title="Poszukiwania międzynarodowe", slug="poszukiwania")
    module = make_module(course, title="Europejski nakaz aresztowania", slug="ena")
    for code in ("en", "uk"):
        Locale.objects.get_or_create(language_code=code)
    translate(home, "en", title="Home")
    translate(home, "uk", title="Головна")
    translate(catalogue, "en", title="Catalogue", slug="courses")
    translate(catalogue, "uk", title="Каталог")
    english = translate(course, "en", title="International searches")
    ukrainian = translate(course, "uk", title="Міжнародний розшук")
    translate(module, "en", title="The European Arrest Warrant")
    translate(module, "uk", title="Європейський ордер на арешт")
    return course, english, ukrainian


def test_course_copied_to_english_and_ukrainian_renders_in_that_language(
    client, course_in_three_languages
):
    polish, english, ukrainian = course_in_three_languages

    assert polish.url.startswith("/pl/")
    assert english.url == "/en/courses/poszukiwania/"
    assert ukrainian.url.startswith("/uk/")

    html = client.get(english.url).content.decode()
    assert '<html lang="en">' in html
    assert "International searches" in html and "The European Arrest Warrant" in html
    assert "Learning objectives" in html or "Modules" in html

    html = client.get(ukrainian.url).content.decode()
    assert '<html lang="uk">' in html
    assert "Міжнародний розшук" in html and "Європейський ордер на арешт" in html
    assert "Модулі" in html  # interface strings come from the Ukrainian catalogue

    html = client.get(polish.url).content.decode()
    assert '<html lang="pl">' in html
    assert "Moduły" in html


def test_language_switcher_links_to_each_translation(client, course_in_three_languages):
    polish, english, ukrainian = course_in_three_languages
    html = client.get(polish.url).content.decode()
    for page, code in ((polish, "pl"), (english, "en"), (ukrainian, "uk")):
        assert f'href="{page.url}" lang="{code}"' in html
    assert 'lang="pl" hreflang="pl" aria-current="true"' in html


def test_untranslated_page_switches_to_that_languages_home(client, course_in_three_languages):
    polish, _, _ = course_in_three_languages
    module_only_in_polish = make_module(polish, title="Tylko po polsku", slug="tylko-pl")
    html = client.get(module_only_in_polish.url).content.decode()
    assert 'href="/en/" lang="en"' in html
