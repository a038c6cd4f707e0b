"""Our own error pages, with no debug details, for each way a request can fail."""

import pytest
from bs4 import BeautifulSoup
from django.test import Client

pytestmark = pytest.mark.django_db

DEBUG_MARKERS = [
    "Traceback",
    "DisallowedHost",
    "ALLOWED_HOSTS",
    "CSRF_",
    "secret-internal",
    "django",
]


def heading(response) -> str:
    return BeautifulSoup(response.content, "html.parser").find("h1").get_text(strip=True)


def assert_no_debug_details(response):
    for marker in DEBUG_MARKERS:
        assert marker not in response.text, marker


def test_400_for_a_host_we_do_not_serve(client):
    response = client.get("/", headers={"Host": "evil.example"})
    assert response.status_code == 400
    assert heading(response) == "We could not understand that request"
    assert_no_debug_details(response)
    assert "Content-Security-Policy" in response.headers


def test_403_for_a_form_without_its_csrf_token(reader):
    client = Client(enforce_csrf_checks=True)
    client.force_login(reader)
    response = client.post("/accounts/logout/")
    assert response.status_code == 403
    assert heading(response) == "That form has expired"
    assert_no_debug_details(response)
    assert "Sign out" in response.text, "rendered in the site's layout, for the signed-in reader"


@pytest.mark.urls("tests.urls_errors")
def test_403_when_permission_is_denied(client):
    response = client.get("/forbidden/")
    assert response.status_code == 403
    assert heading(response) == "You cannot do that here"
    assert_no_debug_details(response)


def test_404(client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert heading(response) == "We could not find that page"
    assert_no_debug_details(response)


@pytest.mark.urls("tests.urls_errors")
def test_500_is_standalone_and_says_nothing_of_the_cause():
    client = Client(raise_request_exception=False)
    response = client.get("/boom/")
    assert response.status_code == 500
    assert heading(response) == "Something went wrong on our side"
    assert_no_debug_details(response)
    assert "Content-Security-Policy" in response.headers


@pytest.mark.parametrize(
    "url",
    [
        "/roles/%00/",
        "/search/?q=%00",
        "/admin/roles/role/?q=%00",
        "/admin/roles/role/%00/history/",
        "/admin/roles/role/1/history/compare/?version_id1=%00",
        "/roles/?fam%00ily=x",
    ],
)
def test_nul_bytes_get_our_400_page_even_in_the_admin(client, staff_user, url):
    """PostgreSQL refuses NUL in text: a NUL that reached a lookup would be a 500 there."""
    client.force_login(staff_user)
    response = client.get(url)
    assert response.status_code == 400
    assert heading(response) == "We could not understand that request"
