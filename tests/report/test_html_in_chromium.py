"""The HTML report opened in a real headless Chromium: the DOM it builds and the pixels it paints."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urljoin

import pytest
from PIL import Image

from tests.conftest import run_cli

pytestmark = pytest.mark.slow

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--hide-scrollbars", "--force-device-scale-factor=1"]
INDIGO, TEAL = (0x4F, 0x46, 0xE5), (0x0D, 0x94, 0x88)  # bar colours of "Top benchmarks" and "Top models"


def chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is needed for this test: apt-get install chromium (.ci/run installs it)")
    profile = tmp_path / f"profile-{len(list(tmp_path.glob('profile-*')))}"
    return subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args], capture_output=True, text=True, timeout=120)


def near(pixel: tuple[int, ...], colour: tuple[int, int, int], tolerance: int = 12) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(pixel[:3], colour, strict=True))


@pytest.fixture(scope="module")
def page(seed_out: Path, prefect_api: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("html") / "report.html"
    result = run_cli(["report", "--out", str(seed_out), "--html", str(path)], prefect_api)
    assert result.returncode == 0, result.stderr
    return path


def test_rendered_dom_has_the_sections_charts_and_ran_its_script(page: Path, tmp_path: Path) -> None:
    result = chromium(tmp_path, "--virtual-time-budget=3000", "--dump-dom", page.as_uri())
    dom = result.stdout
    assert result.returncode == 0 and "<html" in dom[:200], result.stderr[-2000:]
    headings = re.findall(r"<h2>(.*?)</h2>", dom)
    assert headings == ["Top benchmarks", "Top models", "Results per benchmark", "Leaderboards", "Most-linked repositories", "Papers per run"]
    assert 'data-ready="1"' in dom  # the inline script (sorting, filter) ran without an error
    assert len(re.findall(r'<svg class="chart"', dom)) == 4
    assert len(re.findall(r'<rect class="bar"', dom)) >= 30
    boards, singles = len(re.findall(r'<article class="panel board"', dom)), len(re.findall(r'<tr class="single"', dom))
    assert boards >= 3 and boards + singles >= 10, (boards, singles)


def test_screenshot_paints_charts_and_tables(page: Path, tmp_path: Path) -> None:
    shot = tmp_path / "report.png"
    result = chromium(tmp_path, f"--screenshot={shot}", "--window-size=1280,2000", page.as_uri())
    assert result.returncode == 0 and shot.exists(), result.stderr[-2000:]
    image = Image.open(shot).convert("RGB")
    assert image.size == (1280, 2000)
    small = image.resize((320, 500))
    assert len(set(small.get_flattened_data())) > 200, "the page looks blank"
    pixels = image.load()
    indigo = [(x, y) for y in range(180, 1000, 2) for x in range(0, 1280, 2) if near(pixels[x, y], INDIGO)]
    teal = [(x, y) for y in range(180, 1000, 2) for x in range(0, 1280, 2) if near(pixels[x, y], TEAL)]
    assert len(indigo) > 1500 and len(teal) > 1500, (len(indigo), len(teal))  # bars painted, not just outlines
    # "Top benchmarks" sits left of "Top models", both in the first screenful under the header cards
    assert max(x for x, _ in indigo) < 640 < min(x for x, _ in teal)
    assert 200 < min(y for _, y in indigo) < 450
    # the table under the chart painted its text: dark pixels in the left panel below the chart
    ink = sum(1 for y in range(700, 1100, 2) for x in range(40, 620, 2) if sum(pixels[x, y]) < 450)
    assert ink > 400, ink
    shutil.copy(shot, page.with_name("report.png"))  # kept next to the page for a person to look at


def test_a_board_rows_link_opens_its_paper_with_the_number_marked(page: Path, tmp_path: Path) -> None:
    report = chromium(tmp_path, "--virtual-time-budget=3000", "--dump-dom", page.as_uri()).stdout
    href = re.search(r'<a class="t" href="([^"]+#row\d+)"', report).group(1)  # as the browser parsed it
    target = urljoin(page.as_uri(), href)
    result = chromium(tmp_path, "--virtual-time-budget=3000", "--dump-dom", target)
    dom, row = result.stdout, href.rsplit("#", 1)[1]
    assert result.returncode == 0 and 'data-ready="1"' in dom, result.stderr[-2000:]
    # the page's script marked the row the link names, and the number in the text whose label links to that row
    assert re.search(rf'<tr id="{row}" class="focus">', dom), dom[-3000:]
    focused = re.search(r'<span style="font-weight: bold;[^"]*" class="focus">([^<]+)<.*?LEADERBOARD\s*<a [^>]*href="#(row\d+)"', dom, re.S)
    assert focused and focused.group(2) == row
    number = re.search(rf'<tr id="{row}" class="focus">.*?<mark>(.*?)</mark>', dom, re.S).group(1)
    assert focused.group(1).strip() == number
    assert ">MODEL<" in dom and ">BENCHMARK<" in dom


def test_paper_page_screenshot_paints_the_labels(page: Path, tmp_path: Path) -> None:
    href = re.search(r'<a class="t" href="([^"]+)#row\d+"', page.read_text()).group(1)
    shot = tmp_path / "paper.png"
    result = chromium(tmp_path, f"--screenshot={shot}", "--window-size=1200,1200", urljoin(page.as_uri(), href))
    assert result.returncode == 0 and shot.exists(), result.stderr[-2000:]
    image = Image.open(shot).convert("RGB")
    pixels = image.load()
    colours = {"MODEL": (0x5E, 0xEA, 0xD4), "LEADERBOARD": (0xFB, 0x71, 0x85)}
    # the legend paints each colour too (it is the first LEADERBOARD colour from the top, unless a ranked number sits
    # in the title): count below it, the underlines and labels in the abstract
    legend = next(y for y in range(1200) if any(near(pixels[x, y], colours["LEADERBOARD"], 6) for x in range(0, 1200, 2)))
    counts = {label: sum(1 for y in range(legend + 30, 1200, 2) for x in range(0, 1200, 2) if near(pixels[x, y], c, 6))
              for label, c in colours.items()}
    assert all(n > 40 for n in counts.values()), counts
    shutil.copy(shot, page.with_name("paper.png"))  # kept next to the page for a person to look at
