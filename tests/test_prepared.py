"""roles/prepared.py: SQL built once per process gives exactly what the ORM gives."""

import pytest

from roles.models import RelatedRole, Role
from roles.prepared import Prepared
from roles.views.catalogue import _OCCUPATION_ROWS, _occupation_rows

pytestmark = pytest.mark.django_db


def ordered(rows):
    return sorted(rows, key=lambda row: sorted((k, repr(v)) for k, v in row.items()))


def test_the_profiles_rows_are_the_orms_rows_value_for_value(onet_occupation):
    nurse = onet_occupation("onet-nurse")
    midwife = onet_occupation("onet-midwife", titles=5, tasks=3, technologies=2, related=2)
    for role in (nurse, midwife, nurse):  # the second and third runs reuse the compiled SQL
        prepared = _OCCUPATION_ROWS.rows(role.pk, variant=False)
        orm = list(_occupation_rows(role.pk, False))
        assert ordered(prepared) == ordered(orm)
        # The same types too: decimals stay decimals, booleans booleans.
        assert {(k, type(v)) for row in prepared for k, v in row.items()} == {
            (k, type(v)) for row in orm for k, v in row.items()
        }


def test_each_variant_has_its_own_sql(onet_occupation):
    nurse = onet_occupation("onet-nurse", related=3)
    draft = RelatedRole.objects.filter(role=nurse).order_by("index").first().related
    Role.objects.filter(pk=draft.pk).update(published=False)

    def related(previewer):
        rows = _OCCUPATION_ROWS.rows(nurse.pk, variant=previewer)
        return {row["row_ident"] for row in rows if row["row_kind"] == "related"}

    assert draft.pk not in related(False)
    assert draft.pk in related(True)
    assert len(related(True)) == len(related(False)) + 1


def test_a_query_that_ignores_its_value_is_refused(db):
    prepared = Prepared(lambda value, variant: Role.objects.values("slug"))
    with pytest.raises(ValueError, match="does not use the value"):
        prepared.rows(1)
