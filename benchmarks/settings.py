"""Settings for the load benchmark (benchmarks/quiz_load.py): production settings
with only what the benchmark needs changed.

    DJANGO_SETTINGS_MODULE=benchmarks.settings

It serves plain HTTP on 127.0.0.1 to a load generator on the same machine, adds
the benchmark's baseline endpoint (benchmarks.urls) and raises the attempt-write
throttle so that 100 simulated trainees answering without pause are measured,
not refused. Everything else (persistent database connections with health
checks, middleware, session + token authentication, static file storage) is the
production configuration of lms.settings.
"""

import os

# Production unless told otherwise; quiz_load.py passes all of these explicitly.
os.environ.setdefault("DJANGO_ENV", "production")
os.environ.setdefault(
    "SECRET_KEY", "benchmark-only-key-loopback-and-throw-away-database-" + "x" * 8
)
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/police_training_bench")
os.environ.setdefault("ATTEMPT_WRITE_RATE", "1000000/minute")

from lms.settings import *  # noqa: F403
from lms.settings import REST_FRAMEWORK

ROOT_URLCONF = "benchmarks.urls"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1"]

# Plain HTTP on the loopback interface: no TLS proxy in front, so no redirect.
SECURE_SSL_REDIRECT = False

# The same authentication as the site (session and token; the load uses tokens),
# with the per-user write throttle far above what the load generator sends.
REST_FRAMEWORK = {
    **REST_FRAMEWORK,
    "DEFAULT_THROTTLE_RATES": {
        **REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
        "attempt_writes": os.environ["ATTEMPT_WRITE_RATE"],
    },
}
