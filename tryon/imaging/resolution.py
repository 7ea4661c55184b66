"""Bounded working resolution: big photos are analysed, fitted and painted at ≤ 2 MP.

A 48 MP phone photo holds far more pixels than MediaPipe, the fit or the generator can use,
and every stage's cost grows with them (a 6000×8000 photo took minutes and gigabytes). The
engine therefore works on a copy scaled down (``cv2.INTER_AREA``) to at most
:data:`WORK_MAX_PIXELS`, aspect kept (:func:`working_copy`), and at the end puts the edit
back into the full-size photo (:func:`full_size`): the working picture is upsampled
(bilinear) only where it differs from the working photo, and every other pixel of the result
is the photo's own, byte for byte. Work is done in tiles of :data:`TILE` × :data:`TILE`
full-size pixels, so memory stays a few tiles above the photo itself.
"""

from __future__ import annotations

import dataclasses
import math

import cv2
import numpy as np

from tryon.imaging.decode import DecodedImage
from tryon.imaging.geometry import bbox_of_mask

__all__ = ["MIN_WORK_PIXELS", "TILE", "WORK_MAX_PIXELS", "full_size", "working_copy",
           "working_size"]

WORK_MAX_PIXELS = 2_000_000
MIN_WORK_PIXELS = 256 * 256
TILE = 1024  # full-size pixels per side of one tile of :func:`full_size`
SUPPORT = 2  # working pixels of context around a tile (bilinear needs 1)


def working_size(height: int, width: int, max_pixels: int = WORK_MAX_PIXELS) -> tuple[int, int]:
    """(h, w) of the working copy of a ``height`` × ``width`` picture: the same size when it
    has at most ``max_pixels`` pixels, else scaled by one factor to at most ``max_pixels``."""
    if height * width <= max_pixels:
        return height, width
    scale = math.sqrt(max_pixels / (height * width))
    return max(1, math.floor(height * scale)), max(1, math.floor(width * scale))


def working_copy(image: DecodedImage, max_pixels: int = WORK_MAX_PIXELS) -> DecodedImage:
    """``image`` itself when it has at most ``max_pixels`` pixels, else a copy scaled down
    with area averaging (RGB and alpha alike; ``source_format`` and ``warnings`` kept)."""
    height, width = working_size(image.height, image.width, max_pixels)
    if (height, width) == (image.height, image.width):
        return image

    def shrink(picture: np.ndarray) -> np.ndarray:
        return cv2.resize(picture, (width, height), interpolation=cv2.INTER_AREA)

    return dataclasses.replace(image, rgb=shrink(image.rgb),
                               alpha=None if image.alpha is None else shrink(image.alpha))


def full_size(photo: np.ndarray, work_photo: np.ndarray, work_result: np.ndarray) -> np.ndarray:
    """The edit of ``work_result`` put into the full-size ``photo``.

    ``photo``: (H, W, 3) uint8 RGB, the photo as given; ``work_photo``: (h, w, 3) uint8, its
    working copy; ``work_result``: (h, w, 3) uint8, the working copy after the try-on.
    Returns (H, W, 3) uint8: where ``work_result`` differs from ``work_photo`` (the edit),
    ``work_result`` upsampled bilinearly (pixel centres aligned as by ``cv2.resize``), with
    the edit's outline blended over one working pixel; every pixel farther than one working
    pixel from the edit is ``photo``'s own, byte for byte.
    """
    result = photo.copy()
    edited = np.any(work_result != work_photo, axis=2)
    box = bbox_of_mask(edited)
    if box is None:
        return result
    height, width = photo.shape[:2]
    work_height, work_width = work_photo.shape[:2]
    scale_x, scale_y = work_width / width, work_height / height
    x0, y0, x1, y1 = _full_box(box, scale_x, scale_y, width, height)
    weight = edited.astype(np.uint8) * 255
    for top in range(y0, y1, TILE):
        for left in range(x0, x1, TILE):
            tile = (left, top, min(left + TILE, x1), min(top + TILE, y1))
            _blend_tile(result, work_result, weight, tile, (scale_x, scale_y))
    return result


def _full_box(box: tuple[int, int, int, int], scale_x: float, scale_y: float, width: int,
              height: int) -> tuple[int, int, int, int]:
    """The full-size pixels (x0, y0, x1, y1), half-open, whose bilinear sample can touch the
    working pixels of ``box`` (grown by one working pixel)."""
    x0, y0, x1, y1 = box
    return (max(0, math.floor((x0 - 1) / scale_x)), max(0, math.floor((y0 - 1) / scale_y)),
            min(width, math.ceil((x1 + 1) / scale_x) + 1),
            min(height, math.ceil((y1 + 1) / scale_y) + 1))


def _blend_tile(result: np.ndarray, work_result: np.ndarray, weight: np.ndarray,
                tile: tuple[int, int, int, int], scale: tuple[float, float]) -> None:
    """Blend one full-size ``tile`` (x0, y0, x1, y1) of ``result`` (in place) with the
    bilinear upsampling of ``work_result`` under the upsampled ``weight`` ((h, w) uint8,
    255 = edited): full pixel X samples working x = (X + 0.5) · scale_x − 0.5."""
    x0, y0, x1, y1 = tile
    scale_x, scale_y = scale
    work_height, work_width = weight.shape
    # The working pixels this tile samples, with SUPPORT pixels of context.
    cx0 = max(0, math.floor((x0 + 0.5) * scale_x - 0.5) - SUPPORT)
    cy0 = max(0, math.floor((y0 + 0.5) * scale_y - 0.5) - SUPPORT)
    cx1 = min(work_width, math.ceil((x1 - 0.5) * scale_x - 0.5) + SUPPORT + 1)
    cy1 = min(work_height, math.ceil((y1 - 0.5) * scale_y - 0.5) + SUPPORT + 1)
    if not weight[cy0:cy1, cx0:cx1].any():
        return
    # dst → src: x_src = scale_x · x_dst + (scale_x · (x0 + 0.5) − 0.5 − cx0), same for y.
    matrix = np.array([[scale_x, 0.0, scale_x * (x0 + 0.5) - 0.5 - cx0],
                       [0.0, scale_y, scale_y * (y0 + 0.5) - 0.5 - cy0]])
    size = (x1 - x0, y1 - y0)
    flags = cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP

    def up(picture: np.ndarray) -> np.ndarray:
        return cv2.warpAffine(np.ascontiguousarray(picture[cy0:cy1, cx0:cx1]), matrix, size,
                              flags=flags, borderMode=cv2.BORDER_REPLICATE)

    alpha = up(weight)
    if not alpha.any():
        return
    window = result[y0:y1, x0:x1]
    painted = up(work_result)
    if alpha.min() == 255:
        window[...] = painted
        return
    # (painted·a + photo·(1 − a)) / (a + (1 − a) + 1e-5), rounded: exactly the photo where
    # a = 0 (v / 1.00001 rounds back to v for v ≤ 255).
    share = alpha.astype(np.float32) * np.float32(1 / 255)
    window[...] = cv2.blendLinear(painted, np.ascontiguousarray(window), share, 1 - share)
