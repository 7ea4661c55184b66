"""New shoe designs at run time: ``models/samples.onnx`` in ONNX Runtime (CPU), no torch.

:func:`make_samples` draws ``count`` latents from a seed (:func:`tryon.studio.samples.
latents`), lets the sampled-designs GAN paint each (contract: :mod:`tryon.studio.samples`),
and turns every picture into a product photo with alpha that ``tryon run --kind shoes``
accepts, with the clean-up of the sketch → product runtime (:mod:`tryon.studio.design`):
the mask keeps its large parts, holes filled, a soft one-pixel edge
(:func:`~tryon.studio.design.clean_alpha`); with a colour, the main colour region is moved
onto it in Lab (:func:`~tryon.studio.design.match_colour`); the picture is upscaled to
:data:`~tryon.studio.design.OUTPUT_SIDE` pixels (:func:`~tryon.studio.design.to_rgba`).
A latent whose mask comes out empty or tiny (under :data:`MIN_COVER` of the frame) is
skipped and the seed's next latent used, so one seed and one count always give the same
designs.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from tryon.errors import ErrorCode, TryOnError
from tryon.studio import samples as sm
from tryon.studio.colour import rgb_to_lab
from tryon.studio.design import OUTPUT_SIDE, clean_alpha, match_colour, to_rgba
from tryon.studio.onnx_model import open_studio_model

__all__ = ["DEFAULT_MODEL", "MAX_SAMPLES", "SampledDesign", "SamplesModel", "default_model",
           "make_samples"]

DEFAULT_MODEL = Path(__file__).resolve().parents[2] / "models" / "samples.onnx"
THREADS = 2
MAX_SAMPLES = 64
MIN_COVER = 0.03  # of the model frame: a smaller mask is no product
SPARE = 4  # latents drawn per requested sample, at most


@dataclass(frozen=True)
class SampledDesign:
    """``rgba``: (OUTPUT_SIDE, OUTPUT_SIDE, 4) uint8; ``latent_index``: which of the seed's
    latents gave it; ``picture`` (S, S, 3) float32 and ``alpha`` (S, S) float32: the model's
    own picture (after the colour shift) and the cleaned mask at model size."""

    rgba: np.ndarray
    latent_index: int
    picture: np.ndarray
    alpha: np.ndarray


class SamplesModel:
    """One exported sampled-designs model in one ONNX Runtime session (CPU provider).
    Raises ``refiner_unavailable`` for a missing file or one that is not a samples model of
    this contract."""

    def __init__(self, model_path: str | Path | None = None, threads: int = THREADS) -> None:
        self.model_path, self._session, self.metadata = open_studio_model(
            model_path, DEFAULT_MODEL, "samples", "train one (docs/design.md)",
            sm.check_metadata, threads)

    def paint(self, latent: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(pictures (N, S, S, 3) float32 RGB in [0, 255], alphas (N, S, S) float32) of
        ``latent`` (N, LATENT): the model's raw outputs."""
        rgb, alpha = self._session.run(list(sm.OUTPUTS),
                                       {sm.INPUT: np.asarray(latent, np.float32)})
        return (np.stack([sm.to_picture(plane) for plane in rgb]),
                alpha[:, 0].astype(np.float32))


def make_samples(count: int, seed: int = 0, colour: tuple[int, int, int] | None = None,
                 model: SamplesModel | str | Path | None = None,
                 side: int = OUTPUT_SIDE, max_count: int = MAX_SAMPLES
                 ) -> list[SampledDesign]:
    """``count`` (1 to ``max_count``) new designs of ``seed`` (module doc); ``colour``
    (r, g, b): the main colour of every design; ``model``: a loaded model, a model file or
    None for :data:`DEFAULT_MODEL`."""
    if not 1 <= count <= max_count:
        raise TryOnError(ErrorCode.BAD_ARGUMENT, f"--samples {count}: give 1 to {max_count}")
    if not isinstance(model, SamplesModel):
        model = default_model(None if model is None else str(model))
    latent = sm.latents(count * SPARE, seed)
    target = None if colour is None else rgb_to_lab(np.array(colour, np.uint8))
    designs: list[SampledDesign] = []
    for start in range(0, len(latent), count):
        pictures, alphas = model.paint(latent[start:start + count])
        for offset, (picture, raw_alpha) in enumerate(zip(pictures, alphas, strict=True)):
            alpha = clean_alpha(raw_alpha)
            if float((alpha >= 0.5).mean()) < MIN_COVER:
                continue
            if target is not None:
                picture, _, _, _ = match_colour(picture, alpha, target)
            designs.append(SampledDesign(to_rgba(picture, alpha, side), start + offset,
                                         picture.astype(np.float32), alpha))
            if len(designs) == count:
                return designs
    raise TryOnError(ErrorCode.BAD_ITEM, f"the model gave only {len(designs)} designs with a "
                     f"product among {len(latent)} latents of seed {seed}")


@functools.lru_cache(maxsize=2)
def default_model(model_path: str | None = None) -> SamplesModel:
    """One shared :class:`SamplesModel` per model file (loaded once per process)."""
    return SamplesModel(model_path)
