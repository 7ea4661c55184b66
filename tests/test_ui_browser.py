"""End to end in a real browser: ``streamlit run ui/app.py`` on 127.0.0.1, driven by Debian's
Chromium through Playwright (``/usr/bin/chromium``; no browser is downloaded).

Skipped, with the reason, only where Chromium or Playwright is missing (``.ci/run`` installs
both). Screenshots go to pytest's temporary folder (their paths are printed).
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from tests.conftest import DEMO_ASSETS
from ui.harness import (
    browser_unavailable,
    open_chromium,
    running_app,
    shopper_with_photo,
    wait_for_image,
    write_y4m,
)

pytestmark = pytest.mark.skipif(browser_unavailable() is not None,
                                reason=browser_unavailable() or "")

PERSON = DEMO_ASSETS / "people" / "woman-studio.jpg"
AFTER = ".st-key-after img"
BEFORE = ".st-key-before img"


@pytest.fixture()
def playwright() -> Any:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        yield driver


def _no_traceback(page: Any) -> None:
    assert page.locator("[data-testid=stException]").count() == 0


def test_shopper_uploads_picks_sees_and_downloads(playwright: Any, tmp_path: Path) -> None:
    with running_app(tmp_path / "streamlit.log") as url:
        context = open_chromium(playwright, tmp_path / "profile", (390, 844))
        page = shopper_with_photo(context, url, PERSON)
        page.get_by_role("button", name="Denim jacket", exact=True).click()
        top_src = wait_for_image(page, AFTER)
        wait_for_image(page, BEFORE)
        width = page.eval_on_selector(AFTER, "img => img.naturalWidth")
        assert width > 0
        _no_traceback(page)

        with page.expect_download() as download_info:
            page.get_by_role("button", name="Download picture (PNG)").click()
        download = download_info.value
        data = Path(download.path()).read_bytes()
        assert download.suggested_filename == "try-on.png"
        assert data.startswith(b"\x89PNG\r\n\x1a\n")
        picture = Image.open(io.BytesIO(data))
        assert picture.size == Image.open(PERSON).size and not picture.getexif()

        page.get_by_role("button", name="Blue plimsolls", exact=True).click()
        wait_for_image(page, AFTER, previous_src=top_src)
        _no_traceback(page)
        shot = tmp_path / "shopper-phone.png"
        page.screenshot(path=str(shot))
        assert shot.stat().st_size > 10_000
        print(f"screenshot: {shot}")
        context.close()


def test_kiosk_camera_pick_result_then_idle_reset(playwright: Any, tmp_path: Path) -> None:
    camera = write_y4m(PERSON, tmp_path / "camera.y4m")
    with running_app(tmp_path / "streamlit.log", idle_seconds=4) as url:
        context = open_chromium(playwright, tmp_path / "profile", (1920, 1080), camera=camera)
        page = context.new_page()
        page.goto(f"{url}/?kiosk=1")
        take = page.get_by_role("button", name="Take Photo")
        take.wait_for()
        assert page.locator("input[type=file]").count() == 0
        page.wait_for_timeout(1000)  # frames from the fake camera
        take.click()
        page.get_by_text("Pick something to try on").wait_for()
        assert page.locator("input[type=file]").count() == 0
        page.get_by_role("button", name="Blue plimsolls", exact=True).click()
        wait_for_image(page, AFTER)
        page.get_by_role("button", name="Finish").wait_for()
        assert page.get_by_role("button", name="Download picture (PNG)").count() == 0
        _no_traceback(page)
        shot = tmp_path / "kiosk.png"
        page.screenshot(path=str(shot))
        print(f"screenshot: {shot}")

        page.get_by_role("button", name="Take Photo").wait_for(timeout=20_000)  # idle reset
        assert page.locator(AFTER).count() == 0
        context.close()
