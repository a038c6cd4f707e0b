"""Liveness and readiness probes for the proxy in front of the instances."""

import pytest
from django.db import OperationalError, connection

from tests.helpers import refusing_redis


def test_healthz_needs_no_database_or_template(client):
    """No django_db mark: a query would raise here (and fail the request)."""
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.templates == []
    assert response.text == "ok\n"
    assert "no-cache" in response.headers["Cache-Control"]


@pytest.mark.django_db
def test_readyz_answers_when_database_and_cache_answer(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.text == "ok\n"
    assert response.headers["Content-Type"].startswith("text/plain")
    assert "no-cache" in response.headers["Cache-Control"]


@pytest.mark.django_db
def test_readyz_is_503_when_the_cache_does_not_answer(client, settings):
    settings.CACHES = refusing_redis()
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.text == "cache unavailable\n"


@pytest.mark.django_db
def test_readyz_is_503_when_the_database_does_not_answer(client, monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", refuse)  # failure injection on a real connection
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.text == "database unavailable\n"


@pytest.mark.django_db
def test_probes_are_get_only(client):
    assert client.post("/readyz").status_code == 405
    assert client.post("/healthz").status_code == 405
