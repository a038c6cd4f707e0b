"""Keeping generated plans and comparisons: bookmarks, ticks keyed by skill that survive a
re-import, the constraints, and /bookmarks/ in three groups with "Continue: step N"."""

import threading

import pytest
from django.db import IntegrityError, connection, transaction

from roles.models import Bookmark, RoleRating, StepProgress
from roles.services import bookmark_toggle, step_progress_toggle
from tests import factories
from tests.helpers import soup

pytestmark = pytest.mark.django_db

PLAN = "/transitions/source-role-to-target-role/"


@pytest.fixture
def pair():
    """Two O*NET-rated roles: to build, A (1 -> 5, gap 4), then B (2 -> 4, gap 2); C carries
    over."""
    first = factories.RoleFactory(name="Source role", slug="source-role")
    second = factories.RoleFactory(name="Target role", slug="target-role")
    elements = {
        name: factories.OnetElementFactory(name=name, element_id=f"2.A.1.{i}")
        for i, name in enumerate("ABC")
    }
    for role, ratings in [
        (first, {"A": "1.00", "B": "2.00", "C": "4.00"}),
        (second, {"A": "5.00", "B": "4.00", "C": "3.00"}),
    ]:
        for name, importance in ratings.items():
            factories.RoleRatingFactory(role=role, element=elements[name], importance=importance)
    return first, second, elements


def _steps(client):
    return [
        (li.h3.a.get_text(), "guide-step--done" in li["class"])
        for li in soup(client.get(PLAN)).select(".plan__steps > li")
    ]


def test_a_reader_bookmarks_a_plan_and_ticks_its_steps(client, pair, reader):
    client.force_login(reader)
    assert _steps(client) == [("A", False), ("B", False)]
    response = client.post(f"{PLAN}bookmark/", {"bookmarked": "1"})
    assert response.status_code == 302
    bookmark = Bookmark.objects.get(user=reader)
    assert (bookmark.kind, bookmark.from_role, bookmark.to_role) == ("plan", pair[0], pair[1])
    response = client.post(f"{PLAN}steps/2/progress/", {"completed": "1", "skill": "onet:2.A.1.1"})
    # the no-JavaScript path comes back to the same step
    assert response["Location"] == f"{PLAN}#step-2"
    assert _steps(client) == [("A", False), ("B", True)]
    page = soup(client.get(PLAN))
    assert page.select_one(".guide__bookmark button").get_text() == "Remove bookmark"
    # twice is the same as once
    client.post(f"{PLAN}steps/2/progress/", {"completed": "1", "skill": "onet:2.A.1.1"})
    client.post(f"{PLAN}bookmark/", {"bookmarked": "1"})
    assert StepProgress.objects.filter(user=reader).count() == 1
    assert Bookmark.objects.filter(user=reader).count() == 1


def test_ticks_survive_a_re_import_that_reorders_the_plan(client, pair, reader):
    _first, second, elements = pair
    client.force_login(reader)
    client.post(f"{PLAN}steps/2/progress/", {"completed": "1", "skill": "onet:2.A.1.1"})
    # A new release: B's gap grows past A's, and A is dropped from the plan altogether.
    RoleRating.objects.filter(role=second, element=elements["B"]).update(importance="5.00")
    RoleRating.objects.filter(role=second, element=elements["A"]).update(importance="1.00")
    from django.core.cache import cache

    cache.clear()
    assert _steps(client) == [("B", True)]
    # A tick sent from the page as it was (step 2 was B) still lands on B, now step 1.
    response = client.post(f"{PLAN}steps/1/progress/", {"completed": "0", "skill": "onet:2.A.1.1"})
    assert response["Location"] == f"{PLAN}#step-1"
    assert _steps(client) == [("B", False)]
    # A skill no longer in the plan is not ticked.
    response = client.post(f"{PLAN}steps/1/progress/", {"completed": "1", "skill": "onet:2.A.1.0"})
    assert response.status_code == 302
    assert not StepProgress.objects.filter(skill_key="onet:2.A.1.0").exists()


def test_ticks_are_each_readers_own(client, pair, reader):
    other_reader = factories.UserFactory()
    client.force_login(reader)
    client.post(f"{PLAN}steps/1/progress/", {"completed": "1", "skill": "onet:2.A.1.0"})
    client.force_login(other_reader)
    assert _steps(client) == [("A", False), ("B", False)]


