"""The content version: every kind of content change bumps it, once, after the commit."""

import pytest
from django.core.cache import cache
from django.db import transaction
from django.urls import reverse
from reversion.models import Version

from roles.caching import (
    CONTENT_VERSION_KEY,
    bump_content_version,
    content_cache_key,
    content_version,
)
from roles.content_io import content_import
from roles.models import Role
from tests import factories
from tests.helpers import form_data

pytestmark = pytest.mark.django_db


def test_the_version_starts_by_itself_and_survives_eviction():
    cache.delete(CONTENT_VERSION_KEY)
    first = content_version()
    assert content_version() == first
    cache.delete(CONTENT_VERSION_KEY)
    assert bump_content_version() >= first  # restarted from the clock, never below
    assert content_cache_key("home") == f"careerguide:v{content_version()}:home"


def test_many_changes_in_one_transaction_bump_once_and_a_rollback_not_at_all(bumps):
    def several():
        for _ in range(5):
            factories.RoleFactory()

    assert bumps(several) == 1

    def rolled_back():
        try:
            with transaction.atomic():
                factories.RoleFactory()
                raise RuntimeError
        except RuntimeError:
            pass

    assert bumps(rolled_back) == 0


def test_import_bumps_and_a_dry_run_does_not(bumps):
    document = {"skills": ["Negotiation"], "criteria": [{"slug": "pay", "name": "Pay"}]}
    assert bumps(lambda: content_import(data=document, dry_run=True)) == 0
    assert bumps(lambda: content_import(data=document)) == 1
    assert bumps(lambda: content_import(data=document, update=True)) == 0  # nothing changed


def test_admin_save_action_and_revert_bump(bumps, client, editor, make_role):
    role = make_role(slug="alpha")
    client.force_login(editor)
    url = reverse("admin:roles_role_change", args=[role.pk])

    def edit(summary):
        data = form_data(client.get(url))
        data["summary"] = summary
        assert client.post(url, data).status_code == 302

    assert bumps(lambda: edit("First")) == 1
    assert bumps(lambda: edit("Second")) == 1
    changelist = reverse("admin:roles_role_changelist")
    assert (
        bumps(
            lambda: client.post(changelist, {"action": "unpublish", "_selected_action": [role.pk]})
        )
        == 1
    )

    first = Version.objects.get_for_object(role).order_by("pk").first()
    revert_url = reverse("admin:roles_role_revision", args=[role.pk, first.pk])

    def revert():
        assert client.post(revert_url, form_data(client.get(revert_url))).status_code == 302

    assert bumps(revert) == 1
    assert Role.objects.get(pk=role.pk).summary == "First"


def test_an_edit_shows_on_the_public_page_at_once(bumps, client, make_role):
    role = make_role(slug="alpha", summary="Old summary")
    assert "Old summary" in client.get(role.get_absolute_url()).text
    key_before = content_cache_key("page", role.get_absolute_url())
    role.summary = "New summary"
    assert bumps(role.save) == 1
    assert content_cache_key("page", role.get_absolute_url()) != key_before
    assert "New summary" in client.get(role.get_absolute_url()).text
