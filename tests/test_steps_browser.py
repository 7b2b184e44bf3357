"""The step-by-step page in a real headless Chromium, driven by Selenium.

The page for J = 3(a + bc) is written by the command line as a user would
(``minigrad step ... -o J.html``), opened from disk, and stepped through with the
buttons, the slider and the arrow keys; the gradients the page shows at every step are
compared with the engine's. The browser is Debian's ``chromium`` with its
``chromedriver`` (``.ci/run`` installs both); nothing is downloaded. Without them the
tests are skipped, saying so.

``pytest tests/test_steps_browser.py --screenshot docs/steps.png`` also saves the
README's screenshot.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from minigrad import Value, steps
from minigrad.expression import build

CHROMIUM = next((p for p in (shutil.which("chromium"), "/usr/bin/chromium") if p and Path(p).exists()), None)
CHROMEDRIVER = next(
    (p for p in (shutil.which("chromedriver"), "/usr/bin/chromedriver") if p and Path(p).exists()), None
)
PROGRAM = "J = 3*(a + b*c)"
BINDINGS = ("a=5", "b=3", "c=2")
SCREENSHOT_STEP = 6  # u passes 3 × 2 = 6 to b and 3 × 3 = 9 to c


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if CHROMIUM is None or CHROMEDRIVER is None:
        pytest.skip(
            "headless browser test skipped: no Chromium found (looked for `chromium` and `chromedriver` on PATH "
            "and in /usr/bin; install them with `apt-get install chromium chromium-driver`)"
        )
    pytest.importorskip("selenium", reason="browser test skipped: selenium is not installed (pip install selenium)")
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    options = Options()
    options.binary_location = CHROMIUM
    for argument in (
        "--headless=new",
        "--no-sandbox",  # CI containers run as root
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--window-size=1280,900",
        "--force-device-scale-factor=1",
    ):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """J.html written by ``minigrad step`` in a fresh process."""
    folder = tmp_path_factory.mktemp("page")
    command = [sys.executable, "-m", "minigrad", "step", PROGRAM, *BINDINGS, "-o", "J.html"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, cwd=folder)
    assert done.returncode == 0, done.stderr
    return folder / "J.html"


def engine_graph() -> Value:
    """The same graph, built by the same parser, with the engine's backward pass run on it."""
    root = build(PROGRAM, {name: float(value) for name, value in (b.split("=") for b in BINDINGS)})
    root.backward()
    return root


def shown(driver) -> dict[str, object]:  # type: ignore[no-untyped-def]
    """What the page shows now: step counter, caption, visible frame, and each table row."""
    return driver.execute_script(
        """
        const root = document.querySelector('.mg-steps');
        const frames = [...root.querySelectorAll('.mg-frame')];
        const rows = {};
        for (const tr of root.querySelectorAll('.mg-table tbody tr')) {
          const td = tr.querySelectorAll('td');
          rows[tr.dataset.name] = {data: td[1].textContent, grad: td[2].textContent, state: td[3].textContent};
        }
        return {
          position: root.querySelector('.mg-position').textContent,
          caption: root.querySelector('.mg-caption').textContent,
          visible: frames.map((f, i) => f.hidden ? -1 : i).filter(i => i >= 0),
          slider: root.querySelector('.mg-slider').value,
          rows: rows,
        };
        """
    )


