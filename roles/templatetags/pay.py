"""Pay on the pages: `money` (the one money format) and the comparison's chart geometry."""

from django import template

from roles import paychart
from roles.models import Figure

register = template.Library()


@register.filter
def money(value) -> str:
    """$102,320; a Figure BLS left out reads "not published", a `#` one "$239,200 or more"."""
    if isinstance(value, Figure):
        if not value.published:
            return "not published"
        return paychart.figure_text(value)
    if value is None or value == "":
        return "not published"
    try:
        return paychart.money(value)
    except (TypeError, ValueError):
        return ""


@register.filter
def count(value) -> str:
    """1,066,670 for a published count (employment), "not published" for one left out."""
    if isinstance(value, Figure):
        value = value.value
    return "not published" if value is None else f"{int(value):,}"


@register.filter
def any_published(pays) -> bool:
    """Whether any of [(role, RolePay)] has pay to show."""
    return any(pay.published for _role, pay in pays)


@register.simple_tag
def pay_chart(pays):
    """The chart for [(role, RolePay)], as roles/paychart.py lays it out."""
    return paychart.pay_chart((role.name, pay) for role, pay in pays)


@register.filter
def pay_releases(pays) -> str:
    """The OEWS releases that [(role, RolePay)] or one RolePay draw on, e.g. "May 2025"."""
    pays = [pays] if hasattr(pays, "release") else [pay for _role, pay in pays]
    found = sorted({pay.release for pay in pays if pay.published and pay.release})
    return " and ".join(found)


@register.simple_tag
def oews_releases() -> list[str]:
    """Every OEWS release the database holds, newest first (one query), for /about/data/."""
    from roles.models import OccupationPay

    releases = OccupationPay.objects.order_by().values_list("release", flat=True).distinct()
    return sorted(set(releases), key=lambda name: (name[-4:], name), reverse=True)
