"""The Redis cache backend reuses one client per connection pool and still behaves as Django's."""

import threading
import uuid

import pytest
from django.conf import settings

from eventum.cache import SOCKET_TIMEOUT_SECONDS, ReusedClientRedisCache, _without_password


def _backend(location: str = "redis://127.0.0.1:6379/15") -> ReusedClientRedisCache:
    return ReusedClientRedisCache(location, {"KEY_PREFIX": f"test-{uuid.uuid4().hex}"})


def test_every_call_gets_the_same_client_of_the_pool():
    cache = _backend()
    client = cache._cache.get_client()
    assert cache._cache.get_client("some-key") is client
    assert cache._cache.get_client(write=True) is client  # one server: reads and writes alike
    assert client.connection_pool is cache._cache._get_connection_pool(write=False)


def test_threads_share_the_client():
    cache = _backend()
    seen = []
    threads = [
        threading.Thread(target=lambda: seen.append(cache._cache.get_client())) for _ in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len({id(client) for client in seen}) == 1


def test_each_server_of_a_list_keeps_its_own_client():
    cache = _backend("redis://127.0.0.1:6379/15,redis://127.0.0.1:6379/14")
    writer = cache._cache.get_client(write=True)
    reader = cache._cache.get_client()  # with replicas, reads go to the others
    assert writer is not reader
    assert writer.connection_pool.connection_kwargs["db"] == 15
    assert reader.connection_pool.connection_kwargs["db"] == 14
    assert cache._cache.get_client(write=True) is writer


def test_commands_give_up_after_a_second_unless_configured_otherwise():
    pool = _backend()._cache._get_connection_pool(write=True)
    assert pool.connection_kwargs["socket_timeout"] == SOCKET_TIMEOUT_SECONDS == 1.0
    assert pool.connection_kwargs["socket_connect_timeout"] == 1.0
    configured = ReusedClientRedisCache(
        "redis://127.0.0.1:6379/15", {"OPTIONS": {"socket_timeout": 0.25}}
    )
    pool = configured._cache._get_connection_pool(write=True)
    assert pool.connection_kwargs["socket_timeout"] == 0.25
    assert pool.connection_kwargs["socket_connect_timeout"] == 1.0


def test_the_outage_log_line_hides_the_password():
    assert _without_password("redis://:s3cret@cache:6379/0,redis://u:p@replica/1") == (
        "redis://cache:6379/0,redis://replica/1"
    )


@pytest.mark.services
def test_cache_operations_round_trip_on_redis():
    cache = _backend(settings.REDIS_URL)
    try:
        assert cache.get("missing", "default") == "default"
        cache.set("page", ("<p>страница</p>", 1.5), 30)
        assert cache.get("page") == ("<p>страница</p>", 1.5)
        assert cache.add("lock", 1, 10) is True
        assert cache.add("lock", 1, 10) is False
        assert cache.incr("lock") == 2
        cache.set_many({"a": 1, "b": 2})
        assert cache.get_many(["a", "b", "c"]) == {"a": 1, "b": 2}
        cache.delete("page")
        assert cache.get("page") is None

        def add_and_read(n: int) -> None:
            cache.set(f"thread-{n}", n, 30)
            assert cache.get(f"thread-{n}") == n

        threads = [threading.Thread(target=add_and_read, args=(n,)) for n in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert cache.get_many([f"thread-{n}" for n in range(8)]) == {
            f"thread-{n}": n for n in range(8)
        }
    finally:
        cache.delete_many(["a", "b", "lock", *(f"thread-{n}" for n in range(8))])


@pytest.mark.services
def test_counters_count_in_one_round_trip_and_keep_their_window():
    """The rate limits' counters: a new one starts at 1 with its timeout, an existing one
    goes on counting, and ``get`` reads the count as a number; one round trip for all."""
    cache = _backend(settings.REDIS_URL)
    try:
        client = cache._cache.get_client(write=True)
        sent = []
        real_execute = type(client.pipeline()).execute

        def execute(pipe, *args, **kwargs):
            sent.append(len(pipe.command_stack))
            return real_execute(pipe, *args, **kwargs)

        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(type(client.pipeline()), "execute", execute)
            assert cache.counts_add([("ip", 61), ("cart", 61)]) == [1, 1]
            assert cache.counts_add([("ip", 61), ("cart", 61), ("new", 30)]) == [2, 2, 1]
        assert sent == [4, 6]  # two commands a counter, each call one round trip
        assert cache.get("ip") == 2 and cache.get("new") == 1
        assert 0 < client.ttl(cache.make_and_validate_key("new")) <= 30
        assert 30 < client.ttl(cache.make_and_validate_key("ip")) <= 61
    finally:
        cache.clear()
