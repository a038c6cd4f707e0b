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


# --- PreparedModels: the comparison page's roles ---

COMPARED = [
    ["account-manager", "project-manager"],
    ["business-analyst", "data-analyst", "scrum-master"],
    ["account-manager", "product-owner", "sales-manager", "solutions-engineer"],
]


def _state(role) -> dict:
    """What a page can read off a role: its loaded fields and annotations, and its family's."""
    family = role._state.fields_cache["family"]  # select_related: loaded with the role
    return {
        "role": {k: v for k, v in vars(role).items() if k != "_state"},
        "family": {k: v for k, v in vars(family).items() if k != "_state"},
    }


@pytest.mark.parametrize("slugs", COMPARED)
@pytest.mark.parametrize("who", ["anonymous", "reader", "reader with the bookmark", "editor"])
def test_the_compared_roles_are_the_orms_roles(
    starter_content, reader, staff_user, slugs, who, django_assert_num_queries
):
    from django.contrib.auth.models import AnonymousUser

    from roles.forms import PICKER_SELECT_MAX
    from roles.models import Bookmark, BookmarkKind, comparison_slug, is_previewer
    from roles.views.catalogue import _COMPARED_ROLES, _compared_roles

    user = {"anonymous": AnonymousUser(), "editor": staff_user}.get(who, reader)
    if who == "reader with the bookmark":
        Bookmark.objects.create(
            user=reader, kind=BookmarkKind.COMPARISON, comparison=comparison_slug(slugs)
        )
    Role.objects.filter(slug="delivery-manager").update(published=False)  # only the editor's
    signed_in = user.is_authenticated
    values = (*slugs, user.pk, comparison_slug(slugs)) if signed_in else tuple(slugs)
    variant = (is_previewer(user), signed_in, PICKER_SELECT_MAX + 1)
    orm = list(_compared_roles(values, variant))
    for _ in range(2):  # the second run reuses the compiled SQL
        with django_assert_num_queries(1):
            prepared = _COMPARED_ROLES.objects(values, variant=variant)
            seen = [_state(role) for role in prepared]  # the family is there, no query
        assert seen == [_state(role) for role in orm]
    assert [role.slug for role in prepared][: len(slugs)] == sorted(
        slugs, key=lambda slug: Role.objects.get(slug=slug).name
    )
    assert any(role.is_bookmarked for role in prepared) == (who == "reader with the bookmark")
    assert ("delivery-manager" in {role.slug for role in prepared}) == (who == "editor")
    assert prepared[0].get_deferred_fields() == orm[0].get_deferred_fields() != set()


def test_a_prepared_queryset_refuses_a_value_it_ignores_and_a_type_it_cannot_hold(db):
    from roles.prepared import PreparedModels

    ignores = PreparedModels(lambda values, variant: Role.objects.filter(slug=values[0]))
    with pytest.raises(ValueError, match=r"does not use the values \[1\]"):
        ignores.objects(("a", "b"))
    with pytest.raises(TypeError):
        ignores.objects((1.5,))


@pytest.mark.parametrize("previewer", [False, True])
def test_the_profiles_role_is_the_orms_role(onet_occupation, starter_content, previewer):
    from roles.views.catalogue import _PROFILE_ROLE, _profile_role

    nurse = onet_occupation("onet-nurse", titles=3, tasks=2, technologies=2, related=2)
    Role.objects.filter(slug="scrum-master").update(published=False)
    for slug in ("onet-nurse", "account-manager", "scrum-master", "no-such-role"):
        orm = list(_profile_role((slug,), previewer))
        for _ in range(2):
            prepared = _PROFILE_ROLE.objects((slug,), variant=previewer)
            assert [_state(role) for role in prepared] == [_state(role) for role in orm]
            for role in prepared:  # the Job Zone came with the role too (None without one)
                assert "job_zone" in role._state.fields_cache
    assert [role.task_count for role in _PROFILE_ROLE.objects(("onet-nurse",))] == [2]
    assert nurse.pk == _PROFILE_ROLE.objects(("onet-nurse",))[0].pk
    assert bool(_PROFILE_ROLE.objects(("scrum-master",), variant=previewer)) == previewer


@pytest.mark.parametrize("previewer", [False, True])
def test_the_nearby_comparisons_are_the_orms(starter_content, previewer):
    from roles.models import Comparison
    from roles.views.catalogue import _NEARBY_COMPARISONS, _nearby_comparisons

    draft = Comparison.objects.get(slug="account-manager-vs-project-manager")
    Comparison.objects.filter(pk=draft.pk).update(published=False)
    for slugs in COMPARED:
        ids = tuple(Role.objects.filter(slug__in=slugs).values_list("pk", flat=True))
        orm = list(_nearby_comparisons(ids, (previewer, 6)))
        prepared = _NEARBY_COMPARISONS.objects(ids, variant=(previewer, 6))
        assert [vars(c) | {"_state": None} for c in prepared] == [
            vars(c) | {"_state": None} for c in orm
        ]
        assert [(c.role_a.slug, c.role_b.slug) for c in prepared] == [
            (c.role_a.slug, c.role_b.slug) for c in orm
        ]
        shown = draft.pk in {c.pk for c in prepared}
        assert shown if previewer and slugs == COMPARED[0] else shown <= previewer


