"""Generated plans at /transitions/<from>-to-<to>/: parsing the pair, what a plan shows
(worked out by hand on a small pair), 404 and 400, the curated guide's precedence, crawlers."""

import pytest
from django.core.cache import cache

from roles.models import Guide
from roles.plans import split_pair
from tests import factories
from tests.helpers import soup

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("slug", "pairs"),
    [
        ("a-to-b", [("a", "b")]),
        ("data-analyst-to-project-lead", [("data-analyst", "project-lead")]),
        ("a-to-b-to-c", [("a", "b-to-c"), ("a-to-b", "c")]),
        ("to-b", []),
        ("a-to-", []),
        ("a-vs-b", []),
        ("", []),
    ],
)
def test_split_pair(slug, pairs):
    assert split_pair(slug) == pairs


@pytest.fixture
def pair():
    """From: s1 2, s2 5; Zone 3; $60,000; a task "Plan the work".
    To:   s1 5, s2 4, s3 3; Zone 4; $78,000; tasks "Plan the work", "Build the budget".
    To build, largest gap first (then the higher need, then the name): s1 (2 -> 5), s3 (0 -> 3).
    Carries over: s2 (needs 4, has 5)."""
    s1 = factories.SkillFactory(name="Alpha skill")
    s2 = factories.SkillFactory(name="Beta skill")
    s3 = factories.SkillFactory(name="Gamma skill")
    first = factories.RoleFactory(
        name="Data analyst",
        slug="data-analyst",
        job_zone=factories.JobZoneFactory(number=3, name="Medium"),
        pay_median_override=60_000,
    )
    second = factories.RoleFactory(
        name="Project lead",
        slug="project-lead",
        job_zone=factories.JobZoneFactory(number=4),
        pay_median_override=78_000,
    )
    for role, skill, importance in [
        (first, s1, 2),
        (first, s2, 5),
        (second, s1, 5),
        (second, s2, 4),
        (second, s3, 3),
    ]:
        factories.RoleSkillFactory(role=role, skill=skill, importance=importance)
    factories.RoleTaskFactory(role=first, statement="Plan the work.")
    factories.RoleTaskFactory(role=second, statement="Plan the  work.")
    factories.RoleTaskFactory(role=second, statement="Build the budget.")
    return first, second


PLAN = "/transitions/data-analyst-to-project-lead/"


def test_a_generated_plan_shows_what_was_worked_out_by_hand(client, pair):
    other = factories.RoleFactory(name="Other role", slug="other-role")
    factories.GuideFactory(from_role=pair[1], to_role=other)
    factories.GuideFactory(from_role=other, to_role=factories.RoleFactory())  # elsewhere
    response = client.get(PLAN)
    assert response.status_code == 200
    page = soup(response)
    assert page.h1.get_text() == "From Data analyst to Project lead"
    assert "generated" in page.select_one(".plan__note").get_text()
    steps = page.select(".plan__steps > li")
    assert [step.h3.get_text(" ", strip=True) for step in steps] == ["Alpha skill", "Gamma skill"]
    assert [step["id"] for step in steps] == ["step-1", "step-2"]
    assert "Data analyst: 2 of 5. Project lead: 5 of 5. Gap +3." in steps[0].get_text()
    assert "Data analyst: not needed. Project lead: 3 of 5. Gap +3." in steps[1].get_text()
    carry = page.select_one('section[aria-labelledby="carry-heading"]').get_text()
    assert "Beta skill" in carry
    assert "Alpha skill" not in carry
    facts = page.select_one(".guide__facts").get_text(" ", strip=True)
    assert "Pays about $18,000 more ($60,000 to $78,000 median)" in facts
    assert "Needs more preparation (Job Zone 3 to 4)" in facts
    tasks = page.select_one('section[aria-labelledby="tasks-heading"]').get_text()
    assert "Build the budget." in tasks
    assert "Plan the" not in tasks
    guides = page.select_one('section[aria-labelledby="guides-heading"]')
    assert [a.get_text() for a in guides.select("a")] == ["From Project lead to Other role"]
    links = {a["href"] for a in page.select(".guide__links a")}
    assert links == {"/compare/data-analyst-vs-project-lead/", "/roles/data-analyst/moves/"}


