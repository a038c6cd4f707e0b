"""Generated plans: /transitions/<from>-to-<to>/ for a pair of roles no curated guide covers.
roles/views/guides.py guide_detail hands over a slug it has no guide for."""

from django.db.models import Q, Value
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from roles.models import (
    Bookmark,
    BookmarkKind,
    Guide,
    Role,
    StepProgress,
    comparison_slug,
    pay_for,
)
from roles.plans import build_plan, split_pair
from roles.views.catalogue import _compare_error


def plan_roles(user, slug: str) -> tuple[Role, Role] | None:
    """The two roles `slug` names as <from>-to-<to> (visible to `user`, with their Job Zone,
    family and pay), None when it names none; raises Http404 when it names no such pair. The
    same role twice comes back as such: the caller decides what to answer."""
    pairs = split_pair(slug)
    if not pairs:
        raise Http404("No such guide or plan.")
    wanted = {part for pair in pairs for part in pair}
    roles = {
        role.slug: role
        for role in Role.objects.visible_to(user)
        .filter(slug__in=wanted)
        .select_related("job_zone", "family")
        .with_pay()
    }
    found = [(first, second) for first, second in pairs if first in roles and second in roles]
    if not found:
        raise Http404("No such roles.")
    first, second = found[0]
    return roles[first], roles[second]


def reader_state(plan, user) -> bool:
    """Tick the plan's steps this reader has done; answer whether they bookmarked it. One
    query: their ticks on the pair, and their bookmark as a tick with no key."""
    if not user.is_authenticated:
        return False
    pair = {"user": user, "from_role": plan.from_role, "to_role": plan.to_role}
    ticks = StepProgress.objects.filter(completed=True, **pair).values_list("skill_key")
    mark = Bookmark.objects.filter(kind=BookmarkKind.PLAN, **pair).values_list(Value(""))
    done = {key for (key,) in ticks.order_by().union(mark.order_by(), all=True)}
    for step in plan.steps:
        step.is_done = step.key in done
    return "" in done


def plan_detail(request, slug: str):
    """The plan for moving from one role to another, generated from their data.

    roles/plan_detail.html gets `plan` (roles/plans.py Plan: steps, carry_over, new_tasks,
    pays, guides at either end), `comparison_slugs`, `is_draft` and `breadcrumbs`. Unknown roles
    answer 404, a role to itself the compare pages' friendly 400, and a pair an editor wrote a
    guide for redirects to it (its slug may predate a renamed role). Not in the sitemap, and
    marked noindex: a page per pair of a thousand roles is a million pages of the same shape.
    """
    user = request.user
    from_role, to_role = plan_roles(user, slug)
    if from_role == to_role:
        return _compare_error(
            request,
            "A plan is a move from one role to another: choose two different roles.",
            heading="That plan cannot be shown",
        )
    ids = [from_role.pk, to_role.pk]
    guides = list(
        Guide.objects.visible_to(user)
        .filter(Q(from_role__in=ids) | Q(to_role__in=ids))
        .select_related("from_role", "to_role")
    )
    curated = next(
        (g for g in guides if (g.from_role_id, g.to_role_id) == (from_role.pk, to_role.pk)), None
    )
    if curated is not None:
        return redirect(curated)
    plan = build_plan(from_role, to_role, user)
    plan.is_bookmarked = reader_state(plan, user)
    pays = pay_for([from_role, to_role])
    plan.pays = (pays[from_role.pk], pays[to_role.pk])
    plan.guides = guides
    title = f"From {from_role.name} to {to_role.name}"
    response = render(
        request,
        "roles/plan_detail.html",
        {
            "plan": plan,
            "comparison_slugs": comparison_slug([from_role.slug, to_role.slug]),
            "title": title,
            "is_draft": not (from_role.published and to_role.published),
            "breadcrumbs": [
                ("Transition guides", reverse("roles:guide_list")),
                (title, request.path),
            ],
        },
    )
    response["X-Robots-Tag"] = "noindex"
    return response
