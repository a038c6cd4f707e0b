"""Real Chromium (Debian's) driven by Playwright against Django's live_server."""

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.utils.text import slugify

from roles import services
from roles.models import Guide
from tests import factories
from tests.helpers import GUIDE

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing (apt-get install chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{message}: CI must run the browser tests", pytrace=False)
        pytest.skip(message)
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "headless": True,
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture
def live_starter(transactional_db, live_server, starter_content):
    """The starter content behind a live server, as a reader of `make run` would see it.

    `starter_content` loads it once per session and replays a dump afterwards, which keeps the
    per-test cost of a fresh database low enough for one test per page.
    """
    return live_server


@pytest.fixture
def sign_in(live_starter):
    """Sign a browser context in as a new reader, skipping the form (the journeys use the form)."""

    def sign_in(context, username="reader", **fields):
        user = factories.UserFactory(username=username, **fields)
        client = Client()
        client.force_login(user)
        session = client.cookies[settings.SESSION_COOKIE_NAME].value
        cookie = {"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_starter.url}
        context.add_cookies([cookie])
        return user

    return sign_in


@pytest.fixture
def save_screenshot(output_path):
    """Keep a picture of what a test saw, beside pytest-playwright's own failure screenshots.

    For tests that check many pages in one go: the picture shows the page that failed, not the
    last one visited.
    """

    def save(page, name: str) -> Path:
        path = Path(output_path) / f"{slugify(name)}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=path, full_page=True)
        return path

    return save


# Every kind of page a reader can land on: (name, path, needs a signed-in reader). The pages
# are 200s but the refusals and error pages (NOT_200).
PAGE_TYPES = [
    ("home", "/", False),
    ("role catalogue", "/roles/", False),
    ("role profile", "/roles/account-manager/", False),
    ("compare picker", "/compare/", False),
    ("compare picker with errors", "/compare/?a=account-manager&b=", False),
    ("curated comparison", "/compare/account-manager-vs-project-manager/", False),
    ("generated comparison", "/compare/account-manager-vs-scrum-master/", False),
    ("three roles", "/compare/account-manager-vs-project-manager-vs-scrum-master/", False),
    ("next moves", "/roles/account-manager/moves/", False),
    ("next moves filtered", "/roles/account-manager/moves/?family=1&sort=name", False),
    ("move picker", "/moves/", False),
    ("generated plan", "/transitions/business-analyst-to-scrum-master/", False),
    ("generated plan signed in", "/transitions/business-analyst-to-scrum-master/", True),
    ("plan to itself", "/transitions/scrum-master-to-scrum-master/", False),
    ("guide list", "/transitions/", False),
    ("guide", GUIDE, False),
    ("guide signed in", GUIDE, True),
    ("bookmarks", "/bookmarks/", True),
    ("faq list", "/faq/", False),
    ("faq page", "/faq/can-a-scrum-master-also-be-the-project-manager/", False),
    ("search results", "/search/?q=project+manager", False),
    ("sign in", "/accounts/login/", False),
    ("sign up", "/accounts/signup/", False),
    ("password reset", "/accounts/password/reset/", False),
    ("password reset sent", "/accounts/password/reset/sent/", False),
    ("password change", "/accounts/password/change/", True),
    ("two-factor sign-in", "/accounts/two-factor/", True),
    ("two-factor set-up", "/accounts/two-factor/setup/", True),
    ("404", "/roles/astronaut/", False),
    ("400", "/compare/account-manager-vs-account-manager/", False),
    ("500", "/boom/", False),  # tests/urls_errors.py: a view that raises
]
NOT_200 = {
    "compare picker with errors": 400,
    "plan to itself": 400,
    "404": 404,
    "400": 400,
    "500": 500,
}


@pytest.fixture
def reader_with_progress(sign_in):
    """Sign a context in as a reader who bookmarked the guide and ticked its first two steps."""

    def make(context):
        user = sign_in(context)
        path = Guide.objects.get(slug=GUIDE.strip("/").split("/")[-1])
        services.bookmark_toggle(user=user, guide=path, bookmarked=True)
        for step in path.steps.order_by("position")[:2]:
            services.step_progress_toggle(user=user, step=step, completed=True)
        return user

    return make


@pytest.fixture
def each_page_type(live_starter, reader_with_progress, settings):
    """Open every kind of page in turn, anonymous ones first, then signed in; yield each name.

    Nothing on the site fails on purpose, so the live server runs the site's URLs plus
    tests/urls_errors.py, whose /boom/ raises: the 500 page is the one Django sends, with DEBUG
    off as in production.
    """
    settings.ROOT_URLCONF = "tests.urls_errors"
    settings.DEBUG = False

    def visit(page):
        signed_in = False
        for name, path, needs_reader in sorted(PAGE_TYPES, key=lambda page_type: page_type[2]):
            if needs_reader and not signed_in:
                reader_with_progress(page.context)
                signed_in = True
            response = page.goto(f"{live_starter.url}{path}")
            assert page.url == f"{live_starter.url}{path}", f"{name}: redirected to {page.url}"
            assert response.status == NOT_200.get(name, 200), f"{name}: {response.status}"
            if name == "500":
                assert page.locator("h1").inner_text() == "Something went wrong on our side"
                assert "secret-internal-detail" not in page.content()
            yield name

    return visit
