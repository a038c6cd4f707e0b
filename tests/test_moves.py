"""Next moves from a role (/roles/<slug>/moves/): ranking, filters and sorts against figures
worked out by hand on a small catalogue, the overlap being the comparison's own, bad input,
query budgets, and the vectors staying right after an edit."""

import pytest
from django.urls import reverse

from roles.comparing import skill_overlap
from roles.models import Role, RoleRating
from roles.moves import build_skill_vectors, filter_and_sort, moves_from, vector_overlap
from roles.views.catalogue import SKILL_RATINGS
from tests import factories
from tests.helpers import soup

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue():
    """An origin and three published moves from it, plus a draft.

    origin: skills s1 5, s2 3; Job Zone 3; pays $60,000; family delivery.
    same:   s1 5, s2 3 -> overlap 100; Zone 3; $78,000 (+18,000); delivery; O*NET: related.
    far:    s1 2, s3 4 -> min 2 / max (5 + 3 + 4) = 17%; Zone 4; $50,000 (-10,000); other
            family; a curated guide from the origin.
    blank:  no skills -> 0; no Zone, no pay; other family.
    """
    other = factories.FamilyFactory(name="Other family", slug="other-family")
    s1, s2, s3 = (factories.SkillFactory() for _ in range(3))
    zone3 = factories.JobZoneFactory(number=3, name="Medium preparation")
    zone4 = factories.JobZoneFactory(number=4)
    origin = factories.RoleFactory(
        name="Origin role", slug="origin", job_zone=zone3, pay_median_override=60_000
    )
    same = factories.RoleFactory(
        name="Same skills", slug="same", job_zone=zone3, pay_median_override=78_000
    )
    far = factories.RoleFactory(
        name="Far role",
        slug="far",
        job_zone=zone4,
        pay_median_override=50_000,
        family_id=other.slug,
    )
    blank = factories.RoleFactory(name="Blank role", slug="blank", family_id=other.slug)
    draft = factories.RoleFactory(name="Draft role", slug="draft", published=False)
    for role, skill, importance in [
        (origin, s1, 5),
        (origin, s2, 3),
        (same, s1, 5),
        (same, s2, 3),
        (far, s1, 2),
        (far, s3, 4),
        (draft, s1, 5),
    ]:
        factories.RoleSkillFactory(role=role, skill=skill, importance=importance)
    factories.RelatedRoleFactory(role=origin, related=same)
    factories.GuideFactory(from_role=origin, to_role=far)
    return {"origin": origin, "same": same, "far": far, "blank": blank, "draft": draft}


def _slugs(moves):
    return [move.role.slug for move in moves]


def test_moves_are_ranked_and_explained_as_worked_out_by_hand(catalogue):
    from django.contrib.auth.models import AnonymousUser

    moves = moves_from(catalogue["origin"], AnonymousUser())
    assert _slugs(moves) == ["same", "far", "blank"]  # the draft is not a move for the public
    same, far, blank = moves
    assert (same.overlap, same.pay_change, same.zone_change) == (100, 18_000, 0)
    assert (same.related, same.guide_slug) == (True, "")
    assert (far.overlap, far.pay_change, far.zone_change) == (17, -10_000, 1)
    assert (far.related, far.guide_slug) == (False, "origin-to-far")
    assert (blank.overlap, blank.pay_change, blank.zone_change) == (0, None, None)
    assert same.explanation == (
        "shares 100% of the skills; pays about $18,000 more; needs the same preparation"
    )
    assert far.explanation == (
        "shares 17% of the skills; pays about $10,000 less; "
        "needs more preparation (Job Zone 3 to 4)"
    )
    assert blank.explanation == (
        "shares 0% of the skills; pay not known for both roles; "
        "preparation not known for both roles"
    )


@pytest.mark.parametrize(
    ("choices", "expected"),
    [
        ({}, ["same", "far", "blank"]),
        ({"pays_more": True}, ["same"]),
        ({"no_more_preparation": True}, ["same"]),
        ({"same_family": True}, ["same"]),
        ({"sort": "pay"}, ["same", "far", "blank"]),
        ({"sort": "preparation"}, ["same", "far", "blank"]),
        ({"sort": "name"}, ["blank", "far", "same"]),
    ],
)
def test_filters_and_sorts(catalogue, choices, expected):
    from django.contrib.auth.models import AnonymousUser

    moves = moves_from(catalogue["origin"], AnonymousUser())
    assert _slugs(filter_and_sort(moves, **choices)) == expected


