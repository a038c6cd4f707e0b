"""O*NET data on the reader's pages (issue 17 points 3, 4, 7 and 9): a profile's preparation,
tasks, ratings, technology, titles and related occupations; the credit the licence asks for on
every page that shows the data; /about/data/; comparisons that hide only criteria no role has and
compare skills on one vocabulary; and the query budgets with the data present."""

from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from roles.models import Criterion, RoleRating, Source
from tests import factories
from tests.helpers import SEED_URL, soup

pytestmark = pytest.mark.django_db

BUDGET = 8
CREDIT = ".onet-credit"


def queries_for(client, url) -> int:
    cache.clear()  # cold: what a first visitor costs
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def text_of(node) -> str:
    return " ".join(node.get_text(" ", strip=True).split())


# --- The profile ---


def test_profile_shows_preparation_tasks_ratings_technology_titles_and_related(
    client, onet_occupation
):
    role = onet_occupation("registered-nurse", name="Registered Nurse")
    page = soup(client.get(role.get_absolute_url()))

    preparation = page.find(id="preparation-heading").parent
    assert "Job Zone 4 of 5: Considerable preparation needed" in text_of(preparation)
    assert "four-year bachelor's degree" in text_of(preparation)
    assert [dt.get_text() for dt in preparation.find_all("dt")] == [
        "Education",
        "Experience",
        "Training",
    ]

    tasks = page.find(id="tasks-heading").parent
    in_view = tasks.find("ul", recursive=False).find_all("li")
    assert [li.get_text() for li in in_view] == [
        f"Registered Nurse task {i:02d}." for i in range(8)
    ]
    more = tasks.find("details")
    assert more.summary.get_text() == "Show all 30 tasks"
    assert len(more.find_all("li")) == 22
    assert "(supplemental)" in more.find_all("li")[-1].get_text()

    ratings = page.find(id="onet-skills-heading").parent
    tables = ratings.find_all("table", recursive=False)
    assert [t.caption.get_text() for t in tables] == [
        "The skills that matter most to a Registered Nurse",
        "The knowledge areas that matter most to a Registered Nurse",
    ]
    skills = [(tr.th.get_text(), tr.td.get_text()) for tr in tables[0].tbody.find_all("tr")]
    assert len(skills) == 10
    assert skills[0] == ("Skill 08", "5 of 5")  # 5.00, the highest; then 4.50 rounds to 5
    assert skills[1] == ("Skill 17", "5 of 5")
    assert ratings.find("details").summary.get_text() == "Show all 35 skills"

    technology = page.find(id="technology-heading").parent
    first = technology.find("ul").find_all("li")
    assert len(first) == 12
    assert all("hot technology" in li.get_text() for li in first[:10])  # 10 of the 40 are hot
    assert "(hot technology, in demand)" in first[0].get_text()
    assert "hot" not in first[-1].get_text()
    assert technology.find("details").summary.get_text() == "Show all 40 technologies"

    titles = page.find(id="titles-heading").parent
    sample = titles.find("p", class_="occupation__titles").get_text().split(" · ")
    assert len(sample) == 12
    assert sample[:10] == [f"Registered Nurse title {i:03d}" for i in range(10)]  # reported first
    all_titles = titles.find("details")
    assert all_titles.summary.get_text() == "All 200 titles"
    assert len(sample) + len(all_titles.find_all("li")) == 100  # never the whole of a long list
    assert "And 100 more" in all_titles.get_text()

    related = page.find(id="related-heading").parent
    assert [h.get_text() for h in related.find_all("h3")] == [
        "Most closely related",
        "Also closely related",
        "More distantly related",
    ]
    first_item = related.find("li")
    profile_link, compare_link = first_item.find_all("a")
    other_slug = profile_link["href"].split("/")[2]
    assert compare_link["href"] == (
        f"/compare/{'-vs-'.join(sorted([other_slug, 'registered-nurse']))}/"
    )
    assert len(related.find_all("li")) == 20


