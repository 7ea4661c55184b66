"""The generator to ONNX: pinned opset, named inputs/outputs, dynamic N/H/W, metadata.

Input ``inputs`` (N, IN_CHANNELS, H, W) float32 — H and W multiples of the stride; outputs
``rgb``, ``shade`` and ``weights`` (see :mod:`tryon.generator.contract`, whose :func:`metadata
<tryon.generator.contract.metadata>` every file carries). The fp16 variant keeps float32 inputs and
outputs: casts to half sit inside the graph.

Exporters: torch's default (dynamo) exporter is tried first; torch 2.13's implements opset 18
and up only and cannot convert ``Resize`` down to 17, so for opset 17 the TorchScript exporter
(``dynamo=False``) is the one that succeeds.
"""

from __future__ import annotations

import contextlib
import copy
import io
import logging
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import metadata as importlib_metadata
from pathlib import Path

import onnx
import onnxruntime as ort
import torch
from torch import nn

from export.checkpoint import Checkpoint
from tryon.errors import ErrorCode, TryOnError
from tryon.generator import contract

__all__ = ["OPSET", "INPUT_NAME", "OUTPUT_NAMES", "ExportedModel", "export_onnx",
           "model_metadata", "write_ort"]

OPSET = 17
INPUT_NAME = "inputs"
OUTPUT_NAMES = contract.OUTPUTS
EXPORTERS = ("auto", "dynamo", "torchscript")
_DYNAMIC = {0: "batch", 2: "height", 3: "width"}
_NOISY_LOGGERS = ("torch.onnx", "torch.export", "torch._dynamo", "torch._export", "onnxscript",
                  "torch.fx")


@dataclass(frozen=True)
class ExportedModel:
    """An ONNX file written by :func:`export_onnx`; ``exporter``: "dynamo" or "torchscript";
    ``note``: why the dynamo exporter was not used ("" when it was)."""

    path: Path
    precision: str
    exporter: str
    opset: int
    note: str


class _Half(nn.Module):
    """float32 in → half-precision generator → float32 out."""

    def __init__(self, generator: nn.Module) -> None:
        super().__init__()
        self.generator = copy.deepcopy(generator).half().eval()

    def forward(self, inputs: torch.Tensor) -> tuple[torch.Tensor, ...]:
        return tuple(output.float() for output in self.generator(inputs.half()))


def model_metadata(checkpoint: Checkpoint, precision: str = "fp32") -> dict[str, str]:
    """The ``metadata_props`` every exported file carries (read back by
    ``tryon.generator.runtime``): the contract (:func:`tryon.generator.contract.metadata`) and
    the facts of this model."""
    height, width = checkpoint.train_size
    return {
        **contract.metadata(),
        "kinds": "top",  # the self-supervised samples are tops (training/data.py)
        "stride": str(checkpoint.stride),
        "train_size": f"{height}x{width}",
        "landmark_schema": "mediapipe_pose_33",
        "version": _package_version(),
        "licence": checkpoint.licence,
        "training_data": checkpoint.data,
        "step": str(checkpoint.step),
        "precision": precision,
        "generator_config": f"width={checkpoint.config.width},levels={checkpoint.config.levels}",
    }


def export_onnx(checkpoint: Checkpoint, out: str | Path, *, fp16: bool = False,
                opset: int = OPSET, exporter: str = "auto") -> ExportedModel:
    """Write the generator (or its fp16 variant) to ``out`` with :func:`model_metadata`, traced
    at the checkpoint's train size with dynamic batch, height and width; checked with
    ``onnx.checker``. ``exporter``: "auto" tries dynamo, then TorchScript.

    Raises :class:`TryOnError` (``export_failed``) when no exporter produces a valid model.
    """
    if exporter not in EXPORTERS:
        raise TryOnError(ErrorCode.BAD_ARGUMENT, f"unknown exporter {exporter!r}")
    out = Path(out)
    module: nn.Module = _Half(checkpoint.generator) if fp16 else checkpoint.generator.eval()
    sample = torch.zeros(1, contract.IN_CHANNELS, *checkpoint.train_size)
    note, used = "", ""
    proto = None
    if exporter in ("auto", "dynamo"):
        try:
            proto = _export_dynamo(module, sample, opset)
            used = "dynamo"
        except _ExportFailure as exc:
            if exporter == "dynamo":
                raise TryOnError(ErrorCode.EXPORT_FAILED, f"dynamo exporter: {exc}") from None
            note = f"dynamo exporter not used: {exc}"
    if proto is None:
        try:
            proto = _export_torchscript(module, sample, opset)
            used = "torchscript"
        except _ExportFailure as exc:
            raise TryOnError(ErrorCode.EXPORT_FAILED,
                             f"TorchScript exporter: {exc}" + (f" ({note})" if note else "")
                             ) from None
    precision = "fp16" if fp16 else "fp32"
    onnx.helper.set_model_props(proto, model_metadata(checkpoint, precision))
    proto.doc_string = (f"tryon try-on generator: inputs (N,{contract.IN_CHANNELS},H,W) -> "
                        "rgb (N,3,H,W), shade (N,1,H,W), weights (N,3,H,W); see metadata_props")
    proto.model_version = checkpoint.step
    try:
        onnx.checker.check_model(proto, full_check=True)
    except (onnx.checker.ValidationError, onnx.shape_inference.InferenceError) as exc:
        raise TryOnError(ErrorCode.EXPORT_FAILED,
                         f"onnx.checker rejects the {used} export: {exc}") from None
    out.parent.mkdir(parents=True, exist_ok=True)
    onnx.save_model(proto, out)
    return ExportedModel(path=out, precision=precision, exporter=used, opset=opset, note=note)


