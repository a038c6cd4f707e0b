"""Anonymous page cache keyed on the content version, and conditional GET."""

import os
import time

import pytest
from django.core.cache import cache, caches
from django.test import override_settings

from roles.caching import CONTENT_VERSION_KEY, content_version
from roles.models import Comparison, RoleCriterionValue
from tests import factories
from tests.helpers import SEED_URL

pytestmark = pytest.mark.django_db


CACHED_PAGES = [
    "/",
    "/roles/",
    "/roles/project-manager/",
    "/compare/",
    SEED_URL,
    "/compare/business-analyst-vs-scrum-master/",
    "/transitions/",
    "/transitions/account-manager-to-project-manager/",
    "/faq/",
    "/faq/which-role-is-more-client-facing/",
    "/search/?q=scrum",
    "/sitemap.xml",
]


@pytest.mark.parametrize("url", CACHED_PAGES)
def test_anonymous_pages_come_from_the_cache(
    client, starter_content, url, django_assert_num_queries
):
    first = client.get(url)
    assert first.status_code == 200
    assert first["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):
        second = client.get(url)
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    assert second.get("X-Robots-Tag") == first.get("X-Robots-Tag")
    assert second["ETag"] == first["ETag"]  # kept with the page, not hashed again
    assert "Content-Security-Policy" in second  # headers are still added on every response


@override_settings(ALLOWED_HOSTS=["careers.example", "www.careers.example"])
@pytest.mark.parametrize("url", ["/sitemap.xml", SEED_URL])
def test_each_host_has_its_own_cached_copy(client, starter_content, url):
    """Canonical links and sitemap entries are absolute: one host's copy must not reach another."""
    client.get(url, HTTP_HOST="careers.example")
    response = client.get(url, HTTP_HOST="www.careers.example")
    assert response["X-Page-Cache"] == "miss"
    assert "//www.careers.example/" in response.text
    assert "//careers.example/" not in response.text


@pytest.mark.django_db(transaction=True)
def test_an_editors_save_is_visible_at_once(client, starter_content):
    assert "Client relationships and satisfaction" in client.get(SEED_URL).text
    value = RoleCriterionValue.objects.get(
        role__slug="account-manager", criterion__slug="primary-focus"
    )
    value.value = "Keeping clients for the long run"
    value.save()  # commits: the version moves
    response = client.get(SEED_URL)
    assert response["X-Page-Cache"] == "miss"
    assert "Keeping clients for the long run" in response.text


@pytest.mark.django_db(transaction=True)
def test_a_delete_is_visible_at_once(client, starter_content):
    comparison = Comparison.objects.get(slug="account-manager-vs-project-manager")
    assert f">{comparison.title}</a>" in client.get("/").text
    comparison.delete()  # commits: the version moves
    assert f">{comparison.title}</a>" not in client.get("/").text


def test_signed_in_readers_see_their_own_state(client, starter_content, reader):
    guide = "/transitions/account-manager-to-project-manager/"
    client.get(guide)  # cached for anonymous readers
    client.force_login(reader)
    response = client.get(guide)
    assert "X-Page-Cache" not in response
    assert "0 of 6 steps done" in response.text
    client.post(f"{guide}steps/1/progress/", {"completed": "1"})
    assert "1 of 6 steps done" in client.get(guide).text
    client.logout()
    anonymous = client.get(guide)
    assert "steps done" not in anonymous.text
    assert "to bookmark this guide and tick off steps" in anonymous.text


def test_pages_with_a_message_or_a_csrf_token_are_not_cached(client, starter_content):
    guide = "/transitions/account-manager-to-project-manager/"
    client.post(f"{guide}bookmark/", {"bookmarked": "1"})  # anonymous: a message, then login
    first = client.get(guide)
    assert "Sign in to bookmark this guide" in first.text
    assert "X-Page-Cache" not in first
    assert "Sign in to bookmark this guide" not in client.get(guide).text
    login = client.get("/accounts/login/")
    assert "X-Page-Cache" not in login
    assert "X-Page-Cache" not in client.get("/accounts/login/")


def test_error_pages_are_not_cached(client, starter_content):
    for _ in range(2):
        response = client.get("/compare/account-manager-vs-account-manager/")
        assert response.status_code == 400
        assert "X-Page-Cache" not in response


@override_settings(PAGE_CACHE_SECONDS=0)
def test_the_page_cache_can_be_turned_off(client, starter_content):
    client.get(SEED_URL)
    assert "X-Page-Cache" not in client.get(SEED_URL)


@pytest.mark.parametrize(
    "url", [SEED_URL, "/roles/", "/transitions/account-manager-to-project-manager/"]
)
def test_conditional_get_answers_304(client, starter_content, url):
    first = client.get(url)
    etag = first["ETag"]
    repeat = client.get(url, headers={"If-None-Match": etag})
    assert repeat.status_code == 304
    assert repeat.content == b""
    changed = client.get(url, headers={"If-None-Match": '"something-else"'})
    assert changed.status_code == 200


@pytest.mark.django_db(transaction=True)
def test_content_version_lives_in_the_cache(starter_content):
    version = content_version()
    assert cache.get(CONTENT_VERSION_KEY) == version
    factories.SkillFactory()  # commits: the version moves
    assert cache.get(CONTENT_VERSION_KEY) == version + 1


@pytest.mark.django_db(transaction=True)
def test_the_page_cache_works_on_redis(client, starter_content, redis_url, settings):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": redis_url}
    }
    redis = caches["default"]
    assert "Redis" in type(redis).__name__
    redis.clear()
    assert client.get(SEED_URL)["X-Page-Cache"] == "miss"
    assert client.get(SEED_URL)["X-Page-Cache"] == "hit"
    assert any(key for key in redis._cache.get_client().keys("*"))
    value = RoleCriterionValue.objects.get(
        role__slug="project-manager", criterion__slug="tools-used"
    )
    value.value = "Planning boards and Gantt charts"
    value.save()  # commits: the version moves
    response = client.get(SEED_URL)
    assert response["X-Page-Cache"] == "miss"
    assert "Planning boards and Gantt charts" in response.text
    redis.clear()


