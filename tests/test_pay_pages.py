"""Pay where readers decide: the chart's geometry, the one money format, the profile's summary,
the comparison's row, line and chart with its text equivalent, /roles/ by pay and Job Zone, the
editors' figures labelled as theirs, and the query budgets with pay at 1,000 roles."""

from decimal import Decimal
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext

from roles import paychart
from roles.models import Figure, OccupationPay, Role, RolePay
from tests import factories
from tests.helpers import admin_url, soup

FIXTURE = Path(__file__).parent / "fixtures" / "oews" / "national_M2025_dl.csv"
PAIR = "/compare/account-manager-vs-project-manager/"
FOUR = "/compare/account-manager-vs-product-manager-vs-project-manager-vs-scrum-master/"


# --- The chart's geometry and the money format (no database) ---


def test_nice_ticks_cover_the_top_figure_in_at_most_four_steps():
    assert paychart.nice_step(167_970) == 50_000
    assert paychart.ticks(167_970) == [0, 50_000, 100_000, 150_000, 200_000]
    assert paychart.ticks(290_540) == [0, 100_000, 200_000, 300_000]
    assert paychart.ticks(239_200) == [0, 100_000, 200_000, 300_000]
    assert paychart.ticks(40_000) == [0, 10_000, 20_000, 30_000, 40_000]
    assert paychart.ticks(1) == [0, 1]
    for top in (1, 9, 99_999, 100_001, 250_000, 7_654_321):
        values = paychart.ticks(top)
        assert values[-1] >= top > values[-2]
        assert len(values) <= paychart.MAX_TICKS + 1


def test_positions_run_from_the_left_margin_to_the_right_one_and_clamp():
    right = paychart.WIDTH - paychart.RIGHT
    assert paychart.position(0, 200_000) == paychart.LEFT
    assert paychart.position(200_000, 200_000) == right
    assert paychart.position(100_000, 200_000) == (paychart.LEFT + right) / 2
    assert paychart.position(-5, 100) == paychart.LEFT
    assert paychart.position(10**9, 100) == right


def pay(median, p10=None, p90=None, **kwargs) -> RolePay:
    def figure(value):
        if value is None:
            return Figure(None, "*")
        if value == "#":
            return Figure(239_200, "#")
        return Figure(value)

    return RolePay(median=figure(median), p10=figure(p10), p90=figure(p90), **kwargs)


def test_the_chart_shares_one_axis_and_says_not_published_instead_of_an_empty_bar():
    chart = paychart.pay_chart(
        [
            ("Project Manager", pay(102_320, 61_580, 167_970)),
            ("Chief Executive", pay("#", 75_700, "#")),
            ("Soldier", RolePay(military=True)),
            ("Scrum Master", pay(99_000, 50_000, 150_000, by_editors=True)),
        ]
    )
    assert chart.has_data
    assert [tick.label for tick in chart.ticks] == ["$0", "$100,000", "$200,000", "$300,000"]
    assert [tick.anchor for tick in chart.ticks] == ["start", "middle", "middle", "end"]
    pm, chief, soldier, scrum = chart.rows
    assert pm.x10 < pm.x_median < pm.x90
    assert pm.x_median == paychart.position(102_320, 300_000)
    assert pm.summary == "Median $102,320 · range $61,580 to $167,970"
    assert chief.open_end
    assert chief.summary == "Median $239,200+ · range $75,700 to $239,200+"
    assert not soldier.published
    assert (soldier.summary, soldier.bar_width) == ("Not published", 0)
    assert scrum.summary.startswith("Editors' figure: median $99,000")
    assert [row.y for row in chart.rows] == [6, 68, 130, 192]
    assert chart.view_box == f"0 0 400 {chart.height}"
    assert max(row.x90 for row in chart.rows) + 7 <= paychart.WIDTH  # the open end fits


def test_a_chart_of_roles_without_pay_has_no_axis():
    chart = paychart.pay_chart([("A", RolePay()), ("B", RolePay(hidden=True))])
    assert not chart.has_data
    assert chart.ticks == []


