"""Tops as a :class:`~tryon.kinds.base.KindStrategy`: garment keypoints, a thin-plate fit
along the torso and arms, the generator paints the try-on region."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from tryon.body.person import PersonAnalysis
from tryon.compositing import Composite
from tryon.generator.scene import Scene
from tryon.kinds import Kind
from tryon.kinds.base import Fitting, WarpedPiece
from tryon.kinds.top.compose import compose_top
from tryon.kinds.top.fit import FittedTop, body_frame, fit_top, torso_silhouette
from tryon.kinds.top.garment import PreparedGarment, prepare_garment
from tryon.kinds.top.region import TopRegion, top_region
from tryon.kinds.top.scene import garment_layer, top_scene

__all__ = ["TopKind"]


class TopKind:
    """Tops: shirts, tees, jackets, hoodies (front view product photos)."""

    kind = Kind.TOP
    painter = Kind.TOP

    def check_person(self, person: PersonAnalysis, size: tuple[int, int]) -> None:
        body_frame(person.pose)  # body_not_visible without both shoulders and hips

    def prepare(self, rgb: np.ndarray, alpha: np.ndarray) -> PreparedGarment:
        return prepare_garment(rgb, alpha)

    def fit(self, photo: np.ndarray, person: PersonAnalysis, item: PreparedGarment) -> Fitting:
        silhouette = torso_silhouette(person.person_mask, person.regions.labels)
        return Fitting(fit_top(item, body_frame(person.pose), photo.shape[:2], silhouette))

    def compose(self, photo: np.ndarray, person: PersonAnalysis,
                fitted: FittedTop) -> Composite:
        return compose_top(photo, person, fitted)

    def photo_part(self, photo: np.ndarray, person: PersonAnalysis) -> TopRegion:
        return top_region(photo, person)

    def scene(self, photo: np.ndarray, person: PersonAnalysis, fitted: FittedTop,
              composite: Callable[[], Composite], photo_part: TopRegion) -> Scene:
        return top_scene(photo, person, fitted, photo_part)

    def pieces(self, fitted: FittedTop) -> list[WarpedPiece]:
        rgb, alpha = garment_layer(fitted)
        return [WarpedPiece(fitted.box, rgb, alpha)]

    def targets(self, fitted: FittedTop) -> dict[str, np.ndarray]:
        return fitted.targets
