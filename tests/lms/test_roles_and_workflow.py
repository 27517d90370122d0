"""The editors/reviewers groups and the review workflow created by migration."""

import pytest
from django.contrib.auth.models import Group
from wagtail.models import Page, Workflow

from tests.factories import make_catalogue, make_course, make_home

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(django_user_model):
    editor = django_user_model.objects.create_user("redaktor", password="x-Password-1")
    editor.groups.add(Group.objects.get(name="Editors"))
    reviewer = django_user_model.objects.create_user("recenzent", password="x-Password-1")
    reviewer.groups.add(Group.objects.get(name="Reviewers"))
    trainee = django_user_model.objects.create_user("kursant", password="x-Password-1")
    return editor, reviewer, trainee


def test_editors_write_and_reviewers_publish(people):
    editor, reviewer, trainee = people
    course = make_course(make_catalogue(make_home()))

    editor_perms = course.permissions_for_user(editor)
    assert editor_perms.can_edit() and editor_perms.can_add_subpage()
    assert not editor_perms.can_publish()
    assert editor.has_perm("wagtailadmin.access_admin")
    assert editor.has_perm("wagtail_localize.submit_translation")

    reviewer_perms = course.permissions_for_user(reviewer)
    assert reviewer_perms.can_edit() and reviewer_perms.can_publish()

    assert not course.permissions_for_user(trainee).can_edit()
    assert not trainee.has_perm("wagtailadmin.access_admin")


def test_every_page_goes_through_the_review_workflow(people):
    editor, reviewer, _ = people
    course = make_course(make_catalogue(make_home()))
    workflow = course.get_workflow()
    assert workflow == Workflow.objects.get(name="Review")
    assert Page.get_first_root_node().get_workflow() == workflow

    course.title = "Poprawiony tytuł"
    revision = course.save_revision(user=editor)
    state = workflow.start(course, editor)
    assert state.status == state.STATUS_IN_PROGRESS
    task_state = state.current_task_state
    assert task_state.task.specific.user_can_access_editor(course, reviewer)
    assert [a[0] for a in task_state.task.specific.get_actions(course, reviewer)][:2] == [
        "reject",
        "approve",
    ]
    assert task_state.task.specific.get_actions(course, editor) == []

    task_state.task.specific.on_action(task_state, reviewer, "approve")
    course.refresh_from_db()
    assert course.title == "Poprawiony tytuł"
    assert course.live_revision_id == revision.pk
