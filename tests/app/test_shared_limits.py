"""REDIS_URL selects a storage that every worker of a deployment shares."""

from __future__ import annotations

import config


def test_redis_url_selects_the_shared_storage(monkeypatch):
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/3")
    monkeypatch.delenv("RATELIMIT_STORAGE_URI", raising=False)
    assert config.load("testing")["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:6379/3"
    monkeypatch.setenv("RATELIMIT_STORAGE_URI", "memcached://127.0.0.1:11211")
    assert config.load("testing")["RATELIMIT_STORAGE_URI"] == "memcached://127.0.0.1:11211"
    monkeypatch.delenv("RATELIMIT_STORAGE_URI")
    monkeypatch.delenv("REDIS_URL")
    assert config.load("testing")["RATELIMIT_STORAGE_URI"] == "memory://"
