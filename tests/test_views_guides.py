"""Transition guides, bookmarks and step progress, for anonymous readers, owners and others."""

import pytest

from roles.models import Bookmark, Guide, Role, StepProgress
from tests import factories
from tests.helpers import GUIDE, soup

pytestmark = pytest.mark.django_db


@pytest.fixture
def guide(starter_content):
    return Guide.objects.get(slug="account-manager-to-project-manager")


@pytest.fixture
def other_reader(db):
    return factories.UserFactory(username="other")


# --- Starter guides ---


def test_starter_guides(starter_content):
    paths = Guide.objects.published()
    assert paths.count() >= 6
    slugs = set(paths.values_list("slug", flat=True))
    assert {"account-manager-to-project-manager", "project-manager-to-account-manager"} <= slugs
    for path in paths:
        assert path.summary
        assert path.difficulty
        assert 1 <= path.months_min <= path.months_max
        assert path.steps.count() >= 4, path.slug
        assert path.faqs.count() >= 2, path.slug


# --- /transitions/ ---


def test_guide_list_shows_every_guide_and_a_real_matrix(client, starter_content):
    page = soup(client.get("/transitions/"))
    links = {a["href"] for a in page.select(".guide-list__title a")}
    assert links == {p.get_absolute_url() for p in Guide.objects.published()}
    table = page.select_one("table.guide-matrix__table")
    assert table.caption
    columns = [th.get_text(strip=True) for th in table.thead.find_all("th", scope="col")]
    rows = [th.get_text(strip=True) for th in table.tbody.find_all("th", scope="row")]
    assert "To Project Manager" in columns
    assert "From Account Manager" in rows
    for tr in table.tbody.find_all("tr"):
        assert len(tr.find_all("td")) == len(columns)
    assert table.find("a", href=GUIDE)
    row = next(tr for tr in table.tbody.find_all("tr") if "From Scrum Master" in tr.th.text)
    assert "No guide yet" in row.get_text()


def test_guide_list_filters(client, starter_content):
    page = soup(client.get("/transitions/?from=project-manager"))
    titles = [a.get_text(strip=True) for a in page.select(".guide-list__title a")]
    assert titles
    assert all(t.startswith("From Project Manager") for t in titles)
    assert [th.get_text(strip=True) for th in page.select("tbody th[scope=row]")] == [
        "From Project Manager"
    ]
    page = soup(client.get("/transitions/?to=project-manager&from="))
    titles = [a.get_text(strip=True) for a in page.select(".guide-list__title a")]
    assert titles
    assert all(t.endswith("to Project Manager") for t in titles)
    response = client.get("/transitions/?from=project-manager&to=scrum-master")
    assert response.status_code == 200
    assert "No guides match." in response.text


@pytest.mark.parametrize(
    ("query", "error"),
    [
        ("from=astronaut", "There is no role called “astronaut”."),
        ("to=%01", "That is not the name of a role."),
        ("from=" + "x" * 3000, "There is no role called “" + "x" * 59 + "…”."),
    ],
)
def test_guide_list_bad_filter_is_400_with_the_form(client, starter_content, query, error):
    response = client.get(f"/transitions/?{query}")
    assert response.status_code == 400
    assert soup(response).select_one(".invalid-feedback").get_text(strip=True) == error
    assert len(soup(response).select(".guide-list__item")) == Guide.objects.count()
    # A screen reader hears the problem first, as on the compare picker.
    assert soup(response).title.get_text().startswith("Error: Transition guides")


# --- The guide page ---


def test_guide_page_has_ordered_steps_skills_comparison_and_faq(client, guide):
    page = soup(client.get(GUIDE))
    steps = page.select("ol.guide__steps > li")
    assert [(li["id"], li.h3.get_text(strip=True)) for li in steps] == [
        ("step-1", "Map what already transfers"),
        ("step-2", "Learn the fundamentals and take an entry certificate"),
        ("step-3", "Run projects inside your current job"),
        ("step-4", "Get fluent in the tools"),
        ("step-5", "Put client projects at the top of your résumé"),
        ("step-6", "Target roles where client skills count"),
    ]
    assert page.find("a", href="/compare/account-manager-vs-project-manager/")
    develop = [th.get_text(strip=True) for th in page.select("table.skill-gap tbody th")]
    gaps = [td.get_text(strip=True) for td in page.select("table.skill-gap tbody td:last-child")]
    assert list(zip(develop, gaps, strict=True)) == [  # the biggest gap first
        ("Project planning and scheduling", "+5"),
        ("Risk management", "+5"),
        ("Budget management", "+4"),
        ("Project management tools", "+4"),
        ("Resource planning", "+4"),
        ("Scope management", "+4"),
        ("Team leadership", "+4"),
        ("Conflict resolution", "+3"),
        ("Written communication", "+3"),
    ]
    carry = page.select_one("ul.skill-carry").get_text()
    assert "Stakeholder management" in carry
    assert [h.get_text(strip=True) for h in page.select("#faq h3")] == list(
        guide.faqs.values_list("question", flat=True)
    )


