"""The inside of a top's back that a product photo shows through the neck opening.

A top photographed from the front shows, above its front neckline, the inside of its back
(the back's neck band, a label, the shadowed lining). Worn, that part is hidden behind the
neck; pasted on, it becomes a strange second collar under the chin. It is the lens between
the silhouette's top edge and the front neckline, which is found as the strongest vertical
colour change on a smooth path from one collar corner (the highest silhouette point on each
side of the centre) to the other: dynamic programming over the columns, the path moving at
most :data:`PATH_STEP` rows per column. A label sewn into the back just under its binding,
which that path can run above, is hidden by the neck too: it is found under the path and
painted over (:func:`back_and_labels`).

Coordinates: (x, y) pixels of the prepared garment picture; masks (h, w) bool.
"""

from __future__ import annotations

import cv2
import numpy as np
from scipy.ndimage import binary_fill_holes

from tryon.body.colour import LAB_NEUTRAL, plain_median
from tryon.imaging.geometry import bbox_of_mask, crop_box, parts_touching

__all__ = ["back_and_labels", "best_path", "inner_back", "stand_labels", "vertical_change"]

# Proportions of the neck opening (the collar corners' distance apart).
MIN_OPENING = 0.12  # of the shoulder span: narrower is a closed neck (turtleneck, hood)
MAX_OPENING = 0.8  # of the shoulder span: wider is an off-shoulder or strapless cut
SEARCH_DEPTH = 0.75  # how far below the corners the front neckline is looked for
MIN_DEPTH, MAX_DEPTH = 0.1, 0.72  # the neckline's depth at the centre, accepted range
BELOW_TOP = 0.04  # the path stays this far below the silhouette's top edge
END_SLACK = 0.15  # the path's ends lie at most this far below their corners
MIN_CONTRAST = 2.0  # path's mean edge strength over the search band's median
PATH_STEP = 2  # rows per column
SMOOTHING = 1.5  # Gaussian sigma (px) before the gradient
# The lightness part of the colour change weighs this much against the hue's: a striped
# top's stripe edges (lightness only, straight across) outweighed its coloured neckband's,
# and the front's first stripe under the band was cut away with the back (on a Breton top
# the new neck opening came out square and a stripe deep); prints' edges (hue) do not yet.
NECKLINE_LIGHTNESS = 0.5
UNREACHABLE = -1e9
FRONT_BAND = 0.1  # of the opening: the front's colour is sampled in the window's lowest rows
MIN_SAMPLE = 20  # pixels of the back and of the front needed to compare their colours
MIN_BACK_CONTRAST = 25.0  # Lab units between the back's and the front's colours, at least
MIN_BACK_SHADE = 10.0  # Lab L (0–255): the back is at least this much darker than the front
BACK_MATCH = 20.0  # Lab units from the back's colour: more of the back
SHADE_REACH = 0.1  # of the opening: how near the lens a deeper shade is the back too
BACK_HUE = 8.0  # Lab a/b units from the back's colour within which its farther shade lies
# A deep lens (PRINT_EDGE_DEPTH of the opening at its centre) this much lighter (Lab L, 0–255)
# than the front below it is white cloth above a dark print's top edge (the strongest edge
# under a white tee's faint crew neckline), not the inside of the back (a deep V or scoop
# shows the back in shade, darker than the front; a shallow lens lighter than a printed front
# is a white back's label band): the neckline is looked for once more above that edge,
# PRINT_EDGE_GAP higher.
PRINT_EDGE_LIGHTER = 20.0
PRINT_EDGE_DEPTH = 0.45
PRINT_EDGE_GAP = 0.05  # of the opening
NECKLINE_TRIES = 2
# An open collar (a shirt's, a polo's, a wrap's V: an opening at most COLLAR_OPENING of the
# shoulder span wide, a neck's width; a wider scoop's deep shade is a dark print) shows the
# inside of the back in shade far below the collar's corners, past the lens: it is followed
# DEEP_SEARCH openings down from them, through pixels at least DEEP_SHADE darker (Lab L,
# 0–255) than the garment's median after a Gaussian of SHADE_SMOOTHING pixels (a gingham's
# checks average to its colour). A part of them is the opening when it starts within
# SEED_DEPTH under the found neckline, reaches the middle (SEED_HALF of the opening each
# side of the centre), is centred there (its mean column within SEED_HALF of the centre),
# closes above the window's foot, is narrower in its lowest third than in its highest (a V
# or a U; a dark print under a white tee's neckline is neither), at least OPEN_WIDTH of the
# opening wide and solid (OPEN_SOLIDITY). A label inside it is the back's too.
# A label sewn into the back just under its binding (LABEL_REACH of the opening under the
# path at most, centred within LABEL_HALF of the opening, ending above LABEL_DEPTH under
# it, at least LABEL_CONTRAST Lab units from the garment's colour there): the path followed
# the binding above it, and the neck hides it when worn.
LABEL_REACH = 0.12
LABEL_HALF = 0.25
LABEL_DEPTH = 0.4
LABEL_CONTRAST = 25.0
LABEL_EDGE = 4  # pixels a label is grown by (its soft edge and shadow)
LABEL_ASPECT = (0.8, 6.0)  # width over height of a label
LABEL_SOLIDITY = 0.6  # of its box a label (its frame filled) covers
LABEL_MAX_SHARE = 0.1  # of the cloth under the path unlike its colour beside the labels
COLLAR_OPENING = 0.5
DEEP_SEARCH = 1.6
SEED_HALF = 0.2
SEED_DEPTH = 0.1
DEEP_SHADE = 40.0
SHADE_SMOOTHING = 2.0
OPEN_WIDTH = 0.5  # of the opening: the part is at least this wide (a dark seam is not)
OPEN_SOLIDITY = 0.9  # of the part with its holes filled (a print's background is holed)
MEDIAN_STEP = 4  # every this many pixels each way sample the garment's median lightness
# A collar photographed closed at the back (shirts, jackets, a camisole's raised back: the
# silhouette's top flat across the middle, within STAND_FLAT of the shoulder span of its
# highest point there) shows no front neckline to follow, but its label sewn into the back's
# stand: a rectangle (STAND_LABEL_ASPECT wide over high, LABEL_SOLIDITY of its box) near
# white or black (within STAND_LABEL_CHROMA Lab a/b units of grey), at least LABEL_CONTRAST
# from the stand's median colour, in the stand (STAND_DEPTH of the span under the top,
# STAND_HALF each side of the middle), centred within STAND_LABEL_HALF of the middle and
# narrower than STAND_LABEL_WIDTH; thin print lines joined to it are opened away first
# (STAND_LABEL_OPENING pixels). Worn, the neck hides it; pasted, the demo bandana shirt's
# and a denim jacket's white labels showed at the neck.
STAND_FLAT = 0.05
STAND_DEPTH = 0.2
STAND_HALF = 0.2
STAND_LABEL_HALF = 0.1
STAND_LABEL_WIDTH = 0.3
STAND_LABEL_ASPECT = (1.5, 6.0)
STAND_LABEL_CHROMA = 12.0
STAND_LABEL_OPENING = 5