def test_long_names_are_shortened_in_the_chart_only():
    name = "Elementary School Teachers, Except Special Education and Everything Else"
    chart = paychart.pay_chart([(name, pay(63_970, 47_960, 104_340))])
    assert len(chart.rows[0].name) == paychart.NAME_LENGTH
    assert chart.rows[0].name.endswith("…")


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (102_320, "$102,320"),
        (Figure(102_320), "$102,320"),
        (Figure(239_200, "#"), "$239,200 or more"),
        (Figure(None, "*"), "not published"),
        (None, "not published"),
        (Decimal("29.05"), "$29.05"),
        (Decimal("115.00"), "$115"),
        (0, "$0"),
        ("junk", ""),
    ],
)
def test_money_is_one_filter_for_a_us_reader(value, shown):
    assert Template("{% load pay %}{{ value|money }}").render(Context({"value": value})) == shown


# --- The pages ---


@pytest.fixture
def with_pay(starter_content):
    """The fixture release imported; three starter roles linked to O*NET codes (one whose pay
    comes from its broad SOC group), one with the editors' own figures, Job Zones on two."""
    call_command("import_oews", str(FIXTURE), verbosity=0)
    zone4 = factories.JobZoneFactory(number=4, name="Considerable preparation needed")
    zone3 = factories.JobZoneFactory(number=3, name="Medium preparation needed")
    Role.objects.update(onet_code=None)  # the starter links, replaced by this test's own
    Role.objects.filter(slug="project-manager").update(onet_code="13-1082.00", job_zone=zone4)
    Role.objects.filter(slug="account-manager").update(onet_code="11-2022.00", job_zone=zone4)
    Role.objects.filter(slug="business-analyst").update(onet_code="29-2011.00", job_zone=zone3)
    Role.objects.filter(slug="scrum-master").update(
        pay_median_override=99_000,
        pay_p10_override=50_000,
        pay_p90_override=150_000,
        pay_note="From our 2026 survey.",
    )


def test_the_profile_shows_median_range_employment_release_and_source(client, with_pay):
    page = soup(client.get("/roles/project-manager/"))
    section = page.select_one("section#pay")
    text = " ".join(section.get_text(" ").split())
    assert "Median annual pay $102,320" in text
    assert "Range, 10th to 90th percentile $61,580 to $167,970" in text
    assert "People employed in the US 1,066,670" in text
    assert "Job Zone 4 of 5: Considerable preparation needed" in text
    assert "Occupational Employment and Wage Statistics (OEWS), May 2025" in text
    assert "editors' figure" not in text
    assert "which includes this occupation" not in text


def test_the_profile_names_the_wider_occupation_its_figures_describe(client, with_pay):
    text = soup(client.get("/roles/business-analyst/")).select_one("section#pay").get_text(" ")
    assert "$62,930" in text
    assert (
        "These figures are for Clinical Laboratory Technologists and Technicians (29-2010), "
        "which includes this occupation." in " ".join(text.split())
    )


def test_the_editors_figures_are_labelled_and_hidden_pay_is_not_shown(client, with_pay):
    text = " ".join(
        soup(client.get("/roles/scrum-master/")).select_one("section#pay").get_text(" ").split()
    )
    assert "Median annual pay (editors' figure) $99,000" in text
    assert "These are our editors' figures, not the US Bureau of Labor Statistics'." in text
    assert "From our 2026 survey." in text
    Role.objects.filter(slug="project-manager").update(pay_hidden=True, pay_note="Under review.")
    cache.clear()
    text = soup(client.get("/roles/project-manager/")).select_one("section#pay").get_text(" ")
    assert "$102,320" not in text
    assert "Our editors do not show pay for this role. Under review." in " ".join(text.split())


def test_a_military_or_unlinked_role_says_not_published(client, with_pay):
    Role.objects.filter(slug="project-manager").update(onet_code="55-1011.00")
    text = soup(client.get("/roles/project-manager/")).select_one("section#pay").get_text(" ")
    assert "does not cover military occupations" in text
    text = soup(client.get("/roles/product-manager/")).select_one("section#pay").get_text(" ")
    assert "Pay is not published for this role yet." in text


def test_an_hourly_only_occupation_shows_its_hourly_median(client, with_pay):
    Role.objects.filter(slug="project-manager").update(onet_code="27-2011.00")
    text = " ".join(
        soup(client.get("/roles/project-manager/")).select_one("section#pay").get_text(" ").split()
    )
    assert (
        "BLS publishes only hourly wages for Actors (27-2011): a median of $29.05 an hour" in text
    )
    assert "$0" not in text


