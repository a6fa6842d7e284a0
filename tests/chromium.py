"""Debian's Chromium for the tests that render pages: where it is, and how it is kept quiet.

test_browser.py drives it through Playwright, test_sparql_endpoint.py runs it headless once.
"""

from __future__ import annotations

import shutil

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# Runs in a container without a GPU, and sends none of Chromium's own traffic (first-run
# pages, component updates, sync), so a net log holds only what the page asked for.
QUIET_FLAGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