def test_next_walks_the_backward_pass_with_the_engines_gradients(
    browser, page: Path, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    root = engine_graph()
    frames = steps(root)
    names = frames.names
    engine = {names[node]: node.grad for node in frames.nodes}
    assert engine == {"J": 1.0, "v": 3.0, "u": 3.0, "a": 3.0, "b": 6.0, "c": 9.0}

    browser.get(page.as_uri())
    assert browser.title == "J = 33, step by step"
    next_button = browser.find_element("css selector", ".mg-next")
    seen_phases = []
    for k in range(len(frames)):
        now = shown(browser)
        frame = frames[k]
        assert now["position"] == f"step {k} of {len(frames) - 1} ({frame.phase})"
        assert now["caption"] == frame.caption
        assert now["visible"] == [k] and now["slider"] == str(k)
        seen_phases.append(frame.phase)
        for node in frames.nodes:
            row = now["rows"][names[node]]
            if node in frame.grads:
                assert float(row["grad"]) == frame.grads[node], (k, names[node])
            else:
                assert row["grad"] == "?"
            if row["state"] == "final":  # a gradient the page calls final is the engine's
                assert float(row["grad"]) == node.grad, (k, names[node])
            assert row["data"] == ("?" if node not in frame.computed else format(node.data, ".6g"))
        if k == SCREENSHOT_STEP:
            assert "u passes 3 × 2 = 6 to b and 3 × 3 = 9 to c" in now["caption"]
            image = tmp_path / "steps.png"
            browser.find_element("css selector", ".mg-steps").screenshot(str(image))
            assert image.read_bytes()[:4] == b"\x89PNG"
            target = request.config.getoption("--screenshot")
            if target:
                shutil.copyfile(image, target)
        next_button.click()
    assert seen_phases.count("backward") == 3 and seen_phases[-1] == "done"
    final = shown(browser)
    assert final["position"].startswith(f"step {len(frames) - 1} ")  # "next" at the end stays there
    assert {name: float(row["grad"]) for name, row in final["rows"].items()} == engine
    assert {row["state"] for row in final["rows"].values()} == {"final"}


def test_arrow_keys_slider_reset_and_play(browser, page: Path) -> None:
    from selenium.webdriver.common.keys import Keys

    last = len(steps(engine_graph())) - 1
    browser.get(page.as_uri())
    body = browser.find_element("css selector", "body")
    for k in range(1, last + 3):  # two presses past the end stay at the end
        body.send_keys(Keys.ARROW_RIGHT)
        assert shown(browser)["visible"] == [min(k, last)]
    assert shown(browser)["rows"]["b"]["grad"] == "6"
    body.send_keys(Keys.ARROW_LEFT)
    body.send_keys(Keys.ARROW_LEFT)
    assert shown(browser)["visible"] == [last - 2]
    body.send_keys(Keys.HOME)
    assert shown(browser)["visible"] == [0]
    body.send_keys(Keys.END)
    assert shown(browser)["visible"] == [last]

    slider = browser.find_element("css selector", ".mg-slider")
    browser.find_element("css selector", ".mg-reset").click()
    slider.send_keys(Keys.ARROW_RIGHT)  # the slider moves by one, the page follows (and does not move twice)
    assert shown(browser)["visible"] == [1]
    browser.find_element("css selector", ".mg-prev").click()
    assert shown(browser)["visible"] == [0]

    play = browser.find_element("css selector", ".mg-play")
    play.click()
    deadline = time.monotonic() + 10
    while shown(browser)["visible"] == [0] and time.monotonic() < deadline:
        time.sleep(0.1)
    play.click()  # pause
    paused = shown(browser)["visible"]
    assert paused != [0]
    time.sleep(1.5)
    assert shown(browser)["visible"] == paused
    browser.find_element("css selector", ".mg-reset").click()
    assert shown(browser)["visible"] == [0]


def test_the_page_loads_nothing_from_the_network(page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    assert "<svg" in text and "<script>" in text
    for needle in ('src="http', "src='http", 'href="http', "@import", "url(http", "fetch(", "XMLHttpRequest"):
        assert needle not in text


def test_the_training_page_steps_through_the_updates(browser, tmp_path: Path) -> None:
    from minigrad.steps_training import descend, save_training_html

    def loss(w: Value, b: Value) -> Value:  # a logistic neuron on one example x = 2, y = 1
        return -(w * 2.0 + b).sigmoid().log()

    start = {"w": 0.5, "b": -0.75}
    updates = descend(loss, start, lr=0.5, updates=5)
    page = save_training_html(tmp_path / "train.html", loss, start, lr=0.5, updates=5)
    browser.get(page.as_uri())
    for u in updates:
        now = shown(browser)
        assert now["visible"] == [u.index] and now["caption"].startswith(f"update {u.index} of 4: loss")
        assert float(now["rows"]["L"]["data"]) == pytest.approx(u.loss, rel=1e-5)
        for name in start:
            assert float(now["rows"][name]["data"]) == pytest.approx(u.values[name], rel=1e-5)
            assert float(now["rows"][name]["grad"]) == pytest.approx(u.grads[name], rel=1e-5)
        browser.find_element("css selector", ".mg-next").click()
