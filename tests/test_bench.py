"""``tryon bench``: the report's shape and sane figures (never wall-clock limits), the size
fitting, and the PyTorch comparison's lazy import."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from tests.conftest import PROJECT, TinyExport
from tryon import bench_generator
from tryon.bench import demo_inputs, fit_photo, parse_size
from tryon.bench_text import format_report
from tryon.decode import decode_image
from tryon.errors import TryOnError

STAGES = ("decode", "person", "item", "fit", "compose", "refine")


def _tryon(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "tryon.cli", *map(str, args)], cwd=PROJECT,
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
        stage_sum = sum(report["stages_ms"][kind][s]["median"] for s in STAGES)
        assert stage_sum == pytest.approx(report["end_to_end_ms"][kind]["median"], rel=0.5)
    _sane(report["end_to_end_ms"]["top_same_photo"])
    assert report["stages_ms"]["top"]["person"]["median"] > 0
    # Shoes need feet: the two demo photos without them are skipped, not failed.
    assert sum("feet_not_visible" in s for s in report["skipped"]) == 4


def test_batch_and_generator(report: dict) -> None:
    batch = report["batch"]
    assert batch["pairs"] == 15 and batch["done"] == 11 and batch["per_second"] > 0
    assert len(batch["failures"]) == 4
    generator = report["generator"]
    first = generator["sizes"][0]
    assert first["input"] == [1, 8, 128, 96]  # the tiny model's train size
    assert generator["sizes"][1]["input"] == [1, 8, 512, 384]
    _sane(first["onnxruntime_ms"])
    if importlib.util.find_spec("torch") is not None:
        _sane(first["torch_ms"])
        assert first["torch_over_onnxruntime"] > 0
    assert "random weights" in generator["note"]
    assert generator["batch"]["images_per_second"] > 0


def test_text_report(report: dict) -> None:
    text = format_report(report)
    assert "end to end" in text and "pose (person)" in text and "try-ons/s" in text
    assert "PyTorch" in text


def test_torch_absent_gives_a_note(monkeypatch: pytest.MonkeyPatch) -> None:
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "torch" else real(name, *a))
    result = bench_generator.time_torch({"generator_config": "width=8,levels=4"},
                                        (1, 8, 64, 48), runs=1, threads=1)
    assert "not installed" in result["note"] and "median" not in result


def test_bench_never_imports_torch_at_import() -> None:
    code = ("import sys, tryon.bench, tryon.batch, tryon.bench_text; "
            "sys.exit('torch' in sys.modules)")
    assert subprocess.run([sys.executable, "-c", code], cwd=PROJECT).returncode == 0


def test_generator_config() -> None:
    assert bench_generator.generator_config({"generator_config": "width=16,levels=4"}) == {
        "width": 16, "levels": 4}
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
        for _, data in inputs.people:
            assert decode_image(data).rgb.shape == (512, 384, 3)
