"""Families are editable data with an order: editors rename, describe and reorder them, the
catalogue follows, content files carry them, and a role's family is checked by the database."""

import json

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from roles.content_io import ContentError, content_import
from roles.models import Family, Role
from tests import factories
from tests.helpers import admin_url, soup

pytestmark = pytest.mark.django_db


def headings(client, url="/roles/"):
    return [h.get_text(strip=True) for h in soup(client.get(url)).select("section.role-family h2")]


def test_the_catalogue_follows_the_editors_order_names_and_descriptions(
    client, starter_content, bumps
):
    before = headings(client)
    assert before[0] == "Sales & client"
    operations = Family.objects.get(slug="operations")
    operations.position = 0
    operations.name = "Operations & running things"
    operations.description = "Roles that keep an organization running day to day."
    assert bumps(operations.save) == 1  # the edit shows at once
    page = soup(client.get("/roles/"))
    assert page.select("section.role-family h2")[0].get_text(strip=True) == (
        "Operations & running things"
    )
    assert "keep an organization running" in page.select_one(".role-family__description").text
    filter_links = [a.get_text(" ", strip=True) for a in page.select(".family-filter__link")]
    assert filter_links[1].startswith("Operations & running things")
    # The role's profile names its family the new way, and links to its filter.
    role = Role.objects.filter(family="operations", published=True).first()
    eyebrow = soup(client.get(role.get_absolute_url())).select_one(".comparison__eyebrow a")
    assert eyebrow.get_text(strip=True) == "Operations & running things"
    assert eyebrow["href"] == "/roles/?family=operations"


def test_a_family_without_visible_roles_is_not_offered_and_its_filter_is_unknown(client, db):
    empty = factories.FamilyFactory(name="Astronauts", slug="astronauts")
    factories.RoleFactory(name="Draft Astronaut", family=empty.slug, published=False)
    factories.RoleFactory(name="Planner", family="delivery")
    page = soup(client.get("/roles/"))
    assert "Astronauts" not in page.select_one(".family-filter").text
    response = client.get("/roles/?family=nonexistent")
    assert response.status_code == 400


def test_a_role_needs_a_family_that_exists_and_a_family_in_use_cannot_be_deleted(db):
    role = factories.RoleFactory(family="delivery")
    with transaction.atomic():  # a savepoint: PostgreSQL refuses more work after the error
        Role.objects.filter(pk=role.pk).update(family="no-such-family")
        # SQLite and PostgreSQL check keys at commit; make them check now.
        with pytest.raises(IntegrityError):
            transaction.get_connection().check_constraints()
        transaction.set_rollback(True)
    with pytest.raises(ProtectedError):
        Family.objects.get(slug="delivery").delete()


def test_the_curated_families_come_back_after_a_flush_without_undoing_edits(db):
    Family.objects.filter(slug="product").update(name="Product work", position=9)
    Family.objects.filter(slug="analysis").delete()
    call_command("migrate", verbosity=0)  # post_migrate, as after a flush
    assert Family.objects.get(slug="product").name == "Product work"
    assert Family.objects.get(slug="analysis").name == "Analysis & consulting"


def test_content_files_carry_families_and_an_unknown_family_is_named(db):
    document = {
        "families": [
            {"slug": "healthcare", "name": "Healthcare", "position": 7, "soc_major_group": "29"}
        ],
        "roles": [{"slug": "nurse", "name": "Nurse", "family": "healthcare", "published": True}],
    }
    content_import(data=json.loads(json.dumps(document)))
    nurse = Role.objects.get(slug="nurse")
    assert (nurse.family.name, nurse.family.soc_major_group) == ("Healthcare", "29")

    document["roles"][0]["family"] = "astronauts"
    with pytest.raises(ContentError, match=r"no family with slug 'astronauts'") as raised:
        content_import(data=document, update=True)
    assert "roles[nurse]" in str(raised.value)
    assert Role.objects.get(slug="nurse").family_id == "healthcare"


def test_editors_keep_families_in_the_admin(client, editor):
    client.force_login(editor)
    page = soup(client.get(admin_url(Family, "changelist")))
    assert "Delivery & projects" in page.text
    response = client.post(
        admin_url(Family, "add"),
        {"name": "Healthcare", "slug": "healthcare", "position": 6, "description": "",
         "soc_major_group": "2x"},
    )  # fmt: skip
    assert response.status_code == 200
    assert "Two digits" in response.text
    assert not Family.objects.filter(slug="healthcare").exists()
