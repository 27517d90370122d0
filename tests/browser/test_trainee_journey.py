"""A trainee on a phone: catalogue → topic filter → course → module → other languages,
then the public campaign and the good-practice bank behind sign-in."""

import pytest
from django.core.management import call_command

# The live server needs committed data (a transactional test); serialized_rollback
# restores what migrations created (root page, groups, workflow) after the flush.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = {"width": 360, "height": 740}


@pytest.fixture
def demo_site(settings):
    settings.DEBUG = True  # seed_demo refuses to create demo users otherwise
    call_command("seed_demo", verbosity=0)
    settings.DEBUG = False


def assert_fits_phone_width(page) -> None:
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow}px at 360px"


def test_trainee_journey_on_a_phone(live_server, demo_site, browser, assert_accessible):
    context = browser.new_context(viewport=PHONE, locale="pl-PL")
    page = context.new_page()

    page.goto(f"{live_server.url}/pl/kursy/")
    assert page.locator("h1").inner_text() == "Katalog kursów"
    assert page.locator(".course-card").count() == 6
    assert_accessible(page)
    assert_fits_phone_width(page)

    page.get_by_role("navigation", name="Filtruj kursy według tematu").get_by_role(
        "link", name="Handel ludźmi"
    ).click()
    page.wait_for_url("**topic=trafficking")
    assert page.locator(".course-card").count() == 1
    assert_accessible(page)

    page.locator(".course-card h2 a").click()
    assert page.locator("h1").inner_text() == "Handel ludźmi – rozpoznawanie i reagowanie"
    assert page.locator(".module-list__item").count() == 3
    assert_accessible(page)
    assert_fits_phone_width(page)

    page.locator(".module-list__item a").first.click()
    assert "Moduł 1 z 3" in page.locator(".module__position").inner_text()
    answer = page.locator(".case-scenario details").first
    answer.locator("summary").click()
    assert answer.get_attribute("open") is not None
    assert_accessible(page)
    assert_fits_phone_width(page)

    page.get_by_role("navigation", name="Język").get_by_role("link", name="English").click()
    page.wait_for_url("**/en/**")
    assert page.locator("html").get_attribute("lang") == "en"
    assert "Module 1 of 3" in page.locator(".module__position").inner_text()
    assert_accessible(page)

    page.get_by_role("navigation", name="Language").get_by_role("link", name="Українська").click()
    page.wait_for_url("**/uk/**")
    assert page.locator("html").get_attribute("lang") == "uk"
    assert_accessible(page)

    # The anti-trafficking campaign is public; the good-practice bank asks to sign in.
    page.goto(f"{live_server.url}/pl/handel-ludzmi/get-help/")
    assert page.locator('a[href^="tel:"]').first.is_visible()
    assert_accessible(page)

    page.goto(f"{live_server.url}/pl/dobre-praktyki/")
    page.wait_for_url("**/accounts/login/**")
    page.get_by_label("Nazwa użytkownika").fill("trainee")
    page.get_by_label("Hasło").fill("demo-trainee-2026")
    page.get_by_role("button", name="Zaloguj się").click()
    page.wait_for_url("**/dobre-praktyki/")
    assert page.locator(".practice-card").count() >= 10
    assert_accessible(page)

    # Signed in, the module's quiz runs right on the module page.
    page.goto(f"{live_server.url}/pl/kursy/trafficking-in-human-beings/defining-trafficking/")
    player = page.locator(".quiz-player")
    player.get_by_role("button", name="Rozpocznij test").click()
    player.locator("fieldset").first.wait_for()
    assert_accessible(page)
    player.get_by_role("button", name="Wyślij odpowiedzi").click()
    page.get_by_role("dialog").get_by_role("button", name="Wyślij", exact=True).click()
    player.get_by_text("Wynik", exact=False).first.wait_for()
    assert_accessible(page)
    context.close()
