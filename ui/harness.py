"""Drive the real app in a real browser: for the end-to-end test and the docs screenshots.

Starts ``streamlit run ui/app.py`` on 127.0.0.1 and a free port, waits for its health
endpoint, and opens Debian's Chromium (``/usr/bin/chromium``, never a downloaded browser)
through Playwright with a fresh profile. A camera can be faked from a picture (written as a
Y4M video) so the kiosk's camera flow runs without a camera. Playwright is imported lazily:
it is a test dependency, not a runtime one.
"""

from __future__ import annotations

import os
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from ui.launch import streamlit_command

__all__ = ["AFTER_IMG", "CHROMIUM", "CHROMIUM_ARGS", "LOCAL_HOST", "browser_unavailable",
           "free_port", "open_chromium", "outside_requests", "record_requests", "running_app",
           "shopper_with_photo", "viewport_overlap", "wait_for_image", "wait_for_result",
           "stop_process", "write_y4m", "SERVER_STOP_SECONDS"]

CHROMIUM = Path("/usr/bin/chromium")
LOCAL_HOST = "127.0.0.1"
AFTER_IMG = ".st-key-result img.after"  # the result picture (inside the comparison's shadow root)
RESULT_WAIT_MS = 180_000  # how long a browser test waits for a result picture (a wait, not a bar)
_NETWORK_SCHEMES = ("http", "https", "ws", "wss")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


APP_STOP_SECONDS = 15  # a Streamlit app's grace after SIGTERM
SERVER_STOP_SECONDS = 60  # tryon serve's grace: its engines finish the try-on in hand


def browser_unavailable() -> str | None:
    """Why the browser cannot run here (None when it can)."""
    if not CHROMIUM.exists():
        return (f"{CHROMIUM} is missing: `apt-get install -y chromium` (.ci/run tries it) "
                "to run the browser tests")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed: pip install -e '.[test]'"
    return None


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def running_app(log: Path, *, kiosk: bool = False, idle_seconds: float | None = None,
                timeout: float = 90.0) -> Iterator[str]:
    """``streamlit run ui/app.py`` on 127.0.0.1; yields its base URL; stops it afterwards.

    Server output goes to ``log``.
    """
    port = free_port()
    command = streamlit_command(kiosk, port, address="127.0.0.1", idle_seconds=idle_seconds,
                                extra=["--server.fileWatcherType", "none"])
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    with log.open("wb") as sink:
        process = subprocess.Popen(command, stdout=sink, stderr=subprocess.STDOUT, env=env)
        try:
            url = f"http://127.0.0.1:{port}"
            _wait_healthy(url, process, timeout, log)
            yield url
        finally:
            stop_process(process, APP_STOP_SECONDS)


def stop_process(process: subprocess.Popen[bytes], grace_seconds: float) -> None:
    """Stop a server started for a test: SIGTERM, then SIGKILL after ``grace_seconds``."""
    process.terminate()
    try:
        process.wait(timeout=grace_seconds)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _wait_healthy(url: str, process: subprocess.Popen[bytes], timeout: float,
                  log: Path) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited with {process.returncode}:\n"
                               + log.read_text(errors="replace")[-3000:])
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer:
                if answer.status == 200 and answer.read().strip() == b"ok":
                    return
        except OSError:
            pass
        time.sleep(0.3)
    raise TimeoutError(f"streamlit not healthy after {timeout} s:\n"
                       + log.read_text(errors="replace")[-3000:])


