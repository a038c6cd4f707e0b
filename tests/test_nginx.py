"""A real nginx (deploy/nginx.conf, rendered by `manage.py nginx_config`) in front of a live
server: anonymous pages are cached for the lifetime the app gives them and no longer, a request
with a session or a flash message goes past the cache, and an edit shows through nginx within that
lifetime (at once with the default 0). Skipped locally without nginx; under CI=true a missing
nginx is a failure."""

import contextlib
import os
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass

import pytest
from django.core.management import call_command
from django.test import Client

from roles.models import RoleCriterionValue
from tests.helpers import SEED_URL

pytestmark = pytest.mark.django_db(transaction=True)

OLD = "tools-used"


@dataclass
class Answer:
    status: int
    headers: dict
    text: str

    @property
    def cache(self) -> str:
        return self.headers.get("x-cache-status", "")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def nginx_binary():
    binary = shutil.which("nginx") or next(
        (path for path in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if os.access(path, os.X_OK)),
        None,
    )
    if binary is None:
        if os.environ.get("CI") == "true":
            pytest.fail("nginx is missing: CI must run the proxy tests", pytrace=False)
        pytest.skip("nginx is missing (apt-get install nginx)")
    return binary


@pytest.fixture
def nginx(nginx_binary, live_server, starter_content, tmp_path):
    """nginx on a free loopback port in front of the live server; `get(path, cookie=...)`."""
    port = _free_port()
    prefix = tmp_path / "nginx"
    prefix.mkdir()
    upstream = f"127.0.0.1:{live_server.thread.port}"
    config = prefix / "nginx.conf"
    with config.open("w") as out:
        call_command(
            "nginx_config",
            upstream=[upstream],
            listen=f"127.0.0.1:{port}",
            cache_dir=str(prefix / "cache"),
            standalone=str(prefix),
            stdout=out,
        )
    process = subprocess.Popen(
        [nginx_binary, "-p", str(prefix), "-c", str(config), "-g", "daemon off;"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError):
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        assert process.poll() is None, process.stderr.read()
        time.sleep(0.05)

    def get(path: str, cookie: str | None = None) -> Answer:
        headers = {"Cookie": cookie} if cookie else {}
        request = urllib.request.Request(base + path, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=20) as response:
                status, raw, body = response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            status, raw, body = error.code, error.headers, error.read()
        return Answer(status, {k.lower(): v for k, v in raw.items()}, body.decode())

    get.log = prefix / "access.log"
    try:
        yield get
    finally:
        process.terminate()
        process.wait(timeout=10)


def edit_the_seed_comparison(text: str) -> None:
    """An editor's save (committed: the content version moves, as after an admin save)."""
    value = RoleCriterionValue.objects.get(role__slug="project-manager", criterion__slug=OLD)
    value.value = text
    value.save()


def test_an_anonymous_page_is_served_by_nginx_the_second_time(nginx, settings):
    settings.SHARED_CACHE_SECONDS = 60
    first = nginx(SEED_URL)
    assert first.status == 200
    assert first.cache == "MISS"
    second = nginx(SEED_URL)
    assert second.cache == "HIT"
    assert second.text == first.text
    # What the app said travels with the page: lifetime, validator, security headers.
    assert second.headers["cache-control"] == "public, max-age=0, s-maxage=60"
    assert second.headers["etag"] == first.headers["etag"]
    assert "default-src 'self'" in second.headers["content-security-policy"]
    assert second.headers["x-frame-options"] == "DENY"
    assert "set-cookie" not in second.headers
    assert "x-accel-expires" not in second.headers  # nginx's own, not passed on
    # Each colour scheme is its own copy.
    dark = nginx(SEED_URL, cookie="theme=dark")
    assert dark.cache == "MISS"
    assert 'data-bs-theme="dark"' in dark.text
    assert 'data-bs-theme="dark"' not in nginx(SEED_URL).text
    # A cookie value the site does not know gets the default page, from the same entry.
    junk = nginx(SEED_URL, cookie="theme=purple")
    assert junk.cache == "HIT"
    assert junk.text == first.text


def test_a_request_with_a_session_or_a_message_goes_past_the_cache(nginx, settings, reader):
    settings.SHARED_CACHE_SECONDS = 60
    assert nginx(SEED_URL).cache == "MISS"
    assert nginx(SEED_URL).cache == "HIT"
    client = Client()
    client.force_login(reader)
    session = f"sessionid={client.cookies['sessionid'].value}"
    for cookie in (session, f"theme=dark; {session}", "messages=anything"):
        answer = nginx(SEED_URL, cookie=cookie)
        assert answer.cache == "BYPASS", cookie
    signed_in = nginx(SEED_URL, cookie=session)
    assert "Sign out" in signed_in.text
    assert signed_in.headers["cache-control"] == "private, no-store"
    # Never stored: the next anonymous reader gets the anonymous page, from the cache.
    anonymous = nginx(SEED_URL)
    assert anonymous.cache == "HIT"
    assert "Sign out" not in anonymous.text
    assert nginx(SEED_URL, cookie="csrftoken=abc").cache == "HIT"  # not personal on its own


def test_pages_that_set_a_cookie_or_are_not_shareable_are_never_stored(nginx, settings):
    settings.SHARED_CACHE_SECONDS = 60
    for path in ("/accounts/login/", "/healthz", "/roles/no-such-role/"):
        nginx(path)
        again = nginx(path)
        assert again.cache in ("MISS", "EXPIRED", "BYPASS", ""), (path, again.cache)
        assert again.cache != "HIT"
    login = nginx("/accounts/login/")
    assert "set-cookie" in login.headers  # a CSRF token of its own, every time
    # Never cached, so not sent through the cache at all: concurrent requests for them would
    # otherwise queue on proxy_cache_lock, which looks again only every 500 ms.
    for path in ("/healthz", "/readyz", "/accounts/login/", "/admin/login/", "/bookmarks/"):
        assert "x-cache-status" not in nginx(path).headers, path
    assert nginx("/roles/no-such-role/").cache == "MISS"  # the rest do


def test_an_edit_shows_through_nginx_within_the_shared_lifetime(nginx, settings):
    settings.SHARED_CACHE_SECONDS = 1
    assert nginx(SEED_URL).cache == "MISS"
    edit_the_seed_comparison("Planning boards and Gantt charts")
    edited = time.monotonic()
    statuses = []
    while time.monotonic() - edited < 3:
        answer = nginx(SEED_URL)
        statuses.append(answer.cache)
        if "Planning boards and Gantt charts" in answer.text:
            break
        time.sleep(0.05)
    shown = time.monotonic() - edited
    assert "Planning boards and Gantt charts" in answer.text, statuses
    assert shown < 1.3, (shown, statuses)  # at most the second's lifetime, and a refresh
    # The refresh went to the app (stale copy served meanwhile, or fetched again on expiry).
    assert {"STALE", "UPDATING", "EXPIRED"} & set(statuses), statuses


def test_a_page_past_its_lifetime_is_revalidated_with_its_etag(nginx, settings):
    settings.SHARED_CACHE_SECONDS = 1
    first = nginx(SEED_URL)
    assert first.cache == "MISS"
    time.sleep(1.2)
    statuses = []
    for _ in range(40):  # the stale copy goes out while one request refreshes it in the background
        answer = nginx(SEED_URL)
        statuses.append(answer.cache)
        assert answer.text == first.text
        if answer.cache == "HIT":
            break
        time.sleep(0.05)
    assert statuses[0] in ("STALE", "REVALIDATED"), statuses
    assert statuses[-1] == "HIT", statuses
    time.sleep(1.2)  # the access log is written out once a second
    log = nginx.log.read_text()
    # The refresh asked the app with the ETag, and the app answered 304 Not Modified.
    assert f'GET {SEED_URL} HTTP/1.1" 200' in log
    assert "upstream=304" in log, log


def test_with_the_default_lifetime_an_edit_shows_at_once(nginx, settings):
    settings.SHARED_CACHE_SECONDS = 0
    first = nginx(SEED_URL)
    assert first.headers["cache-control"] == "public, max-age=0, s-maxage=0"
    assert nginx(SEED_URL).cache != "HIT"  # nothing kept: the app is asked every time
    edit_the_seed_comparison("Planning boards and Gantt charts")
    assert "Planning boards and Gantt charts" in nginx(SEED_URL).text


@pytest.mark.parametrize(
    "options",
    [
        {"upstream": []},
        {"upstream": ["127.0.0.1:8000; include /etc/passwd"]},
        {"upstream": ["127.0.0.1:8000"], "listen": "80 default_server; }"},
        {"upstream": ["127.0.0.1:8000"], "server_name": "a;b"},
        {"upstream": ["127.0.0.1:8000"], "cache_dir": "relative/dir"},
    ],
)
def test_the_configuration_takes_only_plain_addresses_and_paths(options):
    from django.core.management import CommandError

    with pytest.raises(CommandError):
        call_command("nginx_config", **options)


def test_the_session_cookie_name_comes_from_the_settings(settings, capsys):
    settings.SESSION_COOKIE_NAME = "cg_session"
    call_command("nginx_config", upstream=["127.0.0.1:8000"])
    text = capsys.readouterr().out
    assert '"~(^|;)\\s*(cg_session|messages)=" 1;' in text
    assert "server 127.0.0.1:8000 " in text
    directives = [
        line.split()[0] for line in text.splitlines() if line.strip() and line.split()[0][0] != "#"
    ]
    assert "proxy_cache_valid" not in directives  # the app's Cache-Control sets every lifetime
