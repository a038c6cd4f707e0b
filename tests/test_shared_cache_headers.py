"""Ready for a CDN: anonymous pages say a shared cache may keep them (for
DJANGO_SHARED_CACHE_SECONDS, revalidating with the ETag), vary on the cookie that changes them and
carry nothing personal; anything for one visitor is private and never stored."""

import re
import time

import pytest
from django.test import override_settings

from tests.helpers import SEED_URL, settings_in_subprocess
from tests.test_page_cache import CACHED_PAGES

pytestmark = pytest.mark.django_db


def shared(seconds: int) -> str:
    return f"public, max-age=0, s-maxage={seconds}"


def assert_nothing_personal(response) -> None:
    assert not response.cookies, response.cookies  # no Set-Cookie: not a session, not a CSRF token
    assert "Set-Cookie" not in response
    assert "csrfmiddlewaretoken" not in response.text
    assert "nonce=" not in response.text  # the CSP nonce is per request
    assert 'name="csrf' not in response.text


def vary(response) -> set[str]:
    return {part.strip().lower() for part in response.get("Vary", "").split(",") if part.strip()}


@pytest.mark.parametrize("url", CACHED_PAGES)
def test_anonymous_pages_may_be_kept_by_a_shared_cache_that_revalidates(
    client, starter_content, url
):
    for expected in ("miss", "hit"):
        response = client.get(url)
        assert response.status_code == 200
        assert response["X-Page-Cache"] == expected
        assert response["Cache-Control"] == shared(0)  # the default: ask with the ETag every time
        assert "cookie" in vary(response)  # the colour scheme comes from a cookie
        assert response["ETag"]
        assert_nothing_personal(response)


@pytest.mark.parametrize("seconds", [1, 300])
def test_the_shared_lifetime_comes_from_the_setting(client, starter_content, settings, seconds):
    assert client.get(SEED_URL)["Cache-Control"] == shared(0)  # now in the page cache
    settings.SHARED_CACHE_SECONDS = seconds
    hit = client.get(SEED_URL)
    assert hit["X-Page-Cache"] == "hit"
    assert hit["Cache-Control"] == shared(seconds)  # not kept with the page: set on every answer
    assert client.get("/roles/")["Cache-Control"] == shared(seconds)


@override_settings(SHARED_CACHE_SECONDS=60)
def test_a_revalidation_answer_renews_the_shared_lifetime(client, starter_content):
    """nginx's proxy_cache_revalidate (and a CDN) take the new lifetime from the 304."""
    etag = client.get(SEED_URL)["ETag"]
    repeat = client.get(SEED_URL, headers={"If-None-Match": etag})
    assert repeat.status_code == 304
    assert repeat["Cache-Control"] == shared(60)
    assert repeat["ETag"] == etag
    assert "cookie" in vary(repeat)


@override_settings(PAGE_CACHE_SECONDS=0, SHARED_CACHE_SECONDS=60)
def test_pages_are_shareable_with_the_page_cache_off(client, starter_content):
    response = client.get(SEED_URL)
    assert "X-Page-Cache" not in response
    assert response["Cache-Control"] == shared(60)
    assert "cookie" in vary(response)
    assert response["ETag"]  # ConditionalGetMiddleware's, so that proxies can still revalidate
    assert_nothing_personal(response)


@override_settings(SHARED_CACHE_SECONDS=60)
def test_each_colour_scheme_is_a_shareable_copy_that_varies_on_the_cookie(client, starter_content):
    client.cookies["theme"] = "dark"
    dark = client.get(SEED_URL)
    assert 'data-bs-theme="dark"' in dark.text
    assert dark["Cache-Control"] == shared(60)
    assert "cookie" in vary(dark)
    assert_nothing_personal(dark)


@override_settings(SHARED_CACHE_SECONDS=60)
def test_signed_in_pages_are_private_and_never_stored(client, starter_content, reader):
    client.force_login(reader)
    for url in ("/", SEED_URL, "/roles/", "/transitions/account-manager-to-project-manager/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Cache-Control"] == "private, no-store", url
        assert "public" not in response["Cache-Control"]


