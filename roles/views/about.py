"""Pages about the site itself: where its occupation data comes from."""

from django.db.models import Count, Q
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from roles.comparing import onet_credit
from roles.models import Role, Source


@require_safe
def about_data(request):
    """The sources of the occupation data, their releases and licences, and how the site derives
    its values. roles/about_data.html gets `releases` ((release, occupations) for each O*NET
    release the published roles come from, read from the data), `linked` (curated roles linked
    to an O*NET occupation), `onet_credit` and `breadcrumbs`. One query."""
    rows = (
        Role.objects.published()
        .filter(Q(source=Source.ONET) | Q(onet_code__isnull=False))
        .order_by()
        .values("release")
        .annotate(
            occupations=Count("pk", filter=Q(source=Source.ONET)),
            linked=Count("pk", filter=~Q(source=Source.ONET)),
        )
    )
    rows = sorted(rows, key=lambda row: row["release"])
    releases = [(row["release"], row["occupations"]) for row in rows if row["release"]]
    return render(
        request,
        "roles/about_data.html",
        {
            "releases": releases,
            "linked": sum(row["linked"] for row in rows),
            "onet_credit": onet_credit({release for release, _ in releases}, shown=True),
            "breadcrumbs": [("Where our data comes from", reverse("roles:about_data"))],
        },
    )
