"""Editors build question banks and quizzes; reviewers read and grade attempts."""

from django.db import migrations

from lms.migrations._permissions import ensure_permissions_exist

BANK = ["question", "questionversion", "questioncategory", "quiz", "quizslot"]
GRANTS = {
    "Editors": [f"{action}_{model}" for model in BANK for action in ("add", "change", "view")],
    "Reviewers": [
        *(f"view_{model}" for model in BANK),
        "view_attempt",
        "change_attempt",
        "view_attemptquestion",
        "change_attemptquestion",
    ],
}


def grant(apps, schema_editor):
    ensure_permissions_exist(apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GRANTS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="quizzes", codename__in=codenames)
        )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GRANTS.items():
        for group in Group.objects.filter(name=name):
            group.permissions.remove(
                *Permission.objects.filter(
                    content_type__app_label="quizzes", codename__in=codenames
                )
            )


class Migration(migrations.Migration):
    dependencies = [
        ("lms", "0001_roles_and_review_workflow"),
        ("quizzes", "0001_initial"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