@override_settings(SHARED_CACHE_SECONDS=60)
def test_a_page_with_a_flash_message_is_private(client, starter_content):
    guide = "/transitions/account-manager-to-project-manager/"
    client.post(f"{guide}bookmark/", {"bookmarked": "1"})  # anonymous: a message, then login
    page = client.get(guide)
    assert "Sign in to bookmark this guide" in page.text
    assert page["Cache-Control"] == "private, no-store"
    # The message shown, the next answer is everyone's page again.
    assert client.get(guide)["Cache-Control"] == shared(60)


@override_settings(SHARED_CACHE_SECONDS=60)
@pytest.mark.parametrize("url", ["/accounts/login/", "/accounts/signup/"])
def test_pages_with_a_form_that_needs_a_csrf_token_are_private(client, url):
    response = client.get(url)
    assert re.search(r'name="csrfmiddlewaretoken"', response.text)
    assert response["Cache-Control"] == "private, no-store"


@override_settings(SHARED_CACHE_SECONDS=60)
def test_errors_and_unwrapped_pages_are_not_marked_shareable(client, starter_content):
    for url in ("/compare/account-manager-vs-account-manager/", "/roles/no-such-role/"):
        response = client.get(url)
        assert response.status_code in (400, 404), url
        assert "public" not in response.get("Cache-Control", ""), url
    assert "public" not in client.get("/healthz").get("Cache-Control", "")


@override_settings(SHARED_CACHE_SECONDS=60)
def test_a_head_request_gets_the_same_headers(client, starter_content):
    response = client.head(SEED_URL)
    assert response.status_code == 200
    assert response["Cache-Control"] == shared(60)


@pytest.mark.parametrize(
    ("value", "expected"), [(None, 0), ("", 0), ("0", 0), ("1", 1), (" 86400 ", 86400)]
)
def test_the_setting_defaults_to_zero(value, expected):
    env = {"DJANGO_SECRET_KEY": "x"}
    if value is not None:
        env["DJANGO_SHARED_CACHE_SECONDS"] = value
    result = settings_in_subprocess(env, "settings.SHARED_CACHE_SECONDS")
    assert result.returncode == 0, result.stderr
    assert eval(result.stdout) == expected  # noqa: S307 - our own repr


@pytest.mark.parametrize("value", ["-1", "1.5", "soon", "٣"])
def test_a_bad_setting_stops_start_up_with_a_message(value):
    result = settings_in_subprocess(
        {"DJANGO_SECRET_KEY": "x", "DJANGO_SHARED_CACHE_SECONDS": value},
        "settings.SHARED_CACHE_SECONDS",
    )
    assert result.returncode != 0
    assert "DJANGO_SHARED_CACHE_SECONDS must be a whole number of seconds" in result.stderr


@pytest.mark.parametrize("seconds", [1, 30])
def test_nginx_is_given_the_end_of_the_lifetime_to_the_second(
    client, starter_content, settings, seconds
):
    """nginx counts a lifetime in whole seconds and rounds up; X-Accel-Expires: @T (the last whole
    second) keeps it from serving a page longer than s-maxage allows."""
    settings.SHARED_CACHE_SECONDS = seconds
    before = int(time.time())
    response = client.get(SEED_URL)
    after = int(time.time())
    end = int(response["X-Accel-Expires"].removeprefix("@"))
    assert before + seconds - 1 <= end <= after + seconds - 1
    repeat = client.get(SEED_URL, headers={"If-None-Match": response["ETag"]})
    assert repeat.status_code == 304  # nginx revalidating: the 304 renews it too
    assert repeat["X-Accel-Expires"].startswith("@")


def test_nginx_gets_no_lifetime_for_pages_it_must_not_keep(
    client, starter_content, reader, settings
):
    assert "X-Accel-Expires" not in client.get(SEED_URL)  # the default 0: ask every time
    settings.SHARED_CACHE_SECONDS = 30
    assert "X-Accel-Expires" not in client.get("/accounts/login/")
    assert "X-Accel-Expires" not in client.get("/healthz")
    client.force_login(reader)
    assert "X-Accel-Expires" not in client.get(SEED_URL)
