"""Self-supervised samples for the sketch → product model (:mod:`tryon.studio.sketch`).

No catalog photo comes with its designer's sketch, so the sketches are made from the photos:
each photo is cut out (:func:`tryon.imaging.cutout.cut_out`), cropped square around the
product (the contract's window) and its lines extracted at twice the model size: the
silhouette's outline and Canny edges of the grey picture inside it, traced into polylines
(:class:`SketchCache`, kept as ``.npz`` in the run folder, with the photo on white, its mask
and its main colour: :func:`tryon.studio.parts.find_parts`).

Every sample draws those polylines afresh so they look hand-drawn (:func:`draw_sketch`):
resampled and moved by a smooth random displacement (elastic jitter of a few pixels),
segments dropped, a random stroke width of 1–3 model pixels, sometimes only the outline and
a few inner lines, sometimes redrawn in the runtime's stroke style
(:func:`tryon.studio.sketch.stroke_style`); the photo and its sketch are mirrored, turned and
scaled together. The colour condition is the main region's median Lab; sometimes the region's
hue is turned and its chroma scaled, the condition following.

Held out for evaluation, never trained on: every 10th photo of each folder in sorted order
(:func:`training.catalog_models.split`, shared with the colourway GAN).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
import torch

from training.catalog_models import NpzCache, analyse_photos, to_u8
from training.trainer import SampleDataset
from tryon.errors import TryOnError
from tryon.imaging.cutout import cut_out
from tryon.imaging.decode import decode_image
from tryon.studio import sketch as sk
from tryon.studio.colour import lab_to_rgb, rgb_to_lab
from tryon.studio.parts import find_parts

__all__ = ["CLEAN", "SketchCache", "SketchDataset", "StrokeStyle", "analyse_photo",
           "build_cache", "draw_sketch", "extract_lines", "make_sample"]

LINE_SCALE = 2  # lines are extracted and drawn at this many times the model size
CANNY = (60, 150)
MIN_LINE = 14.0  # line-size pixels: shorter edge traces are dropped
SIMPLIFY = 0.8  # line-size pixels (approxPolyDP)
# Augmentation (model pixels unless said otherwise).
MAX_TURN = 6.0  # degrees
SCALE = (0.9, 1.04)
MAX_SHIFT = 4
JITTER = (0.0, 1.4)  # amplitude of the smooth displacement
WIDTH = (1.0, 2.6)  # stroke width
SPARSE_P = 0.25  # only the outline and a few inner lines
RUNTIME_STYLE_P = 0.3
HUE_TURN_P = 0.5
CHROMA_SCALE = (0.4, 1.5)


@dataclass(frozen=True)
class SketchCache(NpzCache):
    """Analysed photos: ``picture`` (N, S, S, 3) uint8 on white, ``alpha`` and ``main``
    (N, S, S) uint8, ``lab`` (N, 3) float32 (main colour); the lines: ``points`` (P, 2)
    float32 (x, y at :data:`LINE_SCALE` × model size), ``lines`` (L, 4) int32 rows of
    (photo, first point, end point, is outline); ``names`` (N,) (saved and loaded as one
    ``.npz``: :class:`training.catalog_models.NpzCache`)."""

    picture: np.ndarray
    alpha: np.ndarray
    main: np.ndarray
    lab: np.ndarray
    points: np.ndarray
    lines: np.ndarray
    names: np.ndarray

    def polylines(self, index: int) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """(outline polylines, inner polylines) of photo ``index``, each (k, 2) float32."""
        rows = self.lines[self.lines[:, 0] == index]
        outline = [self.points[a:b] for _, a, b, flag in rows if flag]
        inner = [self.points[a:b] for _, a, b, flag in rows if not flag]
        return outline, inner



def analyse_photo(source: object, size: int = sk.SIZE[0]) -> tuple[np.ndarray, ...] | None:
    """(picture on white (S, S, 3) uint8, alpha (S, S) uint8, main (S, S) uint8, main Lab
    (3,), outline polylines, inner polylines) of a product photo (a path or anything
    :func:`decode_image` reads); None when no product or no main colour is found."""
    try:
        decoded = decode_image(source)
        coverage = cut_out(decoded.rgb, decoded.alpha)
    except TryOnError:
        return None
    found = find_parts(rgb_to_lab(decoded.rgb), coverage, shoe=True)
    if found.main.sum() < 50 or not found.product.any():
        return None
    crop = sk.sketch_crop(found.product, size)
    big = sk.sketch_crop(found.product, size * LINE_SCALE)
    white = sk.on_white(decoded.rgb.astype(np.float32), coverage)
    picture = crop.take(np.round(white).astype(np.uint8), 255)
    alpha = crop.take(coverage, 0.0)
    main = crop.take(found.weight, 0.0)
    outline, inner = extract_lines(big.take(np.round(white).astype(np.uint8), 255),
                                   big.take(coverage, 0.0, cv2.INTER_LINEAR))
    return (picture, to_u8(alpha), to_u8(main), found.main_lab, outline, inner)


def extract_lines(picture: np.ndarray, alpha: np.ndarray
                  ) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """(outline, inner) polylines ((k, 2) float32 x, y) of a product ``picture`` ((H, W, 3)
    uint8 on white) with mask ``alpha`` ((H, W) float in [0, 1]): the silhouette's outer
    contour, and Canny edges of the grey picture strictly inside the silhouette, traced."""
    solid = (alpha >= 0.5).astype(np.uint8)
    contours, _ = cv2.findContours(solid, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
    outline = [_simplify(np.vstack([c[:, 0], c[:1, 0]]).astype(np.float32))
               for c in contours if cv2.arcLength(c, True) >= 4 * MIN_LINE]
    grey = cv2.GaussianBlur(cv2.cvtColor(picture, cv2.COLOR_RGB2GRAY), (0, 0), 1.0)
    edges = cv2.Canny(grey, *CANNY)
    inside = cv2.erode(solid, np.ones((7, 7), np.uint8))
    edges = cv2.ximgproc.thinning(edges * inside)
    return outline, [_simplify(line) for line in _trace(edges)
                     if _length(line) >= MIN_LINE]


def _trace(edges: np.ndarray) -> list[np.ndarray]:
    """Polylines along a one-pixel edge map: each contour is walked once (a thin line's
    contour runs out and back; the way back is skipped), split where it jumps."""
    contours, _ = cv2.findContours((edges > 0).astype(np.uint8), cv2.RETR_LIST,
                                   cv2.CHAIN_APPROX_NONE)
    seen = np.zeros(edges.shape, bool)
    lines: list[np.ndarray] = []
    for contour in contours:
        current: list[tuple[int, int]] = []
        for x, y in contour[:, 0]:
            if seen[y, x]:
                if len(current) > 1:
                    lines.append(np.array(current, np.float32))
                current = []
                continue
            seen[y, x] = True
            current.append((x, y))
        if len(current) > 1:
            lines.append(np.array(current, np.float32))
    return lines


def _simplify(line: np.ndarray) -> np.ndarray:
    return cv2.approxPolyDP(line[:, None], SIMPLIFY, False)[:, 0].astype(np.float32)


def _length(line: np.ndarray) -> float:
    return float(np.linalg.norm(np.diff(line, axis=0), axis=1).sum())


def build_cache(paths: Sequence[Path], size: int = sk.SIZE[0],
                progress: bool = False) -> SketchCache:
    """Analyse ``paths`` (:func:`analyse_photo`); photos that give nothing are skipped."""
    pictures, alphas, mains, labs, names = [], [], [], [], []
    points: list[np.ndarray] = []
    lines: list[tuple[int, int, int, int]] = []
    start = 0
    for path, found in analyse_photos(paths, lambda path: analyse_photo(path, size), progress):
        picture, alpha, main, lab, outline, inner = found
        photo = len(pictures)
        for flag, group in ((1, outline), (0, inner)):
            for line in group:
                points.append(line)
                lines.append((photo, start, start + len(line), flag))
                start += len(line)
        pictures.append(picture)
        alphas.append(alpha)
        mains.append(main)
        labs.append(lab)
        names.append(str(path))
    return SketchCache(np.stack(pictures), np.stack(alphas), np.stack(mains),
                       np.stack(labs).astype(np.float32),
                       np.concatenate(points).astype(np.float32) if points
                       else np.zeros((0, 2), np.float32),
                       np.array(lines, np.int32).reshape(-1, 4), np.array(names))


# -- drawing --------------------------------------------------------------------------------
def _resample(line: np.ndarray, step: float) -> np.ndarray:
    """Points every ``step`` pixels along a polyline."""
    lengths = np.linalg.norm(np.diff(line, axis=0), axis=1)
    along = np.concatenate([[0.0], np.cumsum(lengths)])
    if along[-1] <= step:
        return line
    at = np.arange(0.0, along[-1], step)
    return np.stack([np.interp(at, along, line[:, 0]), np.interp(at, along, line[:, 1])], 1)


def _displacement(rng: np.random.Generator, amplitude: float, size: float):  # noqa: ANN202
    """A smooth random displacement field: a few sine waves of long wavelength."""
    waves = []
    for _ in range(3):
        direction = rng.normal(size=2)
        direction /= np.linalg.norm(direction) + 1e-9
        waves.append((direction, rng.uniform(0.3, 1.0) * size, rng.uniform(0, 2 * np.pi),
                      rng.normal(size=2)))

    def move(points: np.ndarray) -> np.ndarray:
        shift = np.zeros_like(points)
        for direction, wavelength, phase, push in waves:
            shift += np.sin(points @ direction * 2 * np.pi / wavelength + phase)[:, None] * push
        return points + amplitude * shift / np.sqrt(len(waves))

    return move


@dataclass(frozen=True)
class StrokeStyle:
    """How one sketch is drawn: ``width`` (model pixels), ``jitter`` (the displacement's
    amplitude, model pixels), ``gap_p`` (chance per point that a gap starts), ``inner_keep``
    (share of inner lines kept), ``sparse`` (the longest inner lines only), ``runtime``
    (redrawn in :func:`tryon.studio.sketch.stroke_style`)."""

    width: float = 2.0
    jitter: float = 0.0
    gap_p: float = 0.0
    inner_keep: float = 1.0
    sparse: bool = False
    runtime: bool = False

    @classmethod
    def random(cls, rng: np.random.Generator) -> StrokeStyle:
        sparse = bool(rng.random() < SPARSE_P)
        return cls(width=float(rng.uniform(*WIDTH)), jitter=float(rng.uniform(*JITTER)),
                   gap_p=float(rng.uniform(0.0, 0.04)),
                   inner_keep=float(rng.uniform(0.0, 0.3) if sparse else rng.uniform(0.75, 1.0)),
                   sparse=sparse, runtime=bool(rng.random() < RUNTIME_STYLE_P))


CLEAN = StrokeStyle()


def draw_sketch(outline: list[np.ndarray], inner: list[np.ndarray], rng: np.random.Generator,
                style: StrokeStyle = CLEAN, transform: np.ndarray | None = None,
                size: int = sk.SIZE[0]) -> np.ndarray:
    """A sketch (size, size) float32 ink in [0, 1] of the polylines (at :data:`LINE_SCALE`
    × ``size``) drawn in ``style``; ``transform``: a 2×3 affine in model pixels applied to
    the lines first (the photo's own augmentation)."""
    scale = LINE_SCALE
    canvas = np.zeros((size * scale, size * scale), np.uint8)
    if style.sparse:
        inner = sorted(inner, key=_length, reverse=True)[:int(round(style.inner_keep
                                                                    * len(inner)))]
    elif style.inner_keep < 1.0:
        inner = [line for line in inner if rng.random() < style.inner_keep]
    move = _displacement(rng, style.jitter * scale, size * scale)
    for line in [*outline, *inner]:
        points = _resample(line, 2.0 * scale)
        if transform is not None:
            points = ((points / scale) @ transform[:, :2].T + transform[:, 2]) * scale
        if style.jitter > 0:
            points = move(points) + rng.normal(0, 0.3 * scale, 2)
        thickness = max(1, int(round(style.width * scale
                                     * (rng.uniform(0.85, 1.15) if style.jitter else 1.0))))
        for piece in _with_gaps(points, style.gap_p, rng):
            cv2.polylines(canvas, [np.round(piece * 4).astype(np.int32)], False, 255,
                          thickness, cv2.LINE_AA, shift=2)
    ink = cv2.resize(canvas, (size, size), interpolation=cv2.INTER_AREA).astype(np.float32)
    ink = np.clip(ink / 255.0 * 1.15, 0.0, 1.0)
    if style.runtime:
        ink = sk.stroke_style(ink > 0.35)
    return ink.astype(np.float32)


def _with_gaps(points: np.ndarray, gap_p: float, rng: np.random.Generator
               ) -> list[np.ndarray]:
    """``points`` cut into pieces, runs of 2–6 points dropped at random."""
    pieces, current, skip = [], [], 0
    for point in points:
        if skip:
            skip -= 1
            continue
        if rng.random() < gap_p:
            skip = int(rng.integers(2, 7))
            if len(current) > 1:
                pieces.append(np.array(current))
            current = []
            continue
        current.append(point)
    if len(current) > 1:
        pieces.append(np.array(current))
    return pieces


def _affine(rng: np.random.Generator, size: int) -> np.ndarray:
    """Mirror, turn, scale and shift about the centre: (2, 3) in model pixels."""
    centre = (size - 1) / 2.0
    matrix = cv2.getRotationMatrix2D((centre, centre), rng.uniform(-MAX_TURN, MAX_TURN),
                                     rng.uniform(*SCALE))
    if rng.random() < 0.5:  # matrix @ (x -> 2 * centre - x)
        matrix[:, 2] += matrix[:, 0] * 2 * centre
        matrix[:, 0] *= -1
    matrix[:, 2] += rng.integers(-MAX_SHIFT, MAX_SHIFT + 1, 2)
    return matrix.astype(np.float64)


def _turn_hue(picture: np.ndarray, main: np.ndarray, lab: np.ndarray,
              rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """The main region's a*b* turned by a random angle and scaled; the colour follows."""
    angle, chroma = rng.uniform(0, 2 * np.pi), rng.uniform(*CHROMA_SCALE)
    turn = chroma * np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    picture_lab = rgb_to_lab(picture)
    picture_lab[..., 1:] = picture_lab[..., 1:] @ turn.T
    turned = lab_to_rgb(picture_lab).astype(np.float32)
    weight = main[..., None]
    mixed = turned * weight + picture.astype(np.float32) * (1 - weight)
    lab = lab.copy()
    lab[1:] = turn @ lab[1:]
    return np.round(mixed).astype(np.uint8), lab


def make_sample(cache: SketchCache, index: int, rng: np.random.Generator | None
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(inputs (C, S, S), target (3, S, S) in [-1, 1] on white, alpha (1, S, S)) float32;
    ``rng`` None: no augmentation and a fixed clean drawing (for evaluation)."""
    picture = cache.picture[index]
    alpha = cache.alpha[index].astype(np.float32) / 255.0
    main = cache.main[index].astype(np.float32) / 255.0
    lab = cache.lab[index]
    size = picture.shape[0]
    outline, inner = cache.polylines(index)
    if rng is None:
        sketch = draw_sketch(outline, inner, np.random.default_rng(0), CLEAN, None, size)
    else:
        if rng.random() < HUE_TURN_P:
            picture, lab = _turn_hue(picture, main, lab, rng)
        matrix = _affine(rng, size)
        picture = cv2.warpAffine(picture, matrix, (size, size), flags=cv2.INTER_LINEAR,
                                 borderValue=(255, 255, 255))
        alpha = cv2.warpAffine(alpha, matrix, (size, size), flags=cv2.INTER_LINEAR)
        sketch = draw_sketch(outline, inner, rng, StrokeStyle.random(rng), matrix, size)
    inputs = sk.assemble_inputs(sketch, lab)
    target = (picture.astype(np.float32) / 127.5 - 1.0).transpose(2, 0, 1)
    return inputs, np.ascontiguousarray(target), alpha[None].astype(np.float32)


class SketchDataset(SampleDataset):
    """Augmented samples of a :class:`SketchCache`; reproducible from (seed, epoch, index)
    (:class:`training.trainer.SampleDataset`'s bookkeeping)."""

    def __getitem__(self, index: int) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        rng = np.random.default_rng((self.seed, self.epoch, index))
        return tuple(torch.from_numpy(a) for a in make_sample(self.cache, index, rng))
