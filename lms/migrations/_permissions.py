"""Shared by the role migrations."""


def ensure_permissions_exist(apps) -> None:
    """Permissions are normally created after migrate; on a fresh database they must exist now."""
    from django.contrib.auth.management import create_permissions
    from django.contrib.contenttypes.management import create_contenttypes

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_contenttypes(app_config, verbosity=0)
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None
