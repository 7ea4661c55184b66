"""Compose a fitted dress: the old top cleared as for a top (arms re-skinned, the rest
inpainted), the old bottom as for a bottom (bare legs painted below the hem), then the
dress's panel, the person's bare arms and neck, the sleeves, and in front the face, hands,
hair, arms and feet. Pixels outside the edited region are the photo's own."""

from __future__ import annotations

import numpy as np

from tryon.body.person import PersonAnalysis
from tryon.compositing import Composite
from tryon.kinds.bottom.compose import clear_legs, in_window, lay_over, leg_window
from tryon.kinds.dress.fit import FittedDress
from tryon.kinds.top.compose import clear_top
from tryon.kinds.top.region import TopRegion

__all__ = ["compose_dress"]


def compose_dress(photo: np.ndarray, person: PersonAnalysis, fitted: FittedDress,
                  painted_above: TopRegion | None = None) -> Composite:
    """``fitted`` laid onto ``photo`` ((H, W, 3) uint8 RGB), old top and bottom cleared.

    ``painted_above``: the tops' try-on region of this photo when the try-on generator will
    paint it (:func:`~tryon.kinds.dress.scene.dress_scene`): the old top is then not cleared
    here, since inside that region the generator decides every pixel but the hinted ones
    (background, bare arms, what is worn below), which clearing leaves as they are; its bare
    skin and protected parts are the region's."""
    height, width = photo.shape[:2]
    top_box = fitted.sleeves.box
    tx0, ty0, tx1, ty1 = top_box
    base, above = photo, None
    bare = np.zeros((height, width), bool)
    protected = np.zeros((height, width), bool)
    if painted_above is None:
        cleared_top = clear_top(photo, person, top_box)
        base = photo.copy()
        base[ty0:ty1, tx0:tx1][cleared_top.old_top] = cleared_top.agnostic[cleared_top.old_top]
        above = np.zeros((height, width), bool)
        above[ty0:ty1, tx0:tx1] = cleared_top.old_top
        # The person's bare arms and neck lie over the panel, under the sleeves.
        bare[ty0:ty1, tx0:tx1] = cleared_top.bare_skin & (cleared_top.arms | cleared_top.neck)
        protected[ty0:ty1, tx0:tx1] = cleared_top.protected
    else:
        bare = painted_above.bare_skin
        protected = painted_above.protected.copy()
    frame = fitted.frame
    window = leg_window(frame, (height, width), fitted.box)
    waist = (fitted.waist[0] + fitted.waist[1]) / 2
    legs = clear_legs(base, person, frame, window, float((waist - frame.hip_mid) @ frame.down),
                      in_window(fitted.box, fitted.alpha, window), top_in_front=False)
    x0, y0, x1, y1 = fitted.box
    panel_alpha = fitted.alpha * ~bare[y0:y1, x0:x1]
    sleeves = fitted.sleeves
    layers = [(fitted.box, fitted.rgb, panel_alpha),
              (top_box, sleeves.sleeve_rgb / np.maximum(sleeves.sleeve_alpha, 1e-6)[..., None],
               sleeves.sleeve_alpha)]
    composite = lay_over(photo, legs, layers, base=base, cleared_above=above)
    # A hand's region reaching over the old bottom (a hand in a pocket) stays in front only
    # where it is not the old bottom.
    wx0, wy0, wx1, wy1 = legs.box
    protected[wy0:wy1, wx0:wx1] &= ~legs.old
    image = composite.image.copy()
    image[protected] = photo[protected]
    item_mask = composite.item_mask * ~protected
    return Composite(image=image, repaint=composite.repaint & np.any(image != photo, axis=2),
                     agnostic=composite.agnostic, item_mask=item_mask)
