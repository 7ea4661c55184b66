"""Bounded concurrency: ``workers`` engines, a wait queue of ``queue`` places, back-pressure.

A request is admitted while fewer than ``workers + queue`` are running or waiting; one more is
refused at once with 503 ``busy`` (no unbounded queue). Admitted try-ons run on a thread pool
of ``workers`` threads, each borrowing an engine from an :class:`~tryon.tools.pool.EnginePool`,
so the event loop never blocks. A try-on not finished ``timeout_s`` after admission is answered
503 ``timeout``; a waiting one is dropped, a running one finishes in the background and keeps
its place until then (the bound holds). The pool is built, and warmed, off the event loop:
:attr:`ready` turns true once every engine has run one demo try-on.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass

from tryon.errors import TryOnError
from tryon.imaging.decode import DecodeLimits
from tryon.imaging.imageio import encode_png
from tryon.pipeline import TryOnEngine
from tryon.serve.errors import ServeError, ServeErrorCode
from tryon.serve.settings import ServeSettings

__all__ = ["EngineWorkers", "TryOnOutput", "UploadGate"]

LOG = logging.getLogger("tryon.serve")
RETRY_BUSY_S = 2.0
RETRY_STARTING_S = 5.0
# Bodies being received at once, per place of the engines and queue: uploads beyond are
# refused (503 busy) before their body is read, so memory for bodies stays bounded.
UPLOADS_PER_PLACE = 2


@dataclass(frozen=True)
class TryOnOutput:
    """One answered try-on: the PNG and what the JSON answer reports."""

    png: bytes
    width: int
    height: int
    kind: str
    refined: bool
    timings_ms: dict[str, float]
    warnings: tuple[str, ...]


EngineFactory = Callable[[], TryOnEngine]


def _busy() -> ServeError:
    return ServeError(ServeErrorCode.BUSY, "the server is busy; try again shortly",
                      retry_after=RETRY_BUSY_S)


class UploadGate:
    """At most ``limit`` request bodies being received at once (event-loop only, no lock)."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.active = 0

    @contextmanager
    def enter(self) -> Iterator[None]:
        """Hold a place while a body is read; 503 ``busy`` when none is free."""
        if self.active >= self.limit:
            raise _busy()
        self.active += 1
        try:
            yield
        finally:
            self.active -= 1


class EngineWorkers:
    """The engines of one server process and the admission bound in front of them."""

    def __init__(self, settings: ServeSettings, factory: EngineFactory | None = None) -> None:
        self._settings = settings
        limits = DecodeLimits(max_bytes=settings.max_photo_bytes, max_pixels=settings.max_pixels)
        self._factory = factory or (lambda: TryOnEngine(limits=limits))
        self._executor = ThreadPoolExecutor(settings.workers, thread_name_prefix="tryon-engine")
        self._lock = threading.Lock()
        self._admitted = 0
        self._running = 0
        self._pool = None
        self._ready = threading.Event()
        self._failure: TryOnError | None = None
        self._closed = False

    @property
    def capacity(self) -> int:
        """The most requests running or waiting at once."""
        return self._settings.workers + self._settings.queue

    @property
    def ready(self) -> bool:
        return self._ready.is_set()

    @property
    def failure(self) -> TryOnError | None:
        """Why the engines could not start (e.g. ``refiner_unavailable``), else None."""
        return self._failure

    @property
    def running(self) -> int:
        return self._running

    @property
    def queue_length(self) -> int:
        """Requests admitted and waiting for an engine."""
        with self._lock:
            return max(0, self._admitted - self._running)

    def start(self) -> None:
        """Build (and warm) the engines on a background thread; returns at once."""
        threading.Thread(target=self._build, name="tryon-engine-warmup", daemon=True).start()

    def start_blocking(self) -> None:
        """Build the engines on this thread (for Ray replicas, whose constructor may block)."""
        self._build()
        if self._failure is not None:
            raise self._failure

    def _build(self) -> None:
        from tryon.tools.pool import EnginePool

        try:
            pool = EnginePool(self._settings.workers, factory=self._factory,
                              warm=self._settings.warm)
        except TryOnError as exc:
            LOG.error("engines failed to start: %s", exc)
            self._failure = exc
            return
        except Exception:
            LOG.exception("engines failed to start")
            self._failure = ServeError(ServeErrorCode.INTERNAL_ERROR,
                                       "the try-on engines failed to start")
            return
        with self._lock:
            if self._closed:
                pool.close()
                return
            self._pool = pool
        self._ready.set()
        LOG.info("ready: %d engine(s), queue %d", self._settings.workers,
                 self._settings.queue)

    def check_admissible(self) -> None:
        """Raise what :meth:`run` would refuse now (``not_ready``, the engines' start-up
        error, ``busy``): called before a request's body is read, so a refused upload costs
        no bandwidth; :meth:`run` checks again."""
        if not self._ready.is_set():
            if self._failure is not None:
                raise self._failure
            raise ServeError(ServeErrorCode.NOT_READY, "the try-on engines are starting; "
                             "try again in a few seconds", retry_after=RETRY_STARTING_S)
        if self._admitted >= self.capacity:
            raise _busy()

    async def run(self, person: bytes, item: bytes, kind: str) -> TryOnOutput:
        """One try-on within the bounds (see the module docstring); raises
        :class:`TryOnError` for bad input and :class:`ServeError` ``busy``, ``timeout`` or
        ``not_ready``."""
        self.check_admissible()
        with self._lock:
            if self._admitted >= self.capacity:
                raise _busy()
            self._admitted += 1
        try:
            future = self._executor.submit(self._work, person, item, kind)
        except RuntimeError:  # the executor was shut down (server stopping)
            self._release(None)
            raise ServeError(ServeErrorCode.NOT_READY, "the server is stopping") from None
        future.add_done_callback(self._release)
        try:
            return await asyncio.wait_for(asyncio.wrap_future(future), self._settings.timeout_s)
        except asyncio.TimeoutError:
            future.cancel()  # only a waiting try-on can be cancelled
            raise ServeError(ServeErrorCode.TIMEOUT, "the try-on took longer than "
                             f"{self._settings.timeout_s:.0f} s; try again",
                             retry_after=RETRY_BUSY_S) from None

    def _release(self, _future: Future[TryOnOutput] | None) -> None:
        with self._lock:
            self._admitted -= 1

    def _work(self, person: bytes, item: bytes, kind: str) -> TryOnOutput:
        pool = self._pool
        if pool is None:
            raise ServeError(ServeErrorCode.NOT_READY, "the server is stopping")
        with self._lock:
            self._running += 1
        try:
            result = pool.run(person, item, kind=kind)
            image = result.image
            return TryOnOutput(png=encode_png(image), width=int(image.shape[1]),
                               height=int(image.shape[0]), kind=str(result.kind),
                               refined=bool(result.refined),
                               timings_ms=dict(result.timings_ms),
                               warnings=tuple(result.warnings))
        finally:
            with self._lock:
                self._running -= 1

    def close(self) -> None:
        """Stop taking work, wait for running try-ons, close the engines."""
        with self._lock:
            self._closed = True
            pool, self._pool = self._pool, None
        self._ready.clear()
        self._executor.shutdown(wait=True, cancel_futures=True)
        if pool is not None:
            pool.close()
