"""EnginePool: engines lent one per call, in the order asked, safe from several threads."""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest

from tests.conftest import DEMO_ASSETS
from tryon.tools.pool import EnginePool


class FakeEngine:
    """Stands in for TryOnEngine: records who ran, and when it was closed."""

    def __init__(self, log: list[str]) -> None:
        self.log = log
        self.closed = False

    def run(self, person: bytes, item: bytes, kind: str = "auto") -> str:
        self.log.append(person.decode())
        time.sleep(0.05)
        return kind

    def close(self) -> None:
        self.closed = True


def _pool(size: int, log: list[str]) -> EnginePool:
    return EnginePool(size, factory=lambda: FakeEngine(log), warm=False)  # type: ignore[arg-type]


def test_callers_are_served_in_the_order_they_asked() -> None:
    log: list[str] = []
    pool = _pool(1, log)
    threads = []
    with pool.engine():  # hold the only engine while the callers queue up
        for name in "abcd":
            thread = threading.Thread(target=pool.run, args=(name.encode(), b"item"))
            thread.start()
            threads.append(thread)
            time.sleep(0.05)
    for thread in threads:
        thread.join()
    assert log == list("abcd")
    assert pool.idle == 1


def test_two_engines_run_at_once_and_a_third_caller_waits() -> None:
    pool = _pool(2, [])
    with pool.engine() as first, pool.engine() as second:
        assert first is not second and pool.idle == 0
        with pytest.raises(TimeoutError):
            pool.run(b"c", b"item", timeout=0.01)
    assert pool.idle == 2


def test_close_closes_every_engine_once() -> None:
    pool = _pool(2, [])
    engines = [pool._all[0], pool._all[1]]
    with pool:
        pass
    pool.close()
    assert all(engine.closed for engine in engines)  # type: ignore[attr-defined]
    with pytest.raises(RuntimeError):
        pool.run(b"a", b"b")
    with pytest.raises(ValueError):
        EnginePool(0)


def test_real_engines_from_two_threads_give_the_same_result() -> None:
    person = (DEMO_ASSETS / "people" / "woman-studio.jpg").read_bytes()
    item = (DEMO_ASSETS / "shoes" / "blue-plimsolls.png").read_bytes()
    results: list[np.ndarray] = []
    with EnginePool(2, warm=False) as pool:
        threads = [threading.Thread(target=lambda: results.append(
            pool.run(person, item, "shoes").image)) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert len(results) == 2 and np.array_equal(results[0], results[1])
