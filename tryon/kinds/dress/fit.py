"""Fit a dress: above the waist as a top, below it as a skirt.

The sleeves are fitted by the top's fit (:func:`~tryon.kinds.top.fit.fit_top`, run with the
dress's sleeves and no panel), whose neck, shoulder and armpit targets also pin the dress's
panel; the panel's waist and skirt follow the bottom's skirt fit
(:func:`~tryon.kinds.bottom.fit.skirt_points`): the waist on the waistband line, the skirt
down the middle of both legs, as wide as the body or the product. The skirt's length is the
product's, in the scale that puts its bodice (shoulders to waist) on the body's, ending at the
ankles at most. Coordinates are (x, y) photo pixels.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from tryon.body.person import PersonAnalysis
from tryon.body.regions import ARMS, HANDS
from tryon.kinds.bottom.fit import (
    FLAT_WIDTH_PER_SEEN,
    Stretch,
    box_of,
    skirt_points,
    warp_item,
    zone_of,
)
from tryon.kinds.bottom.legs import LegFrame, leg_frame
from tryon.kinds.bottom.product import BottomStyle, PreparedBottom
from tryon.kinds.dress.product import PreparedDress
from tryon.kinds.top.fit import FittedTop, body_frame, fit_top, torso_silhouette

__all__ = ["FittedDress", "fit_dress"]

BOX_MARGIN = 0.15
# A dress's narrowest row is the natural waist, higher than trousers' waistband: body units
# above the hip landmarks.
DRESS_WAIST_ABOVE_HIPS = 0.6


@dataclass(frozen=True)
class FittedDress:
    """``sleeves``: the top fit of the sleeves (its panel empty) in ``sleeves.box``;
    ``box``: the panel's window; ``rgb`` (h, w, 3) float32, ``alpha`` (h, w) float32: the
    panel (bodice and skirt); ``waist``: (2, 2) xy of the waist's ends; ``targets``: named
    (2,) xy photo points; ``frame``: the legs."""

    sleeves: FittedTop
    box: tuple[int, int, int, int]
    rgb: np.ndarray
    alpha: np.ndarray
    waist: np.ndarray
    targets: dict[str, np.ndarray]
    frame: LegFrame


def fit_dress(photo: np.ndarray, person: PersonAnalysis, item: PreparedDress) -> FittedDress:
    """Warp ``item`` onto the person in ``photo`` ((H, W, 3) uint8)."""
    size = photo.shape[:2]
    frame = leg_frame(person.pose, size)
    body = torso_silhouette(person.person_mask, person.regions.labels)
    garment = item.garment
    no_panel = dataclasses.replace(garment, panel=np.zeros_like(garment.panel))
    sleeves = fit_top(no_panel, body_frame(person.pose), size, body)
    kp = garment.keypoints
    names = ("neck", "left_shoulder", "right_shoulder", "left_armpit", "right_armpit")
    src = [getattr(kp, name) for name in names]
    dst = [sleeves.targets[name] for name in names]
    # Lengths in the bodice's scale: the product's shoulders → waist onto the body's (a
    # sleeveless dress's strap-to-strap span says little about its size).
    shoulders_t = (dst[1] + dst[2]) / 2
    bodice = max(item.waist_y - (kp.left_shoulder[1] + kp.right_shoulder[1]) / 2, 1.0)
    waist_t = frame.hip_mid - frame.down * DRESS_WAIST_ABOVE_HIPS * frame.unit
    scale = float(np.hypot(*(waist_t - shoulders_t))) / bodice
    skirt = PreparedBottom(rgb=garment.rgb, alpha=garment.alpha, style=BottomStyle.SKIRT,
                           waist_left=item.waist_left, waist_right=item.waist_right,
                           crotch=None, hips=item.skirt, legs=(), hem_y=item.skirt.rows[-1])
    targets = {name: point for name, point in zip(names, dst, strict=True)}
    stretch = Stretch(scale=scale, width=scale / FLAT_WIDTH_PER_SEEN)
    arms = person.person_mask & person.regions.mask(*ARMS, *HANDS)
    skirt_points(skirt, frame, body, stretch, src, dst, targets, DRESS_WAIST_ABOVE_HIPS, arms)
    height, width = size
    box = box_of(np.array(dst), BOX_MARGIN * frame.unit, width, height)
    rgb, alpha = warp_item(garment.rgb, garment.alpha * garment.panel, np.array(src),
                           np.array(dst), box, zone_of(dst, box, frame.unit))
    return FittedDress(sleeves=sleeves, box=box, rgb=rgb, alpha=alpha,
                       waist=np.array([targets["waist_left"], targets["waist_right"]]),
                       targets={**targets, **{k: v for k, v in sleeves.targets.items()
                                              if k.endswith("cuff")}}, frame=frame)
