"""Small 2-D helpers on (x, y) pixel coordinates shared by the stages."""

from __future__ import annotations

import functools

import cv2
import numpy as np

__all__ = [
    "draw_capsule", "draw_polygon", "unit", "perpendicular", "bbox_of_mask", "crop_box",
    "grown_hull", "dilate_disc", "close_disc", "open_disc", "erode_ellipse", "dilate_ellipse",
    "open_ellipse", "parts_touching", "parts_at_least",
    "past_line", "labelled_any", "distance_along", "in_photo",
]

# Half a pixel², added to the squared radius that :func:`dilate_disc` takes in. Squared
# distances between pixels are whole numbers, so this takes in exactly the pixels at the
# radius and none beyond; OpenCV's exact distance transform (Intel IPP) is off by about 1e-5
# differently from call to call (opencv/opencv#24082), and compared with the radius itself
# the pixels exactly at it came and went: the same photo gave different try-ons.
SQUARED_SLACK = 0.5

# Radii up to which :func:`dilate_disc` dilates with a kernel (faster than a distance
# transform below about 10 pixels: 0.2–0.6 ms against 1.1 ms on a 512×384 photo's top).
KERNEL_DILATION_MAX_RADIUS = 8

# Entries in a look-up table over uint8 labels (:func:`labelled_any`).
UINT8_LABELS = 256


def unit(vector: np.ndarray) -> np.ndarray:
    """(2,) vector scaled to length 1; a zero vector gives (0, 1) (pointing down)."""
    norm = float(np.hypot(vector[0], vector[1]))
    return np.array([0.0, 1.0]) if norm < 1e-9 else np.asarray(vector, np.float64) / norm


def perpendicular(vector: np.ndarray) -> np.ndarray:
    """(2,) unit vector rotated +90° in image coordinates (x right, y down)."""
    u = unit(vector)
    return np.array([-u[1], u[0]])


def distance_along(chain: list[np.ndarray], point: np.ndarray) -> float:
    """Arc length, in pixels from the polyline ``chain``'s first point ((2,) xy points, at
    least two), of the chain's point nearest to ``point`` ((2,) xy)."""
    best, best_arc, walked = np.inf, 0.0, 0.0
    for a, b in zip(chain[:-1], chain[1:], strict=True):
        segment = np.asarray(b, np.float64) - a
        length = float(np.hypot(*segment))
        t = 0.0 if length < 1e-9 else float(np.clip((point - a) @ segment / length ** 2, 0, 1))
        gap = float(np.hypot(*(a + t * segment - point)))
        if gap < best:
            best, best_arc = gap, walked + t * length
        walked += length
    return best_arc


def draw_capsule(
    canvas: np.ndarray, a: np.ndarray, b: np.ndarray, radius: float, value: int
) -> None:
    """Paint segment a→b, half-width ``radius`` px, round caps, into ``canvas`` (in place)."""
    thickness = max(1, int(round(2 * radius)))
    pa = (int(round(a[0])), int(round(a[1])))
    pb = (int(round(b[0])), int(round(b[1])))
    cv2.line(canvas, pa, pb, int(value), thickness=thickness, lineType=cv2.LINE_8)


def draw_polygon(canvas: np.ndarray, points: np.ndarray, value: int) -> None:
    """Fill the polygon ``points`` ((N, 2) xy pixels) with ``value`` in ``canvas`` (in place)."""
    cv2.fillPoly(canvas, [np.round(points).astype(np.int32)], int(value))


def bbox_of_mask(mask: np.ndarray) -> tuple[int, int, int, int] | None:
    """(x0, y0, x1, y1) half-open bounds of the non-zero pixels of a (H, W) mask, or None."""
    ys = np.flatnonzero(mask.any(axis=1))
    if ys.size == 0:
        return None
    xs = np.flatnonzero(mask.any(axis=0))
    return int(xs[0]), int(ys[0]), int(xs[-1]) + 1, int(ys[-1]) + 1


def crop_box(
    box: tuple[int, int, int, int], margin: int, width: int, height: int
) -> tuple[int, int, int, int]:
    """``box`` grown by ``margin`` px on each side and clipped to a width × height image."""
    x0, y0, x1, y1 = box
    return (max(0, x0 - margin), max(0, y0 - margin),
            min(width, x1 + margin), min(height, y1 + margin))


def grown_hull(points: list[np.ndarray] | np.ndarray, margin: float) -> np.ndarray:
    """(M, 2) convex polygon around ``points`` ((N, 2) xy), each point pushed ``margin`` px
    away from their centroid."""
    pts = np.asarray(points, dtype=np.float64).reshape(-1, 2)
    centre = pts.mean(axis=0)
    pushed = np.array([pt + margin * unit(pt - centre) for pt in pts])
    return cv2.convexHull(pushed.astype(np.float32)).reshape(-1, 2).astype(np.float64)


