"""System checks of the deployment (run by `manage.py check --deploy`)."""

from django.conf import settings
from django.core.checks import CheckMessage, Tags, Warning, register

PER_PROCESS_CACHES = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
)


@register(Tags.caches, deploy=True)
def shared_cache(app_configs: object, **kwargs: object) -> list[CheckMessage]:
    """The API's write throttles count in the cache: it must be shared by every worker."""
    if settings.CACHES["default"]["BACKEND"] not in PER_PROCESS_CACHES:
        return []
    return [
        Warning(
            "The default cache is kept in each process's memory, so every worker counts "
            "a trainee's API writes apart and the throttle's limit is multiplied by the "
            "number of workers.",
            hint="Set REDIS_URL (e.g. redis://127.0.0.1:6379/0) to share one cache.",
            id="lms.W001",
        )
    ]
