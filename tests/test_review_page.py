"""The review page in a real browser: headless Debian chromium over WebDriver.

The page is built as a reviewer gets it — `rutrans postedit` on MT drafts, then
`rutrans review REPORT --html` — from the dev set's drafts plus hostile lines, and the
tests read the DOM the browser built: rows, term highlights, the diff, the filters, and
that nothing from the document ever runs as script.  A screenshot is kept in
``build/test-artifacts/review-page.png``.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import GLOSSARY, ROOT

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None or CHROMEDRIVER is None,
    reason="Debian's chromium and chromium-driver are not installed "
    "(.ci/run installs them: apt-get install chromium chromium-driver)",
)
ARTIFACTS = ROOT / "build" / "test-artifacts"
PAYLOAD = '<script>document.title="pwned"</script> "><img src=x onerror="document.title=\'pwned\'">'
HOSTILE_SOURCE = f"Источник: {PAYLOAD} и 12 человек."
HOSTILE_MT = f"Source: {PAYLOAD} and people."


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    """The review page of 12 dev-set drafts and a hostile line, and its report."""
    import subprocess
    import sys

    folder = tmp_path_factory.mktemp("page")
    items = [
        json.loads(line)
        for line in (ROOT / "tests/data/term_dev/dev.jsonl").read_text("utf-8").splitlines()
    ][:12]
    (folder / "s.txt").write_text(
        "".join(i["source"] + "\n" for i in items) + HOSTILE_SOURCE + "\n", encoding="utf-8"
    )
    (folder / "m.txt").write_text(
        "".join(i["drafts"][0] + "\n" for i in items) + HOSTILE_MT + "\n", encoding="utf-8"
    )
    rutrans = [sys.executable, "-m", "rutrans"]
    subprocess.run(
        [*rutrans, "postedit", "--source", "s.txt", "--mt", "m.txt", "--glossary", str(GLOSSARY),
         "--report", "r.json"],
        cwd=folder, check=True, capture_output=True,
    )  # fmt: skip
    subprocess.run(
        [*rutrans, "review", "r.json", "--html", "r.html"],
        cwd=folder,
        check=True,
        capture_output=True,
    )
    report = json.loads((folder / "r.json").read_text(encoding="utf-8"))
    return folder / "r.html", report


def _browser(javascript: bool = True):  # type: ignore[no-untyped-def]
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM  # type: ignore[assignment]
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1500,1300"):
        options.add_argument(argument)
    if not javascript:
        options.add_experimental_option(
            "prefs", {"profile.managed_default_content_settings.javascript": 2}
        )
    return webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)


@pytest.fixture(scope="module")
def browser():  # type: ignore[no-untyped-def]
    driver = _browser()
    yield driver
    driver.quit()


def test_rows_highlights_and_notes(page, browser):
    from selenium.webdriver.common.by import By

    path, report = page
    browser.get(path.as_uri())
    rows = browser.find_elements(By.CSS_SELECTOR, "tbody tr")
    assert len(rows) == len(report["segments"]) == 13
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    browser.save_screenshot(str(ARTIFACTS / "review-page.png"))
    for row, segment in zip(rows, report["segments"], strict=True):
        cells = row.find_elements(By.TAG_NAME, "td")
        assert [c.text for c in cells[:4]] == [
            str(segment["id"]),
            segment["source"],
            segment["mt"],
            segment["final"],
        ]
        with_span = [t for t in segment["terms"] if t["source_span"]]
        # Every term occurrence is highlighted in the source, with its English and note.
        highlighted = {
            e.text for e in cells[1].find_elements(By.CSS_SELECTOR, ".term") if e.text.strip()
        }
        assert {t["source_text"] for t in with_span} <= highlighted
    # The same entry has the same colour on both sides, and the note on hover.
    first = rows[0]
    source_terms = first.find_elements(By.CSS_SELECTOR, "td.source .term")
    final_terms = first.find_elements(By.CSS_SELECTOR, "td.final .term")
    colour = {
        e.get_attribute("title").split(" → ")[0]: e.get_attribute("class") for e in source_terms
    }
    for element in final_terms:
        msgid = element.get_attribute("title").split(" → ")[0]
        if msgid in colour:
            shade = next(c for c in colour[msgid].split() if c[:1] == "t" and c[1:].isdigit())
            assert shade in element.get_attribute("class").split()
    organs = [e for e in source_terms if e.text.startswith("органами")]
    assert organs and "Collective name" in organs[0].get_attribute("title")


def test_the_diff_shows_what_post_editing_changed(page, browser):
    from selenium.webdriver.common.by import By

    path, report = page
    browser.get(path.as_uri())
    # "Operation Web … Shanghai Cooperation Organization." → "Operation Spider Web … Organisation."
    row = browser.find_element(By.ID, "s2")
    removed = " ".join(e.text for e in row.find_elements(By.CSS_SELECTOR, "td.mt .del"))
    added = " ".join(e.text for e in row.find_elements(By.CSS_SELECTOR, "td.final .ins"))
    assert "Organization." in removed and "Spider" in added and "Organisation" in added
    unchanged = [s for s in report["segments"] if s["mt"] == s["final"]]
    for segment in unchanged:
        row = browser.find_element(By.ID, f"s{segment['id']}")
        assert not row.find_elements(By.CSS_SELECTOR, ".del, .ins")


def test_filters_flagged_only_and_by_check(page, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    path, report = page
    browser.get(path.as_uri())
    flagged = {str(s["id"]) for s in report["segments"] if s["flagged"]}
    assert flagged and len(flagged) < len(report["segments"])

    def shown() -> set[str]:
        rows = browser.find_elements(By.CSS_SELECTOR, "tbody tr")
        return {r.get_attribute("id")[1:] for r in rows if r.is_displayed()}

    assert len(shown()) == len(report["segments"])
    browser.find_element(By.ID, "only-flagged").click()
    assert shown() == flagged
    browser.find_element(By.ID, "only-flagged").click()
    Select(browser.find_element(By.ID, "check-filter")).select_by_value("numbers")
    with_numbers = {
        str(s["id"]) for s in report["segments"] if any(f["check"] == "numbers" for f in s["qa"])
    }
    assert shown() == with_numbers


def test_nothing_from_the_document_runs(page, browser):
    from selenium.webdriver.common.by import By

    path, _ = page
    browser.get(path.as_uri())
    assert browser.title.startswith("rutrans review")  # neither payload changed it
    assert browser.find_elements(By.TAG_NAME, "img") == []
    assert len(browser.find_elements(By.TAG_NAME, "script")) == 1  # the page's own
    hostile = browser.find_element(By.ID, "s13")
    assert "<script>" in hostile.find_element(By.CSS_SELECTOR, "td.source").text
    assert "onerror=" in hostile.find_element(By.CSS_SELECTOR, "td.mt").text


def test_the_content_security_policy_blocks_a_script_that_got_in(page, browser, tmp_path):
    """Defence in depth: were escaping ever to fail, the policy still stops the script."""
    path, _ = page
    tampered = tmp_path / "tampered.html"
    tampered.write_text(
        path.read_text(encoding="utf-8").replace(
            "</body>", "<script>document.title='pwned'</script></body>"
        ),
        encoding="utf-8",
    )
    browser.get(tampered.as_uri())
    assert browser.title.startswith("rutrans review")


def test_the_page_works_with_javascript_off(page):
    from selenium.webdriver.common.by import By

    path, report = page
    driver = _browser(javascript=False)
    try:
        driver.get(path.as_uri())
        assert not driver.find_element(By.ID, "check-filter").is_displayed()
        rows = driver.find_elements(By.CSS_SELECTOR, "tbody tr")
        assert all(r.is_displayed() for r in rows)
        driver.find_element(By.ID, "only-flagged").click()  # pure CSS
        shown = [r for r in rows if r.is_displayed()]
        assert len(shown) == sum(s["flagged"] for s in report["segments"])
    finally:
        driver.quit()
