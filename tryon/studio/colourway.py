"""The colourway GAN's contract: what training, export and runtime share (numpy + OpenCV only).

The model renders a product's main colour region (:mod:`tryon.studio.parts`) in a requested
colour. Its input never shows the region's own colour or lightness, so a black and a white
product of the same shape give the same input and the colour comes from the target planes
alone. Input ``inputs``: (N, :data:`IN_CHANNELS`, H, W) float32, trained at :data:`SIZE`
(H and W multiples of :data:`STRIDE`), channels in the order of :data:`CHANNELS`:

- ``main`` (1): the main region's soft weight in [0, 1];
- ``product`` (1): the product's cut-out coverage in [0, 1];
- ``structure`` (1): the photo's L standardised inside the main region (z-score, clipped to
  ±:data:`Z_CLIP`, divided by it) times the region: shading and folds without their level;
- ``detail`` (1): ``structure`` less its Gaussian blur (sigma :data:`DETAIL_SIGMA` model
  pixels), times :data:`DETAIL_GAIN`, clipped to [-1, 1]: stitching, grain, edges;
- ``kept`` (3): the kept parts' RGB (``x / 127.5 - 1``) where the product is and the region
  is not (context: soles, laces, logos), else 0;
- ``target`` (3): the requested Lab colour on every pixel, as ``L / 50 - 1``, ``a / 64``,
  ``b / 64`` (:func:`target_planes`).

Output ``rgb``: (N, 3, H, W) in [-1, 1], the product's picture; only the main region of it is
used (:func:`compose`): ``main * rgb + (1 - main) * photo``. Crop (:func:`square_crop`): the
product's bounding box grown by :data:`CROP_MARGIN` per side, made square, scaled to
:data:`SIZE` with white padding.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import cv2
import numpy as np

from tryon.studio.colour import rgb_to_lab

__all__ = ["CHANNELS", "CONTRACT_VERSION", "CROP_MARGIN", "IN_CHANNELS", "OUTPUT", "SIZE",
           "STRIDE", "SquareCrop", "assemble_inputs", "check_metadata", "compose",
           "metadata", "square_crop", "standardised_lightness", "target_planes"]

CONTRACT_VERSION = "tryon-colourway/1"
SIZE = (128, 128)  # (H, W) model pixels
STRIDE = 16
CHANNELS: tuple[tuple[str, int], ...] = (("main", 1), ("product", 1), ("structure", 1),
                                         ("detail", 1), ("kept", 3), ("target", 3))
IN_CHANNELS = sum(n for _, n in CHANNELS)
INPUT = "inputs"
OUTPUT = "rgb"
Z_CLIP = 3.0
DETAIL_SIGMA = 1.5
DETAIL_GAIN = 2.0
MIN_SPREAD = 1.0  # L units: a flatter region is standardised by this instead
CROP_MARGIN = 0.06
PAD_VALUE = 255
TARGET_SCALE = np.array([50.0, 64.0, 64.0], np.float32)
TARGET_SHIFT = np.array([1.0, 0.0, 0.0], np.float32)


def _slices() -> dict[str, slice]:
    out, start = {}, 0
    for name, count in CHANNELS:
        out[name] = slice(start, start + count)
        start += count
    return out


SLICES = _slices()


@dataclass(frozen=True)
class SquareCrop:
    """A square window ``(x0, y0, side)`` in photo pixels (it may reach outside the photo),
    shown at ``size`` model pixels: model = (photo - origin) * ``scale``."""

    x0: int
    y0: int
    side: int
    size: int

    @property
    def scale(self) -> float:
        return self.size / self.side

    def take(self, picture: np.ndarray, pad: float, interpolation: int = cv2.INTER_AREA
             ) -> np.ndarray:
        """``picture`` ((H, W) or (H, W, C)) cut to the window (``pad`` outside the photo) and
        resized to ``size`` × ``size``."""
        height, width = picture.shape[:2]
        top, left = max(0, -self.y0), max(0, -self.x0)
        bottom = max(0, self.y0 + self.side - height)
        right = max(0, self.x0 + self.side - width)
        window = picture[max(0, self.y0):self.y0 + self.side, max(0, self.x0):self.x0 + self.side]
        if top or left or bottom or right:
            window = cv2.copyMakeBorder(window, top, bottom, left, right, cv2.BORDER_CONSTANT,
                                        value=(pad,) * 4)
        return cv2.resize(window, (self.size, self.size), interpolation=interpolation)

    def put_back(self, planes: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
        """Model-size ``planes`` ((size, size, C) float32) upsampled (bilinear) onto a photo of
        ``shape`` (H, W); (H, W, C) float32, 0 outside the window."""
        height, width = shape
        big = cv2.resize(planes, (self.side, self.side), interpolation=cv2.INTER_LINEAR)
        big = big.reshape(self.side, self.side, -1)
        out = np.zeros((height, width, big.shape[2]), np.float32)
        ys, xs = max(0, self.y0), max(0, self.x0)
        ye, xe = min(height, self.y0 + self.side), min(width, self.x0 + self.side)
        out[ys:ye, xs:xe] = big[ys - self.y0:ye - self.y0, xs - self.x0:xe - self.x0]
        return out


def square_crop(product: np.ndarray, size: int = SIZE[0]) -> SquareCrop:
    """The square window around ``product`` ((H, W) bool, not empty), grown by
    :data:`CROP_MARGIN` per side."""
    rows, cols = np.nonzero(product)
    y0, y1, x0, x1 = rows.min(), rows.max() + 1, cols.min(), cols.max() + 1
    side = max(y1 - y0, x1 - x0)
    side = int(round(side * (1 + 2 * CROP_MARGIN))) + 1
    cy, cx = (y0 + y1) / 2.0, (x0 + x1) / 2.0
    return SquareCrop(int(round(cx - side / 2.0)), int(round(cy - side / 2.0)), side, size)


def standardised_lightness(lightness: np.ndarray, region: np.ndarray) -> np.ndarray:
    """``lightness`` ((H, W) float32, L in [0, 100]) as a z-score inside ``region`` ((H, W)
    bool): (L - median) / spread, where spread is the std of L there (at least
    :data:`MIN_SPREAD`); float32, not clipped, defined everywhere."""
    values = lightness[region] if region.any() else lightness.reshape(-1)
    centre = float(np.median(values))
    spread = max(float(values.std()), MIN_SPREAD)
    return ((lightness - centre) / spread).astype(np.float32)


def target_planes(target_lab: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """(3, H, W) float32: the normalised Lab target on every pixel (see the module doc)."""
    values = (np.asarray(target_lab, np.float32) / TARGET_SCALE - TARGET_SHIFT)
    return np.broadcast_to(values[:, None, None], (3, *size)).astype(np.float32)


def assemble_inputs(rgb: np.ndarray, coverage: np.ndarray, main: np.ndarray,
                    target_lab: np.ndarray) -> np.ndarray:
    """Model input (IN_CHANNELS, H, W) float32 from a model-size crop: ``rgb`` (H, W, 3)
    uint8, ``coverage`` and ``main`` (H, W) float32 in [0, 1] (the product; the main region's
    soft weight), ``target_lab`` (3,) Lab."""
    size = rgb.shape[:2]
    region = main > 0.5
    z = standardised_lightness(rgb_to_lab(rgb)[..., 0], region)
    z = np.clip(z, -Z_CLIP, Z_CLIP) / Z_CLIP
    detail = np.clip((z - cv2.GaussianBlur(z, (0, 0), DETAIL_SIGMA)) * DETAIL_GAIN, -1, 1)
    kept_weight = coverage * (1.0 - main)
    kept = (rgb.astype(np.float32) / 127.5 - 1.0) * kept_weight[..., None]
    planes = np.zeros((IN_CHANNELS, *size), np.float32)
    planes[SLICES["main"]] = main[None]
    planes[SLICES["product"]] = coverage[None]
    planes[SLICES["structure"]] = (z * main)[None]
    planes[SLICES["detail"]] = (detail * main)[None]
    planes[SLICES["kept"]] = kept.transpose(2, 0, 1)
    planes[SLICES["target"]] = target_planes(target_lab, size)
    return planes


def compose(rgb: np.ndarray, photo: np.ndarray, main: np.ndarray) -> np.ndarray:
    """``main * rgb + (1 - main) * photo`` for (..., 3) pictures and (...,) weights."""
    return rgb * main[..., None] + photo * (1.0 - main[..., None])


def metadata() -> dict[str, str]:
    """The contract as ONNX ``metadata_props`` (strings)."""
    return {
        "contract": CONTRACT_VERSION,
        "input": INPUT,
        "output": OUTPUT,
        "channels": ",".join(f"{name}:{count}" for name, count in CHANNELS),
        "in_channels": str(IN_CHANNELS),
        "train_size": f"{SIZE[0]}x{SIZE[1]}",
        "stride": str(STRIDE),
        "normalisation": ("rgb x/127.5-1; structure: L z-score in main region, clip "
                          f"+-{Z_CLIP:g}, /{Z_CLIP:g}; detail: structure - blur(sigma "
                          f"{DETAIL_SIGMA:g}) x{DETAIL_GAIN:g}, clip 1; target Lab as "
                          "L/50-1, a/64, b/64"),
        "layout": "NCHW",
        "composition": "main * rgb + (1 - main) * photo",
        "crop": f"product bbox + {CROP_MARGIN:g} per side, square, white padding",
    }


def check_metadata(found: Mapping[str, str]) -> str | None:
    """None when ``found`` (a model's metadata) matches this contract, else the problem."""
    for key, value in metadata().items():
        if key in ("normalisation", "crop", "composition"):
            continue
        if found.get(key) != value:
            return f"metadata {key}={found.get(key)!r}, expected {value!r}"
    return None
