"""Timing the try-on generator alone: ONNX Runtime (IO binding) against PyTorch.

ONNX Runtime runs the exported model with its inputs and outputs bound once (on the GPU for
CUDA/TensorRT, so the figures are the model's own time, not the copies). PyTorch runs
``training.networks.Generator`` built from the model's ``generator_config`` metadata with
**random weights** (the speed of a network does not depend on its weight values); it is
imported lazily and skipped with a note where torch or the training package is absent.
"""

from __future__ import annotations

import importlib.util
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import onnxruntime as ort

from tryon.generator import contract
from tryon.generator.runtime import fp16_sibling, open_session

__all__ = ["TORCH_NOTE", "generator_config", "model_inputs", "summarise", "time_onnx",
           "time_torch", "timed"]

TORCH_NOTE = "PyTorch: random weights of the same architecture (speed does not depend on them)"


def summarise(samples_ms: list[float]) -> dict[str, float]:
    """``{"median", "p90"}`` of ``samples_ms`` in ms, rounded to 0.01 ms."""
    values = np.asarray(samples_ms, np.float64)
    return {"median": round(float(np.median(values)), 2),
            "p90": round(float(np.percentile(values, 90)), 2)}


def generator_config(metadata: dict[str, str]) -> dict[str, int]:
    """``{"width": 16, "levels": 5}`` from the ``generator_config`` metadata
    ("width=16,levels=5"); empty when the model does not say."""
    config = {}
    for part in metadata.get("generator_config", "").split(","):
        key, _, value = part.partition("=")
        if key.strip() and value.strip().isdigit():
            config[key.strip()] = int(value)
    return config


def model_inputs(shape: tuple[int, int, int, int], seed: int = 0) -> np.ndarray:
    """(N, :data:`~tryon.generator.contract.IN_CHANNELS`, H, W) float32 random model input in the
    contract's ranges: pictures uniform in [-1, 1], a rectangular region over the middle
    with a binary hint and a soft garment mask inside it, sparse pose limbs."""
    count, channels, height, width = shape
    if channels != contract.IN_CHANNELS:
        raise ValueError(f"the generator takes {contract.IN_CHANNELS} channels, not {channels}")
    rng = np.random.default_rng(seed)
    inputs = rng.uniform(-1, 1, shape).astype(np.float32)
    region = np.zeros((height, width), np.float32)
    region[height // 8: 7 * height // 8, width // 8: 7 * width // 8] = 1
    inputs[:, contract.REGION] = region
    inputs[:, contract.HINT] = region * (rng.uniform(0, 1, (count, 1, height, width)) > 0.8)
    inputs[:, contract.GARMENT_MASK] = region * rng.uniform(0, 1, (count, 1, height, width))
    inputs[:, contract.POSE] = rng.uniform(0, 1, (count, contract.POSE_CHANNELS, height,
                                                  width)) > 0.9
    return inputs


def timed(step: Callable[[], object], runs: int, warm: int = 2) -> list[float]:
    """Wall ms of each of ``runs`` calls of ``step``, after ``warm`` untimed calls."""
    for _ in range(warm):  # TensorRT builds its engine, CUDA picks kernels, caches fill
        step()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        step()
        times.append((time.perf_counter() - start) * 1000)
    return times


def time_onnx(model: Path, provider: str, shape: tuple[int, int, int, int], runs: int,
              precision: str = "fp32") -> dict[str, object]:
    """Latency of one ``run_with_iobinding`` on ``shape`` (N, IN_CHANNELS, H, W):
    ``{"median", "p90"}`` ms, plus ``providers``. ``precision`` "fp16" times
    :func:`fp16_sibling` of ``model`` (``{"note": ...}`` when it does not exist)."""
    path = fp16_sibling(model) if precision == "fp16" else model
    if not path.is_file():
        return {"note": f"no {path.name}: export it with tryon-export --fp16"}
    session, _ = open_session(str(path), provider)
    device = "cpu" if session.get_providers()[0] == "CPUExecutionProvider" else "cuda"
    binding = session.io_binding()
    value = ort.OrtValue.ortvalue_from_numpy(model_inputs(shape), device, 0)
    binding.bind_ortvalue_input("inputs", value)
    for name in contract.OUTPUTS:
        binding.bind_output(name, device, 0)

    def step() -> None:
        session.run_with_iobinding(binding)
        binding.synchronize_outputs()

    return {**summarise(timed(step, runs)), "providers": session.get_providers()}


def time_torch(metadata: dict[str, str], shape: tuple[int, int, int, int], runs: int,
               threads: int, device: str = "cpu") -> dict[str, object]:
    """Latency of the PyTorch generator (random weights, ``torch.inference_mode``) on
    ``shape``: ``{"median", "p90", "device"}`` ms, or ``{"note": why}`` when it cannot run."""
    if importlib.util.find_spec("torch") is None:
        return {"note": "PyTorch is not installed (pip install -e '.[train]'); no comparison"}
    if importlib.util.find_spec("training") is None:
        return {"note": "the training package is not importable; no comparison"}
    import torch

    from training.networks import Generator, GeneratorConfig

    if device == "cuda" and not torch.cuda.is_available():
        return {"note": "this PyTorch has no CUDA; no GPU comparison"}
    torch.manual_seed(0)
    torch.set_num_threads(threads)
    network = Generator(GeneratorConfig(**generator_config(metadata))).eval().to(device)
    inputs = torch.from_numpy(model_inputs(shape)).to(device)

    def step() -> None:
        with torch.inference_mode():
            network(inputs)
        if device == "cuda":
            torch.cuda.synchronize()

    return {**summarise(timed(step, runs)), "device": device}
