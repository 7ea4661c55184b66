"""The sampled-designs model's contract: what training, export and runtime share (numpy only).

An unconditional GAN trained on the catalog's shoe photos makes new shoe designs from noise
(issue 14, part 4: ``tryon design --samples N``). Input ``latent``: (N, :data:`LATENT`)
float32, independent standard normal values (:func:`latents`: ``numpy.random.
default_rng(seed).standard_normal``; one seed and one N give the same designs everywhere).

Outputs, at :data:`SIZE` (fixed: the network is not convolutional in its input):
``rgb`` (N, 3, H, W) in [-1, 1] (``x / 127.5 - 1``, channel order R, G, B), the product's
colours, and ``alpha`` (N, 1, H, W) in [0, 1], the product's mask. The picture on white is
``alpha * rgb + (1 - alpha) * white`` (:func:`on_white`). The product sits in the same
square window the other Studio models use (bounding box + 6 % per side: :func:`tryon.studio.
colourway.square_crop`), side view as in the catalog.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from tryon.studio.sketch import on_white  # the same compositing on white as the sketch model

__all__ = ["CONTRACT_VERSION", "INPUT", "LATENT", "OUTPUTS", "SIZE", "check_metadata",
           "latents", "metadata", "on_white", "to_picture"]

CONTRACT_VERSION = "tryon-samples/1"
LATENT = 128
SIZE = (64, 64)  # (H, W) model pixels
INPUT = "latent"
OUTPUTS = ("rgb", "alpha")


def latents(count: int, seed: int) -> np.ndarray:
    """(count, LATENT) float32 standard normal latents of ``seed``."""
    return np.random.default_rng(seed).standard_normal((count, LATENT)).astype(np.float32)


def to_picture(rgb: np.ndarray) -> np.ndarray:
    """One ``rgb`` output (3, H, W) in [-1, 1] as (H, W, 3) float32 RGB in [0, 255]."""
    return np.clip((np.asarray(rgb, np.float32).transpose(1, 2, 0) + 1.0) * 127.5, 0, 255)


def metadata() -> dict[str, str]:
    """The contract as ONNX ``metadata_props`` (strings)."""
    return {
        "contract": CONTRACT_VERSION,
        "input": INPUT,
        "outputs": ",".join(OUTPUTS),
        "latent": str(LATENT),
        "train_size": f"{SIZE[0]}x{SIZE[1]}",
        "channel_order": "rgb: R,G,B; alpha: 1 plane",
        "normalisation": ("latent: standard normal (numpy default_rng(seed).standard_normal); "
                          "rgb out x/127.5-1; alpha [0,1]"),
        "layout": "latent (N, LATENT); outputs NCHW",
        "composition": "alpha * rgb + (1 - alpha) * white",
        "crop": "product bbox + 0.06 per side, square, white padding",
    }


def check_metadata(found: Mapping[str, str]) -> str | None:
    """None when ``found`` (a model's metadata) matches this contract, else the problem."""
    for key, value in metadata().items():
        if key in ("normalisation", "composition", "crop", "channel_order"):
            continue
        if found.get(key) != value:
            return f"metadata {key}={found.get(key)!r}, expected {value!r}"
    return None
