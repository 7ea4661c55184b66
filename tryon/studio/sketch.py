"""The sketch → product model's contract: what training, export and runtime share (numpy +
OpenCV only).

The model turns a line drawing of a product into a product photo on white (issue 14, part 3;
the edges2shoes idea). Input ``inputs``: (N, :data:`IN_CHANNELS`, H, W) float32 at
:data:`SIZE` (H and W multiples of :data:`STRIDE`), channels in the order of
:data:`CHANNELS`:

- ``sketch`` (1): ink in [0, 1] (1 = stroke, 0 = paper), strokes about
  :data:`STROKE_WIDTH` model pixels wide, the drawing cropped to its strokes (the product's
  outline) and centred (:func:`sketch_crop`);
- ``colour`` (3): the requested Lab colour of the product's main region on every pixel, as
  ``L / 50 - 1``, ``a / 64``, ``b / 64`` (:func:`colour_planes`).

There is no noise input: one sketch and one colour give one picture.

Outputs: ``rgb`` (N, 3, H, W) in [-1, 1] (``x / 127.5 - 1``), the product's colours, and
``alpha`` (N, 1, H, W) in [0, 1], the product's mask. The picture on white is
``alpha * rgb + (1 - alpha) * white`` (:func:`on_white`).
"""

from __future__ import annotations

from collections.abc import Mapping

import cv2
import numpy as np

from tryon.studio.colourway import SquareCrop, square_crop

__all__ = ["CHANNELS", "CONTRACT_VERSION", "IN_CHANNELS", "OUTPUTS", "SIZE", "STRIDE",
           "STROKE_WIDTH", "assemble_inputs", "check_metadata", "colour_planes", "metadata",
           "on_white", "sketch_crop", "stroke_style"]

CONTRACT_VERSION = "tryon-sketch/1"
SIZE = (128, 128)  # (H, W) model pixels
STRIDE = 16
CHANNELS: tuple[tuple[str, int], ...] = (("sketch", 1), ("colour", 3))
IN_CHANNELS = sum(n for _, n in CHANNELS)
INPUT = "inputs"
OUTPUTS = ("rgb", "alpha")
STROKE_WIDTH = 2  # model pixels: what :func:`stroke_style` draws (training: 1 to 2.6)
COLOUR_SCALE = np.array([50.0, 64.0, 64.0], np.float32)
COLOUR_SHIFT = np.array([1.0, 0.0, 0.0], np.float32)


def colour_planes(lab: np.ndarray, size: tuple[int, int] = SIZE) -> np.ndarray:
    """(3, H, W) float32: the normalised Lab colour (``(3,)`` OpenCV float Lab) everywhere."""
    values = np.asarray(lab, np.float32) / COLOUR_SCALE - COLOUR_SHIFT
    return np.ascontiguousarray(np.broadcast_to(values[:, None, None], (3, *size)),
                                dtype=np.float32)


def assemble_inputs(sketch: np.ndarray, lab: np.ndarray) -> np.ndarray:
    """Model input (IN_CHANNELS, H, W) float32 from a model-size ``sketch`` ((H, W) float in
    [0, 1], 1 = ink) and a Lab colour."""
    sketch = np.clip(np.asarray(sketch, np.float32), 0.0, 1.0)
    return np.concatenate([sketch[None], colour_planes(lab, sketch.shape)], axis=0)


def sketch_crop(ink: np.ndarray, size: int = SIZE[0]) -> SquareCrop:
    """The square window around the strokes (``ink``: (H, W) bool, not empty): the same
    window a product photo gets (:func:`tryon.studio.colourway.square_crop`: bounding box,
    a margin per side), so a drawing's outline lands where a photo's silhouette does."""
    return square_crop(ink, size)


def stroke_style(ink: np.ndarray) -> np.ndarray:
    """A model-size binary drawing (``ink``: (S, S) bool, strokes of any width) in the
    training stroke style: thinned to one-pixel centre lines, then drawn
    :data:`STROKE_WIDTH` pixels wide with a soft edge; (S, S) float32 in [0, 1]."""
    lines = cv2.ximgproc.thinning(ink.astype(np.uint8) * 255)
    kernel = np.ones((STROKE_WIDTH, STROKE_WIDTH), np.uint8)
    wide = cv2.dilate(lines, kernel).astype(np.float32) / 255.0
    soft = cv2.GaussianBlur(wide, (0, 0), 0.5)
    return np.clip(np.maximum(wide * 0.9, soft), 0.0, 1.0).astype(np.float32)


def on_white(rgb: np.ndarray, alpha: np.ndarray) -> np.ndarray:
    """``alpha * rgb + (1 - alpha) * 255``: (H, W, 3) float rgb in [0, 255], (H, W) alpha."""
    return rgb * alpha[..., None] + 255.0 * (1.0 - alpha[..., None])


def metadata() -> dict[str, str]:
    """The contract as ONNX ``metadata_props`` (strings)."""
    return {
        "contract": CONTRACT_VERSION,
        "input": INPUT,
        "outputs": ",".join(OUTPUTS),
        "channels": ",".join(f"{name}:{count}" for name, count in CHANNELS),
        "in_channels": str(IN_CHANNELS),
        "train_size": f"{SIZE[0]}x{SIZE[1]}",
        "stride": str(STRIDE),
        "normalisation": ("sketch: ink in [0,1] (1 = stroke), strokes ~"
                          f"{STROKE_WIDTH} px, cropped to the strokes + margin, square; "
                          "colour Lab as L/50-1, a/64, b/64; rgb out x/127.5-1; alpha [0,1]"),
        "layout": "NCHW",
        "composition": "alpha * rgb + (1 - alpha) * white",
    }


def check_metadata(found: Mapping[str, str]) -> str | None:
    """None when ``found`` (a model's metadata) matches this contract, else the problem."""
    for key, value in metadata().items():
        if key in ("normalisation", "composition"):
            continue
        if found.get(key) != value:
            return f"metadata {key}={found.get(key)!r}, expected {value!r}"
    return None
