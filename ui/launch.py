"""Start the front end as ``tryon ui [--kiosk] [--port N]`` does: ``streamlit run ui/app.py``.

The server runs headless (no browser is opened; it prints the address) and sends no usage
statistics. Kiosk mode and the idle time travel as app arguments (after ``--``).
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

__all__ = ["APP", "launch", "streamlit_command"]

APP = Path(__file__).resolve().with_name("app.py")


def streamlit_command(kiosk: bool = False, port: int | None = None, *,
                      address: str | None = None, idle_seconds: float | None = None,
                      engines: int | None = None, extra: Sequence[str] = ()) -> list[str]:
    """The command line :func:`launch` runs; ``extra`` goes to ``streamlit run`` before the
    app arguments (e.g. ``["--server.maxUploadSize", "40"]``)."""
    command = [sys.executable, "-m", "streamlit", "run", str(APP),
               "--server.headless", "true", "--browser.gatherUsageStats", "false"]
    if port is not None:
        command += ["--server.port", str(port)]
    if address is not None:
        command += ["--server.address", address]
    command += ["--client.toolbarMode", "minimal" if kiosk else "viewer",
                "--server.maxUploadSize", "40"]
    command += list(extra)
    app_args: list[str] = ["--kiosk"] if kiosk else []
    if idle_seconds is not None:
        app_args += ["--idle-seconds", str(idle_seconds)]
    if engines is not None:
        app_args += ["--engines", str(engines)]
    return command + (["--", *app_args] if app_args else [])


def launch(kiosk: bool = False, port: int | None = None, *, address: str | None = None,
           idle_seconds: float | None = None, engines: int | None = None,
           extra: Sequence[str] = ()) -> int:
    """Run the app until it stops (Ctrl+C); return Streamlit's exit status.

    Arguments as for :func:`streamlit_command`.
    """
    command = streamlit_command(kiosk, port, address=address, idle_seconds=idle_seconds,
                                engines=engines, extra=extra)
    process = subprocess.Popen(command)
    try:
        return process.wait()
    except KeyboardInterrupt:  # Ctrl+C reaches Streamlit too; let it shut down cleanly
        try:
            return process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.terminate()
            return process.wait()
