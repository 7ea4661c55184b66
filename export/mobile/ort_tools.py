"""ONNX Runtime's mobile tools, run quietly: int8 static QDQ quantization, ORT-format
conversion with ``required_operators.config``, and the NNAPI/CoreML usability report."""

from __future__ import annotations

import contextlib
import io
import logging
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np
import onnx

__all__ = ["ORT_TARGET_PLATFORM", "QUANTIZATION", "convert_to_ort", "quantize_int8",
           "usability_report"]

ORT_TARGET_PLATFORM = "arm"  # phones: lets the converter keep int8 QDQ fusions (qdqisint8allowed)
MOBILE_PREFIX = "/mobile/"  # names of the nodes graph.mobile_rewrites adds
QUANTIZED_OPS = ("Conv",)
QUANTIZATION = {  # what quantize_int8 does, as written into the manifest
    "method": "static QDQ (onnxruntime.quantization.quantize_static)",
    "activations": "uint8, asymmetric, per tensor",
    "weights": "int8, symmetric, per output channel",
    "quantized_ops": ",".join(QUANTIZED_OPS) + " (the network's own but the first and the "
                     "last; the rest runs in float)",
    "calibration": "MinMax over real scenes from real photos",
}


def quantize_int8(fp32: Path, out: Path, name: str, samples: Sequence[np.ndarray]) -> None:
    """Write ``fp32`` quantized (:data:`QUANTIZATION`) to ``out``, calibrated on ``samples``
    (each one full input ``name``); the metadata is copied over."""
    from onnxruntime.quantization import (
        CalibrationDataReader,
        CalibrationMethod,
        QuantFormat,
        QuantType,
        quantize_static,
    )

    class _Reader(CalibrationDataReader):
        def __init__(self) -> None:
            self.rows: Iterator[np.ndarray] = iter(samples)

        def get_next(self) -> dict[str, np.ndarray] | None:
            row = next(self.rows, None)
            return None if row is None else {name: row}

        def rewind(self) -> None:
            self.rows = iter(samples)

    source = onnx.load(str(fp32), load_external_data=False)
    # Only the network's convolutions, less the first (masks and pictures side by side) and
    # the last (one output range for the rgb, shade and weight logits): the head's
    # normalisation (a sum and a division by it, where a quantized zero makes inf) stays
    # float, as do the rewrites of graph.py.
    convs = [node.name for node in source.graph.node
             if node.op_type == "Conv" and not node.name.startswith(MOBILE_PREFIX)]
    excluded = [node.name for node in source.graph.node if node.name.startswith(MOBILE_PREFIX)]
    excluded += convs[:1] + convs[-1:]
    with tempfile.TemporaryDirectory() as tmp, _quiet(logs=False):
        staged = Path(tmp) / "int8.onnx"
        quantize_static(str(fp32), str(staged), _Reader(), quant_format=QuantFormat.QDQ,
                        activation_type=QuantType.QUInt8, weight_type=QuantType.QInt8,
                        per_channel=True, calibrate_method=CalibrationMethod.MinMax,
                        op_types_to_quantize=list(QUANTIZED_OPS), nodes_to_exclude=excluded,
                        extra_options={"WeightSymmetric": True, "ActivationSymmetric": False})
        model = onnx.load(str(staged))
    del model.metadata_props[:]
    model.metadata_props.extend(source.metadata_props)
    model.doc_string = source.doc_string
    onnx.checker.check_model(model, full_check=True)
    onnx.save(model, str(out))


def convert_to_ort(model: Path) -> tuple[Path, Path]:
    """``model``.ort and ``model``.required_operators.config beside it, by
    ``onnxruntime.tools.convert_onnx_models_to_ort`` (fixed optimisation style, target
    :data:`ORT_TARGET_PLATFORM`)."""
    from onnxruntime.tools.convert_onnx_models_to_ort import (
        OptimizationStyle,
        convert_onnx_models_to_ort,
    )

    with tempfile.TemporaryDirectory() as tmp, _quiet(logs=False):
        staged = Path(tmp) / model.name
        shutil.copyfile(model, staged)
        convert_onnx_models_to_ort(staged, output_dir=Path(tmp) / "out",
                                   optimization_styles=[OptimizationStyle.Fixed],
                                   target_platform=ORT_TARGET_PLATFORM)
        out = Path(tmp) / "out"
        ort_file = model.with_suffix(".ort")
        config = model.with_suffix(".required_operators.config")
        shutil.copyfile(out / staged.with_suffix(".ort").name, ort_file)
        shutil.copyfile(out / staged.with_suffix(".required_operators.config").name, config)
    return ort_file, config


def usability_report(model: Path) -> tuple[str, str]:
    """The text of ``python -m onnxruntime.tools.check_onnx_model_mobile_usability MODEL``
    (NNAPI, CoreML NeuralNetwork and MLProgram partitions) twice: as the tool runs by default
    (after ONNX Runtime's basic optimisation for the CPU provider, which on an fp16 model
    decomposes the half-precision ops that the CPU provider lacks) and on the file as shipped
    (``--skip_optimize``: the variants are already optimised, see :mod:`export.mobile.graph`)."""
    return _analyse(model, skip_optimize=False), _analyse(model, skip_optimize=True)


def _analyse(model: Path, skip_optimize: bool) -> str:
    from onnxruntime.tools.mobile_helpers import usability_checker

    stream = io.StringIO()
    logger = logging.getLogger(f"tryon.mobile.usability.{model.stem}")
    logger.setLevel(logging.INFO)
    logger.propagate = False
    handler = logging.StreamHandler(stream)
    logger.addHandler(handler)
    try:
        with _quiet(logs=True):
            usability_checker.analyze_model(model, skip_optimize=skip_optimize, logger=logger)
    finally:
        logger.removeHandler(handler)
    return stream.getvalue().replace(str(model.parent) + "/", "")


@contextlib.contextmanager
def _quiet(logs: bool) -> Iterator[None]:
    """Keep the tools' progress lines and ONNX Runtime's warnings off the console; ``logs``
    False also mutes their ``logging`` records."""
    import onnxruntime as ort

    ort.set_default_logger_severity(3)
    if not logs:
        logging.disable(logging.WARNING)
    try:
        with contextlib.redirect_stdout(io.StringIO()), \
                contextlib.redirect_stderr(io.StringIO()):
            yield
    finally:
        logging.disable(logging.NOTSET)