def test_anonymous_reader_sees_steps_and_an_invitation(client, guide):
    response = client.get(GUIDE)
    page = soup(response)
    assert page.select("ol.guide__steps > li")
    assert "to bookmark this guide and tick off steps" in response.text
    assert not page.select(".guide-step__form")
    assert not page.find("progress")


def test_reader_sees_own_progress(client, guide, reader, other_reader):
    first, second = guide.steps.all()[:2]
    StepProgress.objects.create(user=reader, step=first, completed=True)
    StepProgress.objects.create(user=other_reader, step=second, completed=True)
    client.force_login(reader)
    page = soup(client.get(GUIDE))
    total = guide.steps.count()
    assert f"1 of {total} steps done" in page.get_text()
    bar = page.find("progress")
    assert bar["value"] == "1"
    assert bar["max"] == str(total)
    assert "guide-step--done" in page.find(id="step-1")["class"]
    assert "guide-step--done" not in page.find(id="step-2")["class"]


def test_unknown_and_draft_guides(client, guide, staff_user):
    assert client.get("/transitions/account-manager-to-astronaut/").status_code == 404
    Guide.objects.filter(pk=guide.pk).update(published=False)
    # The public never sees the draft: the pair's address answers with a generated plan.
    response = client.get(GUIDE)
    assert response.status_code == 200
    assert soup(response).select_one(".comparison__eyebrow").get_text() == "Generated plan"
    assert guide.summary not in response.content.decode()
    client.force_login(staff_user)
    response = client.get(GUIDE)
    assert response.status_code == 200
    assert soup(response).find(class_="draft-banner")


# --- Bookmarks ---


def test_bookmark_needs_post(client, guide, reader):
    client.force_login(reader)
    assert client.get(f"{GUIDE}bookmark/").status_code == 405
    assert not Bookmark.objects.exists()


def test_bookmark_is_csrf_protected(guide, reader):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(reader)
    response = client.post(f"{GUIDE}bookmark/", {"bookmarked": "1"})
    assert response.status_code == 403
    assert not Bookmark.objects.exists()


def test_anonymous_bookmark_goes_to_login_and_back_to_the_guide(client, guide, reader):
    response = client.post(f"{GUIDE}bookmark/", {"bookmarked": "1"})
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={GUIDE}"
    assert not Bookmark.objects.exists()
    login = client.post(
        response["Location"], {"username": "reader", "password": "a-long-test-password"}
    )
    assert login.status_code == 302
    assert login["Location"] == GUIDE


def test_owner_bookmarks_and_unbookmarks(client, guide, reader):
    client.force_login(reader)
    response = client.post(f"{GUIDE}bookmark/", {"bookmarked": "1"})
    assert response.status_code == 302
    assert response["Location"] == GUIDE
    assert Bookmark.objects.filter(user=reader, guide=guide).count() == 1
    client.post(f"{GUIDE}bookmark/", {"bookmarked": "1"})  # a double submit
    assert Bookmark.objects.filter(user=reader, guide=guide).count() == 1
    page = soup(client.get(GUIDE))
    assert page.find("button", string="Remove bookmark")
    client.post(f"{GUIDE}bookmark/", {"bookmarked": "0"})
    assert not Bookmark.objects.exists()


def test_bookmark_with_bad_state_is_400_and_changes_nothing(client, guide, reader):
    client.force_login(reader)
    response = client.post(f"{GUIDE}bookmark/", {"bookmarked": "maybe"})
    assert response.status_code == 400
    assert not Bookmark.objects.exists()


def test_bookmark_next_must_be_our_own_path(client, guide, reader):
    client.force_login(reader)
    response = client.post(f"{GUIDE}bookmark/", {"bookmarked": "1", "next": "/bookmarks/"})
    assert response["Location"] == "/bookmarks/"
    for evil in ("https://evil.example/", "//evil.example/", "/\\evil.example"):
        response = client.post(f"{GUIDE}bookmark/", {"bookmarked": "1", "next": evil})
        assert response["Location"] == GUIDE


def test_one_reader_cannot_touch_anothers_bookmark(client, guide, reader, other_reader):
    Bookmark.objects.create(user=other_reader, guide=guide)
    client.force_login(reader)
    client.post(f"{GUIDE}bookmark/", {"bookmarked": "0"})
    assert Bookmark.objects.filter(user=other_reader, guide=guide).exists()
    page = soup(client.get("/bookmarks/"))
    assert not page.select(".bookmark-list__item")


def test_bookmarking_an_unknown_guide_is_404_and_a_draft_keeps_the_plan(client, guide, reader):
    client.force_login(reader)
    assert client.post("/transitions/nope-to-nowhere/bookmark/").status_code == 404
    assert not Bookmark.objects.exists()
    Guide.objects.filter(pk=guide.pk).update(published=False)
    # The reader never sees the draft guide: the address is the pair's generated plan.
    assert client.post(f"{GUIDE}bookmark/", {"bookmarked": "1"}).status_code == 302
    bookmark = Bookmark.objects.get()
    assert (bookmark.kind, bookmark.guide, bookmark.from_role) == ("plan", None, guide.from_role)


