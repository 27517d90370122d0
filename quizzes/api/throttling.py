"""The limit on attempt writes (start, autosave, submit)."""

from __future__ import annotations

from rest_framework.request import Request
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView


class WindowedScopedRateThrottle(ScopedRateThrottle):
    """DRF's scoped rate ("120/minute" for the view's `throttle_scope`) counted per user in
    fixed windows of the rate's period, with one atomic increment in the cache.

    DRF's own throttle keeps the time of every request in the window as a list, read and
    written back whole on each request: more work the higher the rate, and two workers that
    read the same list each write back their own, losing a count. An increment is atomic in
    a shared cache (Redis) and in one process's memory alike. A trainee may reach twice the
    rate across a window's edge, which is what the limit allows for anyway: it stops runaway
    clients, not a person answering questions.
    """

    def allow_request(self, request: Request, view: APIView) -> bool:
        self.scope = getattr(view, self.scope_attr, None)
        if not self.scope:
            return True
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        key = self.get_cache_key(request, view)
        if key is None:
            return True
        now = self.timer()
        window = int(now // self.duration)
        self.seconds_left = (window + 1) * self.duration - now
        return self._count(f"{key}:{window}") <= self.num_requests

    def _count(self, key: str) -> int:
        try:
            return self.cache.incr(key)
        except ValueError:  # the window's first request (or its count just expired)
            if self.cache.add(key, 1, timeout=self.duration):
                return 1
            return self.cache.incr(key)

    def wait(self) -> float:
        return self.seconds_left
