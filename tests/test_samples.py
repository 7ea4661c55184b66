"""Sampled designs (``tryon design --samples N``): the committed model and novelty reference
give RGBA PNGs that the try-on engine takes as shoes, each with its nearest catalog photo and
finite distances; the count's bounds, the no-overwrite rule, seeds; the contract's metadata
read back from the model; and the smoke config's real training loop followed by the export
with its parity check and a resume from the slim checkpoint.
"""

from __future__ import annotations

import json
import math
import shutil
from pathlib import Path

import cv2
import numpy as np
import pytest

from tests.conftest import DEMO_ASSETS, PROJECT
from tryon.imaging.decode import decode_image
from tryon.studio import samples as sm
from tryon.studio.novelty import DEFAULT_REFERENCE, load_reference
from tryon.studio.sampling import DEFAULT_MODEL, MAX_SAMPLES, SamplesModel, make_samples
from tryon.tools.cli import main

DEMO_PERSON = DEMO_ASSETS / "people" / "woman-studio.jpg"
SMOKE = PROJECT / "training" / "configs" / "samples-smoke.yaml"


def _samples(out: Path, count: int, *extra: str) -> int:
    return main(["design", "--samples", str(count), "--out", str(out), *extra])


def test_committed_model_matches_the_contract() -> None:
    import onnx

    model = SamplesModel(DEFAULT_MODEL, threads=1)
    assert sm.check_metadata(model.metadata) is None
    # Read back from the file itself, not only through the runtime.
    props = {p.key: p.value for p in onnx.load(str(DEFAULT_MODEL)).metadata_props}
    assert props["contract"] == sm.CONTRACT_VERSION and props["latent"] == str(sm.LATENT)
    assert props["train_size"] == f"{sm.SIZE[0]}x{sm.SIZE[1]}"
    assert props["input"] == "latent" and props["outputs"] == "rgb,alpha"
    assert "x/127.5-1" in props["normalisation"] and "R,G,B" in props["channel_order"]
    assert "non-commercial" in props["licence"] and int(props["step"]) > 0
    assert DEFAULT_MODEL.stat().st_size < 4e6
    reference = load_reference(DEFAULT_REFERENCE)
    assert len(reference) == 880 and np.isfinite(reference.nearest).all()
    assert 0 < reference.median < 1


def test_samples_are_rgba_shoes_the_try_on_accepts(tmp_path: Path, capsys) -> None:
    out = tmp_path / "designs"
    assert _samples(out, 3, "--seed", "7", "--json") == 0
    report = json.loads(capsys.readouterr().out)
    assert report["count"] == 3 and len(report["samples"]) == 3
    names = set(load_reference(DEFAULT_REFERENCE).names)
    for sample in report["samples"]:
        assert Path(sample["file"]).parent == out and sample["nearest"] in names
        assert math.isfinite(sample["distance"]) and sample["distance"] >= 0
        assert 0 <= sample["percentile"] <= 100
        decoded = decode_image(Path(sample["file"]))
        assert decoded.alpha is not None and decoded.rgb.shape[:2] == (512, 512)
        solid = decoded.alpha >= 128
        assert 0.05 < solid.mean() < 0.9  # a product with background around it
        assert cv2.connectedComponents(solid.astype(np.uint8))[0] - 1 <= 4
    assert math.isfinite(report["reference"]["median_nearest"])
    assert sorted(p.name for p in out.iterdir()) == [f"sample-s7-00{i}.png" for i in range(3)]
    tried = tmp_path / "tried.png"
    code = main(["run", "--person", str(DEMO_PERSON), "--item", report["samples"][0]["file"],
                 "--kind", "shoes", "--out", str(tried), "--no-refine", "--json"])
    assert code == 0, capsys.readouterr().err
    assert json.loads(capsys.readouterr().out)["kind"] == "shoes"
    assert decode_image(tried).rgb.shape == decode_image(DEMO_PERSON).rgb.shape
    # Without --kind, the catalog classifier itself takes the design for shoes.
    code = main(["run", "--person", str(DEMO_PERSON), "--item", report["samples"][0]["file"],
                 "--out", str(tried), "--overwrite", "--no-refine", "--json"])
    assert code == 0, capsys.readouterr().err
    assert json.loads(capsys.readouterr().out)["kind"] == "shoes"


@pytest.mark.parametrize("count", [0, -1, MAX_SAMPLES + 1])
def test_count_out_of_range_is_bad_argument(tmp_path: Path, capsys, count: int) -> None:
    out = tmp_path / "designs"
    assert _samples(out, count) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: bad_argument: --samples {count}: give 1 to {MAX_SAMPLES}")
    assert not out.exists()


def test_existing_designs_are_not_overwritten(tmp_path: Path, capsys) -> None:
    out = tmp_path / "designs"
    out.mkdir()
    existing = out / "sample-s0-001.png"
    existing.write_bytes(b"old")
    assert _samples(out, 2) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: bad_argument:") and "already exists" in err
    assert existing.read_bytes() == b"old" and not (out / "sample-s0-000.png").exists()
    assert _samples(out, 2, "--overwrite", "--colour", "#1f2a44") == 0
    assert decode_image(existing).alpha is not None
    capsys.readouterr()
    assert _samples(out / "sample-s0-000.png", 1) == 2  # a file where the folder goes
    assert "is a file" in capsys.readouterr().err


def test_seed_gives_the_same_designs() -> None:
    model = SamplesModel(DEFAULT_MODEL, threads=1)
    a, b = make_samples(2, 3, None, model), make_samples(2, 3, None, model)
    c = make_samples(2, 4, None, model)
    assert all(np.array_equal(x.rgba, y.rgba) for x, y in zip(a, b, strict=True))
    assert not np.array_equal(a[0].rgba, c[0].rgba)


def test_smoke_config_trains_and_exports(smoke_train_export, tmp_path: Path) -> None:  # noqa: ANN001
    import torch

    from export.samples import main as export_main
    from training.cli import main as train_main

    slim = tmp_path / "slim.pt"
    _, model = smoke_train_export(SMOKE, "samples-cache.npz", export_main, "--slim", str(slim))
    loaded = SamplesModel(model, threads=1)
    assert loaded.metadata["step"] == "2" and "non-commercial" in loaded.metadata["licence"]
    assert sm.check_metadata(loaded.metadata) is None and slim.is_file()
    pictures, alphas = loaded.paint(sm.latents(2, 0))
    assert pictures.shape == (2, *sm.SIZE, 3) and alphas.shape == (2, *sm.SIZE)
    # Training goes on from the slim checkpoint (fp16 EMA weights, fresh optimisers).
    again = tmp_path / "again"
    again.mkdir()
    shutil.copy(slim, again / "checkpoint.pt")
    assert train_main(["--config", str(SMOKE), f"run.out={again}", "run.steps=3"]) == 0
    assert torch.load(again / "checkpoint.pt", weights_only=False)["step"] == 3