def test_profile_lists_a_long_occupation_without_rendering_all_of_it(client, onet_occupation):
    role = onet_occupation("big", titles=600, tasks=90, technologies=300, related=2)
    response = client.get(role.get_absolute_url())
    page = soup(response)
    titles = page.find(id="titles-heading").parent
    assert len(titles.find_all("li")) + 12 == 100
    assert "And 500 more" in titles.get_text()
    assert len(page.find(id="tasks-heading").parent.find_all("li")) == 40
    assert "And 50 more" in page.find(id="tasks-heading").parent.get_text()
    assert len(page.find(id="technology-heading").parent.find_all("li")) == 60
    assert len(response.content) < 100_000


def test_related_draft_roles_are_left_out_for_the_public(client, onet_occupation, staff_user):
    role = onet_occupation("nurse", related=3)
    hidden = role.related_to.order_by("index").first().related
    hidden.published = False
    hidden.save()
    public = soup(client.get(role.get_absolute_url()))
    assert hidden.get_absolute_url() not in {a["href"] for a in public.find_all("a", href=True)}
    assert len(public.find(id="related-heading").parent.find_all("li")) == 2
    client.force_login(staff_user)
    staff = soup(client.get(role.get_absolute_url()))
    assert len(staff.find(id="related-heading").parent.find_all("li")) == 3


def test_a_linked_curated_role_shows_its_editors_words_first(client, starter_content):
    from roles.models import Role

    role = Role.objects.get(slug="project-manager")
    role.onet_code = "13-1082.00"
    role.job_zone = factories.JobZoneFactory()
    role.save()
    factories.RoleTaskFactory(role=role, statement="Schedule the work of a project team.")
    factories.RoleRatingFactory(role=role, importance="4.50", element__name="Coordination")
    response = client.get(role.get_absolute_url())
    page = soup(response)
    html = response.text
    assert html.index("The role on ten criteria") < html.index('id="preparation-heading"')
    assert html.index('id="skills-heading"') < html.index('id="onet-skills-heading"')
    assert page.select(".skill-table")[0].caption.get_text() == (
        "Skills a Project Manager needs, by importance (5 is essential)"
    )
    assert "O*NET-SOC code 13-1082.00" in page.find(class_="occupation__intro").get_text()
    assert "for the occupation our editors matched" in page.find(class_="occupation__intro").text
    assert page.find("td", string="5 of 5")  # Coordination, 4.50 rounded half up
    assert page.select_one(CREDIT)


def test_profile_query_budget_is_flat_with_occupation_data(client, onet_occupation, reader):
    small = onet_occupation("small", titles=1, tasks=1, technologies=1, related=1,
                            ratings={"Skill 00": "3.00"})  # fmt: skip
    full = onet_occupation("full")  # 200 titles, 30 tasks, 68 ratings, 40 technologies, 20
    assert full.ratings.count() == 68
    counts = {}
    for who in ("anonymous", "reader"):
        if who == "reader":
            client.force_login(reader)
        for role in (small, full):
            counts[who, role.slug] = queries_for(client, role.get_absolute_url())
    assert counts["anonymous", "small"] == counts["anonymous", "full"] <= BUDGET - 2
    assert counts["reader", "small"] == counts["reader", "full"] <= BUDGET


# --- The credit ---


def test_pages_with_onet_data_credit_it_and_others_do_not(client, starter_content, onet_occupation):
    nurse = onet_occupation("nurse", name="Nurse")
    onet_occupation("midwife", name="Midwife", release="29.3")
    with_data = [
        nurse.get_absolute_url(),
        "/compare/midwife-vs-nurse/",
        "/compare/account-manager-vs-nurse/",  # an imported role's name and description
        "/about/data/",
    ]
    without = ["/roles/account-manager/", SEED_URL, "/compare/business-analyst-vs-scrum-master/"]
    for url in with_data:
        credit = soup(client.get(url)).select_one(CREDIT)
        assert credit is not None, url
        words = text_of(credit)
        assert (
            "by the U.S. Department of Labor, Employment and Training Administration (USDOL/ETA)"
            in (words)
        )
        assert "used under the CC BY 4.0 license" in words
        assert "modified" in words
        assert "O*NET® is a trademark of USDOL/ETA" in words
        links = {a["href"] for a in credit.find_all("a")}
        assert "https://creativecommons.org/licenses/by/4.0/" in links
        assert "/about/data/" in links
    for url in without:
        assert soup(client.get(url)).select_one(CREDIT) is None, url

    assert "O*NET 30.1 Database" in text_of(soup(client.get(nurse.get_absolute_url())))
    both = text_of(soup(client.get("/compare/midwife-vs-nurse/")).select_one(CREDIT))
    assert "O*NET 29.3 and 30.1 Database" in both


