import pytest

from roles.comparing import skill_overlap
from tests import factories

pytestmark = pytest.mark.django_db


def roles_with(*profiles):
    """Roles whose skills are given as {skill name: importance}, with skills prefetched."""
    from roles.models import Role

    skills = {}
    roles = []
    for profile in profiles:
        role = factories.RoleFactory()
        for name, importance in profile.items():
            skill = skills.get(name) or skills.setdefault(name, factories.SkillFactory(name=name))
            factories.RoleSkillFactory(role=role, skill=skill, importance=importance)
        roles.append(role)
    by_id = {r.id: r for r in Role.objects.with_skills().filter(id__in=[r.id for r in roles])}
    return [by_id[r.id] for r in roles]


def test_identical_skill_sets_overlap_fully():
    overlap = skill_overlap(roles_with({"A": 5, "B": 2}, {"A": 5, "B": 2}))
    assert overlap.score == 100
    assert [s.skill.name for s in overlap.shared] == ["A", "B"]
    assert all(not skills for _, skills in overlap.only)


def test_disjoint_skill_sets_do_not_overlap():
    overlap = skill_overlap(roles_with({"A": 5}, {"B": 5}))
    assert overlap.score == 0
    assert overlap.shared == []
    assert [[s.name for s, _ in skills] for _, skills in overlap.only] == [["A"], ["B"]]


def test_overlap_is_weighted_by_importance():
    # min: X 3; max: X 5, Y 3, Z 2  ->  3 / 10
    overlap = skill_overlap(roles_with({"X": 5, "Y": 3}, {"X": 3, "Z": 2}))
    assert overlap.score == 30
    assert overlap.shared[0].importances == [5, 3]


def test_three_roles_shared_means_all_and_only_means_one():
    overlap = skill_overlap(
        roles_with({"Common": 4, "Pair": 3, "Mine": 2}, {"Common": 4, "Pair": 3}, {"Common": 4})
    )
    assert [s.skill.name for s in overlap.shared] == ["Common"]
    assert [[s.name for s, _ in skills] for _, skills in overlap.only] == [["Mine"], [], []]
    # min: Common 4; max: Common 4, Pair 3, Mine 2
    assert overlap.score == 44  # 4 / 9, rounded


def test_roles_without_skills():
    overlap = skill_overlap(roles_with({}, {}))
    assert overlap.score == 0
    assert not overlap.has_skills


def test_skills_some_roles_list_keep_every_rating():
    overlap = skill_overlap(roles_with({"Pair": 5, "All": 2}, {"Pair": 5, "All": 2}, {"All": 3}))
    assert [(s.skill.name, s.importances) for s in overlap.partial] == [("Pair", [5, 5, 0])]
    assert [pair.score for pair in overlap.pairs] == [100, 25, 25]  # 7/7; 2/(5+3); 2/(5+3)
    assert overlap.skill_count == 2


def test_distinctive_skills_are_those_a_role_rates_above_the_others():
    overlap = skill_overlap(roles_with({"X": 5, "Y": 2}, {"X": 2, "Y": 2, "Z": 1}))
    assert [[s.name for s in skills] for _, skills in overlap.distinctive] == [["X"], ["Z"]]
    assert overlap.pairs == []


@pytest.mark.parametrize(
    ("score", "words"),
    [
        (100, "heavily"),
        (75, "heavily"),
        (50, "a good deal"),
        (25, "somewhat"),
        (9, "a little"),
        (0, "not at all"),
    ],
)
def test_overlap_in_words(score, words):
    from roles.comparing import overlap_in_words

    assert overlap_in_words(score) == words


# --- O*NET's skills: the other vocabulary ---


def onet_roles_with(*profiles):
    """Roles whose O*NET skill ratings are given as {skill name: importance}, prefetched as the
    comparison view prefetches them."""
    from django.db.models import prefetch_related_objects

    from roles.views.catalogue import SKILL_RATINGS

    elements, roles = {}, []
    for profile in profiles:
        role = factories.RoleFactory()
        for name, importance in profile.items():
            element = elements.get(name) or elements.setdefault(
                name, factories.OnetElementFactory(name=name)
            )
            factories.RoleRatingFactory(role=role, element=element, importance=importance)
        roles.append(role)
    prefetch_related_objects(roles, SKILL_RATINGS)
    return roles


def test_onet_ratings_are_used_when_every_role_has_them():
    # rounded half up: 4.50 -> 5, 2.49 -> 2; 1.40 rounds to 1, "not important", so counts 0
    overlap = skill_overlap(
        onet_roles_with({"A": "4.50", "B": "2.49", "C": "1.40"}, {"A": "3.00", "C": "4.00"})
    )
    assert overlap.uses_onet
    assert overlap.skill_count == 3
    assert [(s.skill.name, s.importances) for s in overlap.shared] == [("A", [5, 3])]
    assert [[s.name for s, _ in skills] for _, skills in overlap.only] == [["B"], ["C"]]
    assert overlap.score == 27  # min 3 / max (5 + 2 + 4)


def test_a_knowledge_area_is_not_a_skill_to_compare():
    from roles.models import ElementKind

    roles = onet_roles_with({"A": "3.00"}, {"A": "3.00"})
    knowledge = factories.OnetElementFactory(name="Mathematics", kind=ElementKind.KNOWLEDGE)
    factories.RoleRatingFactory(role=roles[0], element=knowledge, importance="5.00")
    from django.db.models import prefetch_related_objects

    from roles.views.catalogue import SKILL_RATINGS

    for role in roles:
        del role.skill_ratings
    prefetch_related_objects(roles, SKILL_RATINGS)
    assert skill_overlap(roles).score == 100


def test_editors_skills_when_a_role_has_no_onet_ratings():
    onet = onet_roles_with({"A": "5.00"})[0]
    editors = roles_with({"A": 5})[0]
    editors.skill_ratings = []
    overlap = skill_overlap([onet, editors])
    assert not overlap.uses_onet
    assert overlap.vocabulary == "editors"


def test_move_skills_reads_onet_ratings():
    from roles.comparing import move_skills

    leaving, joining = onet_roles_with(
        {"A": "2.00", "B": "4.00"}, {"A": "4.40", "B": "3.00", "C": "1.00", "D": "3.60"}
    )
    skills = move_skills(leaving.skill_ratings, joining.skill_ratings)
    assert [(g.skill.name, g.have, g.need) for g in skills.develop] == [("D", 0, 4), ("A", 2, 4)]
    assert [g.skill.name for g in skills.carry_over] == ["B"]  # C, "not important", is neither
