"""Where the page's try-ons run: a local :class:`~tryon.tools.pool.EnginePool`, or a
``tryon serve`` server (``$TRYON_SERVER``) through :class:`~tryon.serve.client.RemoteEngine`.

Both are a :class:`TryOnBackend`: ``run(photo, item, kind)`` and ``idle`` (engines free now,
for the spinner's words). A server's answer comes back as a :class:`RemoteTryOn`, which has
what the page reads of a :class:`~tryon.pipeline.TryOnResult` (the photo, the result, kind,
timings, warnings); the server sends no intermediate pictures, so ``layers()`` is empty.

The early photo check (:mod:`ui.photocheck`) stays local in both cases: the server has no
endpoint for it. With a server the page keeps one engine for it that never loads the
generator (``refine=False``) and is not warmed: MediaPipe loads on the first photo.
Photos travel to the server in memory and are not written anywhere here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np
from PIL import Image

from tryon.imaging.decode import decode_image
from tryon.pipeline import TryOnEngine
from tryon.tools.pool import EnginePool

__all__ = ["RemoteBackend", "RemoteTryOn", "TryOnBackend", "check_engines", "remote_backend"]


class TryOnBackend(Protocol):
    """What the page needs of a try-on runner (an :class:`EnginePool` is one)."""

    @property
    def idle(self) -> int:
        """Engines free right now (0: the caller will wait for someone else's try-on)."""
        ...

    def run(self, person: bytes, item: bytes, kind: str = "auto") -> Any:
        """The try-on; raises :class:`~tryon.errors.TryOnError` with the engine's codes."""
        ...


@dataclass(frozen=True)
class RemoteTryOn:
    """A try-on a server answered, as the page shows it. ``photo``: the person photo,
    decoded here (EXIF orientation applied) at the result's size; ``image``: the result,
    (H, W, 3) uint8 RGB; the rest as :class:`~tryon.serve.client.RemoteResult` says."""

    photo: np.ndarray
    image: np.ndarray
    kind: str
    refined: bool
    timings_ms: dict[str, float] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()

    def layers(self) -> dict[str, np.ndarray]:
        """No intermediate pictures: a server sends only the result."""
        return {}


def _before(photo: bytes, size: tuple[int, int]) -> np.ndarray:
    """``photo`` decoded as the engine decodes it, at ``size`` (H, W)."""
    rgb = decode_image(photo).rgb
    if rgb.shape[:2] != size:
        resized = Image.fromarray(rgb).resize((size[1], size[0]), Image.Resampling.LANCZOS)
        rgb = np.asarray(resized)
    return rgb


class RemoteBackend:
    """Try-ons on a server, through ``engine`` (a :class:`~tryon.serve.client.RemoteEngine`,
    thread-safe): the server queues and refuses with ``busy`` or ``rate_limited``, so the
    page never waits here and :attr:`idle` is always 1."""

    def __init__(self, engine: Any) -> None:
        self._engine = engine

    @property
    def url(self) -> str:
        return str(self._engine.url)

    @property
    def idle(self) -> int:
        return 1

    def run(self, person: bytes, item: bytes, kind: str = "auto") -> RemoteTryOn:
        answer = self._engine.run(person, item, kind)
        return RemoteTryOn(photo=_before(person, answer.image.shape[:2]), image=answer.image,
                           kind=answer.kind, refined=answer.refined,
                           timings_ms=dict(answer.timings_ms), warnings=answer.warnings)

    def close(self) -> None:
        self._engine.close()


def remote_backend(url: str, key: str | None = None) -> RemoteBackend:
    """A backend on the server at ``url`` with API key ``key`` (httpx, from the ``serve``
    extra, is imported only here)."""
    from tryon.serve.client import RemoteEngine

    return RemoteBackend(RemoteEngine(url, key))


def check_engines() -> EnginePool:
    """One engine for the early photo check alone (with a server): no generator, no
    caches, not warmed."""
    return EnginePool(1, factory=lambda: TryOnEngine(cache_size=0, refine=False), warm=False)
