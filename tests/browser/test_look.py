"""The stylesheet built from Bootstrap's sources looks like the full Bootstrap it replaced.

tests/browser/look.json holds key measurements taken in Chromium on the site as it was with the
whole of bootstrap.min.css (sizes of the header, the main column, buttons and fields; fonts and
colours of text, links and buttons) on a phone and a desk, light and dark. Each is measured again
here and must match. After a deliberate change of look, record them afresh:
    LOOK_RECORD=1 .venv/bin/python -m pytest -n 0 tests/browser/test_look.py
"""

import json
import os
from pathlib import Path

import pytest

from tests.helpers import GUIDE, SEED_URL

BASELINE = Path(__file__).with_name("look.json")
RECORD = os.environ.get("LOOK_RECORD") == "1"

PAGES = {
    "home": "/",
    "comparison": SEED_URL,
    "role": "/roles/account-manager/",
    "guide": GUIDE,
    "form": "/accounts/login/",
    "form with errors": "/compare/?a=account-manager&b=",
    "list": "/roles/",
    "guide finder": "/transitions/",
}
VIEWPORTS = {"phone": {"width": 375, "height": 740}, "desk": {"width": 1280, "height": 800}}

# (selector, which of its box's sizes count): the first match of each. Text is measured for its
# style only, and buttons and links for their height, so that a change of wording does not move
# the figures.
BOX, HEIGHT = "box", "height"
ELEMENTS = [
    ("body", None),
    (".site-header", BOX),
    (".site-header__brand", HEIGHT),
    (".site-menu__toggle", HEIGHT),
    (".site-nav__link", HEIGHT),
    (".site-header__search .form-control", BOX),
    (".site-header__search .btn", HEIGHT),
    (".site-main", None),
    ("main h1", None),
    ("main h2", None),
    ("main h3", None),
    ("main p", None),
    ("main a:not(.btn)", None),
    (".breadcrumb", None),
    (".breadcrumb-item + .breadcrumb-item", None),
    ("main .btn", HEIGHT),
    ("main .btn-primary", HEIGHT),
    ("main .btn-outline-primary", HEIGHT),
    ("main .btn-outline-secondary", HEIGHT),
    ("main .btn-sm", HEIGHT),
    ("main .form-label", None),
    ("main .form-control", BOX),
    ("main .form-select", BOX),
    ("main .is-invalid", BOX),
    ("main .invalid-feedback", None),
    ("main .alert", None),
    ("main table", None),
    ("main th", None),
    ("main td", None),
    ("main .row", None),
    ("main dt", None),
    ("main ul", None),
    ("main ol", None),
    ("main .page-link", HEIGHT),
    (".site-footer", None),
    (".site-footer__links a", None),
    (".theme-toggle__button", HEIGHT),
]
STYLES = [
    "fontSize", "fontWeight", "lineHeight", "color", "backgroundColor",
    "backgroundImage", "borderTopWidth", "borderTopColor", "borderTopLeftRadius", "paddingTop",
    "paddingLeft", "marginTop", "marginBottom", "textDecorationLine", "display", "boxSizing",
]  # fmt: skip

MEASURE = """([elements, styles]) => {
  const main = document.querySelector('.site-main').getBoundingClientRect();
  const out = {
    'main column': [Math.round(main.left), Math.round(main.width)],
    'font': getComputedStyle(document.body).fontFamily,
  };
  for (const [selector, sized] of elements) {
    const el = document.querySelector(selector);
    if (!el) continue;
    const style = getComputedStyle(el);
    const seen = Object.fromEntries(styles.map(name => [name, style[name]]));
    const box = el.getBoundingClientRect();
    if (sized === 'box') seen.size = [Math.round(box.width), Math.round(box.height)];
    if (sized === 'height') seen.size = [Math.round(box.height)];
    out[selector] = seen;
  }
  return out;
}"""


def measure(page) -> dict:
    # An autofocused field would be measured focused, or mid-way through its focus transition.
    # Chromium applies autofocus when it next renders, which on a busy machine can come after
    # the load event: wait two frames so that it has happened, blur whatever has focus, and let
    # every transition end, however slow the machine. Repeat until nothing holds focus.
    frames = "new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(true))))"
    blur = """() => {
      const el = document.activeElement;
      if (el && el !== document.body) { el.blur(); return false; }
      return true;
    }"""
    settle = "Promise.all(document.getAnimations().map(a => a.finished)).then(() => true)"
    for _ in range(10):
        page.evaluate(frames)
        unfocused = page.evaluate(blur)
        page.evaluate(settle)
        page.wait_for_timeout(50)
        page.evaluate(settle)
        if unfocused and page.evaluate(blur):
            break
    return page.evaluate(MEASURE, [ELEMENTS, STYLES])


def dump(baseline: dict) -> str:
    """One line per element, so that a re-recording shows as a readable diff."""
    lines = []
    for key, pages in sorted(baseline.items()):
        lines.append(f"{json.dumps(key)}: {{")
        for name, elements in sorted(pages.items()):
            rows = [
                f"   {json.dumps(sel)}: {json.dumps(seen, sort_keys=True)}"
                for sel, seen in sorted(elements.items())
            ]
            lines.append(f"  {json.dumps(name)}: {{\n" + ",\n".join(rows) + "\n  },")
        lines[-1] = lines[-1].rstrip(",")
        lines.append("},")
    lines[-1] = "}"
    return "{\n" + "\n".join(lines) + "\n}\n"


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_pages_look_as_they_did_with_the_whole_of_bootstrap(
    browser, live_starter, viewport, scheme
):
    context = browser.new_context(viewport=VIEWPORTS[viewport], color_scheme=scheme)
    page = context.new_page()
    seen = {}
    for name, path in PAGES.items():
        page.goto(f"{live_starter.url}{path}")
        seen[name] = measure(page)
    context.close()
    key = f"{viewport} {scheme}"
    baseline = json.loads(BASELINE.read_text()) if BASELINE.exists() else {}
    if RECORD:
        baseline[key] = seen
        BASELINE.write_text(dump(baseline))
    expected = baseline[key]
    differences = [
        (name, selector, expected[name].get(selector), seen[name].get(selector))
        for name in expected
        for selector in sorted(expected[name].keys() | seen[name].keys())
        if expected[name].get(selector) != seen[name].get(selector)
    ]
    assert differences == []
