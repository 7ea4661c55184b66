"""Paired metrics on synthetic pictures, and ``tryon eval`` on VITON-HD pairs."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import cv2
import numpy as np
import pytest

from tests.conftest import PROJECT, TinyExport
from tryon.errors import TryOnError
from tryon.evaluate import read_pairs
from tryon.metrics import PSNR_CAP, ImageMetrics, compare, l1, l1_region, mean_metrics, psnr, ssim

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
    return subprocess.run([sys.executable, "-m", "tryon.cli", *map(str, args)], cwd=PROJECT,
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
