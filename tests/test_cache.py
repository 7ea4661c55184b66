"""Content caches: LRU behaviour, frozen values, and the engine's pose cache (MediaPipe runs
once per photo; a repeat gives the identical picture)."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from tests.conftest import DEMO_ASSETS
from tryon.body.person import PersonAnalysis
from tryon.cache import ContentCache, content_key, freeze_arrays
from tryon.imaging.decode import decode_image

PERSON = DEMO_ASSETS / "people" / "woman-studio.jpg"
TOPS = sorted((DEMO_ASSETS / "tops").glob("*.jpg"))


class TestContentKey:
    def test_equal_pixels_equal_keys(self) -> None:
        a = np.arange(24, dtype=np.uint8).reshape(2, 4, 3)
        assert content_key(a) == content_key(a.copy())
        assert content_key(a) != content_key(a.reshape(4, 2, 3)), "the shape counts"
        assert content_key(a) != content_key(a.astype(np.int16)), "the dtype counts"
        assert content_key(a, None) != content_key(a, np.zeros(1, np.uint8))
        assert content_key(a, tag="top") != content_key(a, tag="shoes")

    def test_non_contiguous_views(self) -> None:
        a = np.arange(60, dtype=np.uint8).reshape(5, 4, 3)
        assert content_key(a[:, ::2]) == content_key(np.ascontiguousarray(a[:, ::2]))


class TestContentCache:
    def test_least_recently_used_goes_first(self) -> None:
        cache: ContentCache[int] = ContentCache(2)
        calls: list[bytes] = []

        def value(key: bytes) -> int:
            return cache.get_or_compute(key, lambda: calls.append(key) or len(calls))

        assert (value(b"a"), value(b"b"), value(b"a")) == (1, 2, 1)
        value(b"c")  # drops b, the least recently used
        assert value(b"a") == 1 and value(b"b") == 4
        assert calls == [b"a", b"b", b"c", b"b"]
        assert (cache.hits, cache.misses, len(cache)) == (2, 4, 2)

    def test_size_zero_and_errors_store_nothing(self) -> None:
        off: ContentCache[int] = ContentCache(0)
        assert off.get_or_compute(b"k", lambda: 1) == 1 and len(off) == 0

        def fail() -> int:
            raise RuntimeError("no")

        cache: ContentCache[int] = ContentCache(4)
        with pytest.raises(RuntimeError):
            cache.get_or_compute(b"k", fail)
        assert len(cache) == 0 and cache.get_or_compute(b"k", lambda: 7) == 7
        with pytest.raises(ValueError):
            ContentCache(-1)

    def test_cached_arrays_are_read_only(self) -> None:
        value = ({"mask": np.zeros(3)}, [np.ones(2)])
        freeze_arrays(value)
        with pytest.raises(ValueError):
            value[0]["mask"][0] = 1
        with pytest.raises(ValueError):
            value[1][0][0] = 1


class TestPoseCache:
    def test_same_photo_skips_mediapipe(self, engine, monkeypatch: pytest.MonkeyPatch) -> None:
        calls: list[tuple[int, ...]] = []
        analyze = engine.analyzer.analyze

        def counting(rgb: np.ndarray) -> PersonAnalysis:
            calls.append(rgb.shape)
            return analyze(rgb)

        monkeypatch.setattr(engine.analyzer, "analyze", counting)
        engine.clear_caches()
        first = engine.run(PERSON, TOPS[0], kind="top")
        assert len(calls) == 1
        # The same pixels from other bytes (PNG instead of JPEG) with another item: no MediaPipe.
        png = io.BytesIO()
        Image.fromarray(decode_image(PERSON).rgb).save(png, "PNG")
        other = engine.run(png.getvalue(), TOPS[1], kind="top")
        again = engine.run(PERSON, TOPS[0], kind="top")
        assert len(calls) == 1
        assert other.person is first.person and again.person is first.person
        assert np.array_equal(again.image, first.image)
        assert again.timings_ms["person"] < first.timings_ms["person"]
        assert engine.person_cache.hits >= 2 and engine.item_cache.hits >= 1
        engine.clear_caches()
        engine.run(PERSON, TOPS[0], kind="top")
        assert len(calls) == 2, "a cleared cache analyses the photo again"

    def test_no_cache(self) -> None:
        from tryon.pipeline import TryOnEngine

        with TryOnEngine(refine=False, cache_size=0) as engine:
            first = engine.run(PERSON, TOPS[0], kind="top")
            second = engine.run(PERSON, TOPS[0], kind="top")
            assert engine.person_cache.misses == 2 and len(engine.person_cache) == 0
        assert np.array_equal(first.image, second.image)
