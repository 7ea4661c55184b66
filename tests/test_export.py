"""``tryon-export`` on a tiny random checkpoint: ONNX contract, metadata, parity, fp16, ORT."""

from __future__ import annotations

import re
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import numpy as np
import pytest

from tests.conftest import PROJECT, TINY_TRAIN_SIZE, TinyExport, write_tiny_checkpoint

torch = pytest.importorskip("torch", reason="the train extra (torch) is not installed")
onnx = pytest.importorskip("onnx", reason="the train extra (onnx) is not installed")
ort = pytest.importorskip("onnxruntime")

from export.checkpoint import load_checkpoint  # noqa: E402
from export.parity import FP32_TOLERANCE, Parity, parity_inputs, torch_parity  # noqa: E402
from tryon.generator import contract  # noqa: E402


def export_cli(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "export.cli", *map(str, args)],
                          capture_output=True, text=True, timeout=600, cwd=PROJECT)


def test_cli_prints_one_line_per_file_and_parity(tiny_export: TinyExport) -> None:
    wrote = [line for line in tiny_export.stdout.splitlines() if line.startswith("wrote ")]
    assert [line.split()[1] for line in wrote] == [str(tiny_export.onnx), str(tiny_export.fp16),
                                                   str(tiny_export.ort)]
    assert "opset 17" in wrote[0]
    figures = re.findall(r"parity fp32 vs PyTorch, max \|diff\| at (\d+)x(\d+)x(\d+)x(\d+): "
                         r"rgb ([0-9.e+-]+), shade ([0-9.e+-]+), weights ([0-9.e+-]+)$",
                         tiny_export.stdout, flags=re.MULTILINE)
    height, width = TINY_TRAIN_SIZE
    # The train size and twice it, on the contract's input channels.
    assert [tuple(int(v) for v in found[:4]) for found in figures] == [
        (2, contract.IN_CHANNELS, height, width), (1, contract.IN_CHANNELS, 2 * height, 2 * width)]
    assert all(float(value) < FP32_TOLERANCE for found in figures for value in found[4:])
    assert "parity fp16" in tiny_export.stdout and "parity ORT format" in tiny_export.stdout
    assert not list(tiny_export.onnx.parent.glob("*.tmp*")), "temporary files left behind"


def test_contract_and_metadata(tiny_export: TinyExport) -> None:
    model = onnx.load(tiny_export.onnx)
    onnx.checker.check_model(model, full_check=True)
    assert [(e.domain, e.version) for e in model.opset_import if e.domain in ("", "ai.onnx")] \
        == [("", 17)]
    (inputs,) = model.graph.input
    assert inputs.name == "inputs"
    dims = inputs.type.tensor_type.shape.dim
    assert [d.dim_param or d.dim_value for d in dims] == ["batch", contract.IN_CHANNELS,
                                                          "height", "width"]
    assert [o.name for o in model.graph.output] == ["rgb", "shade", "weights"]
    assert list(contract.OUTPUTS) == ["rgb", "shade", "weights"]
    props = {p.key: p.value for p in model.metadata_props}
    assert props["contract"] == contract.CONTRACT_VERSION == "tryon-generator/1"
    assert props["input_channels"] == ",".join(contract.CHANNELS)
    assert props["input_channels"].split(",")[:5] == ["agnostic_r", "agnostic_g", "agnostic_b",
                                                      "region", "hint"]
    assert props["outputs"] == "rgb,shade,weights" and props["layers"] == "garment,keep,paint"
    assert "outside: photo" in props["composition"]
    assert props["train_size"] == "128x96" and props["stride"] == "32"
    assert props["kinds"] == "top" and props["generator_config"] == "width=8,levels=5"
    assert props["channel_order"] == "RGB" and props["layout"] == "NCHW"
    assert props["landmark_schema"] == "mediapipe_pose_33"
    assert props["normalisation"].startswith("rgb = x / 127.5 - 1")
    assert props["version"] == metadata.version("tryon")
    assert props["licence"] == "MIT (test model)" and props["precision"] == "fp32"
    assert props["training_data"] == "random weights (test)" and props["step"] == "123"
    # Every key of the contract, as the runtime checks it.
    assert {key: props[key] for key in contract.metadata() if key not in (
        "train_size", "stride")} == {key: value for key, value in contract.metadata().items()
                                     if key not in ("train_size", "stride")}
    assert contract.check_metadata(props) is None


@pytest.mark.parametrize("size", [TINY_TRAIN_SIZE, (256, 192), (96, 160)])
def test_dynamic_sizes_match_pytorch(tiny_export: TinyExport, size: tuple[int, int]) -> None:
    generator = load_checkpoint(tiny_export.checkpoint).generator
    parity = torch_parity(generator, tiny_export.onnx, size, batch=2, seed=3)
    assert parity.within(FP32_TOLERANCE), parity.describe()


