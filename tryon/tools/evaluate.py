"""Paired evaluation (``tryon eval``): each in-shop top tried on the photo of the person who
wears it, the coarse composite and the refined result compared with that photo.

A pairs directory holds ``pairs.txt`` (lines ``person cloth``; blank lines and ``#`` comments
ignored), ``image/<person>`` and ``cloth/<cloth>`` (the VITON-HD test layout).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from tryon.errors import ErrorCode, TryOnError
from tryon.pipeline import TryOnEngine
from tryon.tools.metrics import ImageMetrics, compare, mean_metrics

__all__ = ["Pair", "EvalReport", "read_pairs", "evaluate_pairs"]


@dataclass(frozen=True)
class Pair:
    """File names inside ``image/`` and ``cloth/``."""

    person: str
    cloth: str

    @property
    def name(self) -> str:
        return f"{self.person} {self.cloth}"


@dataclass(frozen=True)
class EvalReport:
    """Means over the pairs that ran (None when none did); ``failed``: "person cloth: code";
    ``refined`` equals ``coarse`` when no refiner ran; ``providers``: the refiner's providers
    (None without refinement)."""

    pairs: int
    failed: tuple[str, ...]
    coarse: ImageMetrics | None
    refined: ImageMetrics | None
    providers: tuple[str, ...] | None

    def as_dict(self) -> dict[str, object]:
        """The ``--json`` object: pairs, failed, coarse and refined (metric dicts or null)."""
        return {"pairs": self.pairs, "failed": list(self.failed),
                "coarse": self.coarse.as_dict() if self.coarse else None,
                "refined": self.refined.as_dict() if self.refined else None}


def read_pairs(directory: str | Path) -> list[Pair]:
    """The pairs listed in ``directory/pairs.txt``; :class:`TryOnError` (``bad_argument``)
    when the file is missing, malformed or empty."""
    listing = Path(directory) / "pairs.txt"
    if not listing.is_file():
        raise TryOnError(ErrorCode.BAD_ARGUMENT, f"{listing} does not exist")
    pairs = []
    for number, line in enumerate(listing.read_text().splitlines(), 1):
        fields = line.split("#", 1)[0].split()
        if not fields:
            continue
        if len(fields) != 2:
            raise TryOnError(ErrorCode.BAD_ARGUMENT,
                             f"{listing}:{number}: expected 'person cloth', got {line.strip()!r}")
        pairs.append(Pair(*fields))
    if not pairs:
        raise TryOnError(ErrorCode.BAD_ARGUMENT, f"{listing} lists no pairs")
    return pairs


def evaluate_pairs(directory: str | Path, engine: TryOnEngine,
                   progress: Callable[[int, int, Pair], None] | None = None) -> EvalReport:
    """Run every pair with ``kind="top"`` and average the metrics of the coarse composite and
    of the final image against the person photo (the region is the repaint mask). A pair whose
    try-on raises :class:`TryOnError` is listed in ``failed`` with its code."""
    directory = Path(directory)
    pairs = read_pairs(directory)
    coarse: list[ImageMetrics] = []
    refined: list[ImageMetrics] = []
    failed: list[str] = []
    providers: tuple[str, ...] | None = None
    for index, pair in enumerate(pairs):
        if progress is not None:
            progress(index, len(pairs), pair)
        try:
            result = engine.run(directory / "image" / pair.person,
                                directory / "cloth" / pair.cloth, kind="top")
        except TryOnError as exc:
            failed.append(f"{pair.name}: {exc.code.value}")
            continue
        region = _full_size_mask(result.composite.repaint, result.photo.shape[:2])
        coarse.append(compare(result.coarse, result.photo, region))
        refined.append(compare(result.image, result.photo, region) if result.refined
                       else coarse[-1])
        providers = result.providers or providers
    return EvalReport(pairs=len(coarse), failed=tuple(failed),
                      coarse=mean_metrics(coarse) if coarse else None,
                      refined=mean_metrics(refined) if refined else None, providers=providers)


def _full_size_mask(mask: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """(h, w) bool ``mask`` at the photo's (H, W) ``size``: a photo above the engine's working
    resolution is analysed smaller (:mod:`tryon.imaging.resolution`), so its repaint region
    is too."""
    if mask.shape == size:
        return mask
    grown = cv2.resize(mask.astype(np.uint8), (size[1], size[0]),
                       interpolation=cv2.INTER_NEAREST)
    return grown > 0