def test_bad_forms_are_400_and_anonymous_readers_sign_in(client, pair, reader):
    response = client.post(f"{PLAN}steps/1/progress/", {"completed": "1"})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert "step-1" in response["Location"]
    client.force_login(reader)
    assert client.post(f"{PLAN}steps/1/progress/", {"completed": "maybe"}).status_code == 400
    assert client.post(f"{PLAN}bookmark/", {"bookmarked": "x"}).status_code == 400
    assert client.post(f"{PLAN}steps/9/progress/", {"completed": "1"}).status_code == 404
    assert client.get(f"{PLAN}bookmark/").status_code == 405
    long = {"completed": "1", "skill": "x" * 500}
    assert client.post(f"{PLAN}steps/1/progress/", long).status_code == 400


def test_the_csrf_token_is_required(pair, reader):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(reader)
    assert client.post(f"{PLAN}bookmark/", {"bookmarked": "1"}).status_code == 403
    assert not Bookmark.objects.exists()


def test_a_reader_bookmarks_a_comparison(client, pair, reader):
    client.force_login(reader)
    page = soup(client.get("/compare/source-role-vs-target-role/"))
    assert page.select_one(".comparison__bookmark button").get_text() == "Bookmark this comparison"
    response = client.post("/compare/target-role-vs-source-role/bookmark/", {"bookmarked": "1"})
    assert response["Location"] == "/compare/source-role-vs-target-role/"
    assert Bookmark.objects.get(user=reader).comparison == "source-role-vs-target-role"
    page = soup(client.get("/compare/source-role-vs-target-role/"))
    assert page.select_one(".comparison__bookmark button").get_text() == "Remove bookmark"
    assert client.post("/compare/source-role-vs-nobody/bookmark/").status_code == 404
    assert client.post("/compare/source-role-vs-source-role/bookmark/").status_code == 404


def test_bookmarks_page_groups_and_continues(client, pair, reader, django_assert_max_num_queries):
    guide = factories.GuideFactory()
    for position in (1, 2, 3):
        factories.GuideStepFactory(guide=guide, position=position)
    client.force_login(reader)
    client.post(f"/transitions/{guide.slug}/bookmark/", {"bookmarked": "1"})
    client.post(f"/transitions/{guide.slug}/steps/1/progress/", {"completed": "1"})
    client.post(f"{PLAN}bookmark/", {"bookmarked": "1"})
    client.post(f"{PLAN}steps/1/progress/", {"completed": "1", "skill": "onet:2.A.1.0"})
    client.post("/compare/source-role-vs-target-role/bookmark/", {"bookmarked": "1"})
    with django_assert_max_num_queries(7):
        response = client.get("/bookmarks/")
    page = soup(response)
    assert [h.get_text() for h in page.select("h2")] == ["Guides", "Plans", "Comparisons"]
    guides, plans, comparisons = page.select(".bookmark-list")
    assert "1 of 3 steps done" in guides.get_text()
    assert (
        guides.select_one(".bookmark-list__continue a")["href"]
        == f"{guide.get_absolute_url()}#step-2"
    )
    assert "1 of 2 steps done" in plans.get_text()
    assert plans.select_one(".bookmark-list__continue a").get_text() == "Continue: step 2"
    assert plans.select_one(".bookmark-list__continue a")["href"] == f"{PLAN}#step-2"
    assert comparisons.select_one("a").get_text() == "Source role vs Target role"


def test_the_bookmarks_page_stays_flat(client, reader, django_assert_max_num_queries):
    client.force_login(reader)
    for i in range(12):
        first = factories.RoleFactory(slug=f"a-{i}")
        second = factories.RoleFactory(slug=f"b-{i}")
        factories.RoleSkillFactory(role=second)
        bookmark_toggle(user=reader, plan=(first, second), bookmarked=True)
        bookmark_toggle(user=reader, comparison=f"a-{i}-vs-b-{i}", bookmarked=True)
    with django_assert_max_num_queries(7):
        assert client.get("/bookmarks/").status_code == 200


