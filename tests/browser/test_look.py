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

# (selector, whether its box size counts): the first match of each. Text boxes are measured for
# their style only, so that a change of wording elsewhere does not move the figures.
ELEMENTS = [
    ("body", False),
    (".site-header", True),
    (".site-header__brand", True),
    (".site-menu__toggle", True),
    (".site-nav__link", True),
    (".site-header__search .form-control", True),
    (".site-header__search .btn", True),
    (".site-main", False),
    ("main h1", False),
    ("main h2", False),
    ("main h3", False),
    ("main p", False),
    ("main a:not(.btn)", False),
    (".breadcrumb", False),
    (".breadcrumb-item + .breadcrumb-item", False),
    ("main .btn", True),
    ("main .btn-primary", True),
    ("main .btn-outline-primary", True),
    ("main .btn-outline-secondary", True),
    ("main .btn-sm", True),
    ("main .form-label", False),
    ("main .form-control", True),
    ("main .form-select", True),
    ("main .is-invalid", True),
    ("main .invalid-feedback", False),
    ("main .alert", False),
    ("main table", False),
    ("main th", False),
    ("main td", False),
    ("main .row", False),
    ("main dt", False),
    ("main ul", False),
    ("main ol", False),
    ("main .page-link", True),
    (".site-footer", False),
    (".site-footer__links a", False),
    (".theme-toggle__button", True),
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
    if (sized) {
      const box = el.getBoundingClientRect();
      seen.size = [Math.round(box.width), Math.round(box.height)];
    }
    out[selector] = seen;
  }
  return out;
}"""


def measure(page) -> dict:
    # An autofocused field would be measured mid-way through its focus transition.
    page.evaluate("document.activeElement && document.activeElement.blur()")
    page.wait_for_timeout(300)
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