# --- Progress ---


def step_url(position):
    return f"{GUIDE}steps/{position}/progress/"


def test_progress_needs_post(client, guide, reader):
    client.force_login(reader)
    assert client.get(step_url(1)).status_code == 405


def test_anonymous_progress_goes_to_login_and_back(client, guide):
    response = client.post(step_url(2), {"completed": "1"})
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={GUIDE}%23step-2"
    assert not StepProgress.objects.exists()


def test_owner_ticks_and_unticks_a_step(client, guide, reader):
    client.force_login(reader)
    response = client.post(step_url(2), {"completed": "1"})
    assert response.status_code == 302
    assert response["Location"] == f"{GUIDE}#step-2"
    client.post(step_url(2), {"completed": "1"})
    assert StepProgress.objects.filter(user=reader, completed=True).count() == 1
    client.post(step_url(2), {"completed": "0"})
    assert not StepProgress.objects.filter(user=reader, completed=True).exists()
    assert StepProgress.objects.filter(user=reader).count() == 1


@pytest.mark.parametrize("position", [0, 99, 2**70])
def test_progress_on_a_missing_step_is_404(client, guide, reader, position):
    client.force_login(reader)
    assert client.post(step_url(position), {"completed": "1"}).status_code == 404
    assert not StepProgress.objects.exists()


def test_progress_with_bad_state_is_400(client, guide, reader):
    client.force_login(reader)
    assert client.post(step_url(1), {"completed": "yes"}).status_code == 400
    assert not StepProgress.objects.exists()


def test_progress_of_one_reader_is_invisible_to_another(client, guide, reader, other_reader):
    client.force_login(other_reader)
    client.post(step_url(1), {"completed": "1"})
    client.force_login(reader)
    page = soup(client.get(GUIDE))
    assert "0 of" in page.select_one(".progress-summary__text").get_text()


# --- /bookmarks/ ---


def test_bookmark_list_needs_sign_in(client, db):
    response = client.get("/bookmarks/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/bookmarks/"


def test_bookmark_list_newest_first_with_progress(client, starter_content, reader):
    older = Guide.objects.get(slug="project-manager-to-account-manager")
    newer = Guide.objects.get(slug="account-manager-to-project-manager")
    Bookmark.objects.create(user=reader, guide=older)
    Bookmark.objects.create(user=reader, guide=newer)
    for step in newer.steps.all()[:2]:
        StepProgress.objects.create(user=reader, step=step, completed=True)
    StepProgress.objects.create(user=reader, step=older.steps.first(), completed=False)
    client.force_login(reader)
    page = soup(client.get("/bookmarks/"))
    items = page.select(".bookmark-list__item")
    assert [i.h3.a["href"] for i in items] == [newer.get_absolute_url(), older.get_absolute_url()]
    assert f"2 of {newer.steps.count()} steps done" in items[0].get_text()
    assert f"0 of {older.steps.count()} steps done" in items[1].get_text()
    assert items[0].select_one(".bookmark-list__continue a")["href"] == f"{GUIDE}#step-3"
    assert items[1].select_one(".bookmark-list__continue a").get_text() == "Continue: step 1"
    remove = items[0].find("form")
    assert remove["action"] == f"{GUIDE}bookmark/"
    assert remove.find("input", attrs={"name": "next"})["value"] == "/bookmarks/"
    response = client.post(remove["action"], {"bookmarked": "0", "next": "/bookmarks/"})
    assert response["Location"] == "/bookmarks/"
    assert list(Bookmark.objects.values_list("guide", flat=True)) == [older.pk]


def test_bookmark_list_hides_guides_that_were_unpublished(client, guide, reader):
    Bookmark.objects.create(user=reader, guide=guide)
    Role.objects.filter(slug="project-manager").update(published=False)
    client.force_login(reader)
    assert not soup(client.get("/bookmarks/")).select(".bookmark-list__item")


# --- Query budgets ---


@pytest.mark.parametrize("signed_in", [False, True])
def test_guide_query_budget(
    client, grow_catalogue, reader, signed_in, django_assert_max_num_queries
):
    grow_catalogue(150)
    if signed_in:
        client.force_login(reader)
        Bookmark.objects.create(user=reader, guide=Guide.objects.get(slug=GUIDE.split("/")[2]))
    with django_assert_max_num_queries(7 if signed_in else 5):
        assert client.get(GUIDE).status_code == 200
    # Roles for the filter, the grid (at most 145 guides, with the total) and the page of guides.
    with django_assert_max_num_queries(5 if signed_in else 3):
        assert client.get("/transitions/").status_code == 200


def test_bookmark_list_query_budget(client, starter_content, reader, django_assert_max_num_queries):
    for path in Guide.objects.all():
        Bookmark.objects.create(user=reader, guide=path)
    client.force_login(reader)
    with django_assert_max_num_queries(3):
        assert client.get("/bookmarks/").status_code == 200