def test_constraints(pair, reader):
    first, second, _ = pair
    Bookmark.objects.create(user=reader, kind="plan", from_role=first, to_role=second)
    for fields in [
        {"kind": "plan", "from_role": first, "to_role": second},  # twice
        {"kind": "plan", "from_role": first, "to_role": first},  # to itself
        {"kind": "plan", "from_role": first},  # half a pair
        {"kind": "comparison"},  # nothing kept
        {"kind": "guide", "comparison": "a-vs-b"},  # the wrong kind
    ]:
        with pytest.raises(IntegrityError), transaction.atomic():
            Bookmark.objects.create(user=reader, **fields)
    StepProgress.objects.create(user=reader, from_role=first, to_role=second, skill_key="k")
    for fields in [
        {"from_role": first, "to_role": second, "skill_key": "k"},
        {"from_role": first, "to_role": second},
        {"skill_key": "k"},
    ]:
        with pytest.raises(IntegrityError), transaction.atomic():
            StepProgress.objects.create(user=reader, **fields)


@pytest.mark.django_db(transaction=True)
def test_simultaneous_ticks_and_bookmarks_end_in_one_row(pair, reader):
    if connection.vendor == "sqlite" and connection.settings_dict["NAME"].startswith(
        ("file:memorydb", ":memory:")
    ):
        pytest.skip("in-memory SQLite is one connection; CI runs this race on PostgreSQL")
    first, second, _ = pair
    errors = []

    barrier = threading.Barrier(8)

    def act():
        try:
            barrier.wait()
            bookmark_toggle(user=reader, plan=(first, second), bookmarked=True)
            step_progress_toggle(
                user=reader, plan=(first, second), skill_key="onet:2.A.1.0", completed=True
            )
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=act) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Bookmark.objects.filter(user=reader).count() == 1
    assert StepProgress.objects.filter(user=reader).count() == 1


def test_the_progress_ui_says_the_state_and_points_at_the_next_step(client, pair, reader):
    client.force_login(reader)
    client.post(f"{PLAN}steps/1/progress/", {"completed": "1", "skill": "onet:2.A.1.0"})
    page = soup(client.get(PLAN))
    first, second = page.select(".plan__steps > li")
    tick = first.select_one("button.step-tick")
    assert (tick["role"], tick["aria-checked"]) == ("checkbox", "true")
    assert tick.select_one(".step-tick__label").get_text() == "Done"
    assert second.select_one(".step-tick__label").get_text() == "Not done yet"
    assert second.select_one("button")["aria-checked"] == "false"
    # a finished step folds away; an open one stays open
    assert not first.select_one("details").has_attr("open")
    assert second.select_one("details").has_attr("open")
    summary = page.select_one(".progress-summary")
    assert summary.select_one(".progress-summary__text").get_text() == "1 of 2 steps done"
    assert summary.select_one(".progress-summary__next a")["href"] == "#step-2"
    assert summary.select_one(".progress-summary__finished").has_attr("hidden")
    # the script that ticks in place is our own static file (the CSP allows no inline script)
    scripts = [tag["src"] for tag in page.select("script[src]")]
    assert any(src.endswith("js/progress.js") for src in scripts)
    inline = [
        tag for tag in page.select("script:not([src])") if tag.get("type") != "application/ld+json"
    ]
    assert inline == []


def test_a_tick_sent_by_the_script_answers_json(client, pair, reader):
    client.force_login(reader)
    response = client.post(
        f"{PLAN}steps/2/progress/",
        {"completed": "1", "skill": "onet:2.A.1.1"},
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 200
    assert response.json() == {"completed": True, "position": 2}
    guide = factories.GuideFactory()
    factories.GuideStepFactory(guide=guide, position=1)
    response = client.post(
        f"/transitions/{guide.slug}/steps/1/progress/",
        {"completed": "1"},
        headers={"Accept": "application/json"},
    )
    assert response.json() == {"completed": True, "position": 1}
    assert StepProgress.objects.filter(user=reader, completed=True).count() == 2


def test_anonymous_readers_get_no_tick_boxes_and_no_script(client, pair):
    page = soup(client.get(PLAN))
    assert not page.select(".step-tick")
    assert not [s for s in page.select("script[src]") if "progress.js" in s["src"]]
