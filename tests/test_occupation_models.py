"""The occupation data's shape: every imported row records its source and release, and a value
an editor has changed is theirs (Provenance.holds_import), whatever `source` says."""

import pytest
from django.db import IntegrityError, transaction

from roles.models import RoleRating, RoleTitle, Source
from tests import factories

pytestmark = pytest.mark.django_db


def test_a_field_holds_the_import_until_someone_changes_it():
    rating = factories.RoleRatingFactory(importance="4.25", imported={"importance": "4.25"})
    rating.refresh_from_db()
    assert rating.holds_import("importance")
    assert rating.from_import
    rating.importance = "3.00"
    assert not rating.holds_import("importance")
    assert not rating.from_import
    assert not rating.holds_import("level")  # nothing imported there


def test_an_editors_role_holds_no_import():
    role = factories.RoleFactory()
    assert role.source == Source.EDITORS
    assert role.imported == {}
    assert not role.from_import
    assert not role.holds_import("name")


def test_the_rating_a_page_shows_rounds_the_importance_half_up():
    for importance, rating in [("1.00", 1), ("2.49", 2), ("2.50", 3), ("4.75", 5), ("5.00", 5)]:
        assert factories.RoleRatingFactory(importance=importance).rating == rating


def test_the_database_refuses_bad_occupation_rows():
    role = factories.RoleFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.RoleFactory(onet_code="13-1082")  # not an O*NET-SOC code
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleRating.objects.create(
            role=role, element=factories.OnetElementFactory(), importance="5.50"
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.RelatedRoleFactory(role=role, related=role)
    factories.RoleTitleFactory(role=role, title="Project  Lead")
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.RoleTitleFactory(role=role, title="project lead")  # the same title, by key
    assert RoleTitle.objects.get(role=role).key == "project lead"


def test_roles_without_a_code_can_be_many_and_a_code_is_unique():
    factories.RoleFactory(onet_code="")
    factories.RoleFactory(onet_code=None)
    factories.RoleFactory(onet_code="13-1082.00")
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.RoleFactory(onet_code="13-1082.00")
