"""Production posture: deploy checks, security headers on every kind of response, cookies."""

import os
import re
import secrets
import subprocess
import sys

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from django.test import Client

from tests.helpers import PASSWORD, ROOT, soup


def production_env(**extra: str) -> dict[str, str]:
    """The environment of a production instance: no debug, a real secret, nothing of ours leaked."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    env.pop("REDIS_URL", None)
    env.update(DJANGO_SECRET_KEY=secrets.token_urlsafe(50), **extra)
    return env


def run_manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )


def test_deploy_check_is_clean_behind_https():
    result = run_manage(
        production_env(DJANGO_HTTPS="1"), "check", "--deploy", "--fail-level", "WARNING"
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNINGS" not in result.stdout + result.stderr


def test_deploy_check_catches_a_site_served_without_https():
    """Without DJANGO_HTTPS the same check fails, so the clean run above is a real check."""
    result = run_manage(production_env(), "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode != 0
    for check in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert check in result.stderr


def test_https_settings():
    code = (
        "from django.conf import settings as s; print(repr(("
        "s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS,"
        " s.SECURE_HSTS_PRELOAD, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE,"
        " s.SECURE_PROXY_SSL_HEADER)))"
    )
    env = production_env(DJANGO_HTTPS="1", DJANGO_SETTINGS_MODULE="careerguide.settings")
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert eval(result.stdout) == (  # noqa: S307 - our own repr
        True,
        365 * 24 * 3600,
        True,
        True,
        True,
        True,
        ("HTTP_X_FORWARDED_PROTO", "https"),
    )


HTTPS_REQUESTS = """
import django
django.setup()
from django.test import Client
client = Client()
plain = client.get("/accounts/login/")
probe = client.get("/healthz")
proxied = client.get("/accounts/login/", headers={"X-Forwarded-Proto": "https"})
print(repr((plain.status_code, plain.get("Location"), probe.status_code,
            proxied.status_code, proxied.get("Strict-Transport-Security"))))
