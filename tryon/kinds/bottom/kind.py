"""Bottoms as a :class:`~tryon.kinds.base.KindStrategy`: outline keypoints, one thin-plate
fit per leg along hips, knees and ankles; the composite is the result (the try-on generator
paints tops only)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from tryon.body.person import PersonAnalysis
from tryon.body.regions import ARMS, HANDS
from tryon.compositing import Composite
from tryon.kinds import Kind
from tryon.kinds.base import Fitting, WarpedPiece
from tryon.kinds.bottom.compose import clear_legs, in_window, lay_over, leg_window
from tryon.kinds.bottom.fit import FittedBottom, fit_bottom
from tryon.kinds.bottom.legs import leg_frame
from tryon.kinds.bottom.product import PreparedBottom, prepare_bottom
from tryon.kinds.top.fit import torso_silhouette

__all__ = ["BottomKind", "compose_bottom"]


class BottomKind:
    """Bottoms: trousers, jeans, shorts and skirts (front-view product photos)."""

    kind = Kind.BOTTOM
    painter = None  # no generator is trained for legs yet

    def check_person(self, person: PersonAnalysis, size: tuple[int, int]) -> None:
        leg_frame(person.pose, size)  # legs_not_visible on a half-body photo

    def prepare(self, rgb: np.ndarray, alpha: np.ndarray) -> PreparedBottom:
        return prepare_bottom(rgb, alpha)

    def fit(self, photo: np.ndarray, person: PersonAnalysis, item: PreparedBottom) -> Fitting:
        frame = leg_frame(person.pose, photo.shape[:2])
        body = torso_silhouette(person.person_mask, person.regions.labels)
        arms = person.person_mask & person.regions.mask(*ARMS, *HANDS)
        return Fitting(fit_bottom(item, frame, body, arms))

    def compose(self, photo: np.ndarray, person: PersonAnalysis,
                fitted: FittedBottom) -> Composite:
        return compose_bottom(photo, person, fitted)

    def photo_part(self, photo: np.ndarray, person: PersonAnalysis) -> None:
        return None

    def scene(self, photo: np.ndarray, person: PersonAnalysis, fitted: FittedBottom,
              composite: Callable[[], Composite], photo_part: None) -> None:
        return None

    def pieces(self, fitted: FittedBottom) -> list[WarpedPiece]:
        return [WarpedPiece(fitted.box, fitted.rgb, fitted.alpha)]

    def targets(self, fitted: FittedBottom) -> dict[str, np.ndarray]:
        return fitted.targets


def compose_bottom(photo: np.ndarray, person: PersonAnalysis,
                   fitted: FittedBottom) -> Composite:
    """``fitted`` laid onto ``photo`` ((H, W, 3) uint8 RGB) with the old bottom cleared."""
    frame = fitted.frame
    box = leg_window(frame, photo.shape[:2], fitted.box)
    covered = in_window(fitted.box, fitted.alpha, box)
    waist = (fitted.waist[0] + fitted.waist[1]) / 2
    waist_below_hips = float((waist - frame.hip_mid) @ frame.down)
    cleared = clear_legs(photo, person, frame, box, waist_below_hips, covered)
    return lay_over(photo, cleared, [(fitted.box, fitted.rgb, fitted.alpha)])