def test_fp16_file_keeps_float32_io_and_runs(tiny_export: TinyExport) -> None:
    model = onnx.load(tiny_export.fp16)
    float32 = onnx.TensorProto.FLOAT
    assert model.graph.input[0].type.tensor_type.elem_type == float32
    assert {o.type.tensor_type.elem_type for o in model.graph.output} == {float32}
    assert {t.data_type for t in model.graph.initializer} == {onnx.TensorProto.FLOAT16}
    assert {p.key: p.value for p in model.metadata_props}["precision"] == "fp16"
    generator = load_checkpoint(tiny_export.checkpoint).generator
    parity = torch_parity(generator, tiny_export.fp16, TINY_TRAIN_SIZE)
    assert parity.within(0.05), parity.describe()
    assert tiny_export.fp16.stat().st_size < 0.6 * tiny_export.onnx.stat().st_size


def test_ort_format_file_loads_and_agrees(tiny_export: TinyExport) -> None:
    inputs = parity_inputs(TINY_TRAIN_SIZE, batch=1, seed=5)
    outputs = []
    for path in (tiny_export.onnx, tiny_export.ort):
        session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
        outputs.append(session.run(["rgb", "shade", "weights"], {"inputs": inputs}))
    for a, b in zip(*outputs, strict=True):
        assert a.shape == b.shape and np.abs(a - b).max() < FP32_TOLERANCE
    assert tiny_export.ort.read_bytes()[4:8] == b"ORTM"  # the flatbuffer's file identifier


def test_user_mistakes_are_one_line_errors(tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    from export.cli import main

    def assert_error(*args: str | Path, code: str) -> str:
        assert main([str(arg) for arg in args]) == 2
        stderr = capsys.readouterr().err
        assert stderr.startswith(f"error: {code}: ") and stderr.count("\n") == 1, stderr
        return stderr

    out = tmp_path / "m.onnx"
    assert_error("--checkpoint", tmp_path / "none.pt", "--out", out, code="bad_argument")
    junk = tmp_path / "junk.pt"
    junk.write_text("not a checkpoint")
    assert_error("--checkpoint", junk, "--out", out, code="bad_argument")
    partial = tmp_path / "partial.pt"
    torch.save({"generator": {}}, partial)
    assert "missing generator_config" in assert_error("--checkpoint", partial, "--out", out,
                                                      code="bad_argument")
    assert_error("--checkpoint", junk, "--out", tmp_path / "m.txt", code="bad_argument")
    assert_error("--checkpoint", junk, code="bad_argument")
    assert not out.exists()
    # As a real process: exit status 2, one line, no traceback.
    proc = export_cli("--checkpoint", tmp_path / "none.pt", "--out", out)
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1
    assert proc.stderr.startswith("error: bad_argument: ") and "Traceback" not in proc.stderr


def test_checkpoint_keeps_its_facts(tmp_path: Path) -> None:
    checkpoint = load_checkpoint(write_tiny_checkpoint(tmp_path / "c.pt"))
    assert checkpoint.train_size == TINY_TRAIN_SIZE and checkpoint.stride == 32
    assert checkpoint.step == 123 and not checkpoint.generator.training


def test_failed_parity_removes_the_file(tmp_path: Path) -> None:
    from export.cli import _accept
    from tryon.errors import TryOnError

    tmp, final = tmp_path / "m.onnx.tmp", tmp_path / "m.onnx"
    tmp.write_bytes(b"x")
    with pytest.raises(TryOnError, match="parity check failed") as info:
        _accept(tmp, final, [Parity(size=(32, 32), batch=1,
                                    diffs={"rgb": 0.5, "shade": 0.0, "weights": 1e-5})],
                1e-3, "fp32")
    assert info.value.code.value == "export_failed"
    assert "rgb 5.00e-01" in info.value.message
    assert not tmp.exists() and not final.exists()
    tmp.write_bytes(b"x")
    _accept(tmp, final, [Parity(size=(32, 32), batch=1,
                                diffs={"rgb": 1e-6, "shade": 0.0, "weights": 1e-5})], 1e-3, "fp32")
    assert final.read_bytes() == b"x" and not tmp.exists()


def test_parity_flags_non_finite_outputs() -> None:
    parity = Parity(size=(32, 32), batch=1, diffs={"rgb": 0.0, "shade": float("inf"),
                                                   "weights": 0.0})
    assert not parity.within(1.0)
    assert parity.describe() == (f"max |diff| at 1x{contract.IN_CHANNELS}x32x32: "
                                 "rgb 0.00e+00, shade inf, weights 0.00e+00")


def test_parity_inputs_follow_the_contract() -> None:
    inputs = parity_inputs((64, 32), batch=3, seed=1)
    assert inputs.shape == (3, contract.IN_CHANNELS, 64, 32) and inputs.dtype == np.float32
    region = inputs[:, contract.REGION]
    assert set(np.unique(region)) == {0.0, 1.0}
    assert (inputs[:, contract.HINT] <= region).all()
    assert (inputs[:, contract.GARMENT_MASK] <= region).all()
    assert inputs[:, contract.GARMENT_MASK].min() >= 0
