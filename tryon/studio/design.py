"""Sketch → product at run time: ``models/sketch.onnx`` in ONNX Runtime (CPU), no torch.

:func:`make_design` turns a line drawing of a shoe and a colour into a product photo with
alpha that ``tryon run --kind shoes`` accepts (contract: :mod:`tryon.studio.sketch`):

1. the sketch is read (:func:`read_sketch`): any picture, dark strokes on light paper or
   light strokes on dark; the paper's level is the median of the border, ink is what
   differs from it by more than Otsu's threshold (at least :data:`MIN_CONTRAST` grey
   levels), specks are dropped; no ink left → ``bad_item`` "no strokes found";
2. the strokes are cropped to their bounding box and centred in the contract's square
   window, scaled to the model size (thin strokes widened first so they survive), thinned
   and redrawn :data:`tryon.studio.sketch.STROKE_WIDTH` pixels wide: the training stroke
   style whatever pen the user drew with;
3. the model paints the product and its mask; the mask is cleaned (its large parts, holes
   filled, a soft one-pixel edge); the render's main colour region
   (:func:`tryon.studio.parts.find_parts`) is moved onto the requested colour in Lab
   (:attr:`Design.delta_e_model` says how far the model itself was);
4. the picture is upscaled to :data:`OUTPUT_SIDE` pixels as RGBA.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from tryon.errors import ErrorCode, TryOnError
from tryon.imaging.decode import decode_image
from tryon.imaging.geometry import parts_at_least
from tryon.studio import sketch as sk
from tryon.studio.colour import delta_e_2000, lab_to_rgb, rgb_to_lab
from tryon.studio.onnx_model import open_studio_model
from tryon.studio.parts import find_parts

__all__ = ["DEFAULT_MODEL", "Design", "SketchModel", "clean_alpha", "default_model",
           "make_design", "match_colour", "read_sketch", "to_rgba"]

DEFAULT_MODEL = Path(__file__).resolve().parents[2] / "models" / "sketch.onnx"
THREADS = 2
OUTPUT_SIDE = 512
MIN_CONTRAST = 40  # grey levels between paper and ink
MIN_SPECK = 0.0002  # of the picture's pixels: smaller ink parts are specks
MIN_INK = 30  # model pixels of ink a drawing needs
MIN_PART = 0.05  # of the largest mask part: smaller parts are dropped
CORRECTION_PASSES = 2


@dataclass(frozen=True)
class Design:
    """``rgba``: (OUTPUT_SIDE, OUTPUT_SIDE, 4) uint8 product photo with alpha; ``sketch``:
    (S, S) float32, the normalised drawing the model saw; ``delta_e``: CIEDE2000 between the
    requested colour and the output's main-region median; ``delta_e_model``: the same for the
    model's own picture (before the Lab correction); ``main_share``: the main region's share
    of the product."""

    rgba: np.ndarray
    sketch: np.ndarray
    delta_e: float
    delta_e_model: float
    main_share: float


def read_sketch(source: object, size: int = sk.SIZE[0]) -> np.ndarray:
    """A drawing (a path, bytes, an array: anything :func:`decode_image` reads) as the
    model's ``sketch`` plane: (size, size) float32 ink in [0, 1] (steps 1 and 2 of the module
    doc). ``bad_image`` for a non-picture, ``bad_item`` when no strokes are found."""
    decoded = decode_image(source)
    grey = cv2.cvtColor(decoded.rgb, cv2.COLOR_RGB2GRAY).astype(np.float32)
    if decoded.alpha is not None and (decoded.alpha < 128).any():
        # Transparent paper: the strokes are what is opaque, shown on paper of the other tone.
        opaque = decoded.alpha.astype(np.float32) / 255.0
        strokes = grey[opaque > 0.5]
        paper = 255.0 if strokes.size == 0 or float(np.median(strokes)) < 128 else 0.0
        grey = grey * opaque + paper * (1 - opaque)
    ink = _ink(grey)
    if int(ink.sum()) < MIN_INK:
        raise TryOnError(ErrorCode.BAD_ITEM, "no strokes found in the sketch; draw the "
                         "product's outline with dark lines on light paper (or light on dark)")
    crop = sk.sketch_crop(ink, size)
    per_pixel = 1.0 / crop.scale  # picture pixels per model pixel
    if per_pixel > 2.0:  # strokes thinner than half a model pixel would fade away
        radius = int(per_pixel / 4)
        ink = cv2.dilate(ink.astype(np.uint8), np.ones((2 * radius + 1,) * 2, np.uint8)) > 0
    small = crop.take(ink.astype(np.float32), 0.0)
    lines = small > 0.25
    if int(lines.sum()) < MIN_INK // 3:
        raise TryOnError(ErrorCode.BAD_ITEM, "no strokes found in the sketch")
    return sk.stroke_style(lines)


def _ink(grey: np.ndarray) -> np.ndarray:
    """(H, W) bool strokes of a grey picture: what differs from the paper (the border's
    median) by more than Otsu's threshold of the difference, at least MIN_CONTRAST; specks
    (parts under MIN_SPECK of the picture) dropped."""
    border = np.concatenate([grey[0], grey[-1], grey[:, 0], grey[:, -1]])
    paper = float(np.median(border))
    strength = np.abs(grey - paper) if 40 < paper < 215 else (
        paper - grey if paper >= 215 else grey - paper)
    strength = np.clip(strength, 0, 255).astype(np.uint8)
    if int(strength.max()) < MIN_CONTRAST:
        return np.zeros(grey.shape, bool)
    otsu, _ = cv2.threshold(strength, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    ink = strength > max(float(otsu), MIN_CONTRAST)
    return parts_at_least(ink, max(4, int(MIN_SPECK * ink.size)))


class SketchModel:
    """One exported sketch model in one ONNX Runtime session (CPU provider). Raises
    ``refiner_unavailable`` for a missing file or one that is not a sketch model of this
    contract."""

    def __init__(self, model_path: str | Path | None = None, threads: int = THREADS) -> None:
        self.model_path, self._session, self.metadata = open_studio_model(
            model_path, DEFAULT_MODEL, "sketch", "train one (docs/design.md)",
            sk.check_metadata, threads)

    def paint(self, sketch: np.ndarray, lab: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(picture (S, S, 3) float32 RGB in [0, 255], alpha (S, S) float32) of a normalised
        ``sketch`` in the Lab colour ``lab``: the model's raw outputs."""
        inputs = sk.assemble_inputs(sketch, lab)[None]
        rgb, alpha = self._session.run(list(sk.OUTPUTS), {sk.INPUT: inputs})
        picture = np.clip((rgb[0].transpose(1, 2, 0) + 1.0) * 127.5, 0, 255)
        return picture.astype(np.float32), alpha[0, 0].astype(np.float32)