def test_each_colour_scheme_has_its_own_cached_copy(client, starter_content):
    assert 'data-bs-theme="dark"' not in client.get(SEED_URL).text
    client.cookies["theme"] = "dark"
    dark = client.get(SEED_URL)
    assert 'data-bs-theme="dark"' in dark.text
    assert dark["X-Page-Cache"] == "miss"
    del client.cookies["theme"]
    assert 'data-bs-theme="dark"' not in client.get(SEED_URL).text


@pytest.mark.django_db(transaction=True)
def test_processes_of_one_machine_share_the_file_cache(client, starter_content, settings, tmp_path):
    """Without Redis the default cache is on disk, so a version bumped by another process (an
    editor's save in another gunicorn worker, a management command) reaches this one."""
    import subprocess
    import sys

    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path),
        }
    }
    assert client.get(SEED_URL)["X-Page-Cache"] == "miss"
    assert client.get(SEED_URL)["X-Page-Cache"] == "hit"
    code = (
        "import django; django.setup(); from roles.caching import bump_content_version;"
        "bump_content_version()"
    )
    env = {**os.environ, "DJANGO_CACHE_DIR": str(tmp_path), "DJANGO_LOCAL_CACHE": "file"}
    env.pop("REDIS_URL", None)
    subprocess.run([sys.executable, "-c", code], check=True, env=env, cwd=settings.BASE_DIR)
    assert client.get(SEED_URL)["X-Page-Cache"] == "miss"


def test_a_hit_reads_only_the_content_version_from_the_shared_cache(client, starter_content):
    """This process keeps its own copy of a page it has cached, under the same versioned key."""
    from roles import caching

    assert client.get(SEED_URL)["X-Page-Cache"] == "miss"
    reads = []
    real_get = cache.get

    def counting_get(key, *args, **kwargs):
        reads.append(key)
        return real_get(key, *args, **kwargs)

    cache.get = counting_get
    try:
        hit = client.get(SEED_URL)
    finally:
        del cache.get
    assert hit["X-Page-Cache"] == "hit"
    assert reads == [CONTENT_VERSION_KEY]
    caching._local_pages.clear()
    assert client.get(SEED_URL)["X-Page-Cache"] == "hit"  # from the shared cache again


def test_this_processes_copies_are_bounded_and_expire(monkeypatch):
    from roles.caching import _LocalPages

    pages = _LocalPages()
    monkeypatch.setattr(_LocalPages, "MAX_BYTES", 16 * 1000)
    for i in range(40):
        pages.put(f"k{i}", (200, {}, b"x" * 900), 60)
    assert pages.get("k0") is None  # the least recently used went first
    assert pages.get("k39") is not None
    assert pages._bytes <= 16 * 1000
    pages.put("big", (200, {}, b"x" * 2000), 60)  # more than a sixteenth: not kept
    assert pages.get("big") is None
    pages.put("brief", (200, {}, b"x"), 0)
    time.sleep(0.01)
    assert pages.get("brief") is None  # no longer than the shared entry lasts


SECURITY_HEADERS = (
    "Content-Security-Policy",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "Cross-Origin-Opener-Policy",
    "X-Frame-Options",
    "Permissions-Policy",
)


@pytest.mark.parametrize("url", [SEED_URL, "/roles/project-manager/", "/sitemap.xml"])
def test_a_reader_without_cookies_is_answered_above_the_session_layer(client, starter_content, url):
    """roles.caching.serve_cached_pages: a hit skips the session, CSRF, auth and messages layers,
    and still gets every header the layers above it add."""
    first = client.get(url)
    hit = client.get(url)
    assert hit["X-Page-Cache"] == "hit"
    assert not hasattr(hit.wsgi_request, "session"), "answered before SessionMiddleware"
    assert hit.content == first.content
    assert hit["Content-Length"] == str(len(hit.content))  # else gunicorn sends it in chunks
    assert hit["Cache-Control"] == first["Cache-Control"] == "public, max-age=0, s-maxage=0"
    assert hit["Vary"] == first["Vary"]
    for header in SECURITY_HEADERS:
        assert hit[header] == first[header], header
    assert client.get(url, HTTP_IF_NONE_MATCH=hit["ETag"]).status_code == 304
    head = client.head(url)
    assert head["X-Page-Cache"] == "hit"
    assert head["Content-Length"] == str(len(first.content))


def test_a_reader_with_a_session_cookie_goes_through_every_layer(client, starter_content):
    client.get(SEED_URL)
    client.cookies["sessionid"] = "not-a-session"
    response = client.get(SEED_URL)
    assert hasattr(response.wsgi_request, "session")
    assert response["X-Page-Cache"] == "hit"  # still anonymous: the same cached page


@pytest.mark.parametrize("url", ["/", SEED_URL])
def test_a_host_we_do_not_serve_gets_400_and_leaves_the_page_cache_alone(
    client, starter_content, url, caplog
):
    client.get(url)  # the page is in the cache for our host
    response = client.get(url, headers={"Host": "evil.example"})
    assert response.status_code == 400
    assert "X-Page-Cache" not in response
    assert "page cache unavailable" not in caplog.text
