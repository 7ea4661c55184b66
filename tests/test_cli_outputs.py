"""Output paths of the command line: every problem with ``--out``/``--layers`` is refused
before the work starts (exit 2, one ``error:`` line), nothing is created or overwritten by a
command that is refused, and ``--out`` is written in the format its extension names."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image

from tests.conftest import DEMO_ASSETS, PROJECT
from tryon.tools.cli import LAYER_NAMES, RESULT_FORMATS

PERSON = DEMO_ASSETS / "people" / "woman-studio.jpg"
TOP = DEMO_ASSETS / "tops" / "denim-jacket.jpg"
NOBODY = 65534  # the user id of "nobody"


def tryon(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "tryon.tools.cli", *map(str, args)], cwd=PROJECT,
                          capture_output=True, text=True, timeout=300)


def run_top(out: Path, *extra: str | Path) -> subprocess.CompletedProcess[str]:
    """``tryon run`` of the demo top on the demo person, without the generator (fast)."""
    return tryon("run", "--person", PERSON, "--item", TOP, "--kind", "top", "--no-refine",
                 "--out", out, *extra)


def assert_refused(proc: subprocess.CompletedProcess[str], code: str, *words: str) -> None:
    """Exit 2, one ``error: <code>: ...`` line naming ``words``, no traceback."""
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith(f"error: {code}: "), lines[0]
    assert all(word in lines[0] for word in words), lines[0]
    assert "Traceback" not in proc.stderr


def _existing_file(tmp: Path) -> Path:
    path = tmp / "layers.png"
    path.write_bytes(b"a file, not a folder")
    return path


def _under_a_file(tmp: Path) -> Path:
    return _existing_file(tmp) / "layers"


@pytest.mark.parametrize("layers", [_existing_file, _under_a_file],
                         ids=["existing-file", "under-a-file"])
def test_layers_that_cannot_be_a_folder_are_refused_first(
        tmp_path: Path, layers: Callable[[Path], Path]) -> None:
    out = tmp_path / "result.png"
    proc = run_top(out, "--layers", layers(tmp_path))
    assert_refused(proc, "bad_argument", "--layers", "is not a folder")
    assert not out.exists(), "the result was written although --layers is unusable"
    assert proc.stdout == ""


def test_a_read_only_folder_is_refused_first() -> None:
    """A folder without write permission, for ``--layers`` (below it) and ``--out``. Root
    may write anywhere: as root the command runs as user nobody (``setpriv``)."""
    as_user: list[str] = []
    if os.geteuid() == 0:
        if shutil.which("setpriv") is None:
            pytest.skip("running as root without setpriv: a read-only folder cannot be made")
        as_user = ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"]
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        base.chmod(0o777)  # nobody may write here, but not in locked/
        locked = base / "locked"
        locked.mkdir(mode=0o555)
        locked.chmod(0o555)
        command = [*as_user, sys.executable, "-m", "tryon.tools.cli", "run", "--person",
                   str(PERSON), "--item", str(TOP), "--kind", "top", "--no-refine"]
        try:
            proc = subprocess.run([*command, "--out", str(base / "result.png"), "--layers",
                                   str(locked / "layers")], cwd=PROJECT, capture_output=True,
                                  text=True, timeout=300)
            assert_refused(proc, "bad_argument", "--layers", "not writable")
            proc = subprocess.run([*command, "--out", str(locked / "result.png")], cwd=PROJECT,
                                  capture_output=True, text=True, timeout=300)
            assert_refused(proc, "bad_argument", "--out", "not writable")
            assert sorted(p.name for p in base.iterdir()) == ["locked"]
            assert not any(locked.iterdir())
        finally:
            locked.chmod(0o755)


def test_out_where_a_layer_goes_is_refused(tmp_path: Path) -> None:
    layers = tmp_path / "layers"
    layers.mkdir()
    proc = run_top(layers / "coarse.png", "--layers", layers)
    assert_refused(proc, "bad_argument", "--out", "layer")
    assert not any(layers.iterdir())


@pytest.mark.parametrize(("name", "problem"), [("result.xyz", "extension .xyz"),
                                               ("result", "without an extension"),
                                               ("folder.png", "is a folder")])
def test_unusable_out_is_refused_first(tmp_path: Path, name: str, problem: str) -> None:
    (tmp_path / "folder.png").mkdir()
    layers = tmp_path / "layers"
    proc = run_top(tmp_path / name, "--layers", layers)
    assert_refused(proc, "bad_argument", "--out", problem)
    assert not layers.exists() and sorted(p.name for p in tmp_path.iterdir()) == ["folder.png"]


@pytest.mark.parametrize("suffix", [".gif", ".jpg", ".webp"])
def test_out_is_written_in_the_format_its_extension_names(tmp_path: Path, suffix: str) -> None:
    out = tmp_path / f"result{suffix}"
    proc = run_top(out)
    assert proc.returncode == 0, proc.stderr
    with Image.open(out) as picture:
        assert picture.format == RESULT_FORMATS[suffix]
        assert picture.size == Image.open(PERSON).size
        assert "exif" not in picture.info


def test_layer_names_cover_what_run_writes(tmp_path: Path) -> None:
    layers = tmp_path / "layers"
    proc = run_top(tmp_path / "result.png", "--layers", layers)
    assert proc.returncode == 0, proc.stderr
    assert {path.stem for path in layers.iterdir()} <= LAYER_NAMES


def test_a_model_that_is_a_directory_is_named_so(tmp_path: Path) -> None:
    proc = tryon("run", "--person", PERSON, "--item", TOP, "--out", tmp_path / "o.png",
                 "--model", tmp_path)
    assert_refused(proc, "refiner_unavailable", "is a directory, not a model file")
    assert not (tmp_path / "o.png").exists()


@pytest.mark.parametrize("option", [("--batch-size", "0"), ("--workers", "0")])
def test_batch_refuses_arguments_before_creating_the_folder(tmp_path: Path,
                                                           option: tuple[str, str]) -> None:
    out = tmp_path / "results"
    proc = tryon("batch", "--persons", DEMO_ASSETS / "people", "--items",
                 DEMO_ASSETS / "tops", "--out", out, *option)
    assert_refused(proc, "bad_argument", option[0])
    assert not out.exists(), "the output folder was created for a refused command"


@pytest.mark.parametrize("command", ["batch", "demo"])
def test_an_output_folder_that_is_a_file_is_refused(tmp_path: Path, command: str) -> None:
    out = _existing_file(tmp_path)
    inputs = ["--persons", DEMO_ASSETS / "people", "--items", DEMO_ASSETS / "tops"]
    proc = tryon(command, *(inputs if command == "batch" else []), "--out", out)
    assert_refused(proc, "bad_argument", "--out", "is not a folder")
    proc = tryon(command, *(inputs if command == "batch" else []), "--out", out / "results")
    assert_refused(proc, "bad_argument", "--out", "is not a folder")


def test_an_existing_result_is_replaced_only_when_asked(tmp_path: Path) -> None:
    out = tmp_path / "result.png"
    out.write_bytes(b"an earlier result")
    assert_refused(run_top(out), "bad_argument", "--out", "already exists", "--overwrite")
    assert out.read_bytes() == b"an earlier result", "refused, yet the file changed"
    proc = run_top(out, "--overwrite")
    assert proc.returncode == 0, proc.stderr
    with Image.open(out) as picture:
        assert picture.format == "PNG" and picture.size == Image.open(PERSON).size


def test_the_person_photo_is_never_the_result(tmp_path: Path) -> None:
    photo = tmp_path / "me.jpg"
    shutil.copy(PERSON, photo)
    before = photo.read_bytes()
    proc = tryon("run", "--person", photo, "--item", TOP, "--kind", "top", "--no-refine",
                 "--out", photo, "--overwrite")
    assert_refused(proc, "bad_argument", "--out", "input photos")
    assert photo.read_bytes() == before