def _fields(obj) -> dict:
    return {k: v for k, v in vars(obj).items() if k != "_state"}


@pytest.mark.parametrize("previewer", [False, True])
def test_the_comparison_pages_criteria_and_guides_are_the_orms(starter_content, previewer):
    """The criteria with each role's values (and a curated comparison's sections) and the guides
    between the compared roles, drafts shown to editors only."""
    from roles.models import Comparison, Criterion, Guide
    from roles.views.catalogue import (
        _CRITERIA_WITH_VALUES,
        _GUIDES_AMONG,
        _criteria_with_values,
        _guides_among,
    )

    Criterion.objects.filter(pk=Criterion.objects.order_by("pk").first().pk).update(published=False)
    guide = Guide.objects.get(slug="account-manager-to-project-manager")
    Guide.objects.filter(pk=guide.pk).update(published=False)
    curated = Comparison.objects.get(slug="account-manager-vs-project-manager")
    for slugs in COMPARED:
        ids = tuple(
            Role.objects.filter(slug__in=slugs).order_by("slug").values_list("pk", flat=True)
        )
        for values, variant in [
            (ids, (previewer, False)),
            ((*ids, curated.pk), (previewer, True)),
        ]:
            orm = list(_criteria_with_values(values, variant))
            for _ in range(2):  # the second run reuses the compiled SQL
                prepared = _CRITERIA_WITH_VALUES.objects(values, variant=variant)
                assert [_fields(c) for c in prepared] == [_fields(c) for c in orm]
            assert any(c.narrative for c in prepared) == variant[1]  # the sections
        orm = list(_guides_among(ids, previewer))
        prepared = _GUIDES_AMONG.objects(ids, variant=previewer)
        assert [(_fields(g), _fields(g.from_role), _fields(g.to_role)) for g in prepared] == [
            (_fields(g), _fields(g.from_role), _fields(g.to_role)) for g in orm
        ]
        shown = guide.pk in {g.pk for g in prepared}
        assert shown == (previewer and slugs == COMPARED[0])
    # The draft criterion is the editors' only.
    public = _CRITERIA_WITH_VALUES.objects(ids, variant=(False, False))
    every = _CRITERIA_WITH_VALUES.objects(ids, variant=(True, False))
    assert len(every) == len(public) + 1 == Criterion.objects.count()


def test_a_comparisons_faqs_and_references_are_the_orms(starter_content):
    from roles.models import FAQ, Comparison
    from roles.views.catalogue import (
        _FAQS_AND_REFERENCES,
        _faqs_and_references,
        _faqs_and_references_rows,
    )

    curated = Comparison.objects.get(slug="account-manager-vs-project-manager")
    draft = FAQ.objects.filter(comparison=curated).order_by("position").first()
    FAQ.objects.filter(pk=draft.pk).update(published=False)
    for comparison in Comparison.objects.all():
        orm = sorted(_faqs_and_references_rows(comparison.pk, None))
        prepared = sorted(tuple(row.values()) for row in _FAQS_AND_REFERENCES.rows(comparison.pk))
        assert prepared == orm
    faqs, references = _faqs_and_references(curated)
    assert faqs
    assert references
    assert draft.pk not in {faq.pk for faq in faqs}
    assert [faq.position for faq in faqs] == sorted(faq.position for faq in faqs)
    assert _faqs_and_references(None) == ([], [])


@pytest.mark.parametrize("previewer", [False, True])
def test_the_profiles_values_and_skills_are_the_prefetchs(starter_content, previewer):
    """What values_prefetch and skills_prefetch gave the profile's role, drafts for editors only."""
    from roles.models import Criterion, RoleSkill, Skill, visible_role_skills, visible_values
    from roles.views.catalogue import _PROFILE_SKILLS, _PROFILE_VALUES

    role = Role.objects.get(slug="project-manager")
    draft_criterion = Criterion.objects.order_by("pk").first()
    Criterion.objects.filter(pk=draft_criterion.pk).update(published=False)
    draft_skill = RoleSkill.objects.filter(role=role).first().skill
    Skill.objects.filter(pk=draft_skill.pk).update(published=False)
    for _ in range(2):  # the second run reuses the compiled SQL
        values = _PROFILE_VALUES.objects((role.pk,), variant=previewer)
        skills = _PROFILE_SKILLS.objects((role.pk,), variant=previewer)
        orm_values = list(visible_values(previewer).filter(role=role))
        orm_skills = list(visible_role_skills(previewer).filter(role=role))
        assert [(_fields(v), _fields(v.criterion)) for v in values] == [
            (_fields(v), _fields(v.criterion)) for v in orm_values
        ]
        assert [(_fields(s), _fields(s.skill)) for s in skills] == [
            (_fields(s), _fields(s.skill)) for s in orm_skills
        ]
    assert (draft_criterion.pk in {v.criterion_id for v in values}) == previewer
    assert (draft_skill.pk in {s.skill_id for s in skills}) == previewer
    assert values
    assert skills
