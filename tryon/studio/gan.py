"""The colourway GAN at run time: ``models/colourway.onnx`` in ONNX Runtime (CPU), no torch.

:class:`ColourwayGAN` renders a product's main region in a requested colour
(contract: :mod:`tryon.studio.colourway`):

1. the product is cropped square (:func:`~tryon.studio.colourway.square_crop`) and scaled to
   the model's size; the input shows the region's standardised lightness, its detail, the
   kept parts and the target colour, never the region's own colour;
2. the model's picture is converted to Lab and upsampled to the photo's resolution;
3. detail finer than the model's pixels is put back from the full-resolution photo: the
   photo's standardised L (z-score in the region) less its blur at the model's pixel size,
   times the rendered region's own L spread, is added to the rendered L, so stitching and
   grain stay as sharp as in the photo at the new colour's contrast;
4. the rendered region's median is moved onto the requested colour in Lab, twice (the
   second pass after the 8-bit sRGB gamut clipped it); :attr:`Rendering.correction` says
   how far the model's own median was;
5. the region is blended in by its soft weight; every other pixel is the photo's own
   (bit-exact; :func:`tryon.studio.variant.make_variant` guarantees it).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from tryon.studio import colourway as cw
from tryon.studio.colour import delta_e_2000, lab_to_rgb, rgb_to_lab
from tryon.studio.onnx_model import open_studio_model

__all__ = ["DEFAULT_MODEL", "ColourwayGAN", "Rendering", "default_gan", "model_available"]

DEFAULT_MODEL = Path(__file__).resolve().parents[2] / "models" / "colourway.onnx"
DETAIL_BLUR = 0.6  # model pixels: the blur (sigma) that splits off the finer-than-model detail
MIN_UPSCALE = 1.5  # photo pixels per model pixel under which no detail is put back
THREADS = 2
CORRECTION_PASSES = 2


@dataclass(frozen=True)
class Rendering:
    """``rgb``: (H, W, 3) uint8, the photo with the region rendered and blended in by its
    weight; ``correction``: CIEDE2000 between the model's own region median and the target
    (before step 4 of the module doc); ``raw_lab``: (3,) that median."""

    rgb: np.ndarray
    correction: float
    raw_lab: np.ndarray


def model_available(path: str | Path | None = None) -> bool:
    """Whether the colourway model file exists."""
    return Path(path or DEFAULT_MODEL).is_file()


class ColourwayGAN:
    """One exported colourway model in one ONNX Runtime session (CPU provider).

    Raises :class:`TryOnError` ``refiner_unavailable`` for a missing file or one that is not
    a colourway model of this contract."""

    def __init__(self, model_path: str | Path | None = None, threads: int = THREADS) -> None:
        self.model_path, self._session, self.metadata = open_studio_model(
            model_path, DEFAULT_MODEL, "colourway", "use --method lab or train one "
            "(docs/studio.md)", cw.check_metadata, threads)
        self.size = cw.SIZE[0]

    def render(self, rgb: np.ndarray, coverage: np.ndarray, weight: np.ndarray,
               target_lab: np.ndarray) -> Rendering:
        """``rgb`` (H, W, 3) uint8 photo, ``coverage`` (H, W) float32 cut-out, ``weight``
        (H, W) float32 main-region weight in [0, 1] (not empty), ``target_lab`` (3,) Lab."""
        region = weight > 0.5
        if not region.any():
            raise ValueError("the main region is empty")
        crop = cw.square_crop(coverage >= 0.5, self.size)
        small = crop.take(rgb, cw.PAD_VALUE)
        inputs = cw.assemble_inputs(small, crop.take(coverage, 0.0), crop.take(weight, 0.0),
                                    target_lab)
        out = self._session.run([cw.OUTPUT], {cw.INPUT: inputs[None]})[0][0]
        picture = np.clip((out.transpose(1, 2, 0) + 1.0) * 127.5, 0, 255)
        lab = crop.put_back(_to_lab(picture), rgb.shape[:2])
        lab[..., 0] += _fine_detail(rgb, region, crop.scale) * float(lab[..., 0][region].std())
        raw = np.median(lab[region], axis=0).astype(np.float32)
        target = np.asarray(target_lab, np.float32)
        for _ in range(CORRECTION_PASSES):  # the second pass undoes the gamut's pull
            lab += (target - np.median(lab[region], axis=0))[None, None]
            lab[..., 0] = np.clip(lab[..., 0], 0.0, 100.0)
            rendered = lab_to_rgb(lab)
            lab[region] = rgb_to_lab(rendered[region])
        rendered = rendered.astype(np.float32)
        blended = cw.compose(rendered, rgb.astype(np.float32), weight)
        return Rendering(np.clip(np.round(blended), 0, 255).astype(np.uint8),
                         float(delta_e_2000(raw, target_lab)), raw)

    def close(self) -> None:
        self._session = None  # type: ignore[assignment]


def _to_lab(picture: np.ndarray) -> np.ndarray:
    """(H, W, 3) float RGB in [0, 255] → float32 Lab (no rounding to 8 bits)."""
    return cv2.cvtColor(np.ascontiguousarray(picture, np.float32) / 255.0, cv2.COLOR_RGB2LAB)


def _fine_detail(rgb: np.ndarray, region: np.ndarray, scale: float) -> np.ndarray:
    """(H, W) float32: the photo's standardised L less its blur at the model's pixel size
    (``scale`` model pixels per photo pixel), clipped to ±Z_CLIP; zeros when the photo is
    not much larger than the model's view of it."""
    upscale = 1.0 / scale
    if upscale < MIN_UPSCALE:
        return np.zeros(rgb.shape[:2], np.float32)
    z = cw.standardised_lightness(rgb_to_lab(rgb)[..., 0], region)
    fine = z - cv2.GaussianBlur(z, (0, 0), DETAIL_BLUR * upscale)
    return np.clip(fine, -cw.Z_CLIP, cw.Z_CLIP).astype(np.float32)


@functools.lru_cache(maxsize=2)
def default_gan(model_path: str | None = None) -> ColourwayGAN:
    """One shared :class:`ColourwayGAN` per model file (loaded once per process)."""
    return ColourwayGAN(model_path)