def in_photo(point: np.ndarray, shape: tuple[int, int]) -> bool:
    """Whether ``point`` ((2,) xy pixels) lies inside an image of ``shape`` (height, width)."""
    return bool(0 <= point[0] < shape[1] and 0 <= point[1] < shape[0])


def past_line(shape: tuple[int, int], point: np.ndarray, direction: np.ndarray) -> np.ndarray:
    """(H, W) bool for an image of ``shape``: the pixels past the line through ``point``
    ((2,) xy) across ``direction`` ((2,) xy, need not be unit length), i.e. whose offset from
    ``point`` has a positive component along ``direction``."""
    ys, xs = np.ogrid[0:shape[0], 0:shape[1]]
    return (xs - point[0]) * direction[0] + (ys - point[1]) * direction[1] > 0


def dilate_disc(mask: np.ndarray, radius: int) -> np.ndarray:
    """(H, W) bool: ``mask`` dilated by a disc of ``radius`` ≥ 1 pixels (every pixel within
    ``radius`` of the mask, Euclidean, the same on every call: :data:`SQUARED_SLACK`). Only the
    mask's box grown by the radius can change, so only that window is measured. Up to
    :data:`KERNEL_DILATION_MAX_RADIUS` by OpenCV's dilation with the disc's exact kernel,
    beyond by a distance transform, whose cost does not grow with the radius (an elliptic
    kernel of radius 80 took 50× longer); both take in exactly the same pixels."""
    grown = np.zeros(mask.shape, bool)
    box = bbox_of_mask(mask)
    if box is None:
        return grown
    x0, y0, x1, y1 = crop_box(box, radius, mask.shape[1], mask.shape[0])
    window = mask[y0:y1, x0:x1]
    if radius <= KERNEL_DILATION_MAX_RADIUS:
        inside = np.ascontiguousarray(window, dtype=bool).view(np.uint8)
        grown[y0:y1, x0:x1] = cv2.dilate(inside, _disc_kernel(radius)).view(bool)
        return grown
    outside = (~window.astype(bool)).astype(np.uint8)
    distance = cv2.distanceTransform(outside, cv2.DIST_L2, cv2.DIST_MASK_PRECISE)
    grown[y0:y1, x0:x1] = np.square(distance) <= radius * radius + SQUARED_SLACK
    return grown


@functools.cache
def _disc_kernel(radius: int) -> np.ndarray:
    """(2r+1, 2r+1) uint8 kernel: 1 at the offsets within ``radius`` (as :func:`dilate_disc`
    counts them), 0 elsewhere."""
    ys, xs = np.mgrid[-radius:radius + 1, -radius:radius + 1]
    return (xs * xs + ys * ys <= radius * radius + SQUARED_SLACK).astype(np.uint8)


def close_disc(mask: np.ndarray, radius: int) -> np.ndarray:
    """(H, W) bool: ``mask`` closed by a disc of ``radius`` ≥ 1 pixels (dilated, then eroded:
    gaps narrower than the disc filled), by distance transforms in the mask's box grown by
    twice the radius (an elliptic kernel of radius 15 cost 8 ms on a top's box)."""
    closed = np.zeros(mask.shape, bool)
    box = bbox_of_mask(mask)
    if box is None:
        return closed
    x0, y0, x1, y1 = crop_box(box, 2 * radius, mask.shape[1], mask.shape[0])
    grown = dilate_disc(mask[y0:y1, x0:x1], radius)
    closed[y0:y1, x0:x1] = ~dilate_disc(~grown, radius)
    return closed


def open_disc(mask: np.ndarray, radius: int) -> np.ndarray:
    """(H, W) bool: ``mask`` opened by a disc of ``radius`` ≥ 1 pixels (eroded, then dilated:
    parts narrower than the disc removed), by distance transforms. The photo's edge counts as
    inside the mask, as OpenCV's erosion takes it."""
    return dilate_disc(~dilate_disc(~mask, radius), radius)


def erode_ellipse(mask: np.ndarray, size: int) -> np.ndarray:
    """(H, W) bool: ``mask`` ((H, W) bool or 0/non-zero) eroded by OpenCV's elliptic kernel
    of ``size`` × ``size`` pixels (``size`` odd), pixel for pixel what
    ``cv2.erode(mask, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (size, size)))`` gives
    (the photo's edge counting as inside the mask), in about half its time from 15 pixels
    up (:func:`_by_kernel_rows`)."""
    return _by_kernel_rows(mask, size, erode=True)


def dilate_ellipse(mask: np.ndarray, size: int) -> np.ndarray:
    """(H, W) bool: ``mask`` dilated by OpenCV's elliptic kernel of ``size`` × ``size``
    pixels (``size`` odd), pixel for pixel what ``cv2.dilate`` with that kernel gives, as
    :func:`erode_ellipse`."""
    return _by_kernel_rows(mask, size, erode=False)


