"""One try-on as the page sees it: run it on the shared pool (or a try-on server), keep the
outcome in memory.

An :class:`Attempt` holds either the result (and its PNG, encoded once, without metadata)
or the shopper's sentence for the error: the engine's codes and a server's
(``busy``, ``timeout``, ...) alike. Nothing is written to disk.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass

import numpy as np

from tryon.errors import TryOnError
from tryon.imaging.imageio import encode_png
from tryon.pipeline import TryOnResult
from ui.messages import GENERIC_MESSAGE, shopper_message, shopper_warning
from ui.service import RemoteTryOn, TryOnBackend

__all__ = ["Attempt", "DETAIL_CAPTIONS", "attempt_key", "detail_pictures", "timing_rows",
           "try_on"]

_LOG = logging.getLogger(__name__)

DETAIL_CAPTIONS: dict[str, str] = {
    "pose": "Pose (skeleton, fit targets in yellow)",
    "regions": "Body regions",
    "person_mask": "Person mask",
    "item_mask": "Item mask",
    "repaint_mask": "Area the generator paints",
    "skin_hint": "Bare skin shown to the generator",
    "warped_item": "Item, warped onto you",
    "agnostic": "What the generator sees (old item hidden)",
    "coarse": "Composite without the generator",
    "refined": "Painted by the generator",
}


@dataclass(frozen=True)
class Attempt:
    """``key`` identifies the inputs; ``result`` and ``png`` on success; ``message`` (a
    shopper sentence), ``code`` (engine error code, or ``"internal"``) and ``detail`` (the
    engine's own words, for "Show details" and the log) on failure."""

    key: str
    result: TryOnResult | RemoteTryOn | None = None
    png: bytes = b""
    message: str = ""
    code: str = ""
    detail: str = ""
    warnings: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.result is not None


def attempt_key(photo: bytes, item: bytes, kind: str) -> str:
    """A digest of the inputs: the same photo, item and kind give the same key."""
    digest = hashlib.sha256()
    for part in (photo, item, kind.encode()):
        digest.update(len(part).to_bytes(8, "little"))
        digest.update(part)
    return digest.hexdigest()


def try_on(pool: TryOnBackend, photo: bytes, item: bytes, kind: str = "auto") -> Attempt:
    """Run the try-on on ``pool`` (an engine pool or a server); never raises for bad input,
    an engine failure or a server that refuses or cannot be reached."""
    key = attempt_key(photo, item, kind)
    try:
        result = pool.run(photo, item, kind)
    except TryOnError as error:
        _LOG.info("try-on refused: %s: %s", error.code.value, error.message)
        return Attempt(key, message=shopper_message(error), code=error.code.value,
                       detail=error.message)
    except Exception:  # a bug must not show a traceback to a shopper; the log keeps it
        _LOG.exception("try-on failed")
        return Attempt(key, message=GENERIC_MESSAGE, code="internal",
                       detail="internal error (see the server log)")
    notes = (shopper_warning(warning) for warning in result.warnings)
    return Attempt(key, result=result, png=encode_png(result.image),
                   warnings=tuple(note for note in notes if note))


def detail_pictures(result: TryOnResult | RemoteTryOn) -> list[tuple[str, np.ndarray]]:
    """(caption, picture) for every intermediate picture, in :data:`DETAIL_CAPTIONS` order
    (none from a server)."""
    layers = result.layers()
    ordered = [name for name in DETAIL_CAPTIONS if name in layers]
    ordered += [name for name in layers if name not in DETAIL_CAPTIONS]
    return [(DETAIL_CAPTIONS.get(name, name.replace("_", " ").capitalize()), layers[name])
            for name in ordered]


def timing_rows(result: TryOnResult | RemoteTryOn) -> list[tuple[str, float]]:
    """(stage, milliseconds) in run order, ``total`` last."""
    rows = [(stage, ms) for stage, ms in result.timings_ms.items() if stage != "total"]
    if "total" in result.timings_ms:
        rows.append(("total", result.timings_ms["total"]))
    return rows
