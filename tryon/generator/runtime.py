"""The generator stage: the exported try-on GAN (ONNX) run by ONNX Runtime.

The model contract lives in :mod:`tryon.generator.contract` (inputs, outputs, composition),
written into the model's metadata by ``tryon-export`` and checked here when a model is opened.

:class:`TryOnGenerator` crops the try-on region's bounding box
(:func:`tryon.generator.contract.crop_for`), scales the crop to fit the model's
``train_size`` (aspect kept), pads it to exactly
``train_size`` (edge values for the photo, 0 for masks and the garment: one input shape, so
TensorRT builds one engine), draws the pose map, runs the model and composes its answer at
full resolution (:func:`tryon.generator.contract.compose`): the painted picture, the shade and the
layer weights are upsampled, the garment and the photo stay at full resolution, so prints and
logos stay sharp. Pixels outside the region are never touched. Never imports torch.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import importlib
import importlib.util
import io
import os
import sys
from collections.abc import Sequence
from pathlib import Path

import cv2
import numpy as np

# ONNX Runtime (1.31 on Linux too) writes a telemetry database and a device id under
# ~/.cache/Microsoft/DeveloperTools when it is imported, unless this is set first; a user's
# own setting wins. open_session() also turns telemetry events off, for the case where
# onnxruntime was imported before this module.
os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")
import onnxruntime as ort  # noqa: E402

from tryon.compositing import feather
from tryon.cpu import cpu_threads
from tryon.errors import ErrorCode, TryOnError
from tryon.generator import contract
from tryon.generator.scene import Scene

__all__ = ["DEFAULT_MODEL", "MODEL_ENV", "PROVIDERS", "PROVIDER_CHOICES", "Scene",
           "TryOnGenerator", "default_model_path", "fp16_sibling", "open_session",
           "select_providers"]

DEFAULT_MODEL = Path(__file__).resolve().parents[2] / "models" / "generator.onnx"
MODEL_ENV = "TRYON_MODEL"
PROVIDERS = {"tensorrt": "TensorrtExecutionProvider", "cuda": "CUDAExecutionProvider",
             "cpu": "CPUExecutionProvider"}
PROVIDER_CHOICES = ("auto", *PROVIDERS)
MAX_THREADS = 8
GPU_PROVIDERS = (PROVIDERS["tensorrt"], PROVIDERS["cuda"])
PRECISIONS = ("auto", "fp32", "fp16")


# A 76-byte ONNX model (y = Identity(x)): lets select_providers() probe without a real model.
_PROBE_MODEL = bytes.fromhex(
    "080812057472796f6e3a3b0a100a017812017922084964656e74697479120570726f62655a0f0a0178120a"
    "0a08080112040a020801620f0a0179120a0a08080112040a02080142040a00100d")


def default_model_path() -> Path:
    """``$TRYON_MODEL`` when set, else ``models/generator.onnx`` beside the package."""
    override = os.environ.get(MODEL_ENV)
    return Path(override) if override else DEFAULT_MODEL


def fp16_sibling(path: Path) -> Path:
    """Where ``tryon-export --fp16`` writes the half-precision twin of ``path``
    (``generator.onnx`` → ``generator.fp16.onnx``)."""
    return path.with_name(f"{path.stem}.fp16{path.suffix}")


def select_providers(requested: str = "auto") -> list[str]:
    """The ONNX Runtime providers that really load here, best first.

    ``requested``: "auto" asks TensorRT, CUDA, then CPU and keeps those that load — a GPU
    provider is only asked for when an NVIDIA driver and its libraries can be loaded
    (:func:`_gpu_providers_loadable`), so on a machine without them nothing is logged;
    "cpu", "cuda" or "tensorrt" asks that one only (ONNX Runtime then logs why a GPU
    provider failed) and raises :class:`TryOnError` (``bad_argument``) when it does not load
    (onnxruntime-gpu lists GPU providers even without a GPU).
    """
    session, _ = open_session(_PROBE_MODEL, requested)
    return session.get_providers()


class TryOnGenerator:
    """One exported try-on generator in one ONNX Runtime session.

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
            problem = ("is a directory, not a model file" if path.is_dir()
                       else "does not exist")
            raise TryOnError(ErrorCode.REFINER_UNAVAILABLE,
                             f"try-on model {path} {problem}" + (f"; {hint}" if hint else ""))
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
        problem = contract.check_metadata(self.metadata)
        inputs = self._session.get_inputs()
        if problem is None and ([i.name for i in inputs] != ["inputs"]
                                or inputs[0].shape[1] != contract.IN_CHANNELS):
            problem = f"input 'inputs' with {contract.IN_CHANNELS} channels expected"
        if problem is not None:
            raise TryOnError(ErrorCode.REFINER_UNAVAILABLE,
                             f"{path} is not a try-on model of this engine ({problem}); "
                             "export one with tryon-export")
        self.train_size, self.stride = _geometry(self.metadata, path)

    @property
    def kinds(self) -> tuple[str, ...]:
        """The item kinds the model was trained for (metadata ``kinds``, comma-separated).
        Others keep their composite."""
        return tuple(k.strip() for k in self.metadata.get("kinds", "top").split(",") if k)

    @property
    def providers(self) -> tuple[str, ...]:
        """The providers the session really uses, best first."""
        return tuple(self._live().get_providers())

    def close(self) -> None:
        self._session = None

    def __enter__(self) -> TryOnGenerator:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def run(self, scene: Scene) -> np.ndarray:
        """The try-on picture of ``scene``: (H, W, 3) uint8 RGB, equal to the photo outside
        the region (and everywhere when the region is empty)."""
        return self.run_many([scene])[0]

    def run_many(self, scenes: Sequence[Scene]) -> list[np.ndarray]:
        """:meth:`run` on several scenes (any sizes) with one model call: every crop is padded
        to ``train_size``, so they stack on the batch axis. One picture per scene, in order."""
        for scene in scenes:
            _check_scene(scene)
        results: list[np.ndarray | None] = [None] * len(scenes)
        todo, crops, inputs = [], [], []
        for index, scene in enumerate(scenes):
            if not scene.region.any():
                results[index] = scene.photo.copy()
                continue
            crop = contract.crop_for(scene.region, self.train_size)
            todo.append(index)
            crops.append(crop)
            inputs.append(_model_inputs(scene, crop)[None])
        if todo:
            outputs = self._infer(np.concatenate(inputs) if len(inputs) > 1 else inputs[0])
            for row, (index, crop) in enumerate(zip(todo, crops, strict=True)):
                results[index] = _finish(scenes[index], crop,
                                         *(output[row] for output in outputs))
        return [picture for picture in results if picture is not None]

    def _infer(self, inputs: np.ndarray) -> list[np.ndarray]:
        """[rgb (N, 3, TH, TW), shade (N, 1, TH, TW), weights (N, 3, TH, TW)] for
        (N, IN_CHANNELS, TH, TW) ``inputs``. On CUDA/TensorRT the outputs are bound on the
        device (IO binding: no per-call output allocation, one copy back); on the CPU a plain
        ``session.run``."""
        session = self._live()
        names = list(contract.OUTPUTS)
        fixed = session.get_inputs()[0].shape[0]
        if isinstance(fixed, int) and 0 < fixed < len(inputs):
            # A fixed-batch model (tryon-export --mobile variants, batch 1): row by row.
            parts = [self._infer(inputs[i:i + fixed]) for i in range(0, len(inputs), fixed)]
            return [np.concatenate(column) for column in zip(*parts, strict=True)]
        if not self.io_binding:
            return session.run(names, {"inputs": inputs})
        binding = session.io_binding()
        binding.bind_cpu_input("inputs", np.ascontiguousarray(inputs))
        for name in names:
            binding.bind_output(name, self.device, 0)
        session.run_with_iobinding(binding)
        return binding.copy_outputs_to_cpu()

    def _live(self) -> ort.InferenceSession:
        if self._session is None:
            raise ValueError("the generator is closed")
        return self._session


