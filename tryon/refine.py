"""The refine stage: the exported refinement generator (ONNX) run by ONNX Runtime.

Model contract (written by ``tryon-export``, metadata read back here): input ``inputs``
(N, 8, H, W) float32 — coarse RGB and agnostic RGB as x/127.5-1 in [-1, 1] (the agnostic
mid-grey, 0, under the item mask: the old garment must not show through), repaint mask and
item mask in [0, 1] — H and W multiples of ``stride``; outputs ``rgb`` (N, 3, H, W) in [-1, 1]
and ``alpha`` (N, 1, H, W) in [0, 1]. The refined picture is
``alpha * repaint * rgb + (1 - alpha * repaint) * coarse``.

:class:`Refiner` crops the repaint region's bounding box (grown by :data:`MARGIN`), scales the
crop to fit the model's ``train_size`` (aspect kept), pads it to exactly ``train_size`` (edge
values for pictures, 0 for masks: one input shape, so TensorRT builds one engine), runs the
model and blends its answer back at full resolution: the model's change, smoothed by
:data:`CHANGE_SMOOTHING` and scaled by :data:`CHANGE_STRENGTH`, is added to the
full-resolution coarse picture. Pixels outside
``repaint`` are never touched. Never imports torch.
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.util
import io
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
import onnxruntime as ort

from tryon.errors import ErrorCode, TryOnError

__all__ = ["DEFAULT_MODEL", "MODEL_ENV", "PROVIDERS", "PROVIDER_CHOICES", "MARGIN", "Refiner",
           "Scene", "default_model_path", "fp16_sibling", "open_session", "select_providers"]

DEFAULT_MODEL = Path(__file__).resolve().parents[1] / "models" / "refiner.onnx"
MODEL_ENV = "TRYON_MODEL"
PROVIDERS = {"tensorrt": "TensorrtExecutionProvider", "cuda": "CUDAExecutionProvider",
             "cpu": "CPUExecutionProvider"}
PROVIDER_CHOICES = ("auto", *PROVIDERS)
MARGIN = 0.08
AGNOSTIC_UNDER_ITEM = 127.5  # the agnostic photo is mid-grey under the new item
MAX_THREADS = 8
# Gaussian sigma, in model pixels, applied to the model's change before it is carried to full
# size. At 256×192 a fine print (stripes, checks) is near the model's resolution, and what
# it cannot reproduce would come back as a negative of the print that washes it out; smoothed,
# the change carries light, seams and fills while the product's own pattern stays crisp.
CHANGE_SMOOTHING = 1.5
# How much of the model's (smoothed) change is applied. The default model overshoots where it
# is unsure (a wrong fit it cannot fix); half its change scored better SSIM on both halves of
# the VITON-HD paired set (+0.0002 each; the full change: +0.0001 and -0.0002) and still
# lowers the region L1 by 2-3 %.
CHANGE_STRENGTH = 0.5
GPU_PROVIDERS = (PROVIDERS["tensorrt"], PROVIDERS["cuda"])
PRECISIONS = ("auto", "fp32", "fp16")
# (coarse (H, W, 3) uint8, agnostic (H, W, 3) uint8, repaint (H, W) bool, item mask (H, W)).
Scene = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]
# A 76-byte ONNX model (y = Identity(x)): lets select_providers() probe without a real model.
_PROBE_MODEL = bytes.fromhex(
    "080812057472796f6e3a3b0a100a017812017922084964656e74697479120570726f62655a0f0a0178120a"
    "0a08080112040a020801620f0a0179120a0a08080112040a02080142040a00100d")


def default_model_path() -> Path:
    """``$TRYON_MODEL`` when set, else ``models/refiner.onnx`` beside the package."""
    override = os.environ.get(MODEL_ENV)
    return Path(override) if override else DEFAULT_MODEL


def fp16_sibling(path: Path) -> Path:
    """Where ``tryon-export --fp16`` writes the half-precision twin of ``path``
    (``refiner.onnx`` → ``refiner.fp16.onnx``)."""
    return path.with_name(f"{path.stem}.fp16{path.suffix}")


def select_providers(requested: str = "auto") -> list[str]:
    """The ONNX Runtime providers that really load here, best first.

    ``requested``: "auto" asks TensorRT, CUDA, then CPU and keeps those that load; "cpu",
    "cuda" or "tensorrt" asks that one only and raises :class:`TryOnError` (``bad_argument``)
    when it does not load (onnxruntime-gpu lists GPU providers even without a GPU).
    """
    session, _ = open_session(_PROBE_MODEL, requested)
    return session.get_providers()


@dataclass(frozen=True)
class _Crop:
    """``box``: (x0, y0, x1, y1) photo pixels, end-exclusive; ``size``: (h, w) of the crop
    scaled to fit the model's train size."""

    box: tuple[int, int, int, int]
    size: tuple[int, int]


