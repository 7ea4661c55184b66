"""The try-on generator's input for a dress: the tops' generator paints the upper body (arms,
neck, shoulders, the bodice's edges, folds) over the dress's composite, whose skirt and bare
legs stay as composed below the try-on region. Coordinates are (x, y) working-photo pixels."""

from __future__ import annotations

import numpy as np

from tryon.body.person import PersonAnalysis
from tryon.body.regions import ARMS, HANDS
from tryon.compositing import feather
from tryon.generator.scene import Scene
from tryon.imaging.geometry import past_line
from tryon.kinds.dress.fit import FittedDress
from tryon.kinds.top.region import TopRegion, left_to_paint, top_region
from tryon.kinds.top.scene import (
    GARMENT_OVER_HINT,
    SLEEVE_OVER_HINT,
    arms_in_front,
    garment_over_hint,
    in_front_of_body,
    with_backdrop,
    with_background_beside_sleeves,
    with_bare_arms_and_neckline,
    with_soft_outline,
)

__all__ = ["dress_scene"]


def _beside_dress(zone: TopRegion, person: PersonAnalysis, hint: np.ndarray,
                  covered: np.ndarray, armpits: np.ndarray) -> np.ndarray:
    """(H, W) bool: what is left to paint below the dress's armpits (``armpits`` (2,) xy,
    their middle) beside it (``covered`` (H, W) bool), not on the arms or hands: an old
    top's sides, its hem or the old trousers beside a dress narrower than them, where the
    wall shows. The generator, trained on tops over trousers, painted blue jeans there."""
    return (left_to_paint(zone, person, hint, covered)
            & past_line(hint.shape, armpits, person.pose.torso_down)
            & ~person.regions.mask(*ARMS, *HANDS))


def dress_scene(photo: np.ndarray, person: PersonAnalysis, fitted: FittedDress,
                composite: np.ndarray, zone: TopRegion | None = None) -> Scene:
    """The scene for the dress ``fitted`` on ``photo`` ((H, W, 3) uint8 RGB): the tops'
    try-on region and skin hint from the photo, the warped dress (panel, sleeves over it) as
    the garment, and ``composite`` ((H, W, 3) uint8, the dress's composite) as the picture
    the generator paints over: outside the region it is the result. ``zone``: the tops'
    region of this photo (worked out here when None)."""
    zone = top_region(photo, person) if zone is None else zone
    height, width = photo.shape[:2]
    garment = np.zeros((height, width, 3), np.float32)
    coverage = np.zeros((height, width), np.float32)
    bare_in_front = arms_in_front(person, zone, (fitted.sleeves.targets["left_armpit"],
                                                 fitted.sleeves.targets["right_armpit"]))
    in_front = in_front_of_body(person, zone, bare_in_front)  # hides the panel, not sleeves
    x0, y0, x1, y1 = fitted.box
    garment[y0:y1, x0:x1] = fitted.rgb
    coverage[y0:y1, x0:x1] = fitted.alpha * ~in_front[y0:y1, x0:x1]
    # The sleeves over it (the fit's sleeve layer is premultiplied by its alpha).
    sleeves = fitted.sleeves
    sx0, sy0, sx1, sy1 = sleeves.box
    sleeve_a = sleeves.sleeve_alpha
    panel_rgb = garment[sy0:sy1, sx0:sx1]
    panel_a = coverage[sy0:sy1, sx0:sx1]
    covered = sleeve_a + panel_a * (1 - sleeve_a)
    premultiplied = sleeves.sleeve_rgb + panel_rgb * (panel_a * (1 - sleeve_a))[..., None]
    garment[sy0:sy1, sx0:sx1] = premultiplied / np.maximum(covered, 1e-6)[..., None]
    coverage[sy0:sy1, sx0:sx1] = covered
    hint = garment_over_hint(zone, coverage, bare_in_front)
    hint[sy0:sy1, sx0:sx1] &= sleeve_a < SLEEVE_OVER_HINT
    composite, hint = with_backdrop(zone, coverage, composite, hint)
    # Bare arms out of old sleeves, and the neck and chest above the dress's neckline (the
    # generator painted a wide neckline over an old tee's collar as a dark blob).
    covered = coverage >= GARMENT_OVER_HINT
    composite, hint, drawn = with_bare_arms_and_neckline(zone, person, composite, hint,
                                                         covered, sleeveless=not sleeve_a.any())
    # The wall beside sleeved arms and beside the dress below its armpits, in one fill.
    armpits = (fitted.sleeves.targets["left_armpit"] + fitted.sleeves.targets["right_armpit"]) / 2
    composite, hint = with_background_beside_sleeves(
        zone, person, composite, hint, covered,
        also=_beside_dress(zone, person, hint, covered, armpits))
    composite = with_soft_outline(zone, composite, drawn, hint, covered)
    return Scene(photo=composite, region=zone.region, hint=hint, garment=garment,
                 garment_mask=feather(coverage) * zone.region, skin_rgb=zone.skin_rgb,
                 landmarks=person.pose.xy, visibility=person.pose.visibility,
                 shoulder_width=person.pose.shoulder_width)
