"""Timing page interactions in the real browser (Chromium via Playwright, like tests/e2e), shared by the page benches.

``Session`` starts ``streamlit run app.py`` on a free port with an empty data folder (the e2e tests' server fixture)
and opens one page at 1280×720. ``timed(name, action)`` measures from the click or keystroke until the app is idle
again: the page tells its state in ``data-test-script-state`` and a script in the page logs the moment of every
change; an interaction is timed up to the end of the last run it caused. An action that causes no run (the browser
answers by itself) is timed up to the end of the action: no wait is added to it.

An interaction timed several times under one name is reported as its median and its slowest time: on this 2-core
machine the browser, the server and the operating system share the cores, and one sample varies by ±0.15 s.
The verdict is on the median (what a user typically waits); the slowest is shown beside it.
"""

from __future__ import annotations

import inspect
import os
import statistics
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


def repeat_arg(argv: list[str] | None, doc: str) -> int:
    """``--repeat N`` of a page bench (default 3): how many times each interaction is timed."""
    import argparse

    ap = argparse.ArgumentParser(description=doc.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3, help="how many times each interaction is timed (default 3)")
    return max(1, ap.parse_args(argv).repeat)


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
        """Print one line per interaction (median and slowest of its samples); 0 when every median is under
        LIMIT_SECONDS."""
        samples: dict[str, list[float]] = {}
        for name, sec in self.times:
            samples.setdefault(name, []).append(sec)
        runs: dict[str, list[tuple[float, float]]] = {}
        for name, run, wait in self.server:
            runs.setdefault(name, []).append((run, wait))
        ok = True
        for name, secs in samples.items():
            med = statistics.median(secs)
            ok &= med < LIMIT_SECONDS
            mark = "" if med < LIMIT_SECONDS else "  ← 超过 1 秒"
            spread = f"（{len(secs)} 次，最慢 {max(secs):.2f} s）" if len(secs) > 1 else ""
            if name in runs:
                wait = statistics.median(w for _, w in runs[name])
                run = statistics.median(r for r, _ in runs[name])
                detail = f"其中等待 {wait:.2f} s，运行 {run:.2f} s"
            else:
                detail = "无需运行"
            print(f"{name:<34}{med:6.2f} s {spread}（{detail}）{mark}")
        return 0 if ok else 1
