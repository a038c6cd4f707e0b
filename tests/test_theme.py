"""The colour scheme: the toggle's view, how base.html renders the choice, and the stylesheet's
copy of Bootstrap's dark mode."""

import math
import re

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

THEME_URL = reverse("theme_set")


def html_attrs(response):
    return BeautifulSoup(response.content, "html.parser").html.attrs


def pressed(response):
    page = BeautifulSoup(response.content, "html.parser")
    return [button.get_text() for button in page.select(".theme-toggle [aria-pressed=true]")]


def test_toggle_answers_post_only(client):
    assert client.get(THEME_URL).status_code == 405


@pytest.mark.parametrize("value", ["", "purple", "DARK"])
def test_unknown_scheme_is_a_bad_request_and_sets_nothing(client, value):
    response = client.post(THEME_URL, {"theme": value, "next": "/roles/"})
    assert response.status_code == 400
    assert "We could not understand that request" in response.text
    assert "theme" not in response.cookies


@pytest.mark.parametrize("value", ["light", "dark"])
def test_choice_is_remembered_for_a_year_and_the_reader_sent_back(client, value):
    response = client.post(THEME_URL, {"theme": value, "next": "/roles/?family=delivery"})
    assert response.status_code == 302
    assert response["Location"] == "/roles/?family=delivery"
    cookie = response.cookies["theme"]
    assert cookie.value == value
    assert cookie["max-age"] == 365 * 24 * 60 * 60
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"


def test_auto_forgets_the_choice(client):
    client.cookies["theme"] = "dark"
    response = client.post(THEME_URL, {"theme": "auto", "next": "/faq/"})
    assert response["Location"] == "/faq/"
    assert response.cookies["theme"].value == ""
    assert response.cookies["theme"]["max-age"] == 0


@pytest.mark.parametrize("target", ["https://elsewhere.example/", "//elsewhere.example/", ""])
def test_next_elsewhere_goes_home(client, target):
    response = client.post(THEME_URL, {"theme": "dark", "next": target})
    assert response["Location"] == reverse("roles:home")


def test_toggle_needs_no_csrf_token():
    """Every page carries the toggle; a token would give every anonymous page a cookie."""
    client = Client(enforce_csrf_checks=True)
    assert client.post(THEME_URL, {"theme": "dark"}).status_code == 302


@pytest.mark.parametrize(
    ("cookie", "attribute", "current"),
    [
        (None, None, "Auto"),
        ("light", "light", "Light"),
        ("dark", "dark", "Dark"),
        ("x", None, "Auto"),
    ],
)
def test_pages_render_the_choice_for_bootstrap(client, cookie, attribute, current):
    if cookie:
        client.cookies["theme"] = cookie
    for url in ("/", "/compare/", "/no-such-page/"):
        response = client.get(url)
        assert html_attrs(response).get("data-bs-theme") == attribute
        assert pressed(response) == [current]


def test_toggle_sends_the_reader_back_to_the_page_it_was_on(client):
    page = BeautifulSoup(client.get("/roles/?family=delivery").content, "html.parser")
    form = page.select_one("form.theme-toggle")
    assert form["method"] == "post"
    assert form["action"] == THEME_URL
    assert form.find("input", attrs={"name": "next"})["value"] == "/roles/?family=delivery"
    buttons = form.find_all("button", attrs={"name": "theme"})
    assert [button["value"] for button in buttons] == ["auto", "light", "dark"]


# --- The stylesheet: "auto" follows the system with Bootstrap's own dark values ---


def _colour(value: str) -> str:
    """A colour as #rrggbb: dart-sass writes Bootstrap's mixed colours as rgb() in percentages
    (rgb(90.35%,52%,71.06%) for #e685b5), the same colour to the nearest of 256 levels, halves
    rounded up as browsers do (the percentages are cut at ten places, hence the 1e-6)."""
    if match := re.fullmatch(r"rgb\(([\d.]+)%,([\d.]+)%,([\d.]+)%\)", value):
        levels = (math.floor(float(part) * 2.55 + 0.5 + 1e-6) for part in match.groups())
        return "#" + "".join(f"{level:02x}" for level in levels)
    return value.lower() if re.fullmatch(r"#[0-9a-fA-F]{6}", value) else value


def _declarations(block: str) -> dict[str, str]:
    pairs = (item.split(":", 1) for item in block.split(";") if item.strip())
    return {name.strip(): _colour(re.sub(r"\s+", "", value)) for name, value in pairs}


def _rules(css: str) -> list[tuple[str, dict[str, str]]]:
    """(selector, declarations) of every innermost rule, comments dropped."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.DOTALL)
    return [
        (sel.strip(), _declarations(body)) for sel, body in re.findall(r"([^{}]+)\{([^{}]*)\}", css)
    ]


def _site_css() -> tuple[list, list]:
    """The rules outside and inside site.css's prefers-color-scheme: dark block."""
    css = (settings.BASE_DIR / "static/css/site.css").read_text()
    start = css.index("@media (prefers-color-scheme: dark)")
    return _rules(css[:start]), _rules(css[start:])


def test_auto_dark_mode_copies_bootstraps_dark_mode_exactly():
    # Bootstrap's rules come first in the built stylesheet, site.css's copy after them.
    css = (settings.BASE_DIR / "static/css/careerguide.css").read_text()
    theirs = dict(reversed(_rules(css)))  # the first rule for each selector
    _, system_dark = _site_css()
    auto = ":root:not([data-bs-theme])"
    assert (auto, theirs["[data-bs-theme=dark]"]) in system_dark
    assert (f"{auto} .form-select", theirs["[data-bs-theme=dark] .form-select"]) in system_dark


def test_site_colours_are_the_same_whether_dark_is_chosen_or_from_the_system():
    outside, system_dark = _site_css()
    chosen = dict(outside)["[data-bs-theme=dark]"]
    assert "--cg-text" in chosen
    assert (":root:not([data-bs-theme])", chosen) in system_dark
