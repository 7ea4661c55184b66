"""``tryon bench``: the report's shape and sane figures (never wall-clock limits), the size
fitting, the PyTorch comparison's lazy import and the Studio models' entries."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from tests.conftest import PROJECT, TinyExport
from tryon.errors import TryOnError
from tryon.generator import contract
from tryon.imaging.decode import decode_image
from tryon.kinds import Kind
from tryon.studio import colourway, sketch
from tryon.tools import bench_generator, bench_studio
from tryon.tools.bench import demo_inputs, fit_photo, generator_sizes, parse_size
from tryon.tools.bench_text import format_report, studio_lines

STAGES = ("decode", "person", "item", "fit", "compose", "refine")


def _tryon(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "tryon.tools.cli", *map(str, args)], cwd=PROJECT,
                          capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def report(tiny_export: TinyExport) -> dict:
    proc = _tryon("bench", "--json", "--runs", "2", "--provider", "cpu", "--model",
                  tiny_export.onnx)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)  # stdout is exactly one JSON object


def _sane(figures: dict) -> None:
    assert set(figures) >= {"median", "p90"}
    assert 0 < figures["median"] <= figures["p90"] < 60_000


def test_required_keys_and_sane_numbers(report: dict) -> None:
    assert report["provider"] == "cpu" and report["size"] == [512, 384]
    assert report["machine"]["cores"] >= 1 and report["runs"] == 2
    for kind in ("top", "shoes"):
        _sane(report["end_to_end_ms"][kind])
        for stage in STAGES:
            figures = report["stages_ms"][kind][stage]
            assert 0 <= figures["median"] <= figures["p90"]
        assert report["samples"][kind] > 0 and isinstance(report["target_met"][kind], bool)
        # The stages account for the wall time; the person and the item are analysed at the
        # same time (on a busy machine their overlap alone put the plain sum 1.5x over it).
        medians = {s: report["stages_ms"][kind][s]["median"] for s in STAGES}
        wall = report["end_to_end_ms"][kind]["median"]
        in_turn = sum(medians.values()) - min(medians["person"], medians["item"])
        assert 0.5 * wall <= sum(medians.values()) and in_turn <= 1.5 * wall
    _sane(report["end_to_end_ms"]["top_same_photo"])
    assert report["kinds"] == ["top", "bottom", "shoes"]  # no dress is bundled
    assert report["catalog"]["images"] >= 8
    _sane(report["catalog"]["index_ms_per_image"])
    _sane(report["catalog"]["query_ms"])
    assert report["stages_ms"]["top"]["person"]["median"] > 0
    # Shoes and bottoms need feet and legs: the selfie is skipped for them, not failed.
    assert sum("feet_not_visible" in s for s in report["skipped"]) == 4
    assert sum("legs_not_visible" in s for s in report["skipped"]) == 3
    assert tuple(report["studio_ms"]) == bench_studio.STUDIO_ENTRIES
    for figures in report["studio_ms"].values():
        _sane(figures)


def test_batch_and_generator(report: dict) -> None:
    batch = report["batch"]
    assert batch["pairs"] == 15 and batch["done"] == 11 and batch["per_second"] > 0
    assert len(batch["failures"]) == 4
    generator = report["generator"]
    channels = contract.IN_CHANNELS
    # The tiny model's train size, the default model's (what the runtime feeds it) and the
    # bench size; no GPU here, so not 1024×768.
    assert [entry["input"] for entry in generator["sizes"]] == [
        [1, channels, 128, 96], [1, channels, 256, 192], [1, channels, 512, 384]]
    for entry in generator["sizes"]:
        _sane(entry["onnxruntime_ms"])
        assert entry["onnxruntime_ms"]["providers"] == ["CPUExecutionProvider"]
        assert "onnxruntime_fp16_ms" not in entry, "fp16 is timed on a GPU only"
        if importlib.util.find_spec("torch") is not None:
            _sane(entry["torch_ms"])
            assert entry["torch_ms"]["device"] == "cpu"
            assert entry["torch_over_onnxruntime"] > 0
    small, large = (generator["sizes"][i]["onnxruntime_ms"]["median"] for i in (0, 2))
    assert large > small, "16 times the pixels take longer"
    assert "random weights" in generator["note"]
    assert generator["batch"]["input"] == [8, channels, 128, 96]
    assert generator["batch"]["images_per_second"] > 0


def test_text_report(report: dict) -> None:
    text = format_report(report)
    assert "end to end" in text and "pose (person)" in text and "try-ons/s" in text
    assert "PyTorch" in text and "generator alone" in text and "Studio models" in text
    for height, width in ((256, 192), (512, 384)):
        assert f"1×{contract.IN_CHANNELS}×{height}×{width}" in text


def test_torch_absent_gives_a_note(monkeypatch: pytest.MonkeyPatch) -> None:
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "torch" else real(name, *a))
    result = bench_generator.time_torch({"generator_config": "width=8,levels=5"},
                                        (1, contract.IN_CHANNELS, 64, 64), runs=1, threads=1)
    assert "not installed" in result["note"] and "median" not in result


def test_generator_alone_on_both_runtimes(tiny_export: TinyExport) -> None:
    """ONNX Runtime on the exported file and PyTorch on the architecture its metadata names."""
    shape = (1, contract.IN_CHANNELS, 64, 96)
    onnx = bench_generator.time_onnx(tiny_export.onnx, "cpu", shape, runs=2)
    _sane(onnx)
    assert bench_generator.time_onnx(tiny_export.onnx, "cpu", shape, runs=1, precision="fp16"
                                     )["median"] > 0
    pytest.importorskip("torch", reason="the train extra (torch) is not installed")
    metadata = {"generator_config": "width=8,levels=5"}
    _sane(bench_generator.time_torch(metadata, shape, runs=2, threads=1))
    with pytest.raises(ValueError, match="stride"):
        bench_generator.time_torch({"generator_config": "width=8,levels=6"}, shape, runs=1,
                                   threads=1)


def test_model_inputs_follow_the_contract() -> None:
    inputs = bench_generator.model_inputs((2, contract.IN_CHANNELS, 64, 32))
    assert inputs.shape == (2, contract.IN_CHANNELS, 64, 32) and inputs.dtype == np.float32
    region = inputs[:, contract.REGION]
    assert set(np.unique(region)) == {0.0, 1.0}
    assert (inputs[:, contract.HINT] <= region).all()
    assert (inputs[:, contract.GARMENT_MASK] <= region).all()
    assert set(np.unique(inputs[:, contract.POSE])) == {0.0, 1.0}
    with pytest.raises(ValueError, match="channels"):
        bench_generator.model_inputs((1, 8, 64, 32))


def test_generator_sizes() -> None:
    assert generator_sizes((256, 192), 32, (512, 384), gpu=False) == [(256, 192), (512, 384)]
    assert generator_sizes((256, 192), 32, (512, 384), gpu=True) == [
        (256, 192), (512, 384), (1024, 768)]
    assert generator_sizes((128, 96), 32, (300, 500), gpu=False) == [
        (128, 96), (256, 192), (320, 512), (512, 384)]  # 300×500 rounded up to the stride


def test_bench_never_imports_torch_at_import() -> None:
    code = ("import sys, tryon.tools.bench, tryon.tools.batch, tryon.tools.bench_text, "
            "tryon.tools.bench_studio; "
            "sys.exit('torch' in sys.modules)")
    assert subprocess.run([sys.executable, "-c", code], cwd=PROJECT).returncode == 0


@pytest.fixture(scope="module")
def studio() -> dict:
    """The Studio entries for real (the bundled models and demo inputs), one timed run each,
    through JSON as ``--json`` prints them."""
    return json.loads(json.dumps(bench_studio.studio_figures(runs=1)))


def test_studio_models_are_timed(studio: dict) -> None:
    assert tuple(studio) == bench_studio.STUDIO_ENTRIES
    for figures in studio.values():
        _sane(figures)
    for key, inputs in (("variant_lab", {"blue-plimsolls", "white-tee"}),
                        ("variant_gan", {"blue-plimsolls", "white-tee"}),
                        ("design", {"sneaker"})):
        assert set(studio[key]["by_input"]) == inputs
        assert studio[key]["colour"] == bench_studio.STUDIO_COLOUR
        for figures in studio[key]["by_input"].values():
            _sane(figures)
    # The material carries a swatch cut from a bundled photo, not a colour.
    material = studio["material"]
    assert set(material["by_input"]) == {"blue-plimsolls", "white-tee"}
    assert material["swatch"] == bench_studio.STUDIO_SWATCH and "colour" not in material
    for figures in material["by_input"].values():
        _sane(figures)
    # One forward pass at each network's native size.
    assert studio["colourway_network"]["input"] == [1, colourway.IN_CHANNELS, *colourway.SIZE]
    assert studio["sketch_network"]["input"] == [1, sketch.IN_CHANNELS, *sketch.SIZE]
    assert studio["samples"]["count"] == 1
    assert studio["samples"]["model"].endswith("samples.onnx")
    text = "\n".join(studio_lines(studio))
    assert text.startswith("Studio models") and "skipped" not in text
    assert "1×10×128×128" in text and "white-tee" in text
    assert f"with swatch {bench_studio.STUDIO_SWATCH}: blue-plimsolls " in text


def test_missing_studio_models_are_skipped(tmp_path: Path) -> None:
    missing = tmp_path / "absent.onnx"
    studio = bench_studio.studio_figures(runs=1, colourway_model=missing, sketch_model=missing,
                                         samples_model=missing)
    assert tuple(studio) == bench_studio.STUDIO_ENTRIES
    for key in ("variant_lab", "material"):  # need no model: still timed
        _sane(studio[key])
    for key in ("variant_gan", "colourway_network", "design", "sketch_network", "samples"):
        assert set(studio[key]) == {"skipped"}
        assert studio[key]["skipped"].startswith("refiner_unavailable: ")
        assert str(missing) in studio[key]["skipped"]
    assert "\n".join(studio_lines(studio)).count("skipped (refiner_unavailable: ") == 5


def test_generator_config() -> None:
    assert bench_generator.generator_config({"generator_config": "width=16,levels=5"}) == {
        "width": 16, "levels": 5}
    assert bench_generator.generator_config({}) == {}


class TestSize:
    def test_parse(self) -> None:
        assert parse_size("512x384") == (512, 384) and parse_size("1024X768") == (1024, 768)
        for bad in ("512", "axb", "10x10", "512x384x3"):
            with pytest.raises(TryOnError):
                parse_size(bad)

    @pytest.mark.parametrize("size", [(512, 384), (1024, 768), (300, 500)])
    def test_fit_photo_keeps_the_whole_picture(self, size: tuple[int, int]) -> None:
        rgb = np.full((768, 429, 3), 200, np.uint8)
        rgb[:, 190:220] = 0  # a dark band from head to feet
        fitted = fit_photo(rgb, size)
        assert fitted.shape == (*size, 3) and fitted.dtype == np.uint8
        dark = np.nonzero((fitted < 100).all(axis=2))
        assert dark[0].min() == 0 and dark[0].max() == size[0] - 1, "top to bottom kept"

    def test_demo_inputs(self) -> None:
        inputs = demo_inputs((512, 384))
        assert len(inputs.people) == 3 and len(inputs.tops) == 3 and len(inputs.shoes) == 2
        assert len(inputs.items[Kind.BOTTOM]) == 3
        for _, data in inputs.people:
            assert decode_image(data).rgb.shape == (512, 384, 3)
