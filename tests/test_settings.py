"""Settings are safe by default: checked in a fresh interpreter with a controlled environment."""

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from tests.helpers import ROOT, settings_in_subprocess


def test_debug_is_off_and_a_secret_is_required_by_default():
    result = settings_in_subprocess({}, "settings.DEBUG")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_defaults_with_a_secret():
    result = settings_in_subprocess(
        {"DJANGO_SECRET_KEY": "x" * 50},
        "settings.DEBUG, settings.DATABASES['default']['ENGINE'], "
        "settings.DATABASES['default']['NAME']",
    )
    assert result.returncode == 0, result.stderr
    debug, engine, name = eval(result.stdout)  # noqa: S307 - our own repr
    assert debug is False
    assert engine == "django.db.backends.sqlite3"
    assert Path(name) == ROOT / "var" / "careerguide.sqlite3"


def test_debug_only_when_asked():
    result = settings_in_subprocess({"DJANGO_DEBUG": "1"}, "settings.DEBUG")
    assert result.stdout.strip() == "True"


def test_database_url_is_honoured():
    result = settings_in_subprocess(
        {"DJANGO_SECRET_KEY": "x", "DATABASE_URL": "postgres://u@127.0.0.1:5433/cg"},
        "settings.DATABASES['default']['ENGINE'], settings.DATABASES['default']['PORT']",
    )
    assert result.returncode == 0, result.stderr
    assert eval(result.stdout) == ("django.db.backends.postgresql", 5433)  # noqa: S307


@pytest.mark.parametrize(
    ("environment", "expected"),
    [
        ({}, 600),  # SQLite keeps its connection: a new one reads the schema again
        ({"DATABASE_URL": "postgres://u@127.0.0.1:5433/cg"}, 0),
        ({"DJANGO_CONN_MAX_AGE": "0"}, 0),
        ({"DATABASE_URL": "postgres://u@127.0.0.1:5433/cg", "DJANGO_CONN_MAX_AGE": "60"}, 60),
    ],
)
def test_how_long_a_worker_keeps_its_database_connection(environment, expected):
    result = settings_in_subprocess(
        {"DJANGO_SECRET_KEY": "x", **environment},
        "settings.DATABASES['default']['CONN_MAX_AGE'], "
        "settings.DATABASES['default']['CONN_HEALTH_CHECKS']",
    )
    assert result.returncode == 0, result.stderr
    assert eval(result.stdout) == (expected, True)  # noqa: S307 - our own repr


def test_crispy_forms_use_bootstrap5():
    assert settings.CRISPY_TEMPLATE_PACK == "bootstrap5"


@pytest.mark.django_db
def test_suite_runs_on_the_database_it_was_given():
    """CI runs the suite a second time with DATABASE_URL: prove it really uses PostgreSQL then."""
    expected = (
        "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"
    )
    assert connection.vendor == expected


def test_readyz_answers_503_soon_when_postgresql_does_not_answer():
    """A listener that accepts connections and never speaks stands in for a hung database server
    (a real one would need to be frozen); without connect_timeout libpq waits for minutes."""
    import socket
    import time

    silent = socket.create_server(("127.0.0.1", 0))
    port = silent.getsockname()[1]
    try:
        started = time.monotonic()
        result = settings_in_subprocess(
            {
                "DJANGO_SECRET_KEY": "x" * 50,
                "DJANGO_DB_CONNECT_TIMEOUT": "1",
                "DJANGO_ALLOWED_HOSTS": "testserver",
                "DJANGO_LOCAL_CACHE": "memory",
                "DATABASE_URL": f"postgres://nobody:secret@127.0.0.1:{port}/careerguide",
            },
            "__import__('django').setup() or "
            "__import__('django.test', fromlist=['Client']).Client().get('/readyz').status_code",
        )
        elapsed = time.monotonic() - started
    finally:
        silent.close()
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "503"  # after the logged warning
    assert elapsed < 15


def test_hypothesis_runs_seeded_in_ci_and_always_prints_the_replay_blob():
    from hypothesis import settings as hypothesis_settings

    in_ci = os.environ.get("CI") == "true"
    assert hypothesis_settings.get_current_profile_name() == ("ci" if in_ci else "dev")
    assert hypothesis_settings.default.derandomize is in_ci
    assert hypothesis_settings.default.print_blob is True
    # A test's own settings (its max_examples) keep the profile's.
    assert hypothesis_settings(max_examples=3).derandomize is in_ci
