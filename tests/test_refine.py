"""The refine stage on a tiny exported model in real ONNX Runtime: providers, crop/pad/blend
invariants, model errors, and the pipeline and CLI with a refiner."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import tryon.pipeline
import tryon.refine
from tests.conftest import DEMO_ASSETS, PROJECT, TinyExport
from tryon.errors import ErrorCode, TryOnError
from tryon.pipeline import NO_MODEL_WARNING, TryOnEngine
from tryon.refine import PROVIDERS, Refiner, select_providers

PERSON = DEMO_ASSETS / "people" / "woman-studio.jpg"
TOP = DEMO_ASSETS / "tops" / "white-tee.jpg"
CPU = "CPUExecutionProvider"


def _scene(height: int, width: int, seed: int = 0) -> tuple[np.ndarray, ...]:
    rng = np.random.default_rng(seed)
    coarse = rng.integers(0, 256, (height, width, 3), dtype=np.uint8)
    agnostic = rng.integers(0, 256, (height, width, 3), dtype=np.uint8)
    item = rng.uniform(0, 1, (height, width)).astype(np.float32)
    return coarse, agnostic, item


def test_runtime_never_imports_torch() -> None:
    code = ("import sys, tryon.cli, tryon.pipeline, tryon.refine, tryon.evaluate, tryon.metrics; "
            "sys.exit('torch' in sys.modules)")
    assert subprocess.run([sys.executable, "-c", code], cwd=PROJECT).returncode == 0


class TestSelectProviders:
    def test_auto_keeps_only_providers_that_load(self) -> None:
        providers = select_providers("auto")
        assert providers[-1] == CPU and set(providers) <= set(PROVIDERS.values())
        if PROVIDERS["cuda"] not in providers:  # a machine without a usable GPU
            assert providers == [CPU]

    def test_forced_provider_that_does_not_load(self) -> None:
        if PROVIDERS["cuda"] in select_providers("auto"):
            pytest.skip("CUDA loads on this machine")
        with pytest.raises(TryOnError, match="provider cuda is not available here") as info:
            select_providers("cuda")
        assert info.value.code is ErrorCode.BAD_ARGUMENT

    def test_cpu_and_unknown(self) -> None:
        assert select_providers("cpu") == [CPU]
        with pytest.raises(TryOnError) as info:
            select_providers("gpu")
        assert info.value.code is ErrorCode.BAD_ARGUMENT


class TestRefiner:
    @pytest.fixture(scope="class")
    def refiner(self, tiny_export: TinyExport) -> Refiner:
        return Refiner(tiny_export.onnx, provider="cpu")

    def test_reads_metadata(self, refiner: Refiner) -> None:
        assert refiner.train_size == (128, 96) and refiner.stride == 16
        assert refiner.providers == (CPU,)
        assert refiner.metadata["licence"] == "MIT (test model)"

    @pytest.mark.parametrize("shape, box", [
        ((300, 200), (40, 30, 260, 170)),    # a top-like region, shrunk to fit
        ((60, 50), (10, 5, 50, 45)),         # smaller than the train size: enlarged
        ((200, 400), (0, 0, 200, 400)),      # the whole picture, wide
        ((120, 90), (100, 80, 120, 90)),     # in the corner
        ((120, 90), (57, 33, 58, 34)),       # one pixel
    ])
    def test_only_repaint_pixels_change(self, refiner: Refiner, shape: tuple[int, int],
                                        box: tuple[int, int, int, int]) -> None:
        coarse, agnostic, item = _scene(*shape)
        repaint = np.zeros(shape, bool)
        y0, x0, y1, x1 = box
        repaint[y0:y1, x0:x1] = True
        repaint[y0:y1:3, x0] = False  # a ragged edge
        before = coarse.copy()
        out = refiner.run(coarse, agnostic, repaint, item)
        assert out.shape == coarse.shape and out.dtype == np.uint8
        assert np.array_equal(out[~repaint], coarse[~repaint])
        assert np.array_equal(coarse, before), "the input was modified"
        if repaint.sum() > 100:
            assert (out[repaint] != coarse[repaint]).any(), "a random model changes pixels"

    def test_empty_repaint_returns_coarse(self, refiner: Refiner) -> None:
        coarse, agnostic, item = _scene(80, 60)
        out = refiner.run(coarse, agnostic, np.zeros((80, 60), bool), item)
        assert np.array_equal(out, coarse)

    def test_bad_shapes(self, refiner: Refiner) -> None:
        coarse, agnostic, item = _scene(80, 60)
        with pytest.raises(ValueError, match="repaint"):
            refiner.run(coarse, agnostic, np.zeros((80, 61), bool), item)
        with pytest.raises(ValueError, match="coarse"):
            refiner.run(coarse.astype(np.float32), agnostic, np.zeros((80, 60), bool), item)

    def test_fp16_and_ort_files_agree(self, refiner: Refiner, tiny_export: TinyExport) -> None:
        coarse, agnostic, item = _scene(240, 180, seed=2)
        repaint = np.zeros((240, 180), bool)
        repaint[40:200, 30:150] = True
        reference = refiner.run(coarse, agnostic, repaint, item).astype(int)
        for path in (tiny_export.ort, tiny_export.fp16):
            with Refiner(path, provider="cpu") as other:
                diff = np.abs(other.run(coarse, agnostic, repaint, item) - reference)
            assert diff.max() <= 3, path


class TestBatchAndDevices:
    @pytest.fixture(scope="class")
    def refiner(self, tiny_export: TinyExport) -> Refiner:
        return Refiner(tiny_export.onnx, provider="cpu")

    def _scenes(self) -> list[tuple[np.ndarray, ...]]:
        scenes = []
        for seed, (shape, box) in enumerate([((300, 200), (40, 30, 260, 170)),
                                             ((120, 90), (100, 80, 120, 90)),
                                             ((200, 400), (0, 0, 200, 400)),
                                             ((80, 60), (0, 0, 0, 0))]):  # nothing to repaint
            coarse, agnostic, item = _scene(*shape, seed=seed)
            repaint = np.zeros(shape, bool)
            repaint[box[0]:box[2], box[1]:box[3]] = True
            scenes.append((coarse, agnostic, repaint, item))
        return scenes

    def test_run_many_matches_single_runs(self, refiner: Refiner) -> None:
        scenes = self._scenes()
        batched = refiner.run_many(scenes)
        assert len(batched) == len(scenes) and refiner.run_many([]) == []
        for (coarse, agnostic, repaint, item), out in zip(scenes, batched, strict=True):
            single = refiner.run(coarse, agnostic, repaint, item)
            assert out.shape == coarse.shape
            assert np.array_equal(out[~repaint], coarse[~repaint])
            assert np.abs(out.astype(int) - single.astype(int)).max() <= 1

    def test_io_binding_path_gives_the_same_picture(self, tiny_export: TinyExport) -> None:
        # On a GPU the refiner binds on the device; the same code path on the CPU here.
        with Refiner(tiny_export.onnx, provider="cpu") as plain, \
                Refiner(tiny_export.onnx, provider="cpu") as bound:
            assert plain.device == "cpu" and not plain.io_binding
            bound.io_binding = True
            scenes = self._scenes()
            for a, b in zip(plain.run_many(scenes), bound.run_many(scenes), strict=True):
                assert np.array_equal(a, b)

    def test_precision(self, tiny_export: TinyExport, tmp_path: Path) -> None:
        assert tryon.refine.fp16_sibling(Path("m/refiner.onnx")) == Path("m/refiner.fp16.onnx")
        assert tiny_export.fp16 == tryon.refine.fp16_sibling(tiny_export.onnx)
        with Refiner(tiny_export.onnx, provider="cpu") as auto:
            assert auto.model_path == tiny_export.onnx, "the CPU keeps fp32"
        with Refiner(tiny_export.onnx, provider="cpu", precision="fp16") as half:
            assert half.model_path == tiny_export.fp16
        lone = tmp_path / "lone.onnx"
        lone.write_bytes(tiny_export.onnx.read_bytes())
        with pytest.raises(TryOnError, match="tryon-export --fp16") as info:
            Refiner(lone, provider="cpu", precision="fp16")
        assert info.value.code is ErrorCode.REFINER_UNAVAILABLE
        with pytest.raises(TryOnError) as info:
            Refiner(lone, precision="half")
        assert info.value.code is ErrorCode.BAD_ARGUMENT


class TestModelErrors:
    def test_missing_default_model_says_what_to_do(self, monkeypatch: pytest.MonkeyPatch,
                                                   tmp_path: Path) -> None:
        monkeypatch.delenv("TRYON_MODEL", raising=False)
        monkeypatch.setattr(tryon.refine, "DEFAULT_MODEL", tmp_path / "refiner.onnx")
        with pytest.raises(TryOnError, match="--no-refine") as info:
            Refiner()
        assert info.value.code is ErrorCode.REFINER_UNAVAILABLE

    def test_not_a_model(self, tmp_path: Path) -> None:
        junk = tmp_path / "junk.onnx"
        junk.write_bytes(b"not a model")
        with pytest.raises(TryOnError) as info:
            Refiner(junk)
        assert info.value.code is ErrorCode.REFINER_UNAVAILABLE

    def test_model_without_metadata(self, tiny_export: TinyExport, tmp_path: Path) -> None:
        onnx = pytest.importorskip("onnx")
        model = onnx.load(tiny_export.onnx)
        del model.metadata_props[:]
        bare = tmp_path / "bare.onnx"
        onnx.save(model, bare)
        with pytest.raises(TryOnError, match="train_size"):
            Refiner(bare)


class TestPipeline:
    def test_explicit_model_refines(self, tiny_export: TinyExport) -> None:
        with TryOnEngine(model_path=tiny_export.onnx, provider="cpu") as engine:
            result = engine.run(PERSON, TOP, kind="top")
        assert result.refined and result.providers == (CPU,)
        assert "refine" in result.timings_ms and NO_MODEL_WARNING not in result.warnings
        assert result.coarse is result.composite.image
        outside = ~result.composite.repaint
        assert np.array_equal(result.image[outside], result.photo[outside])
        assert (result.image != result.coarse).any()
        assert np.array_equal(result.layers()["refined"], result.image)

    def test_missing_default_model_warns(self, monkeypatch: pytest.MonkeyPatch,
                                         tmp_path: Path) -> None:
        monkeypatch.delenv("TRYON_MODEL", raising=False)
        monkeypatch.setattr(tryon.pipeline, "DEFAULT_MODEL", tmp_path / "refiner.onnx")
        with TryOnEngine() as engine:
            result = engine.run(PERSON, TOP, kind="top")
        assert not result.refined and result.providers is None
        assert NO_MODEL_WARNING in result.warnings
        assert result.image is result.coarse and "refined" not in result.layers()
        assert "refine" not in result.timings_ms

    def test_missing_named_model_is_an_error(self, monkeypatch: pytest.MonkeyPatch,
                                             tmp_path: Path) -> None:
        with pytest.raises(TryOnError) as info:
            TryOnEngine(model_path=tmp_path / "none.onnx")
        assert info.value.code is ErrorCode.REFINER_UNAVAILABLE
        monkeypatch.setenv("TRYON_MODEL", str(tmp_path / "none.onnx"))
        with pytest.raises(TryOnError, match="none.onnx"):
            TryOnEngine()
        TryOnEngine(refine=False).close()  # not refining: the model does not matter


def _tryon(*args: str | Path, env: dict[str, str] | None = None
           ) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "tryon.cli", *map(str, args)], cwd=PROJECT,
                          capture_output=True, text=True, timeout=300, env=env)


class TestCli:
    def test_no_refine(self, tmp_path: Path) -> None:
        proc = _tryon("run", "--person", PERSON, "--item", TOP, "--out", tmp_path / "o.png",
                      "--json", "--no-refine")
        assert proc.returncode == 0, proc.stderr
        report = json.loads(proc.stdout)
        assert report["refined"] is False and report["provider"] is None
        assert NO_MODEL_WARNING not in report["warnings"] and "refine" not in report["timings_ms"]

    def test_model_from_the_environment(self, tiny_export: TinyExport, tmp_path: Path) -> None:
        import os

        env = dict(os.environ, TRYON_MODEL=str(tiny_export.onnx))
        proc = _tryon("run", "--person", PERSON, "--item", TOP, "--out", tmp_path / "o.png",
                      "--json", "--layers", tmp_path / "layers", env=env)
        assert proc.returncode == 0, proc.stderr
        report = json.loads(proc.stdout)  # stdout holds the JSON object and nothing else
        assert report["refined"] is True and report["provider"][-1] == CPU
        assert report["timings_ms"]["refine"] > 0
        assert (tmp_path / "layers" / "refined.png").is_file()

    def test_unavailable_provider_or_model(self, tiny_export: TinyExport, tmp_path: Path) -> None:
        if PROVIDERS["cuda"] in select_providers("auto"):
            pytest.skip("CUDA loads on this machine")
        proc = _tryon("run", "--person", PERSON, "--item", TOP, "--out", tmp_path / "o.png",
                      "--model", tiny_export.onnx, "--provider", "cuda")
        assert proc.returncode == 2
        assert proc.stderr == "error: bad_argument: provider cuda is not available here\n"
        proc = _tryon("run", "--person", PERSON, "--item", TOP, "--out", tmp_path / "o.png",
                      "--model", tmp_path / "none.onnx")
        assert proc.returncode == 2 and proc.stderr.startswith("error: refiner_unavailable: ")
        assert not (tmp_path / "o.png").exists()


def test_default_model_keeps_a_striped_print_crisp(shared_data: Path) -> None:
    """The refiner's change is smoothed before it reaches full size: the fine stripes of a
    Breton top keep their detail (high-pass energy inside the garment) instead of being
    washed out by what the 256×192 network cannot reproduce. Unsmoothed, at full strength,
    only about 68 % of the detail was left."""
    import cv2

    root = shared_data / "vitonhd" / "paired"
    with TryOnEngine(refine=False) as engine:
        result = engine.run(root / "image" / "00151_00.jpg", root / "cloth" / "00151_00.jpg",
                            kind="top")
    composite = result.composite
    with Refiner() as refiner:
        refined = refiner.run(composite.image, composite.agnostic, composite.repaint,
                              composite.item_mask)
    inside = cv2.erode((composite.item_mask > 0.9).astype(np.uint8),
                       np.ones((9, 9), np.uint8)) > 0

    def detail(picture: np.ndarray) -> float:
        grey = cv2.cvtColor(picture, cv2.COLOR_RGB2GRAY).astype(np.float32)
        return float(np.abs(grey - cv2.GaussianBlur(grey, (0, 0), 3))[inside].mean())

    assert not np.array_equal(refined, composite.image)
    assert detail(refined) > 0.9 * detail(composite.image)