def clean_alpha(alpha: np.ndarray) -> np.ndarray:
    """The mask's large parts with their holes filled and a soft one-pixel edge."""
    solid = (alpha >= 0.5).astype(np.uint8)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(solid, 8)
    if count <= 1:
        return np.zeros_like(alpha)
    areas = stats[1:, cv2.CC_STAT_AREA]
    keep = 1 + np.flatnonzero(areas >= MIN_PART * areas.max())
    contours, _ = cv2.findContours(np.isin(labels, keep).astype(np.uint8), cv2.RETR_EXTERNAL,
                                   cv2.CHAIN_APPROX_NONE)
    filled = np.zeros_like(solid)
    cv2.drawContours(filled, contours, -1, 1, thickness=-1)
    soft = cv2.GaussianBlur(filled.astype(np.float32), (0, 0), 0.6)
    return np.clip(np.maximum(soft, filled * np.clip(alpha * 2, 0, 1)), 0, 1)


def match_colour(picture: np.ndarray, alpha: np.ndarray, target: np.ndarray
                 ) -> tuple[np.ndarray, float, float, float]:
    """(picture with its main region moved onto ``target`` in Lab, ΔE of the model's own
    median, ΔE after, main share)."""
    lab = cv2.cvtColor(np.ascontiguousarray(picture, np.float32) / 255.0, cv2.COLOR_RGB2LAB)
    parts = find_parts(lab, alpha, shoe=True)
    if not parts.main.any():
        return picture, float("nan"), float("nan"), 0.0
    region = parts.main
    raw = float(delta_e_2000(np.median(lab[region], axis=0), target))
    weight = parts.weight[..., None]
    shifted = lab.copy()
    for _ in range(CORRECTION_PASSES):  # the second pass undoes the gamut's pull
        shifted += (target - np.median(shifted[region], axis=0))[None, None]
        shifted[..., 0] = np.clip(shifted[..., 0], 0.0, 100.0)
        shifted[region] = rgb_to_lab(lab_to_rgb(shifted[region]))
    out = lab_to_rgb(shifted).astype(np.float32) * weight + picture * (1 - weight)
    after = float(delta_e_2000(np.median(rgb_to_lab(np.round(out[region]).astype(np.uint8)),
                                         axis=0), target))
    return out, raw, after, parts.main_share


def make_design(sketch_source: object, colour: tuple[int, int, int],
                model: SketchModel | str | Path | None = None) -> Design:
    """A product photo (RGBA) from a drawing and an (r, g, b) colour (module doc);
    ``model``: a loaded model, a model file, or None for :data:`DEFAULT_MODEL` (loaded once,
    after the drawing was read)."""
    sketch = read_sketch(sketch_source)
    if not isinstance(model, SketchModel):
        model = default_model(None if model is None else str(model))
    target = rgb_to_lab(np.array(colour, np.uint8))
    picture, alpha = model.paint(sketch, target)
    alpha = clean_alpha(alpha)
    if float((alpha >= 0.5).sum()) < MIN_INK:
        raise TryOnError(ErrorCode.BAD_ITEM, "the sketch did not give a product; draw the "
                         "shoe's outline as one closed line")
    picture, raw, after, share = match_colour(picture, alpha, target)
    return Design(to_rgba(picture, alpha), sketch, after, raw, share)


def to_rgba(picture: np.ndarray, alpha: np.ndarray, side: int = OUTPUT_SIDE) -> np.ndarray:
    """(side, side, 4) uint8 product photo: ``picture`` ((S, S, 3) float RGB in [0, 255])
    upscaled bicubically, ``alpha`` ((S, S) in [0, 1], cleaned) bilinearly."""
    big = cv2.resize(picture, (side, side), interpolation=cv2.INTER_CUBIC)
    big_alpha = cv2.resize(alpha, (side, side), interpolation=cv2.INTER_LINEAR)
    return np.dstack([np.clip(np.round(big), 0, 255),
                      np.clip(np.round(big_alpha * 255), 0, 255)]).astype(np.uint8)


@functools.lru_cache(maxsize=2)
def default_model(model_path: str | None = None) -> SketchModel:
    """One shared :class:`SketchModel` per model file (loaded once per process)."""
    return SketchModel(model_path)