def _model_inputs(scene: Scene, crop: contract.Crop) -> np.ndarray:
    """(IN_CHANNELS, TH, TW) float32 model input for ``scene`` seen through ``crop``: the
    crop scaled into the top left, the padding below and right outside the region (0 in
    every plane here; :func:`contract.assemble_inputs` repeats the agnostic photo's edge)."""
    x0, y0, x1, y1 = crop.box
    pad = (crop.padded[0] - crop.size[0], crop.padded[1] - crop.size[1])

    def fit(picture: np.ndarray) -> np.ndarray:
        small = contract.resize(np.ascontiguousarray(picture[y0:y1, x0:x1], np.float32),
                                crop.size)
        return cv2.copyMakeBorder(small, 0, pad[0], 0, pad[1], cv2.BORDER_CONSTANT, value=0)

    region = fit(scene.region) > 0.5
    landmarks = (scene.landmarks - np.array([x0, y0])) * crop.scale
    radius = contract.LIMB_RADIUS * scene.shoulder_width * crop.scale
    pose_map = contract.draw_pose_map(landmarks, scene.visibility, crop.padded, radius)
    return contract.assemble_inputs(
        fit(scene.photo), region, (fit(scene.hint) > 0.5) & region,
        fit(scene.garment), np.clip(fit(scene.garment_mask), 0, 1) * region,
        scene.skin_rgb, pose_map, picture=crop.size)


def _finish(scene: Scene, crop: contract.Crop, rgb: np.ndarray, shade: np.ndarray,
            weights: np.ndarray) -> np.ndarray:
    """The photo with the crop's region replaced by the composed try-on picture: the model's
    (3, TH, TW) ``rgb``, (1, TH, TW) ``shade`` and (3, TH, TW) ``weights`` upsampled to the
    crop's full size and composed with the full-resolution garment and photo."""
    x0, y0, x1, y1 = crop.box
    full = (y1 - y0, x1 - x0)
    height, width = crop.size

    def up(planes: np.ndarray) -> np.ndarray:
        return contract.resize(np.ascontiguousarray(planes[:, :height, :width].transpose(1, 2, 0)),
                               full)

    window = scene.photo[y0:y1, x0:x1]
    region = scene.region[y0:y1, x0:x1]
    soft_region = feather(region.astype(np.float32))
    painted = contract.compose_for_runtime(
        window.astype(np.float32), soft_region, scene.hint[y0:y1, x0:x1].astype(np.float32),
        scene.garment[y0:y1, x0:x1], scene.garment_mask[y0:y1, x0:x1] * region,
        up(contract.from_unit(rgb[:, :height, :width]).transpose(2, 0, 1)),
        up(shade).reshape(full), up(weights).reshape(*full, 3))
    result = scene.photo.copy()
    result[y0:y1, x0:x1] = np.where(region[..., None], np.clip(painted + 0.5, 0, 255)
                                    .astype(np.uint8), window)
    return result


