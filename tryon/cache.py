"""Small least-recently-used caches keyed by image content.

The pipeline's person analysis (MediaPipe pose + segmentation + regions) and item preparation
(cut-out + keypoints) depend only on the decoded pixels, so a photo tried with several items,
or an item tried on several photos, is analysed once. Keys are BLAKE2b digests of the pixels
with their shapes and dtypes (:func:`content_key`), so equal pictures hit whatever file they
came from. Cached values are frozen dataclasses whose arrays are made read-only
(:func:`freeze_arrays`): a stage that wrote into one would fail loudly instead of changing a
later result. Not thread-safe (the engine that owns it is single-thread by contract).
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections import OrderedDict
from collections.abc import Callable
from typing import Generic, TypeVar

import numpy as np

__all__ = ["ContentCache", "content_key", "freeze_arrays"]

V = TypeVar("V")


def content_key(*arrays: np.ndarray | None, tag: str = "") -> bytes:
    """16-byte BLAKE2b digest of ``arrays`` (shape, dtype and bytes of each; None counts as
    absent) and ``tag``. Cost: about 1 ms per megabyte of pixels."""
    digest = hashlib.blake2b(tag.encode(), digest_size=16)
    for array in arrays:
        if array is None:
            digest.update(b"none;")
            continue
        digest.update(f"{array.shape}{array.dtype.str};".encode())
        digest.update(memoryview(np.ascontiguousarray(array)).cast("B"))
    return digest.digest()


def freeze_arrays(value: object) -> None:
    """Make every numpy array reachable through ``value``'s dataclass fields, tuples, lists
    and dict values read-only (in place)."""
    seen: set[int] = set()
    stack = [value]
    while stack:
        item = stack.pop()
        if id(item) in seen:
            continue
        seen.add(id(item))
        if isinstance(item, np.ndarray):
            item.setflags(write=False)
        elif dataclasses.is_dataclass(item) and not isinstance(item, type):
            stack.extend(getattr(item, f.name) for f in dataclasses.fields(item))
        elif isinstance(item, (tuple, list)):
            stack.extend(item)
        elif isinstance(item, dict):
            stack.extend(item.values())


class ContentCache(Generic[V]):
    """At most ``size`` values (0 disables caching), least recently used dropped first.
    ``hits`` and ``misses`` count :meth:`get_or_compute` calls."""

    def __init__(self, size: int) -> None:
        if size < 0:
            raise ValueError(f"cache size must be >= 0, got {size}")
        self.size = size
        self.hits = 0
        self.misses = 0
        self._values: OrderedDict[bytes, V] = OrderedDict()

    def __len__(self) -> int:
        return len(self._values)

    def get_or_compute(self, key: bytes, compute: Callable[[], V]) -> V:
        """The value cached under ``key``, else ``compute()`` (stored, arrays frozen). An
        exception from ``compute`` propagates and nothing is stored."""
        if key in self._values:
            self.hits += 1
            self._values.move_to_end(key)
            return self._values[key]
        self.misses += 1
        value = compute()
        if self.size > 0:
            freeze_arrays(value)
            self._values[key] = value
            while len(self._values) > self.size:
                self._values.popitem(last=False)
        return value

    def clear(self) -> None:
        """Forget every value (the counters are kept)."""
        self._values.clear()
