"""Read-mostly values: kept in the cache, and for a second by each process."""

from unittest import mock

import pytest
from django.core.cache import cache

from eventum import cached


@pytest.fixture
def clock(monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(cached.time, "monotonic", lambda: now[0])
    return now


def test_a_value_read_is_kept_by_the_process_for_a_second(clock):
    computed = []

    def compute():
        computed.append(1)
        return {"methods": ["kaspi"]}

    assert cached.cached_read("methods-7", 60, compute) == {"methods": ["kaspi"]}
    with mock.patch.object(cache, "get", wraps=cache.get) as asked:
        assert cached.cached_read("methods-7", 60, compute) == {"methods": ["kaspi"]}
        asked.assert_not_called()  # no round trip to the cache within the second
        # another process changed it: seen once this process's second is over
        cache.set("methods-7", {"methods": ["halyk"]}, 60)
        assert cached.cached_read("methods-7", 60, compute) == {"methods": ["kaspi"]}
        clock[0] += cached.LOCAL_SECONDS
        assert cached.cached_read("methods-7", 60, compute) == {"methods": ["halyk"]}
        asked.assert_called_once()
    assert computed == [1]


@pytest.mark.django_db
def test_a_change_made_in_this_process_is_seen_at_once(clock):
    value = ["old"]
    assert cached.cached_read("operator", 300, lambda: value[0]) == "old"
    value[0] = "new"
    cached.cached_forget("operator")
    assert cached.cached_read("operator", 300, lambda: value[0]) == "new"


def test_without_the_cache_the_value_is_computed_each_time(clock, monkeypatch):
    from redis.exceptions import ConnectionError as RedisConnectionError

    def down(*args, **kwargs):
        raise RedisConnectionError("down")

    monkeypatch.setattr(cache, "get", down)
    values = iter(["first", "second"])
    assert cached.cached_read("policy", 60, lambda: next(values)) == "first"
    assert cached.cached_read("policy", 60, lambda: next(values)) == "second"
