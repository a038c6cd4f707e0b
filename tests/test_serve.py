"""make serve's gunicorn (careerguide/gunicorn.conf.py), run for real: threads, so one slow
client cannot stall /healthz; and logs that keep password-reset links out."""

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def served(tmp_path):
    """gunicorn with make serve's settings on a free port (one worker, the default), and its log."""
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    env.update(
        DJANGO_SECRET_KEY="serve-test-only",
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=f"sqlite:///{tmp_path}/empty.sqlite3",
        DJANGO_CACHE_DIR=str(tmp_path / "cache"),
    )
    command = [sys.executable, "-m", "gunicorn", "careerguide.wsgi", "--bind", f"127.0.0.1:{port}"]
    server = subprocess.Popen(
        [*command, "--config", "careerguide/gunicorn.conf.py"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        with contextlib.suppress(OSError):
            urllib.request.urlopen(f"{base}/healthz", timeout=1).close()
            break
        time.sleep(0.1)

    def stop() -> list[str]:
        if server.poll() is None:
            server.terminate()
        return server.communicate(timeout=20)[0].splitlines()

    try:
        yield base, port, stop
    finally:
        stop()


def test_slow_clients_do_not_stall_healthz(served):
    base, port, _ = served
    slow = []
    for _ in range(3):  # three clients that send half a request and then nothing
        sock = socket.create_connection(("127.0.0.1", port))
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        slow.append(sock)
    try:
        started = time.monotonic()
        with urllib.request.urlopen(f"{base}/healthz", timeout=5) as response:
            assert response.status == 200
        assert time.monotonic() - started < 2
    finally:
        for sock in slow:
            sock.close()


def test_the_logs_keep_reset_links_out(served):
    base, _, stop = served
    link = f"{base}/accounts/password/reset/MQ/cd1j2k-0123456789abcdef/"
    # The database here has no tables: the page fails, and the error is logged too.
    with contextlib.suppress(urllib.error.HTTPError):
        urllib.request.urlopen(urllib.request.Request(link, headers={"Referer": link}), timeout=10)
    lines = [line for line in stop() if "/accounts/password/reset/" in line]
    assert len(lines) == 2, lines
    assert all("cd1j2k-0123456789abcdef" not in line and "/MQ/" not in line for line in lines)
    assert any('"GET /accounts/password/reset/[redacted]/ HTTP/1.1" 500' in line for line in lines)
    assert any(
        "Internal Server Error: /accounts/password/reset/[redacted]/" in line for line in lines
    )
