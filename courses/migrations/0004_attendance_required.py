"""A course may require attendance at one of its classroom or practical sessions."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0003_course_completion_rule"),
    ]

    operations = [
        migrations.AddField(
            model_name="coursepage",
            name="attendance_required",
            field=models.BooleanField(
                default=False,
                help_text="Trainees must attend a session of this course: completion then needs the modules done and attendance at one classroom or practical session.",
                verbose_name="attendance required",
            ),
        ),
    ]
