"""One try-on's result: the picture, what was computed on the way, and its layers.

Pictures are (H, W, 3) uint8 RGB; masks (h, w) uint8 (0 or 255) in ``layers``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import cv2
import numpy as np

from tryon.body.landmarks import SKELETON_EDGES
from tryon.body.person import PersonAnalysis
from tryon.compositing import Composite
from tryon.generator.scene import Scene
from tryon.imaging.resolution import full_size
from tryon.kinds import Kind
from tryon.kinds.registry import strategy_for

__all__ = ["TryOnResult", "draw_pose"]


@dataclass(frozen=True)
class TryOnResult:
    """One try-on. ``image``: (H, W, 3) uint8 RGB result, same size as the person photo:
    the generator's picture when it ran (``painted``), else the hand-made composite;
    ``coarse``: the hand-composed picture (``composite.image``), the result without the
    generator; ``composite`` is computed on first use (``composer``), so a try-on that the
    generator paints does not pay for it; ``kind``: the item's :class:`~tryon.kinds.Kind`;
    ``item``/``fitted``: what the kind's strategy prepared and fitted (for a top the
    prepared garment and its warped layers, for shoes the prepared shoes and one fitted shoe
    per visible foot); ``scene``: what the generator is given (None for kinds it does not
    paint); ``providers``: the ONNX Runtime providers the generator used, None when it did
    not run.

    Sizes: ``photo``, ``image`` and ``coarse`` are the full-size photo (H, W). The analysis,
    the fit, ``scene``, ``composite`` and :meth:`layers` are in the pixels of ``working``:
    the photo itself, or for a photo over the engine's ``work_pixels`` its scaled-down copy
    ``work_photo`` (then ``image`` and ``coarse`` are the working pictures' edits upsampled
    into the full-size photo, every pixel away from the edit the photo's own)."""

    kind: Kind
    photo: np.ndarray
    person: PersonAnalysis
    item: Any
    fitted: Any
    composer: Callable[[], Composite] = field(repr=False, compare=False)
    timings_ms: dict[str, float]
    warnings: tuple[str, ...]
    providers: tuple[str, ...] | None
    scene: Scene | None = None
    painted: np.ndarray | None = field(default=None, repr=False)
    work_photo: np.ndarray | None = field(default=None, repr=False)

    @property
    def working(self) -> np.ndarray:
        """(h, w, 3) uint8 RGB: the photo the engine analysed and painted (``photo`` itself
        unless it was scaled down to the engine's ``work_pixels``)."""
        return self.photo if self.work_photo is None else self.work_photo

    @functools.cached_property
    def composite(self) -> Composite:
        """The hand-made composite (computed once, on first use), in ``working`` pixels."""
        return self.composer()

    @functools.cached_property
    def coarse(self) -> np.ndarray:
        """(H, W, 3) uint8 RGB: the hand-made composite's picture at the photo's full size."""
        if self.work_photo is None:
            return self.composite.image
        return full_size(self.photo, self.work_photo, self.composite.image)

    @property
    def image(self) -> np.ndarray:
        """(H, W, 3) uint8 RGB: the result shown to the shopper."""
        return self.painted if self.painted is not None else self.coarse

    @property
    def refined(self) -> bool:
        """Whether the try-on generator ran (``image`` is then its picture: the photo outside
        the try-on region, the generator's composition inside)."""
        return self.providers is not None

    def layers(self) -> dict[str, np.ndarray]:
        """Intermediate pictures by file stem, all at the ``working`` size (h, w): RGB/RGBA
        uint8 or (h, w) uint8 masks; "refined" only when the generator ran. For tops
        ``repaint_mask`` is the generator's try-on region, ``skin_hint`` the bare skin it was
        shown and ``agnostic`` the photo as the generator sees it (the region grey but for
        the hint)."""
        working = self.working
        layers = {
            "person_mask": (self.person.mask * 255 + 0.5).astype(np.uint8),
            "regions": self.person.regions.colourised(),
            "warped_item": self._warped_item(),
            "item_mask": (self.composite.item_mask * 255 + 0.5).astype(np.uint8),
            "repaint_mask": self.composite.repaint.astype(np.uint8) * 255,
            "agnostic": self.composite.agnostic,
            "coarse": self.composite.image,
            "pose": draw_pose(working, self.person, self._targets()),
        }
        if self.scene is not None:
            hidden = self.scene.region & ~self.scene.hint
            agnostic = self.scene.photo.copy()
            agnostic[hidden] = 128
            layers.update(repaint_mask=self.scene.region.astype(np.uint8) * 255,
                          skin_hint=self.scene.hint.astype(np.uint8) * 255, agnostic=agnostic)
        if self.refined:
            height, width = working.shape[:2]
            layers["refined"] = self.image if self.work_photo is None else cv2.resize(
                self.image, (width, height), interpolation=cv2.INTER_AREA)
        return layers

    def _warped_item(self) -> np.ndarray:
        """(h, w, 4) uint8 RGBA: the warped item alone, in ``working`` coordinates."""
        height, width = self.working.shape[:2]
        warped = np.zeros((height, width, 4), np.float32)
        for piece in strategy_for(self.kind).pieces(self.fitted):
            x0, y0, x1, y1 = piece.box
            rgb, alpha = piece.rgb, piece.alpha
            window = warped[y0:y1, x0:x1]
            window[..., :3] = window[..., :3] * (1 - alpha[..., None]) + rgb * alpha[..., None]
            window[..., 3] = np.maximum(window[..., 3], alpha * 255)
        return np.clip(warped + 0.5, 0, 255).astype(np.uint8)

    def _targets(self) -> dict[str, np.ndarray]:
        return strategy_for(self.kind).targets(self.fitted)


def draw_pose(photo: np.ndarray, person: PersonAnalysis,
              targets: dict[str, np.ndarray] | None = None) -> np.ndarray:
    """(H, W, 3) uint8 picture of the skeleton (green), low-visibility joints (grey) and the
    fit targets (yellow) over a dimmed photo."""
    canvas = (photo.astype(np.float32) * 0.6).astype(np.uint8)
    thickness = max(1, round(max(photo.shape[:2]) / 400))
    xy = person.pose.xy
    for a, b in SKELETON_EDGES:
        pa, pb = (int(xy[a][0]), int(xy[a][1])), (int(xy[b][0]), int(xy[b][1]))
        cv2.line(canvas, pa, pb, (0, 220, 0), thickness, cv2.LINE_AA)
    for index, point in enumerate(xy):
        colour = (0, 255, 0) if person.pose.visibility[index] >= 0.5 else (150, 150, 150)
        cv2.circle(canvas, (int(point[0]), int(point[1])), 2 * thickness + 1, colour, -1)
    for point in (targets or {}).values():
        cv2.circle(canvas, (int(point[0]), int(point[1])), 2 * thickness + 2, (255, 220, 0), -1)
    return canvas
