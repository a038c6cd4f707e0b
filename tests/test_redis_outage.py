"""Failures of what the site depends on: the shared cache (Redis) refusing connections, or
accepting them and never answering. Readers, signed in or not, keep reading and keeping their
bookmarks from the database; /readyz says the instance is not ready so that the proxy can send
readers elsewhere; /healthz still answers."""

import socket
import threading
import time

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
    settings.SESSION_ENGINE = "careerguide.sessions"
    yield
    caches.close_all()


def test_production_sessions_use_the_store_that_survives_the_cache():
    result = settings_in_subprocess(
        {"DJANGO_SECRET_KEY": "x" * 50, "REDIS_URL": "redis://127.0.0.1:6379/0"},
        "settings.SESSION_ENGINE",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "'careerguide.sessions'"


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


def test_with_redis_down_the_pickers_read_the_database(client, starter_content, redis_down):
    """The pickers' roles are kept under the content version (roles/picker.py), which lives in
    Redis: with it gone they come from the database, and the pages still answer."""
    from django.db import connection

    connection.run_on_commit = []  # the setup has committed: the path that asks for the version
    assert client.get("/compare/").status_code == 200
    assert client.get("/roles/project-manager/").status_code == 200


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
    settings.SESSION_ENGINE = "careerguide.sessions"
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
    assert "New summary" in response.text
    assert "Old summary" not in response.text
    assert response["X-Page-Cache"] == "miss"
    caches.close_all()


# --- A Redis that accepts connections and never answers ---


@pytest.fixture
def silent_redis():
    """The address of a Redis that hangs: a listener that accepts every connection and never
    reads or writes (as a frozen server would). Its connections are kept, and closed at the end."""
    server = socket.create_server(("127.0.0.1", 0))
    held: list[socket.socket] = []

    def accept():
        while True:
            try:
                held.append(server.accept()[0])
            except OSError:  # the listener is closed
                return

    threading.Thread(target=accept, daemon=True).start()
    yield f"redis://127.0.0.1:{server.getsockname()[1]}/0", held
    server.close()
    for connection in held:
        connection.close()


def timed_get(client, url, held, limit: float = 20):
    """GET url and the seconds it took. Past `limit` the silent server drops its connections,
    which ends a wait that no timeout would (the test then fails on the time, not hangs)."""
    watchdog = threading.Timer(limit, lambda: [connection.close() for connection in held])
    watchdog.start()
    started = time.monotonic()
    try:
        response = client.get(url)
    finally:
        watchdog.cancel()
    return response, time.monotonic() - started


def test_with_redis_hung_the_probes_answer_soon_and_pages_still_serve(
    settings, starter_content, silent_redis
):
    url, held = silent_redis
    # The production settings for this REDIS_URL, as a fresh interpreter makes them.
    result = settings_in_subprocess(
        {"DJANGO_SECRET_KEY": "x" * 50, "REDIS_URL": url},
        "settings.CACHES, settings.SESSION_ENGINE",
    )
    assert result.returncode == 0, result.stderr
    production_caches, session_engine = eval(result.stdout)  # noqa: S307 - our own repr
    assert production_caches["default"]["OPTIONS"] == {
        "socket_connect_timeout": 2,
        "socket_timeout": 2,
    }
    settings.CACHES = production_caches
    settings.SESSION_ENGINE = session_engine
    try:
        client = Client()
        response, seconds = timed_get(client, "/healthz", held)
        assert (response.status_code, response.text) == (200, "ok\n")
        assert seconds < 1.5, "/healthz does not touch the cache"

        response, seconds = timed_get(client, "/readyz", held)
        assert (response.status_code, response.text) == (503, "cache unavailable\n")
        assert held, "the cache client did connect: it was the answer that never came"
        assert seconds < 4, f"/readyz took {seconds:.1f} s (one 2 s socket timeout expected)"

        # An anonymous reader still gets the page, uncached, after one timeout.
        response, seconds = timed_get(client, SEED_URL, held)
        assert response.status_code == 200
        assert soup(response).h1.get_text(strip=True) == SEED_HEADING
        assert "X-Page-Cache" not in response
        assert seconds < 4, f"the page took {seconds:.1f} s (one 2 s socket timeout expected)"
    finally:
        caches.close_all()
