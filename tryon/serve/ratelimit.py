"""Per-key token buckets: a burst of requests, then a steady rate.

Each key (or the one anonymous client of a loopback server) owns a bucket of ``burst``
tokens that refills at ``rate_per_s``; a request takes one token or is refused with the
seconds until the next one (the ``Retry-After`` of a 429 answer).
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["RateLimiter", "TokenBucket"]

Clock = Callable[[], float]


@dataclass
class TokenBucket:
    """``tokens`` of ``burst`` left at time ``updated`` (seconds of the limiter's clock)."""

    tokens: float
    updated: float


class RateLimiter:
    """Token buckets keyed by a key's id; thread-safe. ``rate_per_s == 0``: no limit.

    The number of buckets is bounded by the number of keys (the anonymous client shares one),
    so a flood of requests cannot grow the table.
    """

    def __init__(self, rate_per_s: float, burst: int, clock: Clock = time.monotonic) -> None:
        if rate_per_s < 0 or burst < 1:
            raise ValueError(f"need rate_per_s >= 0 and burst >= 1, got {rate_per_s}, {burst}")
        self._rate = rate_per_s
        self._burst = burst
        self._clock = clock
        self._buckets: dict[str, TokenBucket] = {}
        self._lock = threading.Lock()

    @property
    def enabled(self) -> bool:
        return self._rate > 0

    def take(self, key: str) -> float | None:
        """Take one token for ``key``: None when allowed, else the seconds to wait."""
        if not self.enabled:
            return None
        now = self._clock()
        with self._lock:
            bucket = self._buckets.get(key)
            if bucket is None:
                bucket = self._buckets[key] = TokenBucket(float(self._burst), now)
            elapsed = max(0.0, now - bucket.updated)
            bucket.tokens = min(float(self._burst), bucket.tokens + elapsed * self._rate)
            bucket.updated = now
            if bucket.tokens >= 1.0:
                bucket.tokens -= 1.0
                return None
            return (1.0 - bucket.tokens) / self._rate

    @staticmethod
    def retry_after_header(seconds: float) -> str:
        """``Retry-After`` in whole seconds (at least 1), as HTTP wants it."""
        return str(max(1, math.ceil(seconds)))