class Refiner:
    """One exported refinement model in one ONNX Runtime session.

    ``model_path``: an exported ``.onnx`` (or ``.ort``) file; None means
    :func:`default_model_path`. ``provider``: see :func:`select_providers`; ``threads``:
    intra-op threads (default: the available cores, at most :data:`MAX_THREADS`).
    ``precision``: "auto" runs the fp16 twin (:func:`fp16_sibling`, when it exists) on
    CUDA/TensorRT and the model itself on the CPU; "fp32" always the model itself; "fp16" the
    twin (``refiner_unavailable`` when missing). After loading, ``providers`` are the ones in
    use, ``dropped_providers`` those asked for that did not load, ``device`` "cuda" (GPU
    providers) or "cpu", ``io_binding`` whether calls bind inputs and outputs through
    ``session.io_binding()`` (on ``device``; True on the GPU), and ``model_path`` the file
    really loaded. Raises :class:`TryOnError` — ``refiner_unavailable`` for a missing or
    unusable model, ``bad_argument`` for a provider or precision that does not load.
    """

    def __init__(self, model_path: str | Path | None = None, provider: str = "auto",
                 threads: int | None = None, precision: str = "auto") -> None:
        if precision not in PRECISIONS:
            raise TryOnError(ErrorCode.BAD_ARGUMENT, f"unknown precision {precision!r}; use "
                             "one of " + ", ".join(PRECISIONS))
        path = Path(model_path) if model_path is not None else default_model_path()
        if not path.is_file():
            hint = ("pass --no-refine, or train one with tryon-train and export it with "
                    f"tryon-export --out {DEFAULT_MODEL}" if model_path is None else "")
            raise TryOnError(ErrorCode.REFINER_UNAVAILABLE,
                             f"refinement model {path} does not exist" + (f"; {hint}" if hint
                                                                          else ""))
        if precision == "fp16":
            path = fp16_sibling(path)
            if not path.is_file():
                raise TryOnError(ErrorCode.REFINER_UNAVAILABLE, f"no fp16 model {path}; "
                                 "export one with tryon-export --fp16")
        self._session: ort.InferenceSession | None
        self._session, self.dropped_providers = open_session(str(path), requested=provider,
                                                             threads=threads)
        self.device = "cuda" if self._session.get_providers()[0] in GPU_PROVIDERS else "cpu"
        self.io_binding = self.device == "cuda"
        if precision == "auto" and self.device == "cuda" and fp16_sibling(path).is_file():
            path = fp16_sibling(path)
            self._session, self.dropped_providers = open_session(str(path), requested=provider,
                                                                 threads=threads)
        self.model_path = path
        self.metadata: dict[str, str] = dict(self._session.get_modelmeta().custom_metadata_map)
        self.train_size, self.stride = _geometry(self.metadata, path)
        inputs = self._session.get_inputs()
        if [i.name for i in inputs] != ["inputs"] or inputs[0].shape[1] != 8:
            raise TryOnError(ErrorCode.REFINER_UNAVAILABLE,
                             f"{path} is not a tryon refinement model (input 'inputs' with 8 "
                             "channels expected)")

    @property
    def kinds(self) -> tuple[str, ...]:
        """The item kinds the model was trained for (metadata ``kinds``, comma-separated;
        "top" for models exported before the key existed). Others are not refined."""
        return tuple(k.strip() for k in self.metadata.get("kinds", "top").split(",") if k)

    @property
    def providers(self) -> tuple[str, ...]:
        """The providers the session really uses, best first."""
        return tuple(self._live().get_providers())

    def close(self) -> None:
        self._session = None

    def __enter__(self) -> Refiner:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def run(self, coarse: np.ndarray, agnostic: np.ndarray, repaint: np.ndarray,
            item_mask: np.ndarray) -> np.ndarray:
        """Refine ``coarse``: (H, W, 3) uint8 RGB coarse composite; ``agnostic``: (H, W, 3)
        uint8 RGB photo with the old item cleared; ``repaint``: (H, W) bool, the pixels that
        may change; ``item_mask``: (H, W) float32 in [0, 1]. Returns (H, W, 3) uint8 RGB,
        equal to ``coarse`` outside ``repaint`` (and everywhere when it is empty)."""
        return self.run_many([(coarse, agnostic, repaint, item_mask)])[0]

    def run_many(self, scenes: Sequence[Scene]) -> list[np.ndarray]:
        """:meth:`run` on several ``(coarse, agnostic, repaint, item_mask)`` scenes (any
        sizes) with one model call: every crop is padded to ``train_size``, so they stack on
        the batch axis. Returns one (H, W, 3) uint8 picture per scene, in order."""
        for scene in scenes:
            _check_inputs(*scene)
        results: list[np.ndarray | None] = [None] * len(scenes)
        todo, crops, inputs = [], [], []
        for index, (coarse, agnostic, repaint, item_mask) in enumerate(scenes):
            if not repaint.any():
                results[index] = coarse.copy()
                continue
            crop = self._crop(repaint)
            todo.append(index)
            crops.append(crop)
            inputs.append(self._prepare(coarse, agnostic, repaint, item_mask, crop))
        if todo:
            rgb, alpha = self._infer(np.concatenate(inputs) if len(inputs) > 1 else inputs[0])
            for row, (index, crop) in enumerate(zip(todo, crops, strict=True)):
                coarse, _, repaint, _ = scenes[index]
                results[index] = self._finish(coarse, repaint, crop, rgb[row], alpha[row, 0])
        return [picture for picture in results if picture is not None]

    def _infer(self, inputs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(N, 3, TH, TW) rgb and (N, 1, TH, TW) alpha for (N, 8, TH, TW) ``inputs``. On
        CUDA/TensorRT the outputs are bound on the device (IO binding: no per-call output
        allocation, one copy back); on the CPU a plain ``session.run``."""
        session = self._live()
        if not self.io_binding:
            rgb, alpha = session.run(["rgb", "alpha"], {"inputs": inputs})
            return rgb, alpha
        binding = session.io_binding()
        binding.bind_cpu_input("inputs", np.ascontiguousarray(inputs))
        for name in ("rgb", "alpha"):
            binding.bind_output(name, self.device, 0)
        session.run_with_iobinding(binding)
        rgb, alpha = binding.copy_outputs_to_cpu()
        return rgb, alpha

    def _crop(self, repaint: np.ndarray) -> _Crop:
        ys, xs = np.nonzero(repaint)
        height, width = repaint.shape
        y0, y1, x0, x1 = int(ys.min()), int(ys.max()) + 1, int(xs.min()), int(xs.max()) + 1
        grow_y = max(2, round(MARGIN * (y1 - y0)))
        grow_x = max(2, round(MARGIN * (x1 - x0)))
        y0, y1 = max(0, y0 - grow_y), min(height, y1 + grow_y)
        x0, x1 = max(0, x0 - grow_x), min(width, x1 + grow_x)
        scale = min(self.train_size[0] / (y1 - y0), self.train_size[1] / (x1 - x0))
        size = (min(self.train_size[0], max(1, round((y1 - y0) * scale))),
                min(self.train_size[1], max(1, round((x1 - x0) * scale))))
        return _Crop(box=(x0, y0, x1, y1), size=size)

    def _prepare(self, coarse: np.ndarray, agnostic: np.ndarray, repaint: np.ndarray,
                 item_mask: np.ndarray, crop: _Crop) -> np.ndarray:
        """(1, 8, TH, TW) float32 model input for ``crop``."""
        x0, y0, x1, y1 = crop.box
        pad = (self.train_size[0] - crop.size[0], self.train_size[1] - crop.size[1])
        small_item = np.clip(_resize(item_mask[y0:y1, x0:x1].astype(np.float32), crop.size),
                             0, 1)
        planes = []
        for picture, hide in ((coarse, None), (agnostic, small_item)):
            small = _resize(picture[y0:y1, x0:x1], crop.size).astype(np.float32)
            if hide is not None:  # the contract: agnostic is mid-grey under the new item
                small = small * (1 - hide[..., None]) + AGNOSTIC_UNDER_ITEM * hide[..., None]
            small = cv2.copyMakeBorder(small, 0, pad[0], 0, pad[1], cv2.BORDER_REPLICATE)
            planes.append(small.transpose(2, 0, 1) / 127.5 - 1)
        # Every full-resolution repaint pixel stays inside the small mask (> 0, not > 0.5).
        small_repaint = (_resize(repaint[y0:y1, x0:x1].astype(np.float32), crop.size) > 0)
        for mask in (small_repaint.astype(np.float32), small_item):
            padded = cv2.copyMakeBorder(mask, 0, pad[0], 0, pad[1], cv2.BORDER_CONSTANT, value=0)
            planes.append(padded[None])
        return np.concatenate(planes)[None].astype(np.float32)

    def _finish(self, coarse: np.ndarray, repaint: np.ndarray, crop: _Crop, rgb: np.ndarray,
                alpha: np.ndarray) -> np.ndarray:
        """Blend the model's (3, TH, TW) ``rgb`` and (TH, TW) ``alpha`` into ``coarse``."""
        x0, y0, x1, y1 = crop.box
        full = (y1 - y0, x1 - x0)
        height, width = crop.size
        window = coarse[y0:y1, x0:x1]
        inside = repaint[y0:y1, x0:x1]
        # The model works at its train size; what it changes there is carried to full size
        # as a correction of the full-resolution coarse picture, so the garment's own detail
        # stays sharp while seams, light and filled areas follow the model.
        small_coarse = _resize(window, crop.size).astype(np.float32)
        rgb = (rgb[:, :height, :width].transpose(1, 2, 0) + 1) * 127.5
        small_alpha = np.clip(alpha[:height, :width], 0, 1)[..., None]
        change = np.ascontiguousarray(small_alpha * (rgb - small_coarse), np.float32)
        change = CHANGE_STRENGTH * cv2.GaussianBlur(change, (0, 0), CHANGE_SMOOTHING)
        change = _resize(change, full)
        blended = window.astype(np.float32) + change * inside[..., None]
        blended = np.clip(blended + 0.5, 0, 255).astype(np.uint8)
        result = coarse.copy()
        result[y0:y1, x0:x1] = np.where(inside[..., None], blended, window)
        return result

    def _live(self) -> ort.InferenceSession:
        if self._session is None:
            raise ValueError("the refiner is closed")
        return self._session


def open_session(model: str | bytes, requested: str,
                 threads: int | None = None) -> tuple[ort.InferenceSession, tuple[str, ...]]:
    """A session on ``model`` (a path or the model's bytes) with the ``requested`` providers
    (see :func:`select_providers`); returns it and the providers asked for that did not
    load."""
    if requested not in PROVIDER_CHOICES:
        raise TryOnError(ErrorCode.BAD_ARGUMENT, f"unknown provider {requested!r}; use one of "
                         + ", ".join(PROVIDER_CHOICES))
    available = ort.get_available_providers()
    if requested == "auto":
        asked = [name for name in PROVIDERS.values() if name in available]
    elif PROVIDERS[requested] in available:
        asked = [PROVIDERS[requested]]
    else:
        raise TryOnError(ErrorCode.BAD_ARGUMENT, f"provider {requested} is not available here")
    if any(name in GPU_PROVIDERS for name in asked):
        _preload_gpu_libraries()
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads or _cpu_threads()
    options.inter_op_num_threads = 1
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    options.log_severity_level = 3
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    try:
        # onnxruntime prints its GPU-provider fallback notes on stdout: keep them off it.
        with contextlib.redirect_stdout(io.StringIO()):
            session = ort.InferenceSession(model, sess_options=options,
                                           providers=[_with_options(name) for name in asked])
    except Exception as exc:  # onnxruntime raises its own exception types
        what = "the probe model" if isinstance(model, bytes) else str(model)
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise TryOnError(ErrorCode.REFINER_UNAVAILABLE, f"cannot load {what}: {first}") from None
    dropped = tuple(name for name in asked if name not in session.get_providers())
    if requested != "auto" and dropped:
        raise TryOnError(ErrorCode.BAD_ARGUMENT, f"provider {requested} is not available here")
    return session, dropped


_GPU_LIBRARIES: list[bool] = []


def _preload_gpu_libraries() -> None:
    """Load the CUDA, cuDNN (and TensorRT, where installed) libraries that the ``gpu`` extra's
    NVIDIA wheels put in site-packages, once per process, so the GPU providers find them
    without ``LD_LIBRARY_PATH``. Nothing happens where those wheels are absent."""
    if _GPU_LIBRARIES:
        return
    _GPU_LIBRARIES.append(True)
    if importlib.util.find_spec("nvidia") is None:
        return
    with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(Exception):
        ort.preload_dlls()  # onnxruntime's own loader for the nvidia-* wheels
    with contextlib.suppress(Exception):
        importlib.import_module("tensorrt_libs")  # loads libnvinfer where it is installed


def _with_options(provider: str) -> str | tuple[str, dict[str, str]]:
    """TensorRT caches its engines (built once per model and input shape) under
    ``$XDG_CACHE_HOME/tryon/tensorrt``; the other providers take their defaults."""
    if provider != PROVIDERS["tensorrt"]:
        return provider
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "tryon" / "tensorrt"
    with contextlib.suppress(OSError):
        cache.mkdir(parents=True, exist_ok=True)
    return provider, {"trt_engine_cache_enable": "True", "trt_engine_cache_path": str(cache)}


def _geometry(metadata: dict[str, str], path: Path) -> tuple[tuple[int, int], int]:
    """(train_size (H, W), stride) from the model's metadata."""
    try:
        height, width = (int(v) for v in metadata["train_size"].lower().split("x"))
        stride = int(metadata["stride"])
    except (KeyError, ValueError):
        raise TryOnError(ErrorCode.REFINER_UNAVAILABLE, f"{path} lacks train_size/stride "
                         "metadata; export it with tryon-export") from None
    if stride <= 0 or height % stride or width % stride:
        raise TryOnError(ErrorCode.REFINER_UNAVAILABLE,
                         f"{path}: train_size {height}x{width} is not a multiple of {stride}")
    return (height, width), stride


def _check_inputs(coarse: np.ndarray, agnostic: np.ndarray, repaint: np.ndarray,
                  item_mask: np.ndarray) -> None:
    if coarse.ndim != 3 or coarse.shape[2] != 3 or coarse.dtype != np.uint8:
        raise ValueError(f"coarse must be (H, W, 3) uint8, got {coarse.shape} {coarse.dtype}")
    if agnostic.shape != coarse.shape or agnostic.dtype != np.uint8:
        raise ValueError(f"agnostic must be {coarse.shape} uint8, got {agnostic.shape}")
    if repaint.shape != coarse.shape[:2] or repaint.dtype != bool:
        raise ValueError(f"repaint must be {coarse.shape[:2]} bool, got {repaint.shape} "
                         f"{repaint.dtype}")
    if item_mask.shape != coarse.shape[:2]:
        raise ValueError(f"item_mask must be {coarse.shape[:2]}, got {item_mask.shape}")


def _resize(picture: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """``picture`` resized to ``size`` (h, w): area averaging to shrink, bilinear to enlarge."""
    height, width = picture.shape[:2]
    if (height, width) == size:
        return picture.copy()
    shrink = size[0] * size[1] < height * width
    return cv2.resize(picture, (size[1], size[0]),
                      interpolation=cv2.INTER_AREA if shrink else cv2.INTER_LINEAR)


def _cpu_threads() -> int:
    try:
        count = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        count = os.cpu_count() or 1
    return max(1, min(MAX_THREADS, count))