def test_a_comparison_has_a_pay_row_a_pay_line_and_the_chart_with_its_figures(client, with_pay):
    page = soup(client.get(FOUR))
    table = page.select_one("table.comparison-table__table")
    names = [th.get_text(strip=True) for th in table.select("thead th[scope=col]")][1:]
    row = next(tr for tr in table.select("tbody tr") if tr.th.get_text(strip=True) == "Median pay")
    assert row.th["scope"] == "row"
    cells = [td.get_text(" ", strip=True) for td in row.select("td")]
    assert len(cells) == len(names) == 4
    assert dict(zip(names, cells, strict=True)) == {
        "Account Manager": "$148,270 a year",
        "Product Manager": "Not published",
        "Project Manager": "$102,320 a year",
        "Scrum Master": "$99,000 a year (editors' figure)",
    }
    glance = page.select_one("#at-a-glance .at-a-glance__pay").get_text(" ", strip=True)
    assert "Account Manager $148,270" in glance
    assert "(BLS OEWS, May 2025)" in glance

    figure = page.select_one("section#pay figure.pay-chart")
    svg = figure.select_one("svg")
    assert svg["viewbox"].startswith("0 0 400 ")
    assert svg["width"] == "100%"
    assert svg["role"] == "img"
    assert page.select_one(f"#{svg['aria-labelledby']}").name == "title"
    assert len(svg.select("rect.pay-chart__bar")) == 3  # not one for the role without pay
    assert len(svg.select("line.pay-chart__median")) == 3
    assert [t.get_text() for t in svg.select("text.pay-chart__tick")][-1] == "$300,000"
    assert "Not published" in [t.get_text() for t in svg.select("text.pay-chart__figures--none")]
    caption = figure.select_one("figcaption").get_text(" ", strip=True)
    assert "OEWS), May 2025 national estimates" in caption
    assert "The figures for Scrum Master are our editors' own." in caption
    equivalent = figure.select_one("table.pay-chart__table")
    rows = {
        tr.th.get_text(" ", strip=True): [td.get_text(strip=True) for td in tr.select("td")]
        for tr in equivalent.select("tbody tr")
    }
    assert rows["Project Manager"] == ["$61,580", "$102,320", "$167,970", "1,066,670"]
    assert rows["Product Manager"] == ["not published"]
    assert rows["Scrum Master (editors' figure)"] == ["$50,000", "$99,000", "$150,000", "not given"]
    assert 'fill="#' not in str(svg)  # colours come from CSS (currentColor), not hard-coded


def test_a_comparison_of_roles_without_pay_says_so_without_a_chart(client, starter_content):
    page = soup(client.get(PAIR))
    section = page.select_one("section#pay")
    assert section.select_one("figure, svg, table") is None
    assert "No pay figures are published for these roles yet." in section.get_text()
    assert page.select_one(".comparison-table__row--pay, .at-a-glance__pay") is None


def test_roles_can_be_sorted_by_pay_and_filtered_by_job_zone(client, with_pay):
    page = soup(client.get("/roles/?sort=pay"))
    names = [a.get_text(strip=True) for a in page.select(".role-card__name a")]
    assert names[:4] == ["Account Manager", "Project Manager", "Scrum Master", "Business Analyst"]
    assert page.select_one("#by-pay-heading") is not None
    card = page.select(".role-card")[0].select_one(".role-card__pay").get_text(strip=True)
    assert card == "Median pay $148,270 a year"

    page = soup(client.get("/roles/?zone=4"))
    assert sorted(a.get_text(strip=True) for a in page.select(".role-card__name a")) == [
        "Account Manager",
        "Project Manager",
    ]
    links = {a.get_text(" ", strip=True): a["href"] for a in page.select(".family-filter__link")}
    assert links["Highest median pay first"] == "/roles/?zone=4&sort=pay"
    assert links["Job Zone 3 (1)"] == "/roles/?zone=3"
    assert any(href.endswith("family=sales-client&zone=4") for href in links.values())

    page = soup(client.get("/roles/?zone=4&sort=pay&family=delivery"))
    assert [a.get_text(strip=True) for a in page.select(".role-card__name a")] == [
        "Project Manager"
    ]