def test_a_plan_on_onet_ratings_lists_knowledge_and_levels(client, pair):
    first, second = pair
    skill = factories.OnetElementFactory(name="Writing")
    knowledge = factories.OnetElementFactory(name="Economics", kind="knowledge")
    for role, element, importance, level in [
        (first, skill, "2.00", "2.50"),
        (second, skill, "4.00", "5.25"),
        (second, knowledge, "3.00", None),
    ]:
        factories.RoleRatingFactory(role=role, element=element, importance=importance, level=level)
    page = soup(client.get(PLAN))
    assert page.select_one("#steps-heading").get_text() == "Skills and knowledge to build"
    steps = page.select(".plan__steps > li")
    assert [step.h3.get_text(" ", strip=True) for step in steps] == [
        "Economics (knowledge)",
        "Writing (skill)",
    ]
    assert "Data analyst: 2 of 5, level 2.5. Project lead: 4 of 5, level 5.3" in steps[1].get_text()
    assert "O*NET" in page.select_one(".plan__note").get_text()


def test_unknown_roles_are_404_and_a_role_to_itself_is_the_friendly_400(client, pair):
    for url in [
        "/transitions/data-analyst-to-astronaut/",
        "/transitions/astronaut-to-project-lead/",
        "/transitions/nonsense/",
        "/transitions/data-to-analyst-to-project-lead/",
    ]:
        assert client.get(url).status_code == 404, url
    response = client.get("/transitions/data-analyst-to-data-analyst/")
    assert response.status_code == 400
    page = soup(response)
    assert page.h1.get_text() == "That plan cannot be shown"
    assert page.select_one("form.compare-form")  # the compare pages' friendly 400, with a picker


def test_drafts_are_404_to_the_public_and_shown_to_staff(client, pair, staff_user):
    factories.RoleFactory(name="Draft role", slug="draft-role", published=False)
    assert client.get("/transitions/data-analyst-to-draft-role/").status_code == 404
    client.force_login(staff_user)
    response = client.get("/transitions/data-analyst-to-draft-role/")
    assert response.status_code == 200
    assert soup(response).find(class_="draft-banner")


def test_the_curated_guide_wins(client, pair):
    guide = factories.GuideFactory(from_role=pair[0], to_role=pair[1])
    response = client.get(PLAN)
    assert response.status_code == 200
    assert soup(response).select_one(".comparison__eyebrow").get_text() == "Transition guide"
    # A guide whose slug predates a renamed role still owns the pair: its address is the page.
    Guide.objects.filter(pk=guide.pk).update(slug="old-analyst-to-project-lead")
    cache.clear()  # the update sent no signal: drop the anonymous page cache by hand
    response = client.get(PLAN)
    assert (response.status_code, response["Location"]) == (
        302,
        "/transitions/old-analyst-to-project-lead/",
    )
    assert client.get(response["Location"]).status_code == 200


def test_plans_are_noindex_and_not_in_the_sitemap(client, pair):
    response = client.get(PLAN)
    assert response["X-Robots-Tag"] == "noindex"
    assert soup(response).select_one('meta[name="robots"]')["content"] == "noindex"
    assert "-to-" not in client.get("/sitemap.xml").content.decode()
    assert "noindex" not in client.get("/roles/data-analyst/").get("X-Robots-Tag", "")


def test_query_budget(client, pair, django_assert_max_num_queries):
    for _i in range(20):
        role = factories.RoleFactory()
        factories.GuideFactory(from_role=pair[0], to_role=role)
        factories.RoleTaskFactory(role=pair[1])
    # no guide by that slug, the roles (with pay), guides at either end, ratings, skills, tasks
    with django_assert_max_num_queries(6):
        assert client.get(PLAN).status_code == 200
