import pytest
from wagtail.models import Page

from courses.models import (
    CampaignIndexPage,
    CampaignPage,
    CataloguePage,
    CoursePage,
    GoodPracticePage,
    HomePage,
    ModulePage,
    PracticeIndexPage,
)
from tests.factories import make_catalogue, make_course, make_home, make_module

pytestmark = pytest.mark.django_db


def test_catalogue_course_module_tree_is_created_and_served(client):
    home = make_home()
    catalogue = make_catalogue(home)
    course = make_course(catalogue, title="Poszukiwania", slug="poszukiwania")
    first = make_module(course, title="Pierwszy moduł", slug="pierwszy")
    second = make_module(course, title="Drugi moduł", slug="drugi")

    assert list(course.get_children().specific()) == [first, second]
    response = client.get(course.url)
    assert response.status_code == 200
    content = response.content.decode()
    assert content.index("Pierwszy moduł") < content.index("Drugi moduł")

    response = client.get(second.url)
    assert response.status_code == 200
    assert response.context["module_number"] == 2
    assert response.context["previous_module"].pk == first.pk
    assert response.context["next_module"] is None


def test_reordering_modules_changes_course_order(client):
    course = make_course(make_catalogue(make_home()))
    first = make_module(course, title="Alfa", slug="alfa")
    second = make_module(course, title="Beta", slug="beta")

    second.move(first, pos="left")  # what the admin's drag-and-drop ordering does

    content = client.get(course.url).content.decode()
    assert content.index("Beta") < content.index("Alfa")


@pytest.mark.parametrize(
    ("child", "parent"),
    [
        (HomePage, Page),
        (CataloguePage, HomePage),
        (CoursePage, CataloguePage),
        (ModulePage, CoursePage),
        (PracticeIndexPage, HomePage),
        (GoodPracticePage, PracticeIndexPage),
        (CampaignIndexPage, HomePage),
        (CampaignPage, CampaignIndexPage),
    ],
)
def test_allowed_parent(child, parent):
    assert child in parent.allowed_subpage_models()
    assert parent in child.allowed_parent_page_models()


@pytest.mark.parametrize(
    ("child", "parent"),
    [
        (ModulePage, CataloguePage),
        (ModulePage, HomePage),
        (CoursePage, HomePage),
        (CoursePage, CoursePage),
        (GoodPracticePage, CataloguePage),
        (CampaignPage, HomePage),
    ],
)
def test_disallowed_parent(child, parent):
    assert child not in parent.allowed_subpage_models()


def test_catalogue_filters_by_topic_and_counts_each_topic(client):
    catalogue = make_catalogue(make_home())
    make_course(catalogue, title="Kurs o poszukiwaniach", topic="fugitives")
    make_course(catalogue, title="Kurs o przemycie A", topic="smuggling")
    make_course(catalogue, title="Kurs o przemycie B", topic="smuggling")

    response = client.get(catalogue.url, {"topic": "smuggling"})
    titles = [course.title for course in response.context["catalogue"].courses]
    assert titles == ["Kurs o przemycie A", "Kurs o przemycie B"]
    counts = {facet.value: facet.count for facet in response.context["catalogue"].topics}
    assert counts == {"fugitives": 1, "smuggling": 2}


def test_unknown_topic_shows_all_courses_instead_of_failing(client):
    catalogue = make_catalogue(make_home())
    make_course(catalogue, topic="fugitives")
    response = client.get(catalogue.url, {"topic": "<script>"})
    assert response.status_code == 200
    assert len(response.context["catalogue"].courses) == 1


def test_draft_courses_are_not_listed(client):
    catalogue = make_catalogue(make_home())
    draft = make_course(catalogue, title="Szkic")
    draft.unpublish()
    response = client.get(catalogue.url)
    assert response.context["catalogue"].courses == []
