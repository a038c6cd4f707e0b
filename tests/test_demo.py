from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from roles.models import Comparison, Criterion, Guide, Role, RoleCriterionValue
from tests.helpers import content_snapshot, soup

pytestmark = pytest.mark.django_db


def seed_demo(*args):
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def test_seed_demo_builds_a_complete_catalogue(starter_content):
    before = content_snapshot()
    assert seed_demo("--roles", "40").startswith("Added 40 roles")
    demo = Role.objects.filter(slug__startswith="demo-")
    assert demo.count() == 40
    criteria = Criterion.objects.count()
    for role in demo.prefetch_related("criterion_values", "role_skills"):
        assert len(role.criterion_values.all()) == criteria
        assert 5 <= len(role.role_skills.all()) <= 10
    comparisons = Comparison.objects.filter(role_a__slug__startswith="demo-")
    assert comparisons.count() >= 15
    for comparison in comparisons:
        assert comparison.sections.count() == criteria
        assert comparison.faqs.count() == 3
    paths = Guide.objects.filter(from_role__slug__startswith="demo-")
    assert paths.count() >= 15
    assert all(p.steps.count() >= 4 for p in paths)
    # Nothing that was there before changed.
    after = content_snapshot()
    for model, rows in before.items():
        assert set(rows) <= set(after[model]), model


def test_seed_demo_pages_render(client, starter_content):
    seed_demo("--roles", "6")
    role = Role.objects.filter(slug__startswith="demo-").first()
    comparison = Comparison.objects.filter(role_a__slug__startswith="demo-").first()
    path = Guide.objects.filter(from_role__slug__startswith="demo-").first()
    for obj, heading in (
        (role, role.name),
        (comparison, f"{comparison.role_a.name} vs {comparison.role_b.name}"),
        (path, f"From {path.from_role.name} to {path.to_role.name}"),
    ):
        response = client.get(obj.get_absolute_url())
        assert response.status_code == 200, obj
        assert soup(response).h1.get_text(strip=True) == heading, obj


def test_seed_demo_is_deterministic_for_a_seed(starter_content):
    seed_demo("--roles", "5", "--seed", "7")
    names = list(Role.objects.filter(slug__startswith="demo-").values_list("name", flat=True))
    assert seed_demo("--roles", "5", "--seed", "7", "--force").startswith("Nothing to add")
    assert (
        list(Role.objects.filter(slug__startswith="demo-").values_list("name", flat=True)) == names
    )


def test_seed_demo_refuses_a_bigger_database_unless_forced(starter_content):
    seed_demo("--roles", "3")
    with pytest.raises(CommandError, match="beyond the starter content"):
        seed_demo("--roles", "3", "--seed", "2")
    assert Role.objects.filter(slug__startswith="demo-").count() == 3
    seed_demo("--roles", "3", "--seed", "2", "--force")
    assert Role.objects.filter(slug__startswith="demo-").count() == 6


def test_seed_demo_on_an_empty_database_brings_the_criteria(db):
    seed_demo("--roles", "4")
    assert Criterion.objects.count() == 10
    assert RoleCriterionValue.objects.filter(role__slug__startswith="demo-").count() == 40


def test_seed_demo_rejects_nonsense(db):
    with pytest.raises(CommandError):
        seed_demo("--roles", "1")
    with pytest.raises(CommandError):
        seed_demo("--roles", "many")