def test_sorts_differ_where_the_figures_do(catalogue):
    """A fourth role that pays most but shares little and needs less preparation."""
    from django.contrib.auth.models import AnonymousUser

    zone2 = factories.JobZoneFactory(number=2, name="Some preparation")
    rich = factories.RoleFactory(name="Rich role", slug="rich", job_zone=zone2)
    rich.pay_median_override = 99_000
    rich.save()
    moves = moves_from(catalogue["origin"], AnonymousUser())
    assert _slugs(filter_and_sort(moves))[:2] == ["same", "far"]
    assert _slugs(filter_and_sort(moves, sort="pay")) == ["rich", "same", "far", "blank"]
    assert _slugs(filter_and_sort(moves, sort="preparation")) == ["rich", "same", "far", "blank"]
    assert _slugs(filter_and_sort(moves, pays_more=True, no_more_preparation=True)) == [
        "same",
        "rich",
    ]


def test_the_best_few_are_the_start_of_the_whole_list(catalogue):
    """The profile asks for the best TOP_MOVES only: the same moves, in the same order, as the
    whole list begins with, ties included (two roles equal on every count but the name)."""
    from django.contrib.auth.models import AnonymousUser

    for name, slug in [("Twin b", "twin-b"), ("Twin a", "twin-a")]:
        factories.RoleFactory(name=name, slug=slug, family_id=catalogue["far"].family_id)
    everything = moves_from(catalogue["origin"], AnonymousUser())
    assert _slugs(everything) == ["same", "far", "blank", "twin-a", "twin-b"]
    for best in range(len(everything) + 2):
        assert moves_from(catalogue["origin"], AnonymousUser(), best=best) == everything[:best]


def test_staff_see_drafts_among_the_moves(catalogue, staff_user):
    moves = moves_from(catalogue["origin"], staff_user)
    assert "draft" in _slugs(moves)


def _prefetched(*roles):
    roles = list(Role.objects.filter(pk__in=[r.pk for r in roles]).order_by("slug"))
    from django.db.models import prefetch_related_objects

    from roles.models import skills_prefetch

    prefetch_related_objects(roles, skills_prefetch(), SKILL_RATINGS)
    for role in roles:
        if not role.skill_ratings:
            del role.skill_ratings  # as the comparison view: no O*NET ratings, editors' skills
    return roles


@pytest.mark.parametrize("onet", ["both", "one", "none"])
def test_the_overlap_is_the_comparisons_own(catalogue, onet):
    """The vectors give exactly the score the comparison page shows for the pair, on O*NET's
    skills when both roles have ratings (1.00 "not important" counts 0), else the editors'."""
    first, second = catalogue["origin"], catalogue["far"]
    elements = [factories.OnetElementFactory() for _ in range(4)]
    ratings = {first: ["1.00", "3.50", "2.40", "4.60"], second: ["2.60", "1.40", "5.00", "3.49"]}
    for role, values in ratings.items():
        if onet == "none" or (onet == "one" and role is second):
            continue
        for element, importance in zip(elements, values, strict=True):
            factories.RoleRatingFactory(role=role, element=element, importance=importance)
    vectors = build_skill_vectors()
    score, vocabulary = vector_overlap(vectors[first.pk], vectors[second.pk])
    expected = skill_overlap(_prefetched(first, second))
    assert (score, vocabulary) == (expected.score, expected.vocabulary)
    if onet == "both":
        # weights 0 4 2 5 and 3 0 5 3 (1.00 and 1.40 are "not important"; 3.50 and 2.60
        # round up): min 0 + 0 + 2 + 3 = 5, max 3 + 4 + 5 + 5 = 17
        assert RoleRating.objects.count() == 8
        assert score == round(100 * 5 / 17) == 29


def test_the_overlap_is_the_comparisons_own_when_roles_are_rated_on_other_skills(catalogue):
    """O*NET weights are kept as tuples in one order over every rated skill: a skill only one
    role of a pair is rated on, or only a third role, must not shift the others."""
    first, second, third = catalogue["origin"], catalogue["far"], catalogue["same"]
    e1, e2, e3, e4 = (factories.OnetElementFactory() for _ in range(4))
    for role, rated in [
        (first, [(e1, "4.00"), (e3, "2.50")]),
        (second, [(e2, "5.00"), (e3, "3.00"), (e4, "2.00")]),
        (third, [(e4, "4.50"), (e1, "1.80")]),
    ]:
        for element, importance in rated:
            factories.RoleRatingFactory(role=role, element=element, importance=importance)
    vectors = build_skill_vectors()
    for a, b in [(first, second), (second, first), (first, third), (second, third)]:
        expected = skill_overlap(_prefetched(a, b))
        assert vector_overlap(vectors[a.pk], vectors[b.pk]) == (expected.score, "onet")
    assert vector_overlap(vectors[first.pk], vectors[second.pk])[0] > 0


