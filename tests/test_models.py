from contextlib import contextmanager

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from roles.models import (
    FAQ,
    Bookmark,
    Comparison,
    ComparisonSection,
    Criterion,
    Guide,
    GuideStep,
    Reference,
    Role,
    RoleCriterionValue,
    RoleSkill,
    Skill,
    StepProgress,
)
from tests import factories

pytestmark = pytest.mark.django_db


@contextmanager
def refused():
    """The database must refuse the write; atomic keeps PostgreSQL's transaction usable."""
    with pytest.raises(IntegrityError), transaction.atomic():
        yield


# --- Role ---


def test_role_slug_is_unique():
    factories.RoleFactory(slug="analyst")
    with refused():
        factories.RoleFactory(slug="analyst")


@pytest.mark.parametrize(
    "slug", ["vs", "to", "vs-analyst", "analyst-vs", "a-vs-b", "a-to-b", "to-x"]
)
def test_role_slug_refuses_the_joining_words(slug):
    with refused():
        Role.objects.bulk_create([Role(name="Bad", slug=slug)])


@pytest.mark.parametrize("slug", ["tomato-grower", "customer-success-manager", "vsx", "tools-lead"])
def test_role_slug_allows_those_letters_inside_words(slug):
    Role.objects.bulk_create([Role(name="Fine", slug=slug)])
    assert Role.objects.filter(slug=slug).exists()


def test_role_slug_validation_explains_the_reserved_word():
    role = Role(name="Bad", slug="sales-to-delivery", family_id="delivery")
    with pytest.raises(ValidationError) as excinfo:
        role.full_clean()
    assert "“to”" in str(excinfo.value.message_dict["slug"])


def test_role_save_normalises_slug_and_titles():
    role = factories.RoleFactory(slug="", name="Delivery Lead", alternative_titles=" A \n\n B ")
    assert role.slug == "delivery-lead"
    assert role.alternative_title_list == ["A", "B"]


def test_published_and_visible_to(staff_user, reader):
    live = factories.RoleFactory(published=True)
    draft = factories.RoleFactory(published=False)
    assert list(Role.objects.published()) == [live]
    assert set(Role.objects.visible_to(staff_user)) == {live, draft}
    assert list(Role.objects.visible_to(reader)) == [live]


# --- Criteria, values, skills ---


def test_criteria_are_ordered_by_position():
    late = factories.CriterionFactory(position=9, name="A late one")
    early = factories.CriterionFactory(position=1, name="Z early one")
    assert list(Criterion.objects.all()) == [early, late]


def test_criterion_slug_is_unique():
    factories.CriterionFactory(slug="pay")
    with refused():
        factories.CriterionFactory(slug="pay")


def test_one_value_per_role_and_criterion():
    value = factories.RoleCriterionValueFactory()
    with refused():
        RoleCriterionValue.objects.create(role=value.role, criterion=value.criterion, value="x")


def test_skill_slug_and_role_skill_are_unique():
    role_skill = factories.RoleSkillFactory()
    with refused():
        Skill.objects.create(name="Other name", slug=role_skill.skill.slug)
    with refused():
        RoleSkill.objects.create(role=role_skill.role, skill=role_skill.skill, importance=2)


@pytest.mark.parametrize("importance", [0, 6])
def test_skill_importance_is_one_to_five(importance):
    with refused():
        factories.RoleSkillFactory(importance=importance)


# --- Comparisons ---


def test_comparison_needs_two_different_roles():
    role = factories.RoleFactory()
    with refused():
        Comparison.objects.bulk_create(
            [Comparison(role_a=role, role_b=role, slug="x-vs-x", title="Same")]
        )


def test_one_comparison_per_unordered_pair():
    comparison = factories.ComparisonFactory()
    # A different slug, so only the pair rule can refuse it.
    with refused():
        Comparison.objects.bulk_create(
            [
                Comparison(
                    role_a=comparison.role_b,
                    role_b=comparison.role_a,
                    slug="other-slug",
                    title="Reversed",
                )
            ]
        )


def test_comparison_slug_is_canonical_whatever_the_order():
    first = factories.RoleFactory(slug="zebra-keeper")
    second = factories.RoleFactory(slug="ant-farmer")
    comparison = factories.ComparisonFactory(role_a=first, role_b=second)
    assert comparison.slug == "ant-farmer-vs-zebra-keeper"
    assert [role.slug for role in comparison.roles] == ["ant-farmer", "zebra-keeper"]


