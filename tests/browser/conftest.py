"""Browser fixtures: the report published once, opened in Debian's Chromium.

Playwright drives ``/usr/bin/chromium`` (installed by ``make test`` through
scripts/system-deps.sh), never a downloaded browser. The site is served by a
static file server on 127.0.0.1 (as a council's web server would serve it;
axe-core also needs http to read stylesheets). Every request a page makes is
recorded and anything outside the site's own files is aborted, so a test can
assert that nothing left the site.
"""

from __future__ import annotations

import sys
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parents[1] / "report"))

from fixture_tables import findings_table, tidy_table

from jsna.assets.pages import community_pages
from jsna.report import publish
from jsna.report.site import page_for_indicator

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip


def pytest_collection_modifyitems(items):
    for item in items:
        if Path(item.fspath).parent == Path(__file__).parent:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def site_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("browser-report")
    tidy = tidy_table()
    # the residents' voice, community assets and system equity pages join the site
    extra = community_pages(tidy, indicator_pages=page_for_indicator(tidy))
    return publish(tidy, findings_table(), out, metadata={"synthetic": True}, pages=extra).parent


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # the base class names it `format`
        return


@pytest.fixture(scope="session")
def site_url(site_dir: Path):
    """Base URL of the site served from 127.0.0.1 on a free port."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(QuietHandler, directory=site_dir))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.skip("Debian chromium is not installed at /usr/bin/chromium (run `make test`, "
                    "which installs it with scripts/system-deps.sh)")  # fmt: skip
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        yield browser
        browser.close()


class Visit:
    """A page plus everything it requested and every error it raised."""

    def __init__(self, browser, base: str) -> None:
        self.base = base
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.context = browser.new_context(viewport={"width": 1200, "height": 900})
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on("console", self._console)

    def _console(self, message) -> None:
        if message.type == "error":
            self.errors.append(message.text)

    def _route(self, route) -> None:
        url = route.request.url
        self.requests.append(url)
        if url.startswith(self.base + "/"):
            route.continue_()
        else:
            route.abort()

    def open(self, name: str) -> None:
        self.page.goto(f"{self.base}/{name}")
        self.page.wait_for_function(
            "Array.from(document.querySelectorAll('.chart')).every("
            "c => c.querySelector('.vega-embed svg'))"
        )

    def outside(self) -> list[str]:
        return [u for u in self.requests if not u.startswith(self.base + "/")]


@pytest.fixture
def visit(browser, site_url):
    visitor = Visit(browser, site_url)
    yield visitor
    visitor.context.close()
