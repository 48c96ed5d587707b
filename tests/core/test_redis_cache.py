"""The Redis cache backend keeps one client per connection pool and behaves as Django's."""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest

from kommuneradar.core.cache import RedisCache
from tests.ops.redis import redis_answers

pytestmark = pytest.mark.skipif(not redis_answers(), reason="no Redis on 127.0.0.1:6379")


@pytest.fixture
def redis_cache() -> RedisCache:
    # Its own key prefix: the two CI legs share the server.
    return RedisCache("redis://127.0.0.1:6379/13", {"KEY_PREFIX": uuid.uuid4().hex})


def test_one_client_serves_every_call(redis_cache: RedisCache) -> None:
    client = redis_cache._cache.get_client()
    assert redis_cache._cache.get_client(write=True) is client


def test_the_shared_client_stores_reads_counts_and_deletes_from_many_threads(
    redis_cache: RedisCache,
) -> None:
    redis_cache.set("page", b"<html>" * 1000, 60)
    assert redis_cache.add("counter", 0, 60)
    assert not redis_cache.add("counter", 5, 60)

    def work(_: int) -> None:
        assert redis_cache.get("page") == b"<html>" * 1000
        redis_cache.incr("counter")

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(work, range(200)))
    assert redis_cache.get("counter") == 200
    redis_cache.delete("page")
    assert redis_cache.get("page") is None
    redis_cache.delete("counter")
