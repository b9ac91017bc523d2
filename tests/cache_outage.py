"""A cache that is down, for the embedded tests: Redis at an address where nothing listens.

The real backend and the real redis-py client are used, so every cache call fails the way it
does when the server is gone (``redis.exceptions.ConnectionError``, at once: the port refuses).
The IP log buffer is pointed there too. Each test gets a fresh outage breaker.
"""

import pytest

from eventum import cache as cache_backend

DEAD_REDIS_URL = "redis://127.0.0.1:1/0"


@pytest.fixture
def cache_down(settings, monkeypatch):
    monkeypatch.setattr(cache_backend.breaker, "_down_until", {})
    settings.CACHES = {
        "default": {"BACKEND": "eventum.cache.ReusedClientRedisCache", "LOCATION": DEAD_REDIS_URL}
    }
    settings.REDIS_URL = DEAD_REDIS_URL
    return DEAD_REDIS_URL
