"""Batch try-on: every person × item, generator batches, failures listed without stopping."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from tests.conftest import DEMO_ASSETS, PROJECT, TinyExport
from tryon.errors import ErrorCode, TryOnError
from tryon.pipeline import TryOnEngine, TryOnResult
from tryon.tools.batch import BatchReport, input_names, list_inputs, result_names, run_batch

PEOPLE = [DEMO_ASSETS / "people" / "woman-studio.jpg", DEMO_ASSETS / "people" / "man-selfie.jpg"]
TOPS = [DEMO_ASSETS / "tops" / "white-tee.jpg", DEMO_ASSETS / "tops" / "denim-jacket.jpg"]


@pytest.fixture()
def folders(tmp_path: Path) -> tuple[Path, Path]:
    persons, items = tmp_path / "persons", tmp_path / "items"
    persons.mkdir()
    items.mkdir()
    for path in PEOPLE:
        shutil.copy(path, persons / path.name)
    for path in TOPS:
        shutil.copy(path, items / path.name)
    (items / "notes.txt").write_text("not a picture")
    (items / ".hidden.jpg").write_text("ignored")
    return persons, items


def test_list_inputs(folders: tuple[Path, Path], tmp_path: Path) -> None:
    assert [p.name for p in list_inputs(folders[1], "items")] == [
        "denim-jacket.jpg", "notes.txt", "white-tee.jpg"]
    for missing in (tmp_path / "none", tmp_path / "persons" / PEOPLE[0].name):
        with pytest.raises(TryOnError, match="does not exist") as info:
            list_inputs(missing, "persons")
        assert info.value.code is ErrorCode.BAD_ARGUMENT
    (tmp_path / "empty").mkdir()
    with pytest.raises(TryOnError, match="holds no file"):
        list_inputs(tmp_path / "empty", "items")


def test_broken_links_are_listed_not_skipped(folders: tuple[Path, Path]) -> None:
    items = folders[1]
    (items / "gone.jpg").symlink_to(items / "deleted.jpg")
    (items / "loop.jpg").symlink_to(items / "loop.jpg")
    (items / "linked.jpg").symlink_to(items / "white-tee.jpg")
    (items / "sub").mkdir()
    assert [p.name for p in list_inputs(items, "items")] == [
        "denim-jacket.jpg", "gone.jpg", "linked.jpg", "loop.jpg", "notes.txt", "white-tee.jpg"]


def test_input_names_differ_within_a_folder(tmp_path: Path) -> None:
    paths = [tmp_path / name for name in ("a.jpg", "b.jpg", "b.png", "B.webp", "c", "c.jpg.png",
                                          "c.jpg")]
    assert [name for name, _ in input_names(paths)] == [
        "a", "b.jpg", "b.png", "B.webp", "c", "c.jpg.png", "c.jpg"]


def test_result_names_are_unique() -> None:
    names = result_names(["a", "a__b"], ["b__c", "c", "b__c-2"])
    assert names == {("a", "b__c"): "a__b__c.png", ("a", "c"): "a__c.png",
                     ("a", "b__c-2"): "a__b__c-2.png", ("a__b", "b__c"): "a__b__b__c.png",
                     ("a__b", "c"): "a__b__c-3.png", ("a__b", "b__c-2"): "a__b__b__c-2.png"}
    folded = result_names(["Anna", "anna"], ["top"])
    assert folded == {("Anna", "top"): "Anna__top.png", ("anna", "top"): "anna__top-2.png"}


def test_batch_matches_single_runs(tiny_export: TinyExport) -> None:
    seen: list[tuple[str, str, TryOnResult]] = []
    ticks: list[tuple[int, int]] = []
    persons = [(p.stem, p) for p in PEOPLE]
    items = [(p.stem, p) for p in TOPS] + [("bad", b"not an image")]
    with TryOnEngine(model_path=tiny_export.onnx, provider="cpu") as engine:
        report = run_batch(engine, persons, items, kind="top", batch_size=3,
                           on_result=lambda *args: seen.append(args),
                           progress=lambda done, total: ticks.append((done, total)))
        assert isinstance(report, BatchReport)
        assert (report.pairs, report.done) == (6, 4) and report.per_second > 0
        assert [(f.person, f.item, f.code) for f in report.failures] == [
            ("woman-studio", "bad", "bad_image"), ("man-selfie", "bad", "bad_image")]
        assert ticks[-1] == (6, 6) and len(ticks) == 6
        assert engine.person_cache.misses == 2, "the pose is computed once per person"
        for person, item, result in seen:
            single = engine.run(PEOPLE[[p.stem for p in PEOPLE].index(person)],
                                TOPS[[t.stem for t in TOPS].index(item)], kind="top")
            assert result.refined and "refine" in result.timings_ms
            assert result.scene is not None
            outside = ~result.scene.region  # the generator's region: the photo elsewhere
            assert np.array_equal(result.image[outside], single.image[outside])
            assert np.array_equal(result.image[outside], result.photo[outside])
            diff = np.abs(result.image.astype(int) - single.image.astype(int)).max()
            assert diff <= 2, "a batched model call gives what single calls give"
    with pytest.raises(TryOnError):
        run_batch(engine, persons, items, batch_size=0)


def _tryon(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "tryon.tools.cli", *map(str, args)], cwd=PROJECT,
                          capture_output=True, text=True, timeout=300)


def test_cli_writes_every_pair_and_lists_failures(folders: tuple[Path, Path], tmp_path: Path,
                                                  tiny_export: TinyExport) -> None:
    persons, items = folders
    out = tmp_path / "out"
    proc = _tryon("batch", "--persons", persons, "--items", items, "--out", out, "--json",
                  "--model", tiny_export.onnx, "--provider", "cpu", "--batch-size", "3")
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert sorted(p.name for p in out.iterdir()) == sorted(
        f"{p.stem}__{t.stem}.png" for p in PEOPLE for t in TOPS)
    for path in out.iterdir():
        with Image.open(path) as image:
            assert image.size == Image.open(persons / f"{path.name.split('__')[0]}.jpg").size
    assert report["pairs"] == 6 and report["written"] == 4 and report["per_second"] > 0
    assert {(f["item"], f["code"]) for f in report["failures"]} == {("notes", "bad_image")}
    assert len(report["failures"]) == 2

    text = _tryon("batch", "--persons", persons, "--items", items, "--out", out, "--no-refine")
    assert text.returncode == 0, text.stderr
    lines = text.stdout.strip().splitlines()
    assert lines[0].startswith("wrote 4 of 6 results") and "try-ons/s" in lines[0]
    assert sum(line.startswith("failed ") and "bad_image" in line for line in lines) == 2


def test_cli_errors(tmp_path: Path) -> None:
    proc = _tryon("batch", "--persons", tmp_path / "none", "--items", tmp_path, "--out",
                  tmp_path / "out")
    assert proc.returncode == 2 and proc.stderr.startswith("error: bad_argument: ")
    assert "Traceback" not in proc.stderr


def test_cli_never_writes_two_results_to_one_file(tmp_path: Path) -> None:
    """Names that would clash (``a`` × ``b__c`` and ``a__b`` × ``c``; ``d.jpg`` and ``d.png``)
    give one file each, listed in the JSON; a broken link is a listed failure."""
    persons, items, out = tmp_path / "persons", tmp_path / "items", tmp_path / "out"
    persons.mkdir()
    items.mkdir()
    for name, photo in zip(("a.jpg", "a__b.jpg"), PEOPLE, strict=True):
        shutil.copy(photo, persons / name)
    for name, top in zip(("b__c.jpg", "c.jpg", "d.jpg"), TOPS + TOPS[:1], strict=True):
        shutil.copy(top, items / name)
    Image.open(TOPS[1]).save(items / "d.png")
    (items / "gone.jpg").symlink_to(items / "deleted.jpg")
    proc = _tryon("batch", "--persons", persons, "--items", items, "--out", out, "--json",
                  "--no-refine", "--kind", "top")
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    files = {(r["person"], r["item"]): r["file"] for r in report["results"]}
    assert files == {("a", "b__c"): "a__b__c.png", ("a", "c"): "a__c.png",
                     ("a", "d.jpg"): "a__d.jpg.png", ("a", "d.png"): "a__d.png.png",
                     ("a__b", "b__c"): "a__b__b__c.png", ("a__b", "c"): "a__b__c-2.png",
                     ("a__b", "d.jpg"): "a__b__d.jpg.png", ("a__b", "d.png"): "a__b__d.png.png"}
    assert sorted(p.name for p in out.iterdir()) == sorted(files.values())
    assert report["pairs"] == 10 and report["written"] == 8
    assert [(f["person"], f["item"], f["code"]) for f in report["failures"]] == [
        ("a", "gone", "bad_image"), ("a__b", "gone", "bad_image")]
    assert "broken link" in report["failures"][0]["message"]
    for (person, _), name in files.items():
        with Image.open(out / name) as result, Image.open(persons / f"{person}.jpg") as photo:
            assert result.size == photo.size, "each file holds its own pair's result"
