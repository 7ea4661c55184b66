"""End to end in a real browser: ``streamlit run ui/app.py`` on 127.0.0.1, driven by Debian's
Chromium through Playwright (``/usr/bin/chromium``; no browser is downloaded).

What a shopper sees is checked where they see it: after a pick the result must be inside
the window (its bounding box against the viewport), the early photo check's sentence must
stand next to the photo, and no request may leave 127.0.0.1 (every request is recorded:
no fonts, icons or scripts from elsewhere; kiosks are often offline).

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
from tryon.errors import ErrorCode
from ui.catalog import demo_catalog
from ui.harness import (
    AFTER_IMG,
    browser_unavailable,
    open_chromium,
    outside_requests,
    record_requests,
    running_app,
    shopper_with_photo,
    viewport_overlap,
    wait_for_image,
    wait_for_result,
    write_y4m,
)
from ui.messages import SHOPPER_MESSAGES
from ui.page import TAKE_PHOTO, TRY_ANOTHER
from ui.studio import MAKE_COLOURWAY, MAKE_MATERIAL, TRY_COLOURWAY, TRY_MATERIAL
from ui.trends import DATES_LABEL, TRENDS_TITLE
from ui.widgets import MORE_LIKE_THIS

pytestmark = pytest.mark.skipif(browser_unavailable() is not None,
                                reason=browser_unavailable() or "")

PERSON = DEMO_ASSETS / "people" / "woman-studio.jpg"
SELFIE = DEMO_ASSETS / "people" / "man-selfie.jpg"
PHONE = (390, 844)
KIOSK = (1080, 1920)
RESULT = ".st-key-result"
COMPARISON = ".st-key-result figure.cmp"
LIKE_BUTTONS = "button[data-testid=stBaseButton-secondary]"
DESKTOP = (1280, 900)
IN_VIEW = 0.95  # share of the result that must be inside the window after a pick
BAD_IMAGE = SHOPPER_MESSAGES[ErrorCode.BAD_IMAGE].format(picture="your photo",
                                                        Picture="Your photo")


@pytest.fixture()
def playwright() -> Any:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        yield driver


def _no_traceback(page: Any) -> None:
    assert page.locator("[data-testid=stException]").count() == 0


def _result_in_view(page: Any) -> None:
    """The whole result (the comparison) is inside the window, as wide as allowed."""
    page.wait_for_timeout(400)  # the scroll runs on the next frame
    share = viewport_overlap(page, COMPARISON)
    assert share >= IN_VIEW, f"only {share:.0%} of the result is in the window"


def _settled_overlap(page: Any, selector: str, timeout_ms: int = 5_000) -> float:
    """:func:`viewport_overlap` once it is 1 or ``timeout_ms`` have passed (a run that is
    still drawing, a spinner above, can shift the page for a moment on a busy machine)."""
    share = viewport_overlap(page, selector)
    for _ in range(timeout_ms // 100):
        if share == 1.0:
            break
        page.wait_for_timeout(100)
        share = viewport_overlap(page, selector)
    return share


def _only_button(page: Any, name: str, timeout_ms: int = 10_000) -> Any:
    """The button named ``name``, once the page shows just one (while a run is drawing,
    the previous run's copy can still be there for a moment)."""
    buttons = page.get_by_role("button", name=name, exact=True)
    for _ in range(timeout_ms // 100):
        if buttons.count() == 1:
            break
        page.wait_for_timeout(100)
    return buttons


def _becomes_enabled(page: Any, locator: Any, timeout_ms: int = 10_000) -> bool:
    """Whether an element of ``locator`` is enabled within ``timeout_ms`` (a rerun that is
    still drawing shows the previous run's button, disabled, for a moment, sometimes beside
    the new one; an element replaced while looked at is looked up again)."""
    from playwright.sync_api import Error as PlaywrightError

    for _ in range(timeout_ms // 100):
        for index in range(locator.count()):
            try:
                if locator.nth(index).is_enabled(timeout=1_000):
                    return True
            except PlaywrightError:
                continue
        page.wait_for_timeout(100)
    return False


def _tap(page: Any, locator: Any, attempts: int = 10, touch: bool = True) -> None:
    """Scroll ``locator`` into view and tap it (``touch``; else click it: a desktop has no
    touch screen); when a Streamlit rerun replaces the element in between (Playwright: "not
    attached to the DOM") or still shows the previous run's copy beside it (Playwright:
    "strict mode violation"; on a loaded 2-core machine for longer than `_only_button`
    waited), look it up again and retry."""
    from playwright.sync_api import Error as PlaywrightError

    for attempt in range(attempts):
        try:
            locator.scroll_into_view_if_needed()
            locator.tap() if touch else locator.click()
            return
        except PlaywrightError as exc:
            transient = "not attached" in str(exc) or "strict mode violation" in str(exc)
            if not transient or attempt == attempts - 1:
                raise
            page.wait_for_timeout(500)


def _downloads_rgba_png(page: Any, button: str, file_name: str) -> None:
    """Clicking the button named ``button`` downloads an RGBA PNG named ``file_name``."""
    with page.expect_download() as download_info:
        page.get_by_role("button", name=button).click()
    download = download_info.value
    picture = Image.open(download.path())
    assert download.suggested_filename == file_name
    assert picture.format == "PNG" and picture.mode == "RGBA"


def _divider(page: Any) -> float:
    return float(page.locator(COMPARISON).get_attribute("data-pos"))


def test_shopper_phone_photo_check_pick_result_in_view(playwright: Any,
                                                       tmp_path: Path) -> None:
    text = tmp_path / "photo.jpg"
    text.write_text("this is not a picture\n")
    with running_app(tmp_path / "streamlit.log") as url:
        context = open_chromium(playwright, tmp_path / "profile", PHONE, touch=True)
        requests = record_requests(context)

        # A text file named photo.jpg: refused at upload, the sentence beside the photo.
        page = shopper_with_photo(context, url, text)
        sentence = page.get_by_text(BAD_IMAGE)
        sentence.wait_for()
        uploader = page.locator("[data-testid=stFileUploader]").first.bounding_box()
        box = sentence.bounding_box()
        assert 0 <= box["y"] - (uploader["y"] + uploader["height"]) < 160, (uploader, box)
        assert _settled_overlap(page, ".st-key-photo-status") == 1.0
        assert page.get_by_text("bad_image").is_hidden()  # the code only under "Show details"
        assert _only_button(page, "Denim jacket").is_disabled()
        page.get_by_text("Show details").click()
        page.get_by_text("bad_image").wait_for()
        page.close()

        # A selfie: shoes greyed out, with the reason, before any pick.
        page = shopper_with_photo(context, url, SELFIE)
        page.get_by_text("Shoes are greyed out because we could not see your feet").wait_for()
        assert _only_button(page, "Blue plimsolls").is_disabled()
        assert _becomes_enabled(page, _only_button(page, "White tee"))
        page.close()

        # The whole flow: photo, pick (the catalog is below the fold), result in view.
        page = shopper_with_photo(context, url, PERSON)
        page.get_by_text("Your photo is ready").wait_for()
        _tap(page, _only_button(page, "Denim jacket"))
        top_src = wait_for_result(page)
        _result_in_view(page)
        box = page.locator(COMPARISON).bounding_box()
        assert box["width"] >= 0.9 * PHONE[0], f"result {box['width']} px wide on a phone"
        _no_traceback(page)

        start = _divider(page)  # the slider works by touch: a tap moves the divider there
        page.touchscreen.tap(box["x"] + box["width"] * 0.2, box["y"] + box["height"] / 2)
        page.wait_for_timeout(300)
        assert _divider(page) < start - 20

        with page.expect_download() as download_info:
            page.get_by_role("button", name="Download").click()
        download = download_info.value
        data = Path(download.path()).read_bytes()
        assert download.suggested_filename == "try-on.png"
        assert data.startswith(b"\x89PNG\r\n\x1a\n")
        picture = Image.open(io.BytesIO(data))
        assert picture.size == Image.open(PERSON).size and not picture.getexif()

        # The catalog one tap away; the next pick comes into view too.
        another = page.get_by_role("button", name=TRY_ANOTHER)
        assert viewport_overlap(page, ".st-key-another") == 1.0
        another.tap()
        plimsolls = _only_button(page, "Blue plimsolls")
        plimsolls.wait_for()
        page.wait_for_timeout(400)
        assert viewport_overlap(page, ".st-key-catalog") > 0.5
        _tap(page, plimsolls)
        shoes_src = wait_for_result(page, previous_src=top_src)
        _result_in_view(page)
        _no_traceback(page)

        # "More like this" under the result: one tap tries the first one on, in view again.
        alike = page.locator(f".st-key-more-like-this {LIKE_BUTTONS}").first
        alike.wait_for()
        assert page.get_by_text(MORE_LIKE_THIS, exact=True).count() == 1
        _tap(page, alike)
        wait_for_result(page, previous_src=shoes_src)
        _result_in_view(page)
        _no_traceback(page)
        shot = tmp_path / "shopper-phone.png"
        page.screenshot(path=str(shot))
        print(f"screenshot: {shot}")
        context.close()
    assert not outside_requests(requests), outside_requests(requests)


def test_kiosk_countdown_pick_result_in_view_then_idle_reset(playwright: Any,
                                                              tmp_path: Path) -> None:
    camera = write_y4m(PERSON, tmp_path / "camera.y4m")
    with running_app(tmp_path / "streamlit.log", idle_seconds=10) as url:
        context = open_chromium(playwright, tmp_path / "profile", KIOSK, camera=camera,
                                scale=0.5)
        requests = record_requests(context)
        page = context.new_page()
        page.goto(f"{url}/?kiosk=1")
        take = page.get_by_role("button", name=TAKE_PHOTO, exact=True)
        take.wait_for()
        assert page.get_by_text(f"then tap {TAKE_PHOTO}.").count() == 1  # same words
        assert page.locator("input[type=file]").count() == 0
        preview = page.locator("[data-testid=stCameraInput] video")
        preview.wait_for(state="visible")
        video = preview.bounding_box()
        assert video["height"] >= 0.6 * KIOSK[1] and video["width"] >= 0.9 * (KIOSK[0] - 64)
        assert take.bounding_box()["height"] >= 80  # a large target
        page.wait_for_timeout(1000)  # frames from the fake camera
        take.click()
        page.get_by_text("3", exact=True).wait_for(timeout=2_000)  # the countdown, on top
        page.get_by_text("Pick something to try on").wait_for(timeout=30_000)
        assert page.locator("input[type=file]").count() == 0
        _only_button(page, "Blue plimsolls").click()
        wait_for_result(page)
        _result_in_view(page)
        page.get_by_role("button", name="Finish").wait_for()
        assert page.get_by_role("button", name="Download").count() == 0
        _no_traceback(page)
        shot = tmp_path / "kiosk.png"
        page.screenshot(path=str(shot))
        print(f"screenshot: {shot}")

        page.get_by_role("button", name=TAKE_PHOTO, exact=True).wait_for(timeout=30_000)
        assert page.locator(AFTER_IMG).count() == 0  # the idle reset
        context.close()
    assert not outside_requests(requests), outside_requests(requests)


def test_trends_page_draws_clusters_and_trends_offline(playwright: Any,
                                                      tmp_path: Path) -> None:
    """The staff page: cluster names, member thumbnails and both charts drawn in the
    browser (Streamlit's own chart code, nothing fetched), then a dates CSV's trends."""
    dates = tmp_path / "dates.csv"
    rows = [f"white-tee.jpg,2026-{m:02d}-{d:02d}" for m in range(1, 7) for d in range(1, m + 1)]
    rows += [f"blue-plimsolls.png,2026-{m:02d}-01" for m in range(1, 7)]
    dates.write_text("file,date\n" + "\n".join(rows) + "\n")
    with running_app(tmp_path / "streamlit.log") as url:
        context = open_chromium(playwright, tmp_path / "profile", DESKTOP)
        requests = record_requests(context)
        page = context.new_page()
        page.goto(f"{url}/?view=trends")
        page.get_by_text(TRENDS_TITLE).wait_for()
        page.locator(".st-key-cluster-0").wait_for(timeout=90_000)
        charts = page.locator("[data-testid=stVegaLiteChart]")
        charts.first.locator("canvas, svg").first.wait_for()
        page.locator(".st-key-cluster-0 [data-testid=stImage] img").first.wait_for()
        members = page.locator("[class*=st-key-cluster-] [data-testid=stImage] img")
        # Every item, in its cluster (the thumbnails arrive one by one on a busy machine).
        from playwright.sync_api import expect

        expect(members).to_have_count(len(demo_catalog()), timeout=60_000)
        page.get_by_text(DATES_LABEL).wait_for()
        page.locator("input[type=file]").set_input_files(str(dates))  # the page's only one
        page.get_by_text("Growing:").wait_for()
        page.locator(".st-key-trends [data-testid=stVegaLiteChart] canvas, "
                     ".st-key-trends [data-testid=stVegaLiteChart] svg").first.wait_for()
        _no_traceback(page)
        shot = tmp_path / "trends.png"
        page.screenshot(path=str(shot))
        print(f"screenshot: {shot}")
        context.close()
    assert not outside_requests(requests), outside_requests(requests)


def test_studio_colourway_beside_the_original_then_on_a_photo_in_one_tap(
        playwright: Any, tmp_path: Path) -> None:
    """The Studio (``?view=studio``): a demo shoe → "Make colourway" → the original and the
    variant side by side with its ΔE2000 and an RGBA PNG; then one tap puts the variant on
    the default demo person (woman-studio, full body). Then a bundled swatch (cut at run
    time from a demo item) → "Make material" → the original and the material variant side
    by side with its figures and an RGBA PNG, and one tap puts that on the person too."""
    with running_app(tmp_path / "streamlit.log") as url:
        context = open_chromium(playwright, tmp_path / "profile", DESKTOP)
        requests = record_requests(context)
        page = context.new_page()
        page.goto(f"{url}/?view=studio")
        make = page.get_by_role("button", name=MAKE_COLOURWAY)
        make.wait_for()
        assert page.locator("[data-testid=stCameraInput]").count() == 0  # no shopper page
        _tap(page, _only_button(page, "Blue plimsolls"), touch=False)
        page.get_by_role("button", name="✓ Blue plimsolls").wait_for()
        _tap(page, make, touch=False)
        wait_for_image(page, ".st-key-colourway-made img")
        original = page.locator(".st-key-colourway-original img")
        assert original.count() == 1
        assert original.evaluate("img => img.complete && img.naturalWidth > 0")
        page.get_by_text("ΔE2000").first.wait_for()
        _no_traceback(page)

        _downloads_rgba_png(page, "Download colourway (PNG)", "colourway-7b1e2b.png")

        _tap(page, page.get_by_role("button", name=TRY_COLOURWAY), touch=False)  # has an icon
        wait_for_result(page)
        page.get_by_text("on the photo — slide or tap the picture to compare").wait_for()
        assert page.locator(".st-key-colourway-made img").count() == 1  # still beside it
        _no_traceback(page)

        # Material: a bundled swatch, tapped, then "Make material".
        swatch = _only_button(page, "Bandana print")
        swatch.wait_for()
        thumbs = page.locator(".st-key-studio-swatches [data-testid=stImage] img")
        assert thumbs.count() >= 3 and thumbs.first.evaluate("img => img.naturalWidth > 0")
        _tap(page, swatch, touch=False)
        page.get_by_role("button", name="✓ Bandana print").wait_for()
        _tap(page, page.get_by_role("button", name=MAKE_MATERIAL), touch=False)
        wait_for_image(page, ".st-key-material-made img")
        assert page.locator(".st-key-material-original img").evaluate(
            "img => img.complete && img.naturalWidth > 0")
        page.get_by_text("Material: Bandana print").first.wait_for()
        page.get_by_text("fine texture").first.wait_for()
        _no_traceback(page)
        _downloads_rgba_png(page, "Download material (PNG)", "material-bandana-print.png")

        previous = page.locator(AFTER_IMG).first.get_attribute("src")
        _tap(page, page.get_by_role("button", name=TRY_MATERIAL), touch=False)
        wait_for_result(page, previous_src=previous)
        page.get_by_text("Material: Bandana print on the photo").wait_for()
        assert page.locator(".st-key-material-made img").count() == 1  # still beside it
        _no_traceback(page)
        assert page.get_by_text("Traceback").count() == 0
        shot = tmp_path / "studio.png"
        page.screenshot(path=str(shot), full_page=True)
        print(f"screenshot: {shot}")
        context.close()
    assert not outside_requests(requests), outside_requests(requests)
