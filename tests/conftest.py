"""Shared fixtures: the real photo collection beside the project, one engine per session and a
tiny exported try-on generator."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[1]
SHARED_DATA = PROJECT.parent / "shared" / "data"
DEMO_ASSETS = PROJECT / "tryon" / "assets" / "demo"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """``../shared/data``; tests that need it are skipped on machines without it."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"real photos not available: {SHARED_DATA} is absent (it sits beside the "
                    "project on developer and CI machines)")
    return SHARED_DATA


@pytest.fixture(scope="session")
def engine() -> Iterator[object]:
    from tryon.pipeline import TryOnEngine

    with TryOnEngine() as eng:
        yield eng


@pytest.fixture(scope="session")
def analyzer() -> Iterator[object]:
    from tryon.body.person import PersonAnalyzer

    with PersonAnalyzer() as an:
        yield an


@dataclass(frozen=True)
class TinyExport:
    """A random-weight tiny try-on generator (width 8, 5 levels: stride 32, train size 128×96)
    exported by the real ``tryon-export`` command: ``onnx``, ``fp16`` and ``ort`` files and
    the command's stdout."""

    checkpoint: Path
    onnx: Path
    fp16: Path
    ort: Path
    stdout: str


TINY_TRAIN_SIZE = (128, 96)


def write_tiny_checkpoint(path: Path, seed: int = 0) -> Path:
    """A checkpoint in ``tryon-train``'s format with a seeded random tiny try-on generator."""
    import torch

    from training.networks import Generator, GeneratorConfig

    torch.manual_seed(seed)
    config = GeneratorConfig(width=8, levels=5)
    torch.save({"generator": Generator(config).state_dict(), "generator_config": asdict(config),
                "step": 123, "train_size": list(TINY_TRAIN_SIZE), "data": "random weights (test)",
                "licence": "MIT (test model)", "optimizer_g": {"ignored": True}}, path)
    return path


@pytest.fixture(scope="session")
def tiny_export(tmp_path_factory: pytest.TempPathFactory) -> TinyExport:
    """Skipped where the training stack (torch, onnx) is not installed."""
    pytest.importorskip("torch", reason="the train extra (torch) is not installed")
    pytest.importorskip("onnx", reason="the train extra (onnx) is not installed")
    folder = tmp_path_factory.mktemp("tiny-export")
    checkpoint = write_tiny_checkpoint(folder / "checkpoint.pt")
    out = folder / "tiny.onnx"
    proc = subprocess.run([sys.executable, "-m", "export.cli", "--checkpoint", str(checkpoint),
                           "--out", str(out), "--fp16", "--ort"], capture_output=True, text=True,
                          timeout=600, cwd=PROJECT)
    assert proc.returncode == 0, proc.stderr
    return TinyExport(checkpoint=checkpoint, onnx=out, fp16=folder / "tiny.fp16.onnx",
                      ort=folder / "tiny.ort", stdout=proc.stdout)


@pytest.fixture
def smoke_train_export(shared_data: Path, tmp_path: Path):  # noqa: ANN201 (a function)
    """``(config, cache, export_main, *export_args) → (run folder, model)``: a Studio GAN's
    smoke config trained for 2 real steps into ``tmp_path/run`` (checkpoint, the ``cache``
    file and a held-out list of Myntra photos checked), then exported by ``export_main``
    (``python -m export.colourway`` or ``export.sketch``) to ``tmp_path/model.onnx``. Skipped
    where the training stack (torch, onnx) or ``../shared`` is absent."""
    torch = pytest.importorskip("torch", reason="the train extra (torch) is not installed")
    pytest.importorskip("onnx", reason="the train extra (onnx) is not installed")
    from training.cli import main as train_main

    torch.set_num_threads(1)

    def train_and_export(config: Path, cache: str, export_main, *export_args: str  # noqa: ANN001
                         ) -> tuple[Path, Path]:
        run = tmp_path / "run"
        assert train_main(["--config", str(config), f"run.out={run}", "run.steps=2"]) == 0
        assert (run / "checkpoint.pt").is_file() and (run / cache).is_file()
        held = (run / "held_out.txt").read_text().split()
        assert held and all("myntra" in line for line in held)
        model = tmp_path / "model.onnx"
        assert export_main(["--checkpoint", str(run / "checkpoint.pt"), "--out", str(model),
                            *export_args]) == 0
        return run, model

    return train_and_export


def drawn_skin_lightness(result: object, window: object) -> tuple[object, float]:
    """The skin a try-on's scene drew inside ``window`` ((H, W) bool, working size): the
    hinted pixels the photo's own region does not hint, as an (H, W) bool mask, and their
    median Lab lightness over the lit face's."""
    import cv2
    import numpy as np

    from tryon.kinds.top.region import top_region

    zone = top_region(result.working, result.person)
    drawn = window & result.scene.hint & ~zone.hint
    lightness = cv2.cvtColor(result.scene.photo, cv2.COLOR_RGB2LAB)[..., 0].astype(np.float32)
    face = cv2.cvtColor(np.uint8(zone.face_lit_rgb).reshape(1, 1, 3), cv2.COLOR_RGB2LAB)
    share = float(np.median(lightness[drawn])) / float(face[0, 0, 0]) if drawn.any() else 0.0
    return drawn, share


def forearms_zone(pose: object, shape: tuple[int, int], radius: float) -> object:
    """(H, W) bool: within ``radius`` body units of each forearm's bone (elbow to wrist) of
    ``pose`` (a :class:`~tryon.body.pose.Pose`), in a picture of ``shape``."""
    import numpy as np

    from tryon.body.landmarks import PoseLandmark as L
    from tryon.imaging.geometry import draw_capsule

    zone = np.zeros(shape, np.uint8)
    for elbow, wrist in ((L.LEFT_ELBOW, L.LEFT_WRIST), (L.RIGHT_ELBOW, L.RIGHT_WRIST)):
        draw_capsule(zone, pose.point(elbow), pose.point(wrist), radius * pose.unit_px, 1)
    return zone > 0