def write_y4m(picture: Path, out: Path, frames: int = 10) -> Path:
    """A still Y4M video (YUV 4:2:0) of ``picture`` for Chromium's fake camera."""
    with Image.open(picture) as image:
        rgb = image.convert("RGB")
    width, height = rgb.width // 2 * 2, rgb.height // 2 * 2
    rgb = rgb.crop((0, 0, width, height))
    ycbcr = np.asarray(rgb.convert("YCbCr"))
    luma = ycbcr[..., 0].tobytes()
    chroma = [np.asarray(Image.fromarray(ycbcr[..., c]).resize(
        (width // 2, height // 2), Image.Resampling.BILINEAR)).tobytes() for c in (1, 2)]
    frame = b"FRAME\n" + luma + chroma[0] + chroma[1]
    header = f"YUV4MPEG2 W{width} H{height} F30:1 Ip A1:1 C420jpeg\n".encode()
    out.write_bytes(header + frame * frames)
    return out


def open_chromium(playwright: Any, profile: Path, viewport: tuple[int, int],
                  camera: Path | None = None, scale: float = 1.0,
                  extra_args: Sequence[str] = (), touch: bool = False) -> Any:
    """A fresh persistent Chromium context (profile dir ``profile``) with downloads on;
    ``touch``: a phone (touch screen, mobile viewport)."""
    args = [*CHROMIUM_ARGS, *extra_args]
    if camera is not None:
        args += ["--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
                 f"--use-file-for-fake-video-capture={camera}"]
    context = playwright.chromium.launch_persistent_context(
        str(profile), executable_path=str(CHROMIUM), headless=True, args=args,
        viewport={"width": viewport[0], "height": viewport[1]}, device_scale_factor=scale,
        accept_downloads=True, permissions=["camera"] if camera is not None else [],
        has_touch=touch, is_mobile=touch)
    context.set_default_timeout(60_000)
    return context


def shopper_with_photo(context: Any, url: str, photo: Path) -> Any:
    """A new page on the shopper screen at ``url`` with ``photo`` uploaded (its name shown)."""
    page = context.new_page()
    page.goto(url)
    page.get_by_text("1 · Your photo").wait_for()
    page.locator("input[type=file]").first.set_input_files(str(photo))
    page.get_by_text(photo.name).wait_for()
    page.locator(".st-key-photo-status [data-testid=stAlert]").first.wait_for()
    return page


def record_requests(context: Any) -> list[str]:
    """A list that fills with the URL of every request the browser context makes."""
    urls: list[str] = []
    context.on("request", lambda request: urls.append(request.url))
    return urls


def outside_requests(urls: Sequence[str], host: str = LOCAL_HOST) -> list[str]:
    """The network requests (http, https, ws, wss) to any host but ``host``; ``data:`` and
    ``blob:`` URLs never leave the browser."""
    from urllib.parse import urlsplit

    return [url for url in urls
            if urlsplit(url).scheme in _NETWORK_SCHEMES and urlsplit(url).hostname != host]


def viewport_overlap(page: Any, selector: str) -> float:
    """The share (0–1) of the first element matching ``selector`` that lies inside the
    window, from its bounding box (0 when it is missing or has no size)."""
    box = page.locator(selector).first.bounding_box()
    if not box or box["width"] <= 0 or box["height"] <= 0:
        return 0.0
    size = page.viewport_size
    width = min(box["x"] + box["width"], size["width"]) - max(box["x"], 0)
    height = min(box["y"] + box["height"], size["height"]) - max(box["y"], 0)
    return max(width, 0) * max(height, 0) / (box["width"] * box["height"])


def wait_for_result(page: Any, previous_src: str | None = None,
                    timeout_ms: int = RESULT_WAIT_MS) -> str:
    """Wait until the result picture (:data:`AFTER_IMG`) has loaded and, if
    ``previous_src`` is given, shows another picture; return its ``src``. A wait, not a
    speed check (:data:`RESULT_WAIT_MS`): the first try-on of an app loads MediaPipe and
    the models, slow on a busy 2-core machine."""
    image = page.locator(AFTER_IMG).first
    deadline = time.monotonic() + timeout_ms / 1000
    while time.monotonic() < deadline:
        if image.count():
            src = image.evaluate("img => img.complete && img.naturalWidth > 0 ? img.src : ''")
            if src and src != previous_src:
                return str(src)
        page.wait_for_timeout(200)
    raise TimeoutError(f"no new result picture after {timeout_ms} ms")


def wait_for_image(page: Any, selector: str, previous_src: str | None = None,
                   timeout_ms: int = RESULT_WAIT_MS) -> str:
    """Wait until the ``img`` under ``selector`` has loaded (natural width > 0) and, if
    ``previous_src`` is given, shows a different picture; return its ``src``."""
    page.wait_for_function(
        """([selector, previous]) => {
            const img = document.querySelector(selector);
            return img && img.complete && img.naturalWidth > 0
                && (previous === null || img.getAttribute('src') !== previous);
        }""", arg=[selector, previous_src], timeout=timeout_ms)
    return str(page.eval_on_selector(selector, "img => img.getAttribute('src')"))
