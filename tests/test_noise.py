"""Nothing but the engine's own output: no Python warnings from libraries on stderr (a damaged
EXIF block becomes a result warning), no ONNX Runtime provider-probe lines or telemetry files,
no compilers spawned by MediaPipe's import. Real processes, real files."""

from __future__ import annotations

import ast
import json
import os
import struct
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

from tests.conftest import DEMO_ASSETS, PROJECT
from tryon.imaging.decode import decode_image

PERSON = DEMO_ASSETS / "people" / "woman-studio.jpg"
TOP = DEMO_ASSETS / "tops" / "white-tee.jpg"
ORT_NOISE = ("Failed to load library", "CreateExecutionProviderFactoryInstance",
             "[E:onnxruntime", "[W:onnxruntime")


def corrupt_exif(jpeg: bytes) -> bytes:
    """``jpeg`` with an APP1 EXIF block inserted after SOI whose only IFD entry (Make, 200
    ASCII bytes) points far past the block's end: Pillow warns while parsing it."""
    tiff = (b"MM\x00\x2a" + struct.pack(">I", 8) + struct.pack(">H", 1)
            + struct.pack(">HHII", 0x010F, 2, 200, 0x1000) + struct.pack(">I", 0))
    payload = b"Exif\x00\x00" + tiff
    return jpeg[:2] + b"\xff\xe1" + struct.pack(">H", len(payload) + 2) + payload + jpeg[2:]


def _clean_env(home: Path) -> dict[str, str]:
    """The environment of a fresh user: an empty HOME, no telemetry switch of our own, and
    Python warnings shown as a user's interpreter shows them by default."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("ORT_DISABLE_TELEMETRY", "PYTHONWARNINGS")}
    env.update(HOME=str(home), XDG_CACHE_HOME=str(home / ".cache"), PYTHONPATH=str(PROJECT))
    return env


def _python(code: str, home: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=600, cwd=PROJECT, env=_clean_env(home))


def _tryon_cli(home: Path, *args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "tryon.tools.cli", *map(str, args)],
                          capture_output=True, text=True, timeout=600, cwd=PROJECT,
                          env=_clean_env(home))


def test_corrupt_exif_is_a_result_warning_not_stderr(tmp_path: Path, shared_data: Path) -> None:
    photo = tmp_path / "corrupt-exif.jpg"
    photo.write_bytes(corrupt_exif((shared_data / "vitonhd/persons/00006_00.jpg").read_bytes()))
    out = tmp_path / "out.png"
    proc = _tryon_cli(tmp_path, "run", "--person", photo, "--item", TOP, "--out", out, "--json")
    assert proc.returncode == 0, proc.stderr
    assert not [line for line in proc.stderr.splitlines() if "Warning" in line], proc.stderr
    report = json.loads(proc.stdout)
    assert any("EXIF" in warning and warning.startswith("person photo: ")
               for warning in report["warnings"]), report["warnings"]
    assert out.is_file()


def test_decode_keeps_library_warnings_to_itself(shared_data: Path) -> None:
    data = corrupt_exif((shared_data / "vitonhd/persons/00006_00.jpg").read_bytes())
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        decoded = decode_image(data)
    assert caught == []
    assert any("EXIF" in note for note in decoded.warnings), decoded.warnings
    assert decoded.rgb.shape == (512, 384, 3)
    assert decode_image((shared_data / "vitonhd/persons/00006_00.jpg").read_bytes()).warnings \
        == ()


def test_library_run_prints_no_provider_probe_lines_nor_writes_telemetry(
        tmp_path: Path) -> None:
    """The provider "auto" probe and a whole try-on, as a library user runs them (no CLI to
    hide file descriptor 2): ONNX Runtime logs nothing about providers it was not asked for,
    and nothing is written under ~/.cache/Microsoft."""
    code = ("from tryon.generator.runtime import select_providers\n"
            "from tryon.pipeline import TryOnEngine\n"
            "print(select_providers('auto'))\n"
            "with TryOnEngine() as engine:\n"
            f"    result = engine.run({str(PERSON)!r}, {str(TOP)!r}, kind='top')\n"
            "print(result.providers)\n")
    proc = _python(code, tmp_path)
    assert proc.returncode == 0, proc.stderr
    for noise in ORT_NOISE:
        assert noise not in proc.stderr, proc.stderr
    assert "CPUExecutionProvider" in proc.stdout
    assert not (tmp_path / ".cache" / "Microsoft").exists()


def test_cli_run_prints_no_provider_probe_lines(tmp_path: Path) -> None:
    proc = _tryon_cli(tmp_path, "run", "--person", PERSON, "--item", TOP,
                      "--out", tmp_path / "out.png", "--json")
    assert proc.returncode == 0, proc.stderr
    for noise in ORT_NOISE:
        assert noise not in proc.stderr, proc.stderr
    assert not (tmp_path / ".cache" / "Microsoft").exists()


@pytest.mark.parametrize("provider", ["cpu"])
def test_an_explicit_cpu_provider_is_quiet_too(tmp_path: Path, provider: str) -> None:
    proc = _python(f"from tryon.generator.runtime import select_providers\n"
                   f"print(select_providers({provider!r}))\n", tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "['CPUExecutionProvider']"
    for noise in ORT_NOISE:
        assert noise not in proc.stderr, proc.stderr


COMPILERS = {"gcc", "cc", "ld", "ldconfig"}


def test_mediapipe_import_spawns_no_compiler(tmp_path: Path) -> None:
    """sounddevice's PortAudio lookup (ldconfig, gcc, ld with temp files in /tmp) is not run
    when the engine loads MediaPipe; an audit hook sees every process started. (matplotlib,
    which MediaPipe imports, runs fc-list once per user to build its font cache: not a
    compiler, and not again once the cache exists.)"""
    code = ("import os, sys\n"
            "spawned = []\n"
            "def hook(event, args):\n"
            "    if event == 'subprocess.Popen':\n"
            "        spawned.append(os.path.basename(str(args[0])))\n"
            "sys.addaudithook(hook)\n"
            "from tryon.body.person import PersonAnalyzer\n"
            "PersonAnalyzer().close()\n"
            "print(sorted(set(spawned)))\n"
            "print('sounddevice' in sys.modules)\n")
    proc = _python(code, tmp_path)
    assert proc.returncode == 0, proc.stderr
    spawned, sounddevice = proc.stdout.splitlines()[-2:]
    assert not COMPILERS & set(ast.literal_eval(spawned)), spawned
    assert sounddevice == "False"
