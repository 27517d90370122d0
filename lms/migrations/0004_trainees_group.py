"""Add the "Trainees" group: every trainee account (made by an administrator, a CSV import
or self-registration) joins it. It grants nothing yet; it lets administrators find trainees
and give them permissions later in one place."""

from django.db import migrations

GROUP_NAME = "Trainees"


def create_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.get_or_create(name=GROUP_NAME)


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [("lms", "0003_learner_progress")]

    operations = [migrations.RunPython(create_group, remove_group)]