def test_a_value_derived_from_onet_is_credited(client, make_role, criteria):
    a, _ = make_role(slug="alpha"), make_role(slug="beta")
    value = a.criterion_values.first()
    value.source, value.release = Source.ONET, "30.1"
    value.save()
    credit = soup(client.get("/compare/alpha-vs-beta/")).select_one(CREDIT)
    assert "O*NET 30.1 Database" in text_of(credit)


# --- /about/data/ ---


def test_about_data_names_the_releases_in_the_data(
    client, onet_occupation, django_assert_max_num_queries
):
    onet_occupation("nurse", related=2)
    with django_assert_max_num_queries(2):  # the O*NET releases, the OEWS releases
        response = client.get("/about/data/")
    page = soup(response)
    assert page.h1.get_text() == "Where our data comes from"
    releases = [li.get_text() for li in page.select(".about-data__releases li")]
    assert releases == ["O*NET 30.1: 3 occupations"]  # the nurse and its two related roles
    words = text_of(page)
    for needed in ("Job Zone", "Task Statements", "rounded", "Editors' words always win",
                   "Creative Commons Attribution 4.0"):  # fmt: skip
        assert needed in words
    assert page.find("a", href="/about/overlap/")
    assert page.find(id="oews-heading")  # the pay side's section, in its block
    assert "TODO" not in response.text


def test_about_data_without_any_import_says_so(client, starter_content):
    page = soup(client.get("/about/data/"))
    assert "No O*NET occupation is on the site yet" in text_of(page)
    assert "O*NET Database" in text_of(page.select_one(CREDIT))


def test_about_data_is_linked_from_every_footer_cached_and_in_the_sitemap(
    client, starter_content, django_assert_num_queries
):
    footer = soup(client.get("/")).find("footer")
    assert footer.find("a", href="/about/data/")
    client.get("/about/data/")
    with django_assert_num_queries(0):
        assert client.get("/about/data/").status_code == 200  # the anonymous page cache
    assert "http://testserver/about/data/" in client.get("/sitemap.xml").text


# --- Comparisons: hidden criteria ---


def test_a_criterion_no_role_has_is_hidden_and_named(client, criteria):
    a = factories.RoleFactory(slug="alpha", name="Alpha")
    b = factories.RoleFactory(slug="beta", name="Beta")
    for criterion in criteria[:6]:
        factories.RoleCriterionValueFactory(role=a, criterion=criterion)
    for criterion in criteria[:3]:
        factories.RoleCriterionValueFactory(role=b, criterion=criterion)
    page = soup(client.get("/compare/alpha-vs-beta/"))
    rows = page.select(".comparison-table__table tbody tr")
    assert [tr.th.a.get_text() for tr in rows] == [c.name for c in criteria[:6]]
    assert [td.get_text() for td in rows[4].find_all("td")][1] == "Not described yet"
    hidden = page.find(id="hidden-criteria")
    names = ", ".join(c.name for c in criteria[6:])
    assert text_of(hidden) == f"Hidden: {names} – none of these roles has a value for them yet."
    nav = [a["href"] for a in page.select(".page-contents a")]
    for criterion in criteria:
        assert (f"#{criterion.slug}" in nav) == (criterion in criteria[:6])
        assert bool(page.find(id=criterion.slug)) == (criterion in criteria[:6])


def test_no_note_when_every_criterion_has_a_value(client, starter_content):
    assert soup(client.get(SEED_URL)).find(id="hidden-criteria") is None


def test_an_editors_narrative_keeps_its_row(client, criteria):
    a, b = factories.RoleFactory(slug="alpha"), factories.RoleFactory(slug="beta")
    comparison = factories.ComparisonFactory(role_a=a, role_b=b)
    factories.ComparisonSectionFactory(comparison=comparison, criterion=criteria[0])
    page = soup(client.get(comparison.get_absolute_url()))
    assert [tr.th.a.get_text() for tr in page.select("tbody tr")] == [criteria[0].name]
    assert "Hidden:" in page.find(id="hidden-criteria").get_text()
    assert Criterion.objects.count() == 10