def open_session(model: str | bytes, requested: str,
                 threads: int | None = None) -> tuple[ort.InferenceSession, tuple[str, ...]]:
    """A session on ``model`` (a path or the model's bytes) with the ``requested`` providers
    (see :func:`select_providers`); returns it and the providers asked for that did not
    load."""
    if requested not in PROVIDER_CHOICES:
        raise TryOnError(ErrorCode.BAD_ARGUMENT, f"unknown provider {requested!r}; use one of "
                         + ", ".join(PROVIDER_CHOICES))
    _disable_telemetry()
    available = ort.get_available_providers()
    if requested == "auto":
        loadable = _gpu_providers_loadable()
        asked = [name for name in PROVIDERS.values()
                 if name in available and (name not in GPU_PROVIDERS or name in loadable)]
    elif PROVIDERS[requested] in available:
        asked = [PROVIDERS[requested]]
    else:
        raise TryOnError(ErrorCode.BAD_ARGUMENT, f"provider {requested} is not available here")
    if any(name in GPU_PROVIDERS for name in asked):
        _preload_gpu_libraries()
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads or cpu_threads(MAX_THREADS)
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
# What ONNX Runtime's GPU providers dlopen (Linux names); {cuda} is the CUDA major version
# onnxruntime-gpu was built for. The driver (libcuda) stands for "there is a GPU".
CUDA_DRIVER = "libcuda.so.1"
CUDA_LIBRARIES = ("libcudart.so.{cuda}", "libcublasLt.so.{cuda}", "libcublas.so.{cuda}",
                  "libcudnn.so.9")
TENSORRT_LIBRARIES = ("libnvinfer.so.10",)


_TELEMETRY_OFF: list[bool] = []


def _disable_telemetry() -> None:
    """Turn ONNX Runtime's telemetry events off (once per process; see the import)."""
    if not _TELEMETRY_OFF:
        _TELEMETRY_OFF.append(True)
        with contextlib.suppress(Exception):
            ort.disable_telemetry_events()


@functools.cache
def _gpu_providers_loadable() -> frozenset[str]:
    """The GPU providers whose libraries load here, probed with ``ctypes`` (silently,
    unlike ONNX Runtime's own loader, which logs every failure in red): CUDA needs the NVIDIA
    driver and the CUDA runtime, cuBLAS and cuDNN of :data:`CUDA_LIBRARIES` (from the
    ``gpu`` extra's wheels, preloaded first, or the system); TensorRT also libnvinfer. Off
    Linux the names differ, so every GPU provider onnxruntime lists counts as loadable."""
    if not sys.platform.startswith("linux"):
        return frozenset(GPU_PROVIDERS)
    if not _loads(CUDA_DRIVER):
        return frozenset()
    _preload_gpu_libraries()
    major = _cuda_major()
    if major is None or not all(_loads(name.format(cuda=major)) for name in CUDA_LIBRARIES):
        return frozenset()
    if all(_loads(name) for name in TENSORRT_LIBRARIES):
        return frozenset(GPU_PROVIDERS)
    return frozenset({PROVIDERS["cuda"]})


def _loads(library: str) -> bool:
    """Whether the shared library ``library`` (a soname) can be loaded."""
    try:
        ctypes.CDLL(library)
    except OSError:
        return False
    return True


def _cuda_major() -> str | None:
    """The CUDA major version onnxruntime-gpu was built for ("13"), None for a CPU build."""
    try:
        from onnxruntime.capi import build_and_package_info
    except ImportError:
        return None
    version = str(getattr(build_and_package_info, "cuda_version", "") or "")
    return version.split(".")[0] or None


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


def _check_scene(scene: Scene) -> None:
    photo = scene.photo
    if photo.ndim != 3 or photo.shape[2] != 3 or photo.dtype != np.uint8:
        raise ValueError(f"photo must be (H, W, 3) uint8, got {photo.shape} {photo.dtype}")
    for name in ("region", "hint", "garment_mask"):
        if getattr(scene, name).shape != photo.shape[:2]:
            raise ValueError(f"{name} must be {photo.shape[:2]}, got "
                             f"{getattr(scene, name).shape}")
    if scene.garment.shape != photo.shape:
        raise ValueError(f"garment must be {photo.shape}, got {scene.garment.shape}")
    if scene.region.dtype != bool or scene.hint.dtype != bool:
        raise ValueError("region and hint must be bool masks")