def inner_back(rgb: np.ndarray, solid: np.ndarray, left_shoulder: np.ndarray,
               right_shoulder: np.ndarray) -> np.ndarray:
    """(h, w) bool: the inside of the back seen through the neck opening of the top in
    ``rgb`` ((h, w, 3) uint8) with silhouette ``solid`` ((h, w) bool) and shoulder corners
    (x, y); all False when no clear front neckline is found (a closed neck, an
    off-shoulder cut, a print with no neckline edge)."""
    return back_and_labels(rgb, solid, left_shoulder, right_shoulder)[0]


def back_and_labels(rgb: np.ndarray, solid: np.ndarray, left_shoulder: np.ndarray,
                    right_shoulder: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """((h, w) bool, (h, w) bool): :func:`inner_back`, and the labels sewn into the back
    just under its binding that the front neckline does not hide (:func:`_labels_under`):
    worn, the neck hides them; on the product photo the path found runs along the binding
    above them (a white tee's faint crew neck under a black-framed label, which was worn on
    the chest under the chin). Both all False when no clear front neckline is found."""
    height, width = solid.shape
    nothing = (np.zeros_like(solid), np.zeros_like(solid))
    top = np.where(solid.any(axis=0), solid.argmax(axis=0), height)
    x0, x1 = int(round(left_shoulder[0])), int(round(right_shoulder[0]))
    centre = (x0 + x1) // 2
    span = x1 - x0
    if span < 8 or not 0 <= x0 < centre < x1 < width:
        return nothing
    left, right = np.arange(x0, centre), np.arange(centre, x1)
    # Collar corners: the highest silhouette points on each side (ties: nearest the centre).
    corner_l = int(left[np.flatnonzero(top[left] <= top[left].min() + 1)[-1]])
    corner_r = int(right[np.flatnonzero(top[right] <= top[right].min() + 1)[0]])
    opening = corner_r - corner_l
    if not MIN_OPENING * span <= opening <= MAX_OPENING * span:
        return nothing
    y0 = int(min(top[corner_l], top[corner_r]))
    y1 = min(height, y0 + int(SEARCH_DEPTH * opening))
    cols = slice(corner_l, corner_r + 1)
    strength = vertical_change(rgb[y0:y1, cols], NECKLINE_LIGHTNESS)
    rows = np.arange(y0, y1)[:, None]
    allowed = (rows >= top[cols][None, :] + BELOW_TOP * opening) & solid[y0:y1, cols]
    if not allowed.any():
        return nothing
    ends = (rows[:, 0] <= top[corner_l] + END_SLACK * opening,
            rows[:, 0] <= top[corner_r] + END_SLACK * opening)
    window = cv2.cvtColor(rgb[y0:y1, cols], cv2.COLOR_RGB2LAB).astype(np.float32)
    columns = np.arange(allowed.shape[1])
    for _ in range(NECKLINE_TRIES):
        if not allowed.any():
            return nothing
        score = np.where(allowed, strength, UNREACHABLE)
        path = best_path(score, ends) + y0
        along = strength[path - y0, columns]
        depth = (path[len(path) // 2] - y0) / opening
        if (not allowed[path - y0, columns].all() or not MIN_DEPTH <= depth <= MAX_DEPTH
                or along.mean() < MIN_CONTRAST * max(float(np.median(strength[allowed])), 1.0)):
            return nothing
        lens = (rows >= top[cols][None, :]) & (rows < path[None, :]) & solid[y0:y1, cols]
        below = (rows >= path[None, :]) & solid[y0:y1, cols]
        colours = _lens_and_front(window, lens, below, opening)
        if (colours is None or depth <= PRINT_EDGE_DEPTH
                or colours[0][0] <= colours[1][0] + PRINT_EDGE_LIGHTER):
            break
        allowed = allowed & (rows < path[None, :] - PRINT_EDGE_GAP * opening)
    else:
        return nothing
    labels = np.zeros_like(solid)
    labels[y0:y1, cols] = _labels_under(window, path - y0, below, opening)
    out = np.zeros_like(solid)
    # With what it encloses: a label sewn into the back (whose lower edge the path went
    # around or not) is the back's too.
    out[y0:y1, cols] = binary_fill_holes(lens | _more_of_the_back(window, lens, below,
                                                                  opening))
    if opening <= COLLAR_OPENING * span:
        out |= _open_collar(rgb, solid, out, path, (corner_l, corner_r), y0, opening)
    return out, labels & ~out


def stand_labels(rgb: np.ndarray, solid: np.ndarray, left_shoulder: np.ndarray,
                 right_shoulder: np.ndarray) -> np.ndarray:
    """(h, w) bool: the labels sewn into the back's stand of a collar photographed closed
    (see :data:`STAND_FLAT`), grown by :data:`LABEL_EDGE` pixels; all False when the
    silhouette's top dips in the middle (a neckline) or there is none. Arguments as for
    :func:`back_and_labels`."""
    height, width = solid.shape
    found = np.zeros_like(solid)
    x0, x1 = int(round(left_shoulder[0])), int(round(right_shoulder[0]))
    span, centre = x1 - x0, (x0 + x1) // 2
    half = int(STAND_HALF * span)
    if span < 8 or not 0 <= centre - half < centre + half <= width:
        return found
    columns = solid[:, centre - half:centre + half]
    top = np.where(columns.any(axis=0), columns.argmax(axis=0), height)
    y0 = int(top.min())
    if top[half] > y0 + STAND_FLAT * span:
        return found
    y1 = min(height, y0 + int(STAND_DEPTH * span))
    window = (slice(y0, y1), slice(centre - half, centre + half))
    stand = solid[window]
    if stand.sum() < MIN_SAMPLE:
        return found
    lab = cv2.cvtColor(rgb[window], cv2.COLOR_RGB2LAB).astype(np.float32)
    unlike = stand & (np.linalg.norm(lab - np.median(lab[stand], axis=0), axis=2)
                      > LABEL_CONTRAST)
    unlike = cv2.morphologyEx(unlike.astype(np.uint8), cv2.MORPH_OPEN,
                              np.ones((STAND_LABEL_OPENING,) * 2, np.uint8))
    count, parts, stats, centroids = cv2.connectedComponentsWithStats(unlike, connectivity=8)
    inside = found[window]
    for label in range(1, count):
        x, y, w, h, area = (int(v) for v in stats[label])
        if not (area >= MIN_SAMPLE and STAND_LABEL_ASPECT[0] <= w / h <= STAND_LABEL_ASPECT[1]
                and abs(centroids[label][0] - half) < STAND_LABEL_HALF * span
                and w < STAND_LABEL_WIDTH * span):
            continue
        part = parts[y:y + h, x:x + w] == label
        chroma = np.median(lab[y:y + h, x:x + w][part], axis=0)[1:] - LAB_NEUTRAL
        if np.hypot(*chroma) > STAND_LABEL_CHROMA:
            continue
        filled = _solid_rectangle(part)
        if filled is not None:
            inside[y:y + h, x:x + w] |= filled
    return _grown_labels(found)


def _solid_rectangle(part: np.ndarray) -> np.ndarray | None:
    """``part`` ((h, w) bool, a connected part in its bounding box) with its frame filled
    when that covers :data:`LABEL_SOLIDITY` of the box (a label; a fold's shade is ragged),
    else None."""
    filled = binary_fill_holes(part)
    return filled if filled.sum() >= LABEL_SOLIDITY * part.size else None


def _grown_labels(found: np.ndarray) -> np.ndarray:
    """``found`` ((h, w) bool labels) grown by :data:`LABEL_EDGE` pixels (their soft edge
    and shadow), in the box around them."""
    box = bbox_of_mask(found)
    if box is None:
        return found
    x0, y0, x1, y1 = crop_box(box, LABEL_EDGE, found.shape[1], found.shape[0])
    grown = found.copy()
    grown[y0:y1, x0:x1] = cv2.dilate(found[y0:y1, x0:x1].astype(np.uint8),
                                     cv2.getStructuringElement(
                                         cv2.MORPH_ELLIPSE, (2 * LABEL_EDGE + 1,) * 2)) > 0
    return grown


def _labels_under(lab: np.ndarray, path: np.ndarray, below: np.ndarray,
                  opening: int) -> np.ndarray:
    """(h, w) bool: in the search window ``lab`` ((h, w, 3) float32 Lab) the labels hanging
    under the found neckline ``path`` ((w,) window rows), their frames filled and grown by
    :data:`LABEL_EDGE` pixels: each a part of ``below`` ((h, w)
    bool, the garment under the path) at least :data:`LABEL_CONTRAST` from the colour under
    the path, starting within :data:`LABEL_REACH` of the opening under it, centred within
    :data:`LABEL_HALF` of it, ending above :data:`LABEL_DEPTH` under it, a filled rectangle
    (:data:`LABEL_ASPECT`, :data:`LABEL_SOLIDITY`) on plain cloth; all False when there is
    none."""
    height, width = below.shape
    found = np.zeros_like(below)
    rows = np.arange(height)[:, None]
    band = below & (rows < path[None, :] + LABEL_DEPTH * opening)
    if band.sum() < MIN_SAMPLE:
        return found
    colour = np.median(lab[band], axis=0)
    unlike = band & (np.linalg.norm(lab - colour, axis=2) > LABEL_CONTRAST)
    if plain_median(lab[band & ~unlike]) is None:
        return found
    count, parts, stats, centroids = cv2.connectedComponentsWithStats(
        unlike.astype(np.uint8), connectivity=8)
    centre = width / 2
    for label in range(1, count):
        x, y, w, h, area = (int(v) for v in stats[label])
        top_gap = y - path[min(max(int(centroids[label][0]), 0), width - 1)]
        if not (area >= MIN_SAMPLE and abs(centroids[label][0] - centre) < LABEL_HALF * opening
                and w < 2 * LABEL_HALF * opening and top_gap < LABEL_REACH * opening
                and y + h < np.max(path) + LABEL_DEPTH * opening - 1
                and LABEL_ASPECT[0] <= w / h <= LABEL_ASPECT[1]):
            continue
        filled = _solid_rectangle(parts[y:y + h, x:x + w] == label)
        if filled is not None:
            found[y:y + h, x:x + w] |= filled
    # On plain cloth: little else unlike it there (a print's elements near the neckline
    # are no labels).
    if (unlike & ~found).sum() > LABEL_MAX_SHARE * band.sum():
        return np.zeros_like(below)
    return _grown_labels(found)


def _open_collar(rgb: np.ndarray, solid: np.ndarray, lens: np.ndarray, path: np.ndarray,
                 corners: tuple[int, int], y0: int, opening: int) -> np.ndarray:
    """(h, w) bool: the inside of the back in shade below the found neckline ``path`` ((n,)
    rows of the columns between the collar ``corners``, from row ``y0``) of the top in
    ``rgb`` ((h, w, 3) uint8, silhouette ``solid``): an open collar's V, with the ``lens``
    ((h, w) bool, the back above the neckline) and what they enclose (a label). All False
    when there is no such shade (see :data:`DEEP_SEARCH`)."""
    empty = np.zeros_like(solid)
    cols = slice(corners[0], corners[1] + 1)
    y1 = min(solid.shape[0], y0 + int(DEEP_SEARCH * opening))
    lightness = cv2.cvtColor(cv2.GaussianBlur(rgb, (0, 0), SHADE_SMOOTHING),
                             cv2.COLOR_RGB2LAB)[..., 0]
    garment_l = float(np.median(lightness[::MEDIAN_STEP, ::MEDIAN_STEP][
        solid[::MEDIAN_STEP, ::MEDIAN_STEP]]))
    rows = np.arange(y0, y1)[:, None]
    dark = (solid[y0:y1, cols] & (rows >= path[None, :])
            & (lightness[y0:y1, cols] < garment_l - DEEP_SHADE))
    _, parts = cv2.connectedComponents(dark.astype(np.uint8), connectivity=8)
    offset = np.arange(dark.shape[1]) - dark.shape[1] / 2
    middle = (np.abs(offset) < SEED_HALF * opening)[None, :]
    under_neckline = rows < path[None, :] + SEED_DEPTH * opening
    grown = np.zeros_like(dark)
    # Only parts that start under the neckline and reach the middle are looked at (a print's
    # specks are many).
    seeded = np.intersect1d(parts[dark & under_neckline], parts[dark & middle])
    for label in seeded[seeded > 0]:
        part = parts == label
        part_rows = np.flatnonzero(part.any(axis=1))
        part_cols = np.nonzero(part)[1]
        third = max(1, len(part_rows) // 3)
        if (part[-1].any()
                or abs(float(offset[part_cols].mean())) >= SEED_HALF * opening
                or part[part_rows[-third:]].sum() >= part[part_rows[:third]].sum()
                or np.ptp(part_cols) < OPEN_WIDTH * opening
                or part_cols.size < OPEN_SOLIDITY * binary_fill_holes(part).sum()):
            continue
        grown |= part
    if not grown.any():
        return empty
    out = empty.copy()
    out[y0:y1, cols] = grown
    return binary_fill_holes(out | lens)


def _lens_and_front(lab: np.ndarray, lens: np.ndarray, below: np.ndarray,
                    opening: int) -> tuple[np.ndarray, np.ndarray] | None:
    """(the ``lens``'s median Lab, the front's) in the search window ``lab`` ((h, w, 3)
    float32, OpenCV's 8-bit Lab scale), the front sampled in the window's lowest rows of
    ``below`` (the garment under the found neckline); None when either has fewer than
    :data:`MIN_SAMPLE` pixels."""
    front = _front_band(below, opening)
    if lens.sum() < MIN_SAMPLE or front.sum() < MIN_SAMPLE:
        return None
    return np.median(lab[lens], axis=0), np.median(lab[front], axis=0)


def _more_of_the_back(lab: np.ndarray, lens: np.ndarray, below: np.ndarray,
                      opening: int) -> np.ndarray:
    """(h, w) bool: pixels of ``below`` ((h, w) bool, the garment under the found neckline
    in the search window ``lab`` ((h, w, 3) float32, OpenCV's 8-bit Lab scale)) that are
    the inside of the back too: joined to the ``lens`` ((h, w) bool, above the neckline),
    coloured like it and unlike the front (sampled in the window's lowest rows, below any
    neckline). The best path can follow an
    edge inside the back (the collar's binding, a fold of a dark lining) and leave the rest
    of it, which a worn top hides, on the chest as a dark patch. Beside them, what is
    darker than the back's colour: near the lens (:data:`SHADE_REACH`), or anywhere joined
    to it, nearer the back's colour than the front's and within :data:`BACK_HUE` of its hue
    when the front is plain (:func:`_plain_front`)."""
    colours = _lens_and_front(lab, lens, below, opening)
    if colours is None:
        return np.zeros_like(lens)
    back_colour, front_colour = colours
    to_back = np.linalg.norm(lab - back_colour, axis=2)
    to_front = np.linalg.norm(lab - front_colour, axis=2)
    # The inside of the back is seen in the shade of the front: a lens lighter than the
    # front is a misread (a white tee's front above a dark print), not to be grown.
    if (float(np.linalg.norm(back_colour - front_colour)) < MIN_BACK_CONTRAST
            or back_colour[0] > front_colour[0] - MIN_BACK_SHADE):
        return np.zeros_like(lens)
    like_back = below & (to_back < BACK_MATCH) & (to_back < to_front)
    grown = like_back & parts_touching(like_back | lens, lens)
    # ... and, beside it, deeper in shade than the back's colour (a tee's back seam in the
    # collar's shadow, 40 L darker than the lens, was worn as a red V on the neck).
    near = cv2.dilate((lens | grown).astype(np.uint8), cv2.getStructuringElement(
        cv2.MORPH_ELLIPSE, (2 * int(SHADE_REACH * opening) + 1,) * 2)) > 0
    shade = below & (lab[..., 0] < back_colour[0])
    grown |= shade & near
    if _plain_front(lab, below, opening):
        # On a plain front, all the shade joined to the back that is nearer its colour
        # than the front's, of its hue: the inside of a white tee's back darkens towards
        # its lowest point, 30 L below the binding's lens, and a grey crescent with the
        # brand's label stayed on the chest under a drawn neck (the path had followed the
        # binding). A contrasting neckband, darker too, is the front's.
        same_hue = np.linalg.norm(lab[..., 1:] - back_colour[1:], axis=2) < BACK_HUE
        deeper = (shade | like_back) & (to_back < to_front) & same_hue
        grown |= deeper & parts_touching(deeper | lens, lens)
    return grown


def _plain_front(lab: np.ndarray, below: np.ndarray, opening: int) -> bool:
    """Whether the front under the neckline (``below`` (h, w) bool in the search window
    ``lab``, sampled in its lowest :data:`FRONT_BAND` of the ``opening``) is one plain colour
    (:func:`~tryon.body.colour.plain_median`): a stripe or a print's darker parts would
    join the back's shade."""
    front = _front_band(below, opening)
    return bool(front.any()) and plain_median(lab[front]) is not None


def _front_band(below: np.ndarray, opening: int) -> np.ndarray:
    """(h, w) bool: the front's sample, ``below`` ((h, w) bool, the garment under the found
    neckline in the search window) in the window's lowest :data:`FRONT_BAND` of the
    ``opening`` (pixels)."""
    rows = np.arange(below.shape[0])[:, None]
    return below & (rows >= below.shape[0] - max(1, int(FRONT_BAND * opening)))


def vertical_change(rgb: np.ndarray, lightness_weight: float = 1.0) -> np.ndarray:
    """(h, w) float32: magnitude of the vertical Lab gradient of ``rgb`` (smoothed), its
    lightness part times ``lightness_weight``."""
    lab = cv2.cvtColor(cv2.GaussianBlur(rgb, (0, 0), SMOOTHING),
                       cv2.COLOR_RGB2LAB).astype(np.float32)
    weights = (lightness_weight, 1.0, 1.0)
    change = sum((weights[c] * cv2.Sobel(lab[..., c], cv2.CV_32F, 0, 1, ksize=3)) ** 2
                 for c in range(3))
    return np.sqrt(change)


def best_path(score: np.ndarray, ends: tuple[np.ndarray, np.ndarray] | None = None,
              step: int = PATH_STEP) -> np.ndarray:
    """(n,) row per column of ``score`` ((d, n)) maximising the summed score, moving at most
    ``step`` rows between columns, starting and ending on rows where ``ends`` ((d,) bool
    each: first, last column) is True (anywhere when None)."""
    depth, columns = score.shape
    if ends is None:
        ends = (np.ones(depth, bool), np.ones(depth, bool))
    total = np.where(ends[0], score[:, 0], UNREACHABLE)
    came_from = np.zeros((depth, columns), np.int32)
    index = np.arange(depth)
    # Row r of a column comes from row r - shift of the one before, shift in -step..step:
    # all shifts at once (the first of equal totals wins, as shift by shift in that order).
    shifted = index[None, :] - np.arange(-step, step + 1)[:, None]
    inside = (shifted >= 0) & (shifted < depth)
    sources = np.clip(shifted, 0, depth - 1)
    for column in range(1, columns):
        candidates = np.where(inside, total[sources], 2 * UNREACHABLE)
        chosen = np.argmax(candidates, axis=0)
        total = candidates[chosen, index] + score[:, column]
        came_from[:, column] = sources[chosen, index]
    total = np.where(ends[1], total, 2 * UNREACHABLE)
    path = np.empty(columns, np.int64)
    path[-1] = int(np.argmax(total))
    for column in range(columns - 1, 0, -1):
        path[column - 1] = came_from[path[column], column]
    return path