@pytest.mark.parametrize("lines", [1, 2, 6])
def test_key_differences_are_three_to_five_when_given(lines):
    comparison = factories.ComparisonFactory(key_differences="")
    comparison.key_differences = "\n".join(f"Difference {n}" for n in range(lines))
    with pytest.raises(ValidationError) as excinfo:
        comparison.full_clean()
    assert list(excinfo.value.message_dict) == ["key_differences"]
    assert f"this has {lines}" in excinfo.value.message_dict["key_differences"][0]


@pytest.mark.parametrize("text", ["", "One\nTwo\nThree", "1\n2\n3\n4\n5"])
def test_key_differences_may_be_empty_or_three_to_five(text):
    comparison = factories.ComparisonFactory()
    comparison.key_differences = text
    comparison.full_clean()


def test_comparison_save_keeps_one_difference_per_line():
    comparison = factories.ComparisonFactory(key_differences="  First \n\n Second\nThird  \n")
    comparison.refresh_from_db()
    assert comparison.key_differences == "First\nSecond\nThird"
    assert comparison.key_difference_list == ["First", "Second", "Third"]


def test_for_pair_finds_either_order():
    comparison = factories.ComparisonFactory()
    a, b = comparison.role_a, comparison.role_b
    assert list(Comparison.objects.for_pair(b, a)) == [comparison]
    assert list(Comparison.objects.for_pair(a, b)) == [comparison]


def test_published_comparison_needs_published_roles():
    comparison = factories.ComparisonFactory(role_b__published=False)
    assert not Comparison.objects.published().filter(pk=comparison.pk).exists()


def test_one_section_per_comparison_and_criterion():
    section = factories.ComparisonSectionFactory()
    with refused():
        ComparisonSection.objects.create(
            comparison=section.comparison, criterion=section.criterion, body="again"
        )


# --- Guides ---


def test_guide_needs_two_different_roles():
    role = factories.RoleFactory()
    with refused():
        Guide.objects.bulk_create([Guide(from_role=role, to_role=role, slug="x-to-x")])


def test_one_guide_per_ordered_pair():
    path = factories.GuideFactory()
    with refused():
        Guide.objects.bulk_create(
            [Guide(from_role=path.from_role, to_role=path.to_role, slug="another")]
        )
    # The reverse direction is a different guide and is allowed.
    reverse = factories.GuideFactory(from_role=path.to_role, to_role=path.from_role)
    assert reverse.slug == f"{path.to_role.slug}-to-{path.from_role.slug}"


@pytest.mark.parametrize(("low", "high"), [(0, 5), (9, 3)])
def test_guide_months_must_be_a_range(low, high):
    with refused():
        factories.GuideFactory(months_min=low, months_max=high)


def test_steps_have_unique_positive_positions():
    step = factories.GuideStepFactory(position=1)
    with refused():
        GuideStep.objects.create(guide=step.guide, position=1, title="Again")
    with refused():
        GuideStep.objects.create(guide=step.guide, position=0, title="Zero")


# --- FAQs and references ---


def test_faq_slug_is_unique():
    factories.FAQFactory(slug="same")
    with refused():
        factories.FAQFactory(slug="same")


def test_faq_and_reference_belong_to_at_most_one_topic():
    comparison = factories.ComparisonFactory()
    path = factories.GuideFactory()
    with refused():
        FAQ.objects.create(question="Q?", slug="q", answer="A", comparison=comparison, guide=path)
    with refused():
        Reference.objects.create(
            title="R", url="https://example.org", comparison=comparison, guide=path
        )


def test_reference_url_must_be_http():
    with refused():
        Reference.objects.create(title="Bad", url="javascript:alert(1)")


# --- The reader's state ---


def test_one_bookmark_per_reader_and_path():
    bookmark = factories.BookmarkFactory()
    with refused():
        Bookmark.objects.create(user=bookmark.user, guide=bookmark.guide)
    assert list(Bookmark.objects.for_user(bookmark.user)) == [bookmark]


def test_one_progress_row_per_reader_and_step(reader):
    step = factories.GuideStepFactory()
    StepProgress.objects.create(user=reader, step=step)
    with refused():
        StepProgress.objects.create(user=reader, step=step)


def test_roles_in_use_cannot_be_deleted():
    comparison = factories.ComparisonFactory()
    with pytest.raises(ProtectedError):
        comparison.role_a.delete()
