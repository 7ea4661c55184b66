"""The interface every kind implements, and the small types it returns.

Coordinates are (x, y) pixels of the working photo; pictures (H, W, 3) uint8 RGB; a warped
piece is an RGB layer (h, w, 3) float32 in [0, 255] with its coverage (h, w) float32 in
[0, 1], placed at ``box`` (x0, y0, x1, y1) of the photo.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np

from tryon.body.person import PersonAnalysis
from tryon.compositing import Composite
from tryon.generator.scene import Scene
from tryon.kinds import Kind

__all__ = ["Fitting", "KindStrategy", "WarpedPiece"]


@dataclass(frozen=True)
class WarpedPiece:
    """One warped layer of an item: ``rgb`` (h, w, 3) float32 in [0, 255], ``alpha`` (h, w)
    float32 in [0, 1], at ``box`` (x0, y0, x1, y1) of the photo."""

    box: tuple[int, int, int, int]
    rgb: np.ndarray
    alpha: np.ndarray


@dataclass(frozen=True)
class Fitting:
    """The fit stage's answer: the kind's fitted item and notes for the user (e.g. one foot
    hidden)."""

    fitted: Any
    warnings: tuple[str, ...] = ()


class KindStrategy(Protocol):
    """Everything the pipeline needs from one kind of item, in the order it is called.

    ``check_person`` says early whether a photo suits the kind; ``prepare`` runs on the
    cut-out product; ``fit`` puts it on the analysed person; then
    either ``scene`` gives the try-on generator its input (the composite is then made only
    when asked for), or, for a kind the generator does not paint, ``compose`` is the result.
    ``pieces`` and ``targets`` feed ``--layers`` and the pose picture."""

    kind: Kind
    painter: Kind | None  # whose generator paints the scene (a model trained for it); None: none

    def check_person(self, person: PersonAnalysis, size: tuple[int, int]) -> None:
        """Raise :class:`~tryon.errors.TryOnError` when the analysed photo ((H, W) ``size``)
        does not show what this kind is worn on (shoulders, legs, feet); cheap, so a front
        end can grey the kind out as soon as a photo is taken."""
        ...

    def prepare(self, rgb: np.ndarray, alpha: np.ndarray) -> Any:
        """The product ((H, W, 3) uint8 RGB, (H, W) float32 alpha in [0, 1]) analysed."""
        ...

    def fit(self, photo: np.ndarray, person: PersonAnalysis, item: Any) -> Fitting:
        """``item`` warped onto the person in ``photo``."""
        ...

    def compose(self, photo: np.ndarray, person: PersonAnalysis, fitted: Any) -> Composite:
        """The hand-made composite: the old item cleared and the fitted one laid on."""
        ...

    def photo_part(self, photo: np.ndarray, person: PersonAnalysis) -> Any:
        """What :meth:`scene` needs from the photo alone (a top's try-on region), or None.
        The pipeline works it out while the item is still being prepared."""
        ...

    def scene(self, photo: np.ndarray, person: PersonAnalysis, fitted: Any,
              composite: Callable[[], Composite], photo_part: Any) -> Scene | None:
        """The generator's input, or None when this kind is not painted by the generator.
        ``composite`` gives this try-on's composite (computed once, on first call) for a
        kind whose scene is laid over it (a dress: the generator paints the upper body over
        the composite's skirt and legs); ``photo_part``: :meth:`photo_part` of this photo."""
        ...

    def pieces(self, fitted: Any) -> list[WarpedPiece]:
        """The warped item as layers, bottom first."""
        ...

    def targets(self, fitted: Any) -> dict[str, np.ndarray]:
        """Named (2,) xy points the item was fitted to (drawn on the pose picture)."""
        ...
