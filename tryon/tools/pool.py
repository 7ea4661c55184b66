"""A small pool of try-on engines for servers that run try-ons from several threads.

:class:`~tryon.pipeline.TryOnEngine` holds one MediaPipe graph and is not thread-safe. A web
front end serves each browser session from its own thread, so it shares one
:class:`EnginePool` per process: each call borrows an engine for the length of one
:meth:`~tryon.pipeline.TryOnEngine.run` and gives it back. ``size=1`` is a lock around one
engine; ``size=2`` lets two try-ons run at once at the cost of a second graph in memory
(see ``docs/ui.md`` for measured numbers).
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from tryon.pipeline import TryOnEngine, TryOnResult
from tryon.tools import DEMO_ASSETS

__all__ = ["EnginePool"]

ImageSource = bytes | str | Path
WARM_UP = (DEMO_ASSETS / "people" / "woman-studio.jpg", DEMO_ASSETS / "tops" / "white-tee.jpg")


@dataclass
class _Waiter:
    ready: threading.Event = field(default_factory=threading.Event)
    engine: TryOnEngine | None = None


class EnginePool:
    """``size`` engines made by ``factory``, lent one per call. With ``warm`` each engine
    runs one demo try-on at construction, so the first customer does not wait for models
    to load.

    Thread-safe and fair: callers get engines in the order they asked (a caller that gives
    an engine back cannot take it again ahead of one already waiting). The pool never
    changes an engine's settings; it only hands engines out and takes them back.
    """

    def __init__(self, size: int = 1,
                 factory: Callable[[], TryOnEngine] = TryOnEngine, warm: bool = True) -> None:
        if size < 1:
            raise ValueError(f"pool size must be >= 1, got {size}")
        self._size = size
        self._lock = threading.Lock()
        self._free: list[TryOnEngine] = []
        self._waiters: deque[_Waiter] = deque()
        self._all: list[TryOnEngine] = []
        self._closed = False
        for _ in range(size):
            engine = factory()
            if warm:
                engine.run(*WARM_UP, kind="top")
            self._all.append(engine)
            self._free.append(engine)

    @property
    def size(self) -> int:
        """Number of engines (the most try-ons that run at the same time)."""
        return self._size

    @property
    def idle(self) -> int:
        """Engines free right now (a hint: another thread may take one at any moment)."""
        with self._lock:
            return len(self._free)

    @contextmanager
    def engine(self, timeout: float | None = None) -> Iterator[TryOnEngine]:
        """Borrow an engine, waiting up to ``timeout`` seconds (forever if None).

        Raises :class:`TimeoutError` when none became free in time.
        """
        borrowed = self._acquire(timeout)
        try:
            yield borrowed
        finally:
            self._release(borrowed)

    def _acquire(self, timeout: float | None) -> TryOnEngine:
        with self._lock:
            if self._closed:
                raise RuntimeError("the engine pool is closed")
            if self._free and not self._waiters:
                return self._free.pop()
            waiter = _Waiter()
            self._waiters.append(waiter)
        waiter.ready.wait(timeout)
        with self._lock:
            if waiter.engine is None:  # timed out (an engine handed over meanwhile is kept)
                self._waiters.remove(waiter)
                raise TimeoutError(f"no try-on engine free after {timeout} s")
            return waiter.engine

    def _release(self, engine: TryOnEngine) -> None:
        with self._lock:
            if self._waiters:  # hand over to the longest-waiting caller
                waiter = self._waiters.popleft()
                waiter.engine = engine
                waiter.ready.set()
            else:
                self._free.append(engine)

    def run(self, person: ImageSource, item: ImageSource, kind: str = "auto",
            timeout: float | None = None) -> TryOnResult:
        """:meth:`TryOnEngine.run` on a borrowed engine; same errors, plus ``TimeoutError``."""
        with self.engine(timeout) as borrowed:
            return borrowed.run(person, item, kind=kind)

    def close(self) -> None:
        """Close every engine (call once no thread uses the pool any more)."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            for engine in self._all:
                engine.close()

    def __enter__(self) -> EnginePool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