def write_ort(onnx_path: str | Path, ort_path: str | Path) -> Path:
    """Convert an ONNX file to ORT format (for ONNX Runtime Mobile) the way
    ``python -m onnxruntime.tools.convert_onnx_models_to_ort`` does by default: all graph
    optimisations except the x86-only NCHWc layout, CPU provider."""
    ort_path = Path(ort_path)
    options = ort.SessionOptions()
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.optimized_model_filepath = str(ort_path)
    options.add_session_config_entry("session.save_model_format", "ORT")
    options.log_severity_level = 3
    try:
        ort.InferenceSession(str(onnx_path), sess_options=options,
                             providers=["CPUExecutionProvider"],
                             disabled_optimizers=["NchwcTransformer"])
    except Exception as exc:  # onnxruntime raises its own exception types
        raise TryOnError(ErrorCode.EXPORT_FAILED, f"ORT-format conversion failed: {exc}"
                         ) from None
    return ort_path


class _ExportFailure(Exception):
    """One exporter did not produce a usable model."""


def _export_dynamo(module: nn.Module, sample: torch.Tensor, opset: int) -> onnx.ModelProto:
    try:
        with _quiet():
            program = torch.onnx.export(
                module, (sample,), None, dynamo=True, opset_version=opset,
                input_names=[INPUT_NAME], output_names=list(OUTPUT_NAMES),
                dynamic_shapes={"inputs": _DYNAMIC}, external_data=False, optimize=True)
    except Exception as exc:  # the exporter raises many types; the fallback handles all
        raise _ExportFailure(_first_line(exc)) from exc
    if program is None:
        raise _ExportFailure("no program returned")
    proto = program.model_proto
    got = _default_opset(proto)
    if got != opset:
        raise _ExportFailure(f"it produced opset {got}, not {opset} (torch {torch.__version__} "
                             "cannot convert Resize down)")
    return proto


def _export_torchscript(module: nn.Module, sample: torch.Tensor,
                        opset: int) -> onnx.ModelProto:
    buffer = io.BytesIO()
    axes = {name: _DYNAMIC for name in (INPUT_NAME, *OUTPUT_NAMES)}
    try:
        with _quiet():
            torch.onnx.export(module, (sample,), buffer, dynamo=False, opset_version=opset,
                              input_names=[INPUT_NAME], output_names=list(OUTPUT_NAMES),
                              dynamic_axes=axes, do_constant_folding=True)
    except Exception as exc:  # as above
        raise _ExportFailure(_first_line(exc)) from exc
    return onnx.load_from_string(buffer.getvalue())


def _default_opset(proto: onnx.ModelProto) -> int:
    return next((entry.version for entry in proto.opset_import if entry.domain in ("", "ai.onnx")),
                -1)


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """Keep the exporters' progress lines, warnings and log records off the console."""
    loggers = [logging.getLogger(name) for name in _NOISY_LOGGERS]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.CRITICAL)
    try:
        with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()), \
                contextlib.redirect_stderr(io.StringIO()):
            warnings.simplefilter("ignore")
            yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


def _package_version() -> str:
    try:
        return importlib_metadata.version("tryon")
    except importlib_metadata.PackageNotFoundError:
        return "unknown"


def _first_line(exc: BaseException) -> str:
    lines = [line for line in str(exc).strip().splitlines() if line.strip()]
    return f"{type(exc).__name__}: {lines[0][:300]}" if lines else type(exc).__name__
