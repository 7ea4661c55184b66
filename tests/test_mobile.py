"""``tryon-export --mobile``: the package is built from the real models on real photos (a
small subset: the 256x192 generator in fp32 and int8, two calibration scenes, no catalog) and
``python -m export.check_mobile`` passes on it, fails on a corrupted file."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import onnx
import pytest

from export.check_mobile import main as check_main
from export.cli import main as export_main
from export.mobile.build import DEFAULT_GENERATOR, MobileOptions, build_package
from export.mobile.manifest import sha256
from export.mobile.scenes import SHARED_DATA
from tryon.generator import contract

pytestmark = pytest.mark.skipif(not (SHARED_DATA / "vitonhd" / "persons").is_dir(),
                                reason="needs ../shared/data (VITON-HD persons, ootd tops) for "
                                "the int8 calibration")

SMALL = MobileOptions(sizes=(contract.TRAIN_SIZE,), precisions=("fp32", "int8"), calibration=2,
                      catalog=None)


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("mobile") / "package"
    build_package(out, SMALL, log=lambda _: None)
    return out


def _manifest(folder: Path) -> dict:
    return json.loads((folder / "manifest.json").read_text())


class TestPackage:
    def test_checker_passes(self, package: Path, capsys: pytest.CaptureFixture[str]) -> None:
        assert check_main([str(package)]) == 0
        out = capsys.readouterr().out
        assert "all 4 runs pass" in out  # fp32 and int8, each as .onnx and .ort

    def test_layout(self, package: Path) -> None:
        names = {p.relative_to(package).as_posix() for p in package.rglob("*") if p.is_file()}
        for precision in ("fp32", "int8"):
            stem = f"generator/generator-256x192-{precision}"
            for suffix in (".onnx", ".ort", ".required_operators.config", ".usability.txt"):
                assert stem + suffix in names
        assert "manifest.json" in names
        assert any(n.startswith("golden/generator-256x192/") for n in names)

    def test_manifest_sha256_match(self, package: Path) -> None:
        files = _manifest(package)["files"]
        assert files
        for name, entry in files.items():
            path = package / name
            assert sha256(path) == entry["sha256"], name
            assert path.stat().st_size == entry["size"], name

    def test_manifest_describes_the_contract(self, package: Path) -> None:
        manifest = _manifest(package)
        generator = manifest["models"]["generator"]
        channels = generator["inputs"][0]["channels"]
        assert [c["name"] for c in channels] == list(contract.CHANNELS)
        assert [o["name"] for o in generator["outputs"]] == list(contract.OUTPUTS)
        assert "CC BY-NC 4.0" in generator["licence"]
        assert len(generator["landmarks"]["names"]) == 33
        assert any(str(contract.CROP_MARGIN) in step for step in generator["preprocessing"])
        assert any(contract.metadata()["composition"] in step
                   for step in generator["postprocessing"])
        variant = manifest["variants"][0]
        assert variant["inputs"]["inputs"] == [1, contract.IN_CHANNELS, *contract.TRAIN_SIZE]

    def test_fixed_shapes_and_metadata(self, package: Path) -> None:
        model = onnx.load(str(package / "generator/generator-256x192-int8.onnx"))
        dims = [d.dim_value for d in model.graph.input[0].type.tensor_type.shape.dim]
        assert dims == [1, contract.IN_CHANNELS, *contract.TRAIN_SIZE]
        meta = {p.key: p.value for p in model.metadata_props}
        assert meta["precision"] == "int8"
        assert contract.check_metadata(meta) is None
        assert any(node.op_type == "QuantizeLinear" for node in model.graph.node)

    def test_usability_reports_kept(self, package: Path) -> None:
        report = (package / "generator/generator-256x192-fp32.usability.txt").read_text()
        assert "Checking NNAPI" in report and "CoreML" in report
        usability = _manifest(package)["variants"][0]["usability"]
        assert usability["NNAPI"].startswith("1 partition")

    def test_golden_cases_name_the_part_that_shows_the_photo(self, package: Path) -> None:
        """The runtime discards the padding below and right of the crop, so the drift from
        fp32 is measured on the picture: the demo selfie's wide crop fills 130 of 256 rows."""
        import numpy as np

        cases = _manifest(package)["golden"]["generator-256x192"]
        rows = {c["case"]: c["picture"] for c in cases}
        assert all(0 < r <= contract.TRAIN_SIZE[0] and 0 < c <= contract.TRAIN_SIZE[1]
                   for r, c in rows.values())
        assert rows["man-selfie+bandana-shirt"][0] < contract.TRAIN_SIZE[0] // 2 + 8
        case = next(c for c in cases if c["case"] == "man-selfie+bandana-shirt"
                    and c["variant"].endswith("int8"))
        r, c = case["picture"]
        got = np.load(package / case["expected"]["rgb"])
        fp32 = np.load(package / case["fp32_expected"]["rgb"])
        assert case["vs_fp32"]["rgb"]["mean_abs"] == pytest.approx(
            float(np.abs(got - fp32)[..., :r, :c].mean()), rel=1e-6)


class TestCorruption:
    def test_corrupted_model_fails(self, package: Path, tmp_path: Path,
                                   capsys: pytest.CaptureFixture[str]) -> None:
        copy = tmp_path / "copy"
        shutil.copytree(package, copy)
        target = copy / "generator/generator-256x192-int8.onnx"
        data = bytearray(target.read_bytes())
        data[len(data) // 2] ^= 0xFF
        target.write_bytes(bytes(data))
        assert check_main([str(copy)]) == 1
        err = capsys.readouterr().err
        assert "generator/generator-256x192-int8.onnx: sha256 or size differs" in err

    def test_changed_expected_output_fails(self, package: Path, tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
        """A golden vector edited and its sha256 updated: the comparison itself fails."""
        import numpy as np

        copy = tmp_path / "copy"
        shutil.copytree(package, copy)
        manifest = _manifest(copy)
        case = next(c for c in manifest["golden"]["generator-256x192"]
                    if c["variant"] == "generator-256x192-fp32")
        path = copy / case["expected"]["rgb"]
        np.save(path, np.load(path) + 0.5)
        manifest["files"][case["expected"]["rgb"]].update(sha256=sha256(path),
                                                         size=path.stat().st_size)
        (copy / "manifest.json").write_text(json.dumps(manifest))
        assert check_main([str(copy)]) == 1
        assert "max |output - expected|" in capsys.readouterr().err

    def test_missing_manifest(self, tmp_path: Path) -> None:
        assert check_main([str(tmp_path)]) == 2


class TestCommand:
    def test_rejects_other_flags(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        assert export_main(["--mobile", str(tmp_path / "out"), "--fp16"]) == 2
        assert "error: bad_argument" in capsys.readouterr().err

    def test_rejects_bad_sizes(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        assert export_main(["--mobile", str(tmp_path / "out"), "--sizes", "250x190"]) == 2
        assert "multiple of" in capsys.readouterr().err

    def test_rejects_missing_model(self, tmp_path: Path,
                                   capsys: pytest.CaptureFixture[str]) -> None:
        assert export_main(["--mobile", str(tmp_path / "out"), "--model",
                            str(tmp_path / "none.onnx")]) == 2
        assert "does not exist" in capsys.readouterr().err

    def test_default_model_is_the_shipped_generator(self) -> None:
        assert DEFAULT_GENERATOR.is_file()
