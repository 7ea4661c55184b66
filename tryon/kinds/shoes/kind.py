"""Shoes as a :class:`~tryon.kinds.base.KindStrategy`: one affine fit per visible foot over
the old shoe and hem; the composite is the result (the generator does not paint feet)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from tryon.body.colour import skin_colour
from tryon.body.person import PersonAnalysis
from tryon.compositing import Composite
from tryon.kinds import Kind
from tryon.kinds.base import Fitting, WarpedPiece
from tryon.kinds.shoes.compose import compose_shoes
from tryon.kinds.shoes.fit import FittedShoe, find_feet, fit_shoe
from tryon.kinds.shoes.old_shoes import foot_regions, without_other_legs
from tryon.kinds.shoes.product import PreparedShoe, prepare_shoes

__all__ = ["ShoesKind"]


class ShoesKind:
    """Shoes: a single shoe or a pair, side or 3/4 view product photos."""

    kind = Kind.SHOES
    painter = None  # see the model card: the crisp composite wins for shoes

    def check_person(self, person: PersonAnalysis, size: tuple[int, int]) -> None:
        find_feet(person.pose, size)  # feet_not_visible without a visible foot

    def prepare(self, rgb: np.ndarray, alpha: np.ndarray) -> tuple[PreparedShoe, ...]:
        return prepare_shoes(rgb, alpha)

    def fit(self, photo: np.ndarray, person: PersonAnalysis,
            item: tuple[PreparedShoe, ...]) -> Fitting:
        size = photo.shape[:2]
        feet, foot_warnings = find_feet(person.pose, size)
        regions = person.regions
        face_skin = skin_colour(photo, regions.skin, regions.face_core)
        foot_zones = without_other_legs([
            foot_regions(photo, person.person_mask, regions.skin, face_skin,
                         foot.knee, foot.ankle, foot.heel, foot.toe, foot.full_length)
            for foot in feet])
        fitted = tuple(fit_shoe(item[i % len(item)], foot, foot_zones[i], size)
                       for i, foot in enumerate(feet))
        return Fitting(fitted, foot_warnings)

    def compose(self, photo: np.ndarray, person: PersonAnalysis,
                fitted: tuple[FittedShoe, ...]) -> Composite:
        return compose_shoes(photo, fitted)

    def photo_part(self, photo: np.ndarray, person: PersonAnalysis) -> None:
        return None

    def scene(self, photo: np.ndarray, person: PersonAnalysis, fitted: tuple[FittedShoe, ...],
              composite: Callable[[], Composite], photo_part: None) -> None:
        return None

    def pieces(self, fitted: tuple[FittedShoe, ...]) -> list[WarpedPiece]:
        return [WarpedPiece(shoe.box, shoe.rgb, shoe.alpha) for shoe in fitted]

    def targets(self, fitted: tuple[FittedShoe, ...]) -> dict[str, np.ndarray]:
        targets = {}
        for shoe in fitted:
            targets[f"{shoe.foot.side}_sole_heel"] = shoe.sole[0]
            targets[f"{shoe.foot.side}_sole_toe"] = shoe.sole[1]
        return targets