def test_the_page_lists_explains_and_links_each_move(client, catalogue):
    response = client.get(reverse("roles:role_moves", kwargs={"slug": "origin"}))
    assert response.status_code == 200
    page = soup(response)
    items = page.select(".moves__item")
    assert [item.h3.get_text(strip=True) for item in items] == [
        "Same skills",
        "Far role",
        "Blank role",
    ]
    first = items[0]
    assert "Shares 100% of the skills; pays about $18,000 more" in first.get_text()
    assert "O*NET lists it as related" in first.get_text()
    links = {a["href"] for a in first.select(".moves__links a")}
    assert links == {"/compare/origin-vs-same/", "/transitions/origin-to-same/"}
    assert "Curated guide" in items[1].get_text()
    assert "Read the guide" in items[1].get_text()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("pay=1", ["Same skills"]),
        ("family=1&sort=name", ["Same skills"]),
        ("sort=name", ["Blank role", "Far role", "Same skills"]),
        ("prep=1&pay=1", ["Same skills"]),
    ],
)
def test_the_form_filters_without_javascript(client, catalogue, query, expected):
    response = client.get(f"/roles/origin/moves/?{query}")
    assert response.status_code == 200
    page = soup(response)
    assert [h.get_text(strip=True) for h in page.select(".moves__item h3")] == expected
    form = page.select_one("form.moves-filter")
    assert form["method"] == "get"
    for name, value in [pair.split("=") for pair in query.split("&")]:
        field = form.select_one(f'[name="{name}"]')
        if field.name == "select":
            assert field.select_one("option[selected]")["value"] == value
        else:
            assert field.has_attr("checked")


@pytest.mark.parametrize(
    "query",
    ["sort=bogus", "pay=maybe", "family=2", "sort=" + "x" * 5000, "pay=1&sort=<b>"],
)
def test_bad_choices_answer_400_with_a_message_and_the_default(client, catalogue, query):
    response = client.get(f"/roles/origin/moves/?{query}")
    assert response.status_code == 400
    page = soup(response)
    assert "Showing the moves without that choice." in page.select_one(".alert").get_text()
    assert len(page.select(".moves__item")) >= 1
    assert "<b>" not in response.content.decode()


def test_unknown_roles_and_drafts_are_404_to_the_public(client, catalogue, staff_user):
    assert client.get("/roles/nobody/moves/").status_code == 404
    assert client.get("/roles/draft/moves/").status_code == 404
    assert client.get("/roles/origin/moves/?page=abc").status_code == 404
    client.force_login(staff_user)
    assert client.get("/roles/draft/moves/").status_code == 200


def test_the_profile_shows_the_top_five_and_links_to_the_rest(client, catalogue):
    for i in range(6):
        factories.RoleFactory(name=f"Extra {i}", slug=f"extra-{i}")
    response = client.get("/roles/origin/")
    page = soup(response)
    section = page.select_one('section[aria-labelledby="moves-heading"]')
    names = [h.get_text(strip=True) for h in section.select(".moves__item h3")]
    assert names[:2] == ["Same skills", "Far role"]
    assert len(names) == 5
    more = section.select_one('a[href="/roles/origin/moves/"]')
    assert more.get_text(strip=True) == "All 9 next moves, with filters"


def test_the_home_page_asks_who_i_am_and_shows_my_options(client, catalogue):
    page = soup(client.get("/"))
    form = page.select_one("form.move-picker")
    assert form["method"] == "get"
    assert form["action"] == "/moves/"
    assert form.select_one('label[for="id_role"]').get_text(strip=True).startswith("I am a")
    response = client.get("/moves/?role=origin")
    assert (response.status_code, response["Location"]) == (302, "/roles/origin/moves/")
    response = client.get("/moves/?role=Same+skills")  # a typed name works too
    assert response["Location"] == "/roles/same/moves/"
    for bad in ["", "nobody", "draft", "x" * 3000]:
        response = client.get("/moves/", {"role": bad})
        assert response.status_code == 400, bad
        assert soup(response).select_one(".invalid-feedback, .alert, .errorlist") is not None
    assert client.get("/moves/").status_code == 200


def test_an_edit_shows_at_once(client, catalogue, bumps):
    """The vectors are cached under the content version: an editor's change retires them."""
    assert "Shares 100% of the skills" in client.get("/roles/origin/moves/").content.decode()
    row = catalogue["same"].role_skills.get(importance=3)

    def change():
        row.importance = 1
        row.save()

    assert bumps(change) == 1
    # min 5 + 1, max 5 + 3: 75%
    assert "Shares 75% of the skills" in client.get("/roles/origin/moves/").content.decode()


def test_the_query_budget_is_flat(client, catalogue, django_assert_max_num_queries):
    from django.core.cache import cache

    def count():
        cache.clear()  # cold: the vectors are built again
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert client.get("/roles/origin/moves/?sort=pay").status_code == 200
        return len(queries)

    small = count()
    for i in range(60):
        role = factories.RoleFactory(name=f"More {i:02d}", slug=f"more-{i:02d}")
        factories.RoleSkillFactory(role=role, importance=2)
        factories.RelatedRoleFactory(role=catalogue["origin"], related=role)
    with django_assert_max_num_queries(5):
        cache.clear()
        assert client.get("/roles/origin/moves/").status_code == 200
    assert count() == small
