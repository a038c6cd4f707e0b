"""Failures of what the site depends on: the shared cache (Redis) refusing connections. Readers,
signed in or not, keep reading and keeping their bookmarks from the database; /readyz says the
instance is not ready so that the proxy can send readers elsewhere; /healthz still answers."""

import pytest
from django.core.cache import caches
from django.test import Client

from roles.models import Bookmark, Guide, Role
from tests.helpers import (
    PASSWORD,
    SEED_URL,
    form_data,
    refusing_redis,
    settings_in_subprocess,
    soup,
)

SEED_HEADING = "Account Manager vs Project Manager"

pytestmark = pytest.mark.django_db


@pytest.fixture
def redis_down(settings):
    """The production settings with REDIS_URL, for a Redis that refuses every connection."""
    settings.CACHES = refusing_redis()
    settings.SESSION_ENGINE = "roles.sessions"
    yield
    caches.close_all()


def test_production_sessions_use_the_store_that_survives_the_cache():
    result = settings_in_subprocess(
        {"DJANGO_SECRET_KEY": "x" * 50, "REDIS_URL": "redis://127.0.0.1:6379/0"},
        "settings.SESSION_ENGINE",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "'roles.sessions'"


def test_with_redis_down_readers_keep_reading_and_bookmarking(starter_content, reader, redis_down):
    guide = Guide.objects.get(slug="account-manager-to-project-manager")
    client = Client()
    response = client.post("/accounts/login/", {"username": "reader", "password": PASSWORD})
    assert response.status_code == 302, "signing in works from the database alone"
    headings = {
        "/": "Choose between two jobs, then plan the move",
        SEED_URL: SEED_HEADING,
        "/bookmarks/": "My bookmarks",
    }
    for url, heading in headings.items():
        response = client.get(url)
        assert response.status_code == 200, url
        assert soup(response).h1.get_text(strip=True) == heading, url
    for url in ("/", SEED_URL):  # anonymous too, served uncached
        response = Client().get(url)
        assert response.status_code == 200, url
        assert soup(response).h1.get_text(strip=True) == headings[url], url
        assert "X-Page-Cache" not in response, url
    anonymous = Client().get("/bookmarks/")
    assert (anonymous.status_code, anonymous["Location"]) == (
        302,
        "/accounts/login/?next=/bookmarks/",
    )
    response = client.post(f"{guide.get_absolute_url()}bookmark/", {"bookmarked": "1"})
    assert response.status_code == 302
    assert Bookmark.objects.filter(user=reader, guide=guide).exists()
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/bookmarks/").status_code == 302, "signed out, whatever the cache"


def test_with_redis_down_the_probes_tell_the_proxy(client, redis_down):
    assert client.get("/healthz").status_code == 200
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.text == "cache unavailable\n"


@pytest.mark.django_db(transaction=True)
def test_an_edit_while_redis_is_down_is_kept_and_shows_once_redis_is_back(
    settings, editor, make_role, caplog
):
    # A cache that keeps its entries across the outage, as Redis does: a stale page waits in it.
    shared = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.CACHES = shared
    role = make_role(slug="alpha", summary="Old summary")
    url = role.get_absolute_url()
    reader = Client()
    reader.get(url)
    assert reader.get(url)["X-Page-Cache"] == "hit"

    settings.CACHES = refusing_redis()
    settings.SESSION_ENGINE = "roles.sessions"
    editor_client = Client()
    editor_client.force_login(editor)
    change = f"/admin/roles/role/{role.pk}/change/"
    data = form_data(editor_client.get(change))
    data["summary"] = "New summary"
    response = editor_client.post(change, data)
    assert response.status_code == 302, "the save worked: the editor is not shown an error"
    assert Role.objects.get(pk=role.pk).summary == "New summary"
    assert "the version will move as soon as the cache answers" in caplog.text

    settings.CACHES = shared  # back, with the page cached before the edit still in it
    response = reader.get(url)
    assert "New summary" in response.text and "Old summary" not in response.text
    assert response["X-Page-Cache"] == "miss"
    caches.close_all()
