"""`manage.py check_links` against a local HTTP server in a thread: never the internet."""

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from roles.models import Reference
from tests import factories
from tests.helpers import admin_url, closed_loopback_port, soup

pytestmark = pytest.mark.django_db


class Handler(BaseHTTPRequestHandler):
    seen: list[tuple[str, str]] = []
    in_flight = 0
    most_in_flight = 0
    lock = threading.Lock()

    def log_message(self, *args):  # quiet
        pass

    def _answer(self, method: str):
        with type(self).lock:
            type(self).seen.append((method, self.path))
        self._route(method)

    def _busy(self):
        """Work for a while, counting how many requests are at work at once. The count drops
        before the answer is sent, so a request that follows the answer never overlaps it."""
        cls = type(self)
        with cls.lock:
            cls.in_flight += 1
            cls.most_in_flight = max(cls.most_in_flight, cls.in_flight)
        time.sleep(0.05)
        with cls.lock:
            cls.in_flight -= 1

    def _route(self, method: str):
        path = self.path
        if path.startswith("/many/"):
            self._busy()
            self._send(200)
        elif path == "/ok":
            self._send(200)
        elif path == "/no-head":
            self._send(405 if method == "HEAD" else 200)
        elif path == "/moved":
            self.send_response(301)
            self.send_header("Location", "/ok")
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif path == "/slow":
            time.sleep(1.5)
            self._send(200)
        else:
            self._send(404)

    def _send(self, status: int):
        body = b"<p>hello</p>"
        self.send_response(status)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command == "GET":
            self.wfile.write(body)

    def do_HEAD(self):
        self._answer("HEAD")

    def do_GET(self):
        self._answer("GET")


@pytest.fixture
def site():
    Handler.seen, Handler.in_flight, Handler.most_in_flight = [], 0, 0
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def _run(*args) -> str:
    out = StringIO()
    call_command("check_links", "--timeout", "0.5", *args, stdout=out)
    return out.getvalue()


def test_each_kind_of_link_is_checked_and_recorded(site):
    refs = {
        name: factories.ReferenceFactory(title=name, url=f"{site}/{name}")
        for name in ("ok", "no-head", "moved", "gone", "slow")
    }
    refused = factories.ReferenceFactory(
        title="refused", url=f"http://127.0.0.1:{closed_loopback_port()}/"
    )
    output = _run()
    for ref in [*refs.values(), refused]:
        ref.refresh_from_db()
        assert ref.link_checked_at is not None, ref.title

    assert refs["ok"].link_ok is True
    assert refs["ok"].link_status == 200
    assert refs["ok"].link_final_url == ""
    assert ("HEAD", "/ok") in Handler.seen
    assert ("GET", "/ok") not in Handler.seen  # HEAD was enough

    assert refs["no-head"].link_ok is True  # GET after HEAD's 405
    assert [m for m, p in Handler.seen if p == "/no-head"] == ["HEAD", "GET"]

    assert refs["moved"].link_ok is True
    assert refs["moved"].link_final_url == f"{site}/ok"  # the redirect, recorded

    assert refs["gone"].link_ok is False
    assert refs["gone"].link_status == 404
    assert "404" in refs["gone"].link_error

    assert refs["slow"].link_ok is False
    assert "timed out" in refs["slow"].link_error

    assert refused.link_ok is False
    assert refused.link_status is None
    assert "could not connect" in refused.link_error

    assert "Checked 6 reference(s): 3 working (1 redirected), 3 broken." in output
    assert f"<{site}/gone>" in output


def test_concurrency_is_bounded_and_one_request_at_a_time_per_host(site):
    # Two hosts: 127.0.0.1 and localhost, the same server.
    port = site.rsplit(":", 1)[1]
    for i in range(6):
        factories.ReferenceFactory(url=f"{site}/many/{i}")
        factories.ReferenceFactory(url=f"http://localhost:{port}/many/{i}")
    _run("--workers", "8")
    assert Reference.objects.filter(link_ok=True).count() == 12
    assert Handler.most_in_flight == 2  # one per host, though eight workers were free


def test_storing_results_changes_no_content_version_and_no_revision(site, bumps):
    factories.ReferenceFactory(url=f"{site}/ok")
    from reversion.models import Version

    versions = Version.objects.count()
    assert bumps(_run) == 0
    assert Version.objects.count() == versions


def test_the_checker_never_runs_in_a_web_request(client, editor, site):
    reference = factories.ReferenceFactory(url=f"{site}/ok")
    client.force_login(editor)
    for url in (
        admin_url(Reference, "changelist"),
        admin_url(Reference, "change", reference.pk),
        reverse("admin:index"),
    ):
        assert client.get(url).status_code == 200
    assert Handler.seen == []


def test_editors_see_and_filter_broken_links(client, editor, site):
    good = factories.ReferenceFactory(title="Good source", url=f"{site}/ok")
    bad = factories.ReferenceFactory(title="Gone source", url=f"{site}/gone")
    moved = factories.ReferenceFactory(title="Moved source", url=f"{site}/moved")
    unchecked = factories.ReferenceFactory(title="New source", url="https://example.org/new")
    _run()
    Reference.objects.filter(pk=unchecked.pk).update(link_checked_at=None, link_ok=None)
    client.force_login(editor)

    def listed(query: str) -> set[str]:
        page = soup(client.get(admin_url(Reference, "changelist") + query))
        return {a.get_text(strip=True) for a in page.select("#result_list tbody th.field-title a")}

    assert listed("?link=broken") == {bad.title}
    assert listed("?link=working") == {good.title, moved.title}
    assert listed("?link=redirected") == {moved.title}
    assert listed("?link=unchecked") == {unchecked.title}
    assert listed("?link=nonsense") == {good.title, bad.title, moved.title, unchecked.title}
    text = client.get(admin_url(Reference, "changelist")).text
    assert "Broken: HTTP 404" in text
    assert f"Working, redirected to {site}/ok" in text
    change = client.get(admin_url(Reference, "change", bad.pk)).text
    assert "Link last checked" in change
    assert "HTTP 404" in change


def test_bad_options_are_refused():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("check_links", "--workers", "0", stdout=StringIO())
    with pytest.raises(CommandError):
        call_command("check_links", "--timeout", "0", stdout=StringIO())
