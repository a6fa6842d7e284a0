"""What a person sees: `parlgraph serve` in headless Chromium (Debian's, driven by Playwright).

A question page, a claim page with its quote highlighted in the source text, and YASGUI running
a stored query that shows rows. Screenshots are kept in build/test-artefacts/ (one per page).
CI installs Chromium (.ci/run); elsewhere the tests are skipped when it is missing, never
under CI.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from chromium import CHROMIUM, QUIET_FLAGS
from parlgraph_server import parlgraph_server

from parlgraph.dataset import Built
from parlgraph.query import load_queries, run
from parlgraph.store import load_store
from parlgraph.summaries import refresh_summaries

ROOT = Path(__file__).resolve().parents[1]
ARTEFACTS = ROOT / "build" / "test-artefacts"
BASE = "https://w3id.org/parlgraph/"
QUESTION = "id/question/wallonia/2023-2024/238"
CLAIM = "id/claim/wallonia/2023-2024/qe-238/pit-atmp-work-packages"

if CHROMIUM is None and os.environ.get("CI"):
    raise RuntimeError("CI must install Debian's chromium for the browser tests (.ci/run)")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="no chromium on this machine")
sync_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    with parlgraph_server() as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=list(QUIET_FLAGS),
        )
        yield launched
        launched.close()


@pytest.fixture
def page(browser, site):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-BE")
    opened = context.new_page()
    outside: list[str] = []
    opened.on("request", lambda r: outside.append(r.url) if not r.url.startswith(site) else None)
    yield opened
    context.close()
    assert not outside, f"the page fetched from elsewhere: {outside}"


def _screenshot(page, name: str) -> Path:
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTEFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 10_000  # a rendered page, not a blank one
    return path


def test_a_question_page_shows_its_title_and_links(page, site, built: Built) -> None:
    page.goto(site + QUESTION)
    title = "La Déclaration de politique régionale sur la coopération entre PME"
    assert title in page.title()
    heading = page.locator("h1")
    assert heading.is_visible() and "238" in heading.inner_text()
    # the people the question links to are named on the page, as links a person can follow
    assert page.locator("a", has_text="MUGEMANGANGO Germain").first.is_visible()
    assert page.locator("a", has_text="Destinataire : BORSUS Willy").first.is_visible()
    answer = page.locator("a", has_text="Réponse 1 à la question écrite 238").first
    assert answer.is_visible()
    _screenshot(page, "question-238")


def test_a_claim_page_highlights_the_quoted_span_in_the_source(page, site, built: Built) -> None:
    exact = next(
        str(row[0])
        for row in built.union().query(
            f"""SELECT ?exact WHERE {{
                <{BASE}{CLAIM}> <http://www.w3.org/ns/prov#wasDerivedFrom> ?span .
                ?span <http://www.w3.org/ns/oa#hasSelector> ?selector .
                ?selector <http://www.w3.org/ns/oa#exact> ?exact }}"""
        )
    )
    page.goto(site + CLAIM)
    mark = page.locator("mark").first
    assert mark.is_visible()
    assert mark.inner_text() == exact == "12 workpackages"
    # the highlighted words sit inside the source text and link to the source document
    assert exact in page.locator("blockquote.source").inner_text()
    href = mark.locator("a").get_attribute("href")
    assert href.startswith(site + "id/source/wallonia/2023-2024/qe-238")
    _screenshot(page, "claim-pit-atmp")
    page.click("mark a")
    page.wait_for_load_state()
    assert "qe-238" in page.url and "Page source" in page.locator("body").inner_text()


def test_yasgui_runs_a_stored_query_and_shows_its_rows(page, site, built: Built) -> None:
    store = load_store(built.dataset)
    refresh_summaries(store, BASE)
    stored = load_queries(ROOT / "queries")["sme-participation"]
    expected = run(store, stored, {}, BASE)
    assert expected.rows
    page.goto(site + "sparql")
    page.locator('a[aria-controls="pg-sme-participation"]').click()
    panel = page.locator("#pg-sme-participation")
    panel.locator(".yasqe_queryButton").click()
    rows = panel.locator(".yasr table.dataTable tbody tr")
    rows.first.wait_for(state="visible", timeout=30_000)
    assert rows.count() == len(expected.rows)
    shown = panel.locator(".yasr").inner_text()
    first_project = str(expected.rows[0]["project_label"])
    assert first_project in shown
    _screenshot(page, "yasgui-sme-participation")
