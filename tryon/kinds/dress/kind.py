"""Dresses as a :class:`~tryon.kinds.base.KindStrategy`: fitted as a top above the waist and
as a skirt below; the composite is the result (the try-on generator paints tops only)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from tryon.body.person import PersonAnalysis
from tryon.compositing import Composite
from tryon.generator.scene import Scene
from tryon.kinds import Kind
from tryon.kinds.base import Fitting, WarpedPiece
from tryon.kinds.bottom.legs import leg_frame
from tryon.kinds.dress.compose import compose_dress
from tryon.kinds.dress.fit import FittedDress, fit_dress
from tryon.kinds.dress.product import PreparedDress, prepare_dress
from tryon.kinds.dress.scene import dress_scene
from tryon.kinds.top.fit import body_frame
from tryon.kinds.top.region import TopRegion, top_region

__all__ = ["DressKind"]


class DressKind:
    """Dresses: one piece from the shoulders to the hem (front-view product photos)."""

    kind = Kind.DRESS
    painter = Kind.TOP  # the tops' generator paints the upper body

    def check_person(self, person: PersonAnalysis, size: tuple[int, int]) -> None:
        body_frame(person.pose)  # shoulders for the bodice,
        leg_frame(person.pose, size)  # legs for the skirt

    def prepare(self, rgb: np.ndarray, alpha: np.ndarray) -> PreparedDress:
        return prepare_dress(rgb, alpha)

    def fit(self, photo: np.ndarray, person: PersonAnalysis, item: PreparedDress) -> Fitting:
        return Fitting(fit_dress(photo, person, item))

    def compose(self, photo: np.ndarray, person: PersonAnalysis,
                fitted: FittedDress) -> Composite:
        return compose_dress(photo, person, fitted)

    def photo_part(self, photo: np.ndarray, person: PersonAnalysis) -> TopRegion:
        return top_region(photo, person)

    def scene(self, photo: np.ndarray, person: PersonAnalysis, fitted: FittedDress,
              composite: Callable[[], Composite], photo_part: TopRegion) -> Scene:
        # The generator paints the upper body: the composite it paints over need not clear
        # the old top there (the hand-made composite, ``composite``, still does).
        under = compose_dress(photo, person, fitted, painted_above=photo_part)
        return dress_scene(photo, person, fitted, under.image, photo_part)

    def pieces(self, fitted: FittedDress) -> list[WarpedPiece]:
        sleeves = fitted.sleeves
        rgb = sleeves.sleeve_rgb / np.maximum(sleeves.sleeve_alpha, 1e-6)[..., None]
        return [WarpedPiece(fitted.box, fitted.rgb, fitted.alpha),
                WarpedPiece(sleeves.box, rgb.astype(np.float32), sleeves.sleeve_alpha)]

    def targets(self, fitted: FittedDress) -> dict[str, np.ndarray]:
        return fitted.targets