"""


def test_https_redirects_plain_requests_but_not_the_probes():
    env = production_env(
        DJANGO_HTTPS="1",
        DJANGO_ALLOWED_HOSTS="testserver",
        DJANGO_SETTINGS_MODULE="careerguide.settings",
    )
    result = subprocess.run(
        [sys.executable, "-c", HTTPS_REQUESTS], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert eval(result.stdout.strip().splitlines()[-1]) == (  # noqa: S307 - our own repr
        301,
        "https://testserver/accounts/login/",
        200,
        200,
        "max-age=31536000; includeSubDomains; preload",
    )


def test_logs_go_to_standard_output():
    code = "import logging; logging.getLogger('roles').warning('probe-line')"
    result = run_manage(production_env(), "shell", "-c", code)
    assert result.returncode == 0, result.stderr
    assert "WARNING roles probe-line" in result.stdout
    assert "probe-line" not in result.stderr


@pytest.mark.parametrize(
    ("env", "backend"),
    [
        ({}, "django.core.mail.backends.smtp.EmailBackend"),
        ({"DJANGO_DEBUG": "1"}, "django.core.mail.backends.console.EmailBackend"),
        (
            {"DJANGO_EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend"},
            "django.core.mail.backends.filebased.EmailBackend",
        ),
    ],
)
def test_email_backend_comes_from_the_environment(env, backend):
    code = "from django.conf import settings; print(settings.MAILERS['default']['BACKEND'])"
    full_env = production_env(DJANGO_SETTINGS_MODULE="careerguide.settings", **env)
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=full_env, capture_output=True, text=True
    )
    assert result.stdout.strip() == backend, result.stderr


# --- Headers on every response ---

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}


def assert_security_headers(response):
    for name, value in SECURITY_HEADERS.items():
        assert response.headers.get(name) == value, name
    policy = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    permissions = response.headers["Permissions-Policy"]
    assert "camera=()" in permissions
    assert "geolocation=()" in permissions


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/", 200),
        ("/roles/no-such-role/", 404),
        ("/static/css/careerguide.css", 200),
        ("/healthz", 200),
        ("/admin/login/", 200),
    ],
)
def test_security_headers_on_every_kind_of_response(client, starter_content, url, status):
    response = client.get(url)
    assert response.status_code == status
    assert_security_headers(response)


@pytest.mark.django_db
def test_admin_scripts_run_under_the_policy_by_nonce(client):
    """The admin has scripts and styles: each carries the per-request nonce the header allows."""
    response = client.get("/admin/login/")
    match = re.search(
        r"script-src 'self' 'nonce-([^']+)'", response.headers["Content-Security-Policy"]
    )
    assert match, response.headers["Content-Security-Policy"]
    page = BeautifulSoup(response.content, "html.parser")
    scripts = page.find_all("script")
    assert scripts
    assert {script.get("nonce") for script in scripts} == {match.group(1)}
    assert (
        client.get("/admin/login/").headers["Content-Security-Policy"]
        != (response.headers["Content-Security-Policy"])
    ), "a nonce is never reused"


@pytest.mark.django_db
def test_session_and_csrf_cookies(client, reader):
    response = client.get("/accounts/login/")
    csrf = response.cookies["csrftoken"]
    assert csrf["samesite"] == "Lax"
    response = client.post("/accounts/login/", {"username": "reader", "password": PASSWORD})
    session = response.cookies["sessionid"]
    assert session["httponly"] is True
    assert session["samesite"] == "Lax"


# --- Static files as `make serve` serves them ---


@pytest.fixture
def collected_static(settings, tmp_path):
    """Our static/ collected with the hashed, compressed storage that `make serve` uses
    (DJANGO_MANIFEST_STATIC=1), served by WhiteNoise from the collected files as in production.
    Only our own files, so that it takes a second rather than the minute the whole set takes."""
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    settings.STATICFILES_FINDERS = ["django.contrib.staticfiles.finders.FileSystemFinder"]
    settings.WHITENOISE_USE_FINDERS = False
    call_command("collectstatic", interactive=False, verbosity=0)
    css = tmp_path / "css"
    return css, next(
        p.name for p in css.iterdir() if re.fullmatch(r"careerguide\.[0-9a-f]{12}\.css", p.name)
    )


def test_collected_static_files_are_hashed_and_compressed(collected_static):
    css, name = collected_static
    assert (css / f"{name}.br").exists()
    assert (css / f"{name}.gz").exists()


def test_the_one_stylesheet_is_at_most_15_kb_with_brotli(collected_static):
    """Issue 22: a first visit loads one render-blocking stylesheet of at most 15 KB, measured on
    the .br file WhiteNoise serves."""
    css, name = collected_static
    assert (css / f"{name}.br").stat().st_size <= 15 * 1024
    assert (css / name).stat().st_size > 30_000, "the stylesheet is there whole"


@pytest.mark.django_db
def test_hashed_static_files_are_served_compressed_and_immutable(collected_static):
    _, name = collected_static
    client = Client()  # a new handler, so WhiteNoise starts from the collected files
    response = client.get(f"/static/css/{name}", headers={"Accept-Encoding": "gzip, br"})
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == "br"
    assert "immutable" in response.headers["Cache-Control"]
    assert "max-age=315360000" in response.headers["Cache-Control"]
    assert_security_headers(response)
    response = client.get(f"/static/css/{name}", headers={"Accept-Encoding": "gzip"})
    assert response.headers["Content-Encoding"] == "gzip"


INLINE_FREE_PAGES = [
    "/",
    "/compare/account-manager-vs-project-manager/",
    "/compare/account-manager-vs-scrum-master/",
    "/roles/account-manager/",
    "/transitions/account-manager-to-project-manager/",
    "/compare/nobody-vs-account-manager/",
    "/compare/account-manager-vs-account-manager/",
]


@pytest.mark.parametrize("url", INLINE_FREE_PAGES)
@pytest.mark.django_db
def test_templates_need_no_inline_script_style_or_handlers(client, starter_content, url):
    """A strict Content-Security-Policy must be able to forbid inline code without rework."""
    page = soup(client.get(url))
    assert not page.find("style")
    for script in page.find_all("script"):
        # JSON-LD is data, never run, so CSP does not govern it.
        assert script.get("src") or script.get("type") == "application/ld+json", "inline <script>"
    for tag in page.find_all(True):
        assert "style" not in tag.attrs, f"style attribute on <{tag.name}>"
        handlers = [name for name in tag.attrs if name.lower().startswith("on")]
        assert not handlers, f"event handler on <{tag.name}>"
        assert not str(tag.get("href", "")).lower().startswith("javascript:")