def open_ellipse(mask: np.ndarray, size: int) -> np.ndarray:
    """(H, W) bool: ``mask`` opened by OpenCV's elliptic kernel of ``size`` × ``size`` pixels
    (``cv2.morphologyEx(mask, cv2.MORPH_OPEN, kernel)``, pixel for pixel)."""
    return dilate_ellipse(erode_ellipse(mask, size), size)


@functools.cache
def _ellipse_rows(size: int) -> tuple[tuple[int, int, int], ...]:
    """The rows of OpenCV's ``size`` × ``size`` elliptic kernel as (dy, first dx, last dx)
    offsets from its centre: each row of it is one run of ones."""
    if size < 1 or size % 2 == 0:
        raise ValueError(f"an elliptic kernel's size must be odd and positive, got {size}")
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (size, size))
    centre = size // 2
    rows = []
    for row in range(size):
        ones = np.flatnonzero(kernel[row])
        if ones.size:
            rows.append((row - centre, int(ones[0]) - centre, int(ones[-1]) - centre))
    return tuple(rows)


def _by_kernel_rows(mask: np.ndarray, size: int, erode: bool) -> np.ndarray:
    """:func:`erode_ellipse` (``erode``) or :func:`dilate_ellipse`: the kernel taken row by
    row. A row is a horizontal run, a one-row kernel OpenCV filters in a few operations per
    pixel; the result is the rows' results shifted by their offsets and combined (all of them
    for an erosion, any for a dilation), worked out in the mask's box grown by the kernel's
    radius (nothing outside it can change, nor reach inside). A 27-pixel kernel on a
    product's 730×700 mask took 5 ms instead of 10."""
    rows = _ellipse_rows(size)
    shape = mask.shape
    result = np.zeros(shape, bool)
    box = bbox_of_mask(mask)
    if box is None:
        return result
    x0, y0, x1, y1 = crop_box(box, size // 2, shape[1], shape[0])
    window = np.ascontiguousarray(mask[y0:y1, x0:x1] != 0).view(np.uint8)
    height = window.shape[0]
    combined = np.full(window.shape, erode, bool)
    filtered: dict[tuple[int, int], np.ndarray] = {}
    for dy, first, last in rows:
        if abs(dy) >= height:
            continue  # this kernel row lies beyond the picture for every output row
        line = filtered.get((first, last))
        if line is None:
            run = np.ones((1, last - first + 1), np.uint8)
            operation = cv2.erode if erode else cv2.dilate
            line = operation(window, run, anchor=(-first, 0)).view(bool)
            filtered[(first, last)] = line
        # Output row y takes the row result at y + dy; rows beyond the picture do not count.
        into = combined[max(0, -dy):height - max(0, dy)]
        taken = line[max(0, dy):height - max(0, -dy)]
        if erode:
            into &= taken
        else:
            into |= taken
    result[y0:y1, x0:x1] = combined
    return result


def labelled_any(labels: np.ndarray, values: object) -> np.ndarray:
    """(H, W) bool: where ``labels`` ((H, W) non-negative integer labels: body regions or
    connected parts) holds any of ``values`` (integers). The same as :func:`numpy.isin`, in
    one look-up pass instead of one comparison pass per value or a sort (for uint8 labels
    OpenCV's table look-up, several times faster than numpy's indexing)."""
    wanted = np.asarray(values, dtype=np.int64).ravel()
    if labels.dtype == np.uint8:
        table = np.zeros(UINT8_LABELS, np.uint8)
        table[wanted[(wanted >= 0) & (wanted < UINT8_LABELS)]] = 1
        return cv2.LUT(np.ascontiguousarray(labels), table).view(bool)
    table = np.zeros(int(labels.max(initial=0)) + 1, bool)
    table[wanted[(wanted >= 0) & (wanted < table.size)]] = True
    return table[labels]


def parts_touching(mask: np.ndarray, seeds: np.ndarray) -> np.ndarray:
    """(H, W) bool: the 8-connected parts of ``mask`` ((H, W) bool or 0/non-zero) that share a
    pixel with ``seeds`` ((H, W) bool). Parts are labelled in the mask's box only (no part
    reaches past it)."""
    touching = np.zeros(mask.shape, bool)
    box = bbox_of_mask(mask)
    if box is None:
        return touching
    x0, y0, x1, y1 = box
    window = mask[y0:y1, x0:x1] != 0
    count, parts = cv2.connectedComponents(window.astype(np.uint8), connectivity=8)
    hit = np.zeros(count, bool)
    hit[parts[seeds[y0:y1, x0:x1] & window]] = True
    hit[0] = False
    touching[y0:y1, x0:x1] = hit[parts]
    return touching


def parts_at_least(mask: np.ndarray, min_pixels: float) -> np.ndarray:
    """(H, W) bool: the 8-connected parts of ``mask`` ((H, W) bool) of at least
    ``min_pixels`` pixels."""
    count, labels, stats, _ = cv2.connectedComponentsWithStats(mask.astype(np.uint8), 8)
    large = stats[:, cv2.CC_STAT_AREA] >= min_pixels
    large[0] = False
    return large[labels]
