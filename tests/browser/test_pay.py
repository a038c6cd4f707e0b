"""The comparison's pay chart in a real browser: no serious axe finding in light or dark, on a
desk and at 375 px, and the chart fits the phone's width."""

from pathlib import Path

from django.core.management import call_command
from playwright.sync_api import expect

from roles.models import Role
from tests.browser.test_accessibility import blocking_violations

FIXTURE = Path(__file__).parent.parent / "fixtures" / "oews" / "national_M2025_dl.csv"
FOUR = "/compare/account-manager-vs-product-manager-vs-project-manager-vs-scrum-master/"


def test_the_pay_chart_passes_axe_in_light_and_dark_and_fits_a_phone(page, live_starter):
    call_command("import_oews", str(FIXTURE), verbosity=0)
    Role.objects.update(onet_code=None)  # the starter links, replaced by this test's own
    Role.objects.filter(slug="project-manager").update(onet_code="13-1082.00")
    Role.objects.filter(slug="account-manager").update(onet_code="11-2022.00")
    Role.objects.filter(slug="scrum-master").update(onet_code="15-1299.08")
    found = {}
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{live_starter.url}{FOUR}")
        chart = page.locator("figure.pay-chart svg")
        expect(chart).to_be_visible()
        expect(
            page.get_by_role("table", name="Annual pay and employment, role by role")
        ).to_be_visible()
        box = chart.bounding_box()
        assert box["width"] <= width
        assert page.evaluate(
            "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
        )
        for scheme in ("light", "dark"):
            page.emulate_media(color_scheme=scheme, reduced_motion="reduce")
            if violations := blocking_violations(page):
                found[f"{width} px ({scheme})"] = violations
            bar = page.locator(".pay-chart__bar").first
            colour = bar.evaluate("el => getComputedStyle(el).fill")
            text = page.locator(".pay-chart__name").first.evaluate(
                "el => getComputedStyle(el).fill"
            )
            background = page.evaluate("getComputedStyle(document.body).backgroundColor")
            assert colour != background
            assert text != background
        page.emulate_media(color_scheme="light")
    assert found == {}
