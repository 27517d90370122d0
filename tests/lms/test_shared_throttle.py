"""The API's write throttle counts in Redis when REDIS_URL is set: two processes (two
gunicorn workers) share one count, so the limit is the same whatever the workers."""

import secrets
import socket
import time

import pytest

from tests.lms.test_settings import PRODUCTION_ENV, manage

REDIS = ("127.0.0.1", 6379)

# One write to the attempt-writes throttle, as a worker process would count it; prints
# whether it was allowed.
ONE_WRITE = """
from types import SimpleNamespace
from quizzes.api.throttling import WindowedScopedRateThrottle
request = SimpleNamespace(user=SimpleNamespace(pk={user}, is_authenticated=True))
view = SimpleNamespace(throttle_scope="attempt_writes")
WindowedScopedRateThrottle.timer = lambda self: {now}  # both processes in one window
print(WindowedScopedRateThrottle().allow_request(request, view))
"""


def redis_is_running() -> bool:
    try:
        socket.create_connection(REDIS, timeout=1).close()
    except OSError:
        return False
    return True


@pytest.mark.skipif(not redis_is_running(), reason="needs Redis on 127.0.0.1:6379")
def test_two_processes_share_one_throttle_count_through_redis():
    # A user id no other run uses: the count lives in Redis for the throttle's minute.
    script = ONE_WRITE.format(user=secrets.randbelow(10**12) + 10**12, now=time.time())
    env = {**PRODUCTION_ENV, "ATTEMPT_WRITE_RATE": "1/minute"}

    first = manage("shell", "-v", "0", "-c", script, env=env)
    second = manage("shell", "-v", "0", "-c", script, env=env)
    without_redis = {k: v for k, v in env.items() if k != "REDIS_URL"}
    alone = manage("shell", "-v", "0", "-c", script, env=without_redis)

    assert first.stdout.split() == ["True"], first.stderr
    assert second.stdout.split() == ["False"], second.stderr  # the other process's write counted
    assert alone.stdout.split() == ["True"], alone.stderr  # its own memory: it knows nothing
