"""Timing page interactions in the real browser (Chromium via Playwright, like tests/e2e), shared by the page benches.

``Session`` starts ``streamlit run app.py`` on a free port with an empty data folder (the e2e tests' server fixture)
and opens one page at 1280×720. ``timed(name, action)`` measures from the click or keystroke until the app is idle
again: the page tells its state in ``data-test-script-state`` and a script in the page logs the moment of every
change; an interaction is timed up to the end of the last run it caused. An action that causes no run (the browser
answers by itself) is timed up to the end of the action: no wait is added to it.
"""

from __future__ import annotations

import inspect
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "e2e"))

WATCH = """
window.__runs = [];
new MutationObserver(ms => {
  for (const m of ms) {
    const state = m.target.getAttribute && m.target.getAttribute('data-test-script-state');
    if (state && m.target.getAttribute('data-testid') === 'stApp') window.__runs.push([state, Date.now()]);
  }
}).observe(document, {attributes: true, subtree: true, attributeFilter: ['data-test-script-state']});
"""

LIMIT_SECONDS = 1.0


class Session:
    """A server and a browser page; use as a context manager. ``times`` collects (name, seconds)."""

    def __init__(self) -> None:
        os.environ["SFJD_DATA_DIR"] = tempfile.mkdtemp(prefix="sfjd_bench_")
        import test_e2e_browser as e2e

        self.e2e = e2e
        self.times: list[tuple[str, float]] = []
        self.server: list[tuple[str, float, float]] = []
        """(name, seconds from the first run's start to the last run's end, seconds until the first run started)"""

    def __enter__(self) -> "Session":
        from playwright.sync_api import sync_playwright

        self._gen = inspect.unwrap(self.e2e.server)(Path(tempfile.mkdtemp()))  # the e2e server fixture
        self.url = next(self._gen)
        self._pw = sync_playwright().start()
        self.browser = self._pw.chromium.launch(executable_path=self.e2e.CHROMIUM, headless=True,
                                                args=self.e2e.CHROMIUM_ARGS)
        self.page = self.browser.new_page(viewport={"width": 1280, "height": 720}, locale="zh-CN")
        self.page.add_init_script(WATCH)
        return self

    def __exit__(self, *exc: Any) -> None:
        try:
            self.browser.close()
            self._pw.stop()
        finally:
            try:
                next(self._gen)
            except StopIteration:
                pass

    def settle(self, timeout: float = 60_000) -> None:
        self.e2e.settle(self.page, timeout)

    def timed(self, name: str, action: Callable[[], Any]) -> float:
        page = self.page
        page.evaluate("window.__runs = []")
        t = time.time() * 1000
        action()
        done = time.time() * 1000
        try:  # a run starts within a second of the action, or the action caused none
            page.wait_for_function("(window.__runs || []).some(r => r[0] === 'running')", timeout=1000)
        except Exception:
            pass
        self.settle()
        runs = page.evaluate("window.__runs || []")
        ends = [ms for state, ms in runs if state == "notRunning"]
        starts = [ms for state, ms in runs if state == "running"]
        if starts and ends:
            done = max(ends)
            self.server.append((name, (max(ends) - min(starts)) / 1000, (min(starts) - t) / 1000))
        sec = (done - t) / 1000
        self.times.append((name, sec))
        return sec

    def report(self) -> int:
        """Print one line per interaction; 0 when every one answered under LIMIT_SECONDS."""
        runs = {name: (run, wait) for name, run, wait in self.server}
        for name, sec in self.times:
            mark = "" if sec < LIMIT_SECONDS else "  ← 超过 1 秒"
            run = f"（其中等待 {runs[name][1]:.2f} s，运行 {runs[name][0]:.2f} s）" if name in runs else "（无需运行）"
            print(f"{name:<34}{sec:6.2f} s {run}{mark}")
        return 0 if all(sec < LIMIT_SECONDS for _, sec in self.times) else 1