@pytest.mark.parametrize("query", ["zone=6", "zone=abc", "zone=1.5", "sort=salary", "sort=pay%20"])
def test_a_bad_zone_or_sort_answers_400_with_every_role(client, with_pay, query):
    response = client.get(f"/roles/?{query}")
    assert response.status_code == 400
    assert len(soup(response).select(".role-card")) == Role.objects.published().count()


def test_an_editor_sets_the_editors_figures_in_the_role_admin(client, editor, with_pay):
    from tests.helpers import form_data

    role = Role.objects.get(slug="project-manager")
    client.force_login(editor)
    url = admin_url(Role, "change", role.pk)
    page = client.get(url)
    assert page.status_code == 200
    assert "pay_median_override" in page.content.decode()
    data = form_data(page)
    data.update(pay_median_override="90000", pay_p10_override="95000", pay_p90_override="1")
    response = client.post(url, data)
    assert response.status_code == 200  # refused: the range is out of order
    assert "run 10th percentile, median, 90th" in response.content.decode()
    data.update(pay_p10_override="60000", pay_p90_override="140000")
    assert client.post(url, data).status_code == 302
    role.refresh_from_db()
    assert (role.pay_p10_override, role.pay_median_override) == (60_000, 90_000)
    text = soup(client.get("/roles/project-manager/")).select_one("section#pay").get_text(" ")
    assert "(editors' figure)" in text


def test_editors_see_but_cannot_add_or_delete_oews_rows(client, editor, with_pay):
    client.force_login(editor)
    row = OccupationPay.objects.get(soc_code="13-1082")
    assert client.get(admin_url(OccupationPay, "changelist")).status_code == 200
    assert client.get(admin_url(OccupationPay, "change", row.pk)).status_code == 200
    assert client.get(admin_url(OccupationPay, "add")).status_code == 403
    assert client.get(admin_url(OccupationPay, "delete", row.pk)).status_code == 403


# --- Query budgets with pay, flat from starter size to 1,000 roles ---

PAY_PAGES = [
    "/roles/",
    "/roles/?sort=pay",
    "/roles/?zone=4",
    "/roles/?zone=4&sort=pay&family=delivery",
    "/roles/project-manager/",
    PAIR,
    "/compare/business-analyst-vs-scrum-master/",
    FOUR,
]


def counts(client, urls) -> dict[str, int]:
    found = {}
    for url in urls:
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, url
        found[url] = len(queries)
    return found


def test_pay_costs_no_query_per_role_up_to_1000_roles(client, with_pay, grow_catalogue):
    small = counts(client, PAY_PAGES)
    grow_catalogue(1000)
    rows = [
        OccupationPay(soc_code=f"41-{i:04d}", title=f"Occupation {i}", group="detailed",
                      annual_median=30_000 + i * 100, annual_p10=20_000, annual_p90=200_000,
                      employment=1_000, annual_p25=25_000, annual_p75=150_000, annual_mean=50_000,
                      hourly_median="20.00")
        for i in range(1000)
    ]  # fmt: skip
    OccupationPay.objects.bulk_create(rows)
    zone = factories.JobZoneFactory(number=4)
    synthetic = list(Role.objects.filter(slug__startswith="synthetic-").order_by("pk"))
    for i, role in enumerate(synthetic):
        role.onet_code, role.job_zone = f"41-{i:04d}.00", zone
    Role.objects.bulk_update(synthetic, ["onet_code", "job_zone"])
    assert Role.objects.exclude(onet_code=None).count() > 1000
    large = counts(client, PAY_PAGES)
    assert {url: n for url, n in small.items() if n > 8} == {}
    assert large == small
    assert (
        counts(client, ["/roles/?sort=pay&page=3"])["/roles/?sort=pay&page=3"]
        == large["/roles/?sort=pay"]
    )
    page = soup(client.get("/roles/?sort=pay"))
    shown = [p.get_text() for p in page.select(".role-card__pay")[:2]]
    assert shown == ["Median pay $148,270 a year", "Median pay $129,900 a year"]
