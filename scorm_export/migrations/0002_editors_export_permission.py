"""Editors may export SCORM packages: `scorm_export.add_scormexport` for the "Editors" group
(Wagtail's default editors' group), when the site has one.

The app is pluggable, so this does not use the host project's helpers: a small local one
creates the permission first (Django only creates permissions after `migrate`)."""

from django.db import migrations

GROUP = "Editors"
CODENAMES = ["add_scormexport"]


def ensure_permissions_exist(apps) -> None:
    from django.contrib.auth.management import create_permissions
    from django.contrib.contenttypes.management import create_contenttypes

    app_config = apps.get_app_config("scorm_export")
    app_config.models_module = True
    create_contenttypes(app_config, verbosity=0)
    create_permissions(app_config, verbosity=0)
    app_config.models_module = None


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name=GROUP).first()
    if group is None:
        return
    ensure_permissions_exist(apps)
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="scorm_export", codename__in=CODENAMES)
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name=GROUP):
        group.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="scorm_export", codename__in=CODENAMES
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("scorm_export", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        # Wagtail creates the "Editors" group.
        ("wagtailcore", "0002_initial_data"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
