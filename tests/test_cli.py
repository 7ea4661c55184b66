"""The command line as a user runs it: real processes, exit codes, one-line errors."""

from __future__ import annotations

import json
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from tests.conftest import DEMO_ASSETS
from tryon.kinds import Kind
from tryon.tools import demo_items, demo_people

PERSON = DEMO_ASSETS / "people" / "woman-studio.jpg"
TOP = DEMO_ASSETS / "tops" / "denim-jacket.jpg"


def tryon(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "tryon.tools.cli", *map(str, args)],
                          capture_output=True, text=True, timeout=300)


def _assert_error(proc: subprocess.CompletedProcess[str], code: str) -> None:
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith(f"error: {code}: "), lines[0]
    assert "Traceback" not in proc.stderr


def test_run_writes_result_layers_and_json(tmp_path: Path) -> None:
    out, layers = tmp_path / "result.png", tmp_path / "layers"
    proc = tryon("run", "--person", PERSON, "--item", TOP, "--kind", "top", "--out", out,
                 "--layers", layers, "--json")
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert report["kind"] == "top" and report["timings_ms"]["total"] > 0
    assert isinstance(report["warnings"], list)
    result = np.asarray(Image.open(out))
    assert result.shape == np.asarray(Image.open(PERSON)).shape
    assert isinstance(report["refined"], bool)
    assert (report["provider"] is None) == (not report["refined"])
    expected = {"person_mask", "regions", "warped_item", "item_mask", "coarse", "pose",
                "repaint_mask", "agnostic", "skin_hint"} | (
                    {"refined"} if report["refined"] else set())
    assert {p.stem for p in layers.glob("*.png")} == expected
    assert Image.open(layers / "warped_item.png").mode == "RGBA"
    assert proc.stderr == ""


def _bad_inputs(tmp: Path) -> dict[str, tuple[Path, str]]:
    empty = tmp / "empty.jpg"
    empty.write_bytes(b"")
    text = tmp / "text.jpg"
    text.write_text("hello, I am not a photo\n")
    truncated = tmp / "truncated.jpg"
    truncated.write_bytes(PERSON.read_bytes()[:5000])
    ihdr = struct.pack(">IIBBBBB", 60000, 60000, 8, 2, 0, 0, 0)

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(
            ">I", zlib.crc32(kind + body) & 0xFFFFFFFF)

    huge = tmp / "huge.png"
    huge.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr)
                     + chunk(b"IDAT", zlib.compress(b"\0" * 1000)) + chunk(b"IEND", b""))
    tiny = tmp / "tiny.png"
    Image.new("RGB", (1, 1)).save(tiny)
    nobody = tmp / "nobody.png"
    Image.fromarray(np.full((480, 640, 3), 200, np.uint8)).save(nobody)
    return {"empty": (empty, "bad_image"), "text": (text, "bad_image"),
            "truncated": (truncated, "bad_image"), "huge": (huge, "image_too_large"),
            "tiny": (tiny, "image_too_small"), "nobody": (nobody, "no_person"),
            "missing": (tmp / "missing.jpg", "bad_image")}


@pytest.mark.parametrize("case", ["empty", "text", "truncated", "huge", "tiny", "nobody",
                                  "missing"])
def test_bad_person_photo(tmp_path: Path, case: str) -> None:
    path, code = _bad_inputs(tmp_path)[case]
    out = tmp_path / "out.png"
    _assert_error(tryon("run", "--person", path, "--item", TOP, "--out", out), code)
    assert not out.exists()


@pytest.mark.parametrize("case", ["empty", "truncated", "huge", "tiny"])
def test_bad_item_photo(tmp_path: Path, case: str) -> None:
    path, code = _bad_inputs(tmp_path)[case]
    _assert_error(tryon("run", "--person", PERSON, "--item", path, "--out",
                        tmp_path / "o.png"), code)


def test_unusable_arguments(tmp_path: Path) -> None:
    _assert_error(tryon("run", "--person", PERSON), "bad_argument")
    _assert_error(tryon("run", "--person", PERSON, "--item", TOP, "--kind", "hat",
                        "--out", tmp_path / "o.png"), "bad_argument")
    _assert_error(tryon("run", "--person", PERSON, "--item", TOP,
                        "--out", tmp_path / "no" / "such" / "dir.png"), "bad_argument")
    _assert_error(tryon("run", "--person", PERSON, "--item", TOP, "--kind", "coat",
                        "--out", tmp_path / "o.png"), "bad_argument")


def test_demo_writes_every_pair(tmp_path: Path) -> None:
    proc = tryon("demo", "--out", tmp_path)
    assert proc.returncode == 0, proc.stderr
    people, items = demo_people(), demo_items()
    kinds = {item.stem: kind for item, kind in items}
    skipped = [line for line in proc.stdout.splitlines() if line.startswith("skipped")]
    # Only items that need what a photo lacks may be skipped, with their code: shoes on a
    # photo without feet, a bottom on a half-body selfie. Tops never are.
    expected = {Kind.SHOES: "feet_not_visible", Kind.BOTTOM: "legs_not_visible",
                Kind.DRESS: "legs_not_visible"}
    assert 0 < len(skipped) < len(people) * len(items)
    for line in skipped:
        item = line.split()[1].split("__", 1)[1].removesuffix(".png:")
        assert kinds[item] in expected and expected[kinds[item]] in line, line
    assert {kind for kind in kinds.values()} >= {Kind.TOP, Kind.BOTTOM, Kind.SHOES}
    assert len(list(tmp_path.glob("*.png"))) == len(people) * len(items) - len(skipped)
    assert str(tmp_path.resolve()) in proc.stdout


def test_run_shoes_with_layers(tmp_path: Path) -> None:
    out = tmp_path / "shoes.png"
    proc = tryon("run", "--person", PERSON, "--item", DEMO_ASSETS / "shoes" / "dash-force.png",
                 "--out", out, "--layers", tmp_path / "layers", "--json")
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert report["kind"] == "shoes"  # chosen automatically from the product's shape
    assert {"person", "item", "fit", "compose"} <= set(report["timings_ms"])
    assert (tmp_path / "layers" / "warped_item.png").is_file()


def test_shoes_on_a_selfie_is_feet_not_visible(tmp_path: Path) -> None:
    _assert_error(tryon("run", "--person", DEMO_ASSETS / "people" / "man-selfie.jpg", "--item",
                        DEMO_ASSETS / "shoes" / "dash-force.png", "--kind", "shoes",
                        "--out", tmp_path / "o.png"), "feet_not_visible")
