"""The HTML report in a real headless Chromium (Debian's `chromium`, installed by `make test`):
the page loads with no console message or script error, the three charts are drawn, the calendar has
one cell per plan day, and a screenshot is saved to tests/artifacts/report.png."""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

import periodize
from periodize.output.report import write_report
from periodize.scenario.loading import load_scenario

pytestmark = pytest.mark.slow  # a headless browser per test

ARTIFACTS = Path(__file__).parent / "artifacts"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars"]


def browser() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        if os.environ.get("PERIODIZE_SKIP_BROWSER") == "1":
            pytest.skip("PERIODIZE_SKIP_BROWSER=1 and no chromium")
        pytest.fail("chromium not found: `make test` installs it (apt-get install chromium)")
    return found


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    scenario = load_scenario("scenarios/three-days.toml")
    plan = periodize.solve(scenario, work_limit=10, seed=0)  # the same plan on any machine load
    assert plan.status in ("optimal", "feasible")
    path = tmp_path_factory.mktemp("report") / "plan.html"
    write_report(scenario, plan, path)
    return plan, path


def test_report_loads_cleanly_in_chromium(report):
    plan, path = report
    run = subprocess.run(
        [browser(), *FLAGS, "--enable-logging=stderr", "--v=0", "--virtual-time-budget=10000",
         "--dump-dom", path.as_uri()],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    dom = run.stdout
    assert run.returncode == 0 and dom.startswith("<!DOCTYPE html>") or "<html" in dom[:200]
    console = [line for line in run.stderr.splitlines() if ":CONSOLE" in line]
    assert console == [], console  # no console message at all, errors included
    assert "data-errors=" not in dom
    assert 'data-charts-drawn="3"' in dom  # all three Plotly charts rendered their SVG
    assert dom.count('class="main-svg"') >= 2
    cells = re.findall(r'<td class="day[^"]*" data-date="(\d{4}-\d\d-\d\d)"', dom)
    assert cells == [d.date.isoformat() for d in plan.days]


def screenshot(page: Path, name: str, width: int) -> Path:
    """A PNG of the page in a window `width` px wide, saved as tests/artifacts/NAME."""
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / name
    shot.unlink(missing_ok=True)
    subprocess.run(
        [browser(), *FLAGS, "--virtual-time-budget=10000", f"--window-size={width},2600",
         f"--screenshot={shot}", page.as_uri()],
        capture_output=True, timeout=120, check=True,
    )  # fmt: skip
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    return shot


def test_report_screenshot(report):
    _, path = report
    assert screenshot(path, "report.png", 1280).stat().st_size > 50_000


@pytest.mark.parametrize("width", [390, 1400])
def test_report_fits_the_screen_and_no_chart_text_overlaps(report, tmp_path, width):
    """At 390 px (a phone) and 1400 px (a desktop) the page itself does not scroll sideways (the
    calendar and the tables scroll inside their own boxes, the charts take the screen's width),
    and no two texts of a chart overlap or run past its edge (titles, race labels, axes,
    legends). Headless Chromium's window is at least 500 px wide, so the report is shown in a
    frame of a harness page that copies the report's own measurements out. Screenshots in
    tests/artifacts/report-390.png and report-1400.png."""
    _, path = report
    harness = tmp_path / "frame.html"
    harness.write_text(
        "<!DOCTYPE html><html><body style='margin:0'>"
        f"<iframe id='frame' width='{width}' height='2600' style='border:0' "
        f'srcdoc="{html.escape(path.read_text(), quote=True)}"></iframe><script>'
        "setInterval(function(){var d=document.getElementById('frame').contentDocument;"
        "var e=d&&d.documentElement,t=e&&e.getAttribute('data-text-overlaps');"
        "if(t)document.documentElement.setAttribute('data-frame',e.getAttribute("
        "'data-page-overflow')+'§'+e.clientWidth+'§'+t+'§'+e.getAttribute('data-text-cut'));"
        "},200);</script></body></html>"
    )
    window = max(width, 500)
    run = subprocess.run(
        [browser(), *FLAGS, "--virtual-time-budget=10000", f"--window-size={window},2600",
         "--dump-dom", harness.as_uri()],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    measured = re.search(r'data-frame="([^"]*)"', run.stdout)
    assert measured is not None, run.stdout[-300:]
    overflow, page_width, overlaps, cut = html.unescape(measured.group(1)).split("§")
    assert (overflow, page_width) == ("0", str(width))  # no overflow, at the frame's width
    assert overlaps == "none", overlaps
    assert cut == "none", cut
    screenshot(harness, f"report-{width}.png", window)
