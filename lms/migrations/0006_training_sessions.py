"""Classroom and practical sessions: the sessions of a course and the trainees' registrations,
waiting-list places and attendance."""

import django.core.validators
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0004_attendance_required"),
        ("lms", "0005_assignment"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="TrainingSession",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("workshop", "Workshop"),
                            ("seminar", "Seminar"),
                            ("language_course", "Language course"),
                            ("practical", "Practical training"),
                        ],
                        max_length=20,
                        verbose_name="kind",
                    ),
                ),
                ("title", models.CharField(max_length=255, verbose_name="title")),
                ("description", models.TextField(blank=True, verbose_name="description")),
                ("starts_at", models.DateTimeField(verbose_name="starts")),
                ("ends_at", models.DateTimeField(verbose_name="ends")),
                (
                    "place",
                    models.CharField(
                        help_text="The address and the room or training ground.",
                        max_length=255,
                        verbose_name="place",
                    ),
                ),
                (
                    "capacity",
                    models.PositiveIntegerField(
                        help_text="Seats; trainees who register when every seat is taken join the waiting list.",
                        validators=[django.core.validators.MinValueValidator(1)],
                        verbose_name="capacity",
                    ),
                ),
                (
                    "course",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="training_sessions",
                        to="courses.coursepage",
                        verbose_name="course",
                    ),
                ),
                (
                    "trainer",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="training_sessions_led",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="trainer",
                    ),
                ),
            ],
            options={
                "verbose_name": "classroom session",
                "verbose_name_plural": "classroom sessions",
                "ordering": ["starts_at", "pk"],
            },
        ),
        migrations.CreateModel(
            name="SessionRegistration",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("registered", "Registered"),
                            ("waitlisted", "On the waiting list"),
                            ("cancelled", "Cancelled"),
                        ],
                        max_length=20,
                        verbose_name="status",
                    ),
                ),
                (
                    "registered_at",
                    models.DateTimeField(
                        default=django.utils.timezone.now, verbose_name="registered"
                    ),
                ),
                ("attended", models.BooleanField(blank=True, null=True, verbose_name="attended")),
                (
                    "marked_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="attendance marked"),
                ),
                (
                    "marked_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="attendance marked by",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="session_registrations",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="trainee",
                    ),
                ),
                (
                    "session",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="registrations",
                        to="lms.trainingsession",
                        verbose_name="session",
                    ),
                ),
            ],
            options={
                "verbose_name": "session registration",
                "verbose_name_plural": "session registrations",
            },
        ),
        migrations.AddIndex(
            model_name="trainingsession",
            index=models.Index(
                fields=["course", "starts_at"], name="lms_trainin_course__c2eaa6_idx"
            ),
        ),
        migrations.AddConstraint(
            model_name="trainingsession",
            constraint=models.CheckConstraint(
                condition=models.Q(("ends_at__gt", models.F("starts_at"))),
                name="lms_session_ends_after_start",
            ),
        ),
        migrations.AddConstraint(
            model_name="trainingsession",
            constraint=models.CheckConstraint(
                condition=models.Q(("capacity__gte", 1)), name="lms_session_capacity_positive"
            ),
        ),
        migrations.AddIndex(
            model_name="sessionregistration",
            index=models.Index(
                fields=["session", "status", "registered_at"], name="lms_session_session_7b6806_idx"
            ),
        ),
        migrations.AddConstraint(
            model_name="sessionregistration",
            constraint=models.UniqueConstraint(
                fields=("session", "user"), name="lms_session_registration_unique"
            ),
        ),
    ]
