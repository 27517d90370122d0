from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from wagtail.images import get_image_model
from wagtail.models import Locale, Page, PageViewRestriction, Revision

from courses.choices import Topic
from courses.models import CoursePage, GoodPracticePage, ModulePage

pytestmark = pytest.mark.django_db


def snapshot() -> dict[str, int]:
    return {
        "pages": Page.objects.count(),
        "revisions": Revision.objects.count(),
        "images": get_image_model().objects.count(),
        "users": get_user_model().objects.count(),
        "restrictions": PageViewRestriction.objects.count(),
    }


@pytest.fixture
def seeded(settings):
    settings.DEBUG = True
    output = StringIO()
    call_command("seed_demo", stdout=output)
    return output.getvalue()


def test_seed_demo_builds_the_demo_and_a_second_run_changes_nothing(seeded, client):
    assert "trainee" in seeded and "demo-trainee-2026" in seeded
    before = snapshot()

    output = StringIO()
    call_command("seed_demo", stdout=output)

    assert snapshot() == before
    assert "nothing changed" in output.getvalue()


def test_demo_content_users_and_catalogue(seeded, client):
    english = Locale.objects.get(language_code="en")
    polish_courses = CoursePage.objects.live().filter(locale__language_code="pl")
    assert sorted(polish_courses.values_list("topic", flat=True)) == sorted(Topic.values)
    for course in polish_courses:
        modules = ModulePage.objects.child_of(course).live()
        assert modules.count() >= 3
        for module in modules:
            assert len(module.body) >= 8
            assert module.get_translation_or_none(english)
    assert CoursePage.objects.live().filter(locale__language_code="en").count() == 6
    assert CoursePage.objects.live().filter(locale__language_code="uk").count() >= 1
    assert GoodPracticePage.objects.live().filter(locale__language_code="pl").count() >= 10

    response = client.get("/pl/kursy/")
    assert response.status_code == 200
    assert len(response.context["catalogue"].courses) == 6
    assert "Katalog kursów" in response.content.decode()

    users = {user.username: user for user in get_user_model().objects.all()}
    assert users["editor"].groups.filter(name="Editors").exists()
    assert users["reviewer"].groups.filter(name="Reviewers").exists()
    assert not users["trainee"].groups.exists()
    assert users["trainee"].check_password("demo-trainee-2026")


def test_seed_demo_refuses_to_run_with_debug_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG off"):
        call_command("seed_demo")