# --- Comparisons: one skill vocabulary ---


def test_onet_roles_are_compared_on_onet_skills(client, onet_occupation):
    onet_occupation("alpha", ratings={"Skill 00": "5.00", "Skill 01": "3.00", "Skill 02": "1.00"})
    onet_occupation("beta", ratings={"Skill 00": "3.40", "Skill 02": "4.00", "Skill 03": "1.20"})
    page = soup(client.get("/compare/alpha-vs-beta/"))
    skills = page.find(id="skills")
    assert "Compared on O*NET's 3 skills that matter to these roles, rated 1 to 5." in text_of(
        skills
    )
    # weights (1 is "not important": 0): Skill 00 5 and 3, Skill 01 3 and 0, Skill 02 0 and 4
    assert skills.find("meter")["value"] == "25"  # 3 / (5 + 3 + 4)
    shared = [tr.th.get_text() for tr in skills.select(".skill-overlap__table tbody tr")]
    assert shared == ["Skill 00"]
    assert [h.get_text() for h in skills.find_all("h3")] == ["Only Alpha needs", "Only Beta needs"]
    glance = text_of(page.find(id="at-a-glance"))
    assert "(25%, on O*NET's ratings): both need 1 of the 3 skills that matter here" in glance
    assert "O*NET's skill ratings" in text_of(page.find(id="verdict"))


def test_a_role_without_ratings_makes_the_comparison_use_the_editors_skills(
    client, onet_occupation
):
    onet_occupation("alpha")
    beta = factories.RoleFactory(slug="beta")
    factories.RoleSkillFactory(role=beta, importance=4)
    skills = soup(client.get("/compare/alpha-vs-beta/")).find(id="skills")
    assert "Compared on the editors' skill ratings." in text_of(skills)
    assert skills.find("meter")["value"] == "0"


def test_four_onet_roles_keep_their_lists_short(client, onet_occupation):
    for slug in ("alpha", "beta", "gamma", "delta"):
        onet_occupation(slug, titles=5, tasks=5, technologies=5, related=0)
    response = client.get("/compare/alpha-vs-beta-vs-delta-vs-gamma/")
    skills = soup(response).find(id="skills")
    assert len(skills.select(".skill-overlap__table tbody tr")) == 12
    assert "more skills matter to every role here too" in text_of(skills)
    assert len(response.content) < 100_000


def test_comparison_budget_with_ratings_is_flat(client, onet_occupation, criteria, reader):
    for slug in ("alpha", "beta", "gamma"):
        onet_occupation(slug, titles=1, tasks=1, technologies=1, related=1)
    comparison = factories.ComparisonFactory(
        role_a=onet_occupation("delta"), role_b=onet_occupation("epsilon")
    )
    factories.FAQFactory.create_batch(3, comparison=comparison)
    factories.ReferenceFactory.create_batch(2, comparison=comparison)
    urls = [
        "/compare/alpha-vs-beta/",
        "/compare/alpha-vs-beta-vs-gamma/",
        "/compare/delta-vs-epsilon/",
    ]
    for who in ("anonymous", "reader"):
        if who == "reader":
            client.force_login(reader)
        for url in urls:
            assert queries_for(client, url) <= BUDGET, (who, url)
    assert RoleRating.objects.filter(role__slug="delta").count() == 68
    assert Decimal("5.00") in set(RoleRating.objects.values_list("importance", flat=True))


def test_roles_without_any_value_get_a_note_not_an_empty_table(client, onet_occupation):
    onet_occupation("alpha", titles=0, tasks=0, technologies=0, related=0)
    onet_occupation("beta", titles=0, tasks=0, technologies=0, related=0)
    factories.CriterionFactory(name="Primary focus")
    page = soup(client.get("/compare/alpha-vs-beta/"))
    assert page.select_one(".comparison-table__table") is None
    assert text_of(page.find(id="hidden-criteria")) == (
        "None of these roles is described on our criteria yet. "
        "Hidden: Primary focus – none of these roles has a value for it yet."
    )
