"""Transition guides, and what a signed-in reader keeps on them: bookmarks and step progress."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.db.models import Count, Prefetch, Window
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from careerguide.redirects import safe_next
from roles import services
from roles.comparing import move_skills
from roles.forms import BookmarkForm, GuideFilterForm, StepProgressForm
from roles.models import (
    FAQ,
    Bookmark,
    BookmarkKind,
    Guide,
    GuideStep,
    Reference,
    Role,
    RoleSkill,
    StepProgress,
    comparison_slug,
)
from roles.pagination import paginate
from roles.picker import picker_roles
from roles.plans import Plan, build_plan, plans_for
from roles.views.plans import plan_detail, plan_roles

GUIDES_PER_PAGE = 50
MATRIX_MAX = 12  # roles down and across: a larger grid is a wall of "No guide yet"


@require_safe
def guide_list(request):
    """Guides a page at a time, filterable by GET, and a from-by-to grid of them while it is small
    enough to read (at most MATRIX_MAX roles each way).

    roles/guide_list.html gets `guides` and `page` (this page's, with `step_count`), `matrix`
    (rows of (role, [(column, guide or None)]), or None when too big), `columns`, `matrix_max`,
    `filter_form`, `from_role` and `to_role` (the chosen ones or None), `canonical_url` and
    `breadcrumbs`. An unknown role in the filter answers 400 with every guide.
    """
    user = request.user
    roles = picker_roles(user)
    submitted = "from" in request.GET or "to" in request.GET
    form = GuideFilterForm(request.GET if submitted else None, roles=roles)
    chosen = form.cleaned_data if submitted and form.is_valid() else {}
    by_slug = {role.slug: role for role in roles}
    from_role, to_role = by_slug.get(chosen.get("from")), by_slug.get(chosen.get("to"))
    matching = Guide.objects.visible_to(user)
    if from_role:
        matching = matching.filter(from_role=from_role)
    if to_role:
        matching = matching.filter(to_role=to_role)

    matrix, columns, count = _matrix(matching, roles, from_role, to_role)
    page = paginate(
        request,
        matching.select_related("from_role", "to_role")
        .annotate(step_count=Count("steps"))
        .order_by("from_role__name", "to_role__name", "pk"),
        GUIDES_PER_PAGE,
        params={"from": chosen.get("from"), "to": chosen.get("to")},
        count=count,
    )
    return render(
        request,
        "roles/guide_list.html",
        {
            "guides": page,
            "page": page,
            "canonical_url": page.canonical_url,
            "matrix": matrix,
            "columns": columns,
            "matrix_max": MATRIX_MAX,
            "filter_form": form,
            "from_role": from_role,
            "to_role": to_role,
            "breadcrumbs": [("Transition guides", reverse("roles:guide_list"))],
        },
        status=400 if submitted and not form.is_valid() else 200,
    )


def _matrix(matching, roles: list[Role], from_role, to_role):
    """(rows of cells, columns, count of guides); rows are None when the grid would be too big.

    n distinct (from, to) pairs need at least n cells, so fetching one guide more than the largest
    grid holds is enough to tell, however many guides there are. Each row also carries the total,
    which spares the paginator its COUNT query.
    """
    limit = MATRIX_MAX * MATRIX_MAX
    guides = list(
        matching.only("slug", "from_role", "to_role", "difficulty", "months_min", "months_max")
        .annotate(total=Window(Count("pk")))
        .order_by()[: limit + 1]
    )
    count = guides[0].total if guides else 0
    by_id = {role.id: role for role in roles}
    rows = [from_role] if from_role else _unique([by_id[p.from_role_id] for p in guides])
    columns = [to_role] if to_role else _unique([by_id[p.to_role_id] for p in guides])
    if len(guides) > limit or len(rows) > MATRIX_MAX or len(columns) > MATRIX_MAX:
        return None, [], count
    cells = {(p.from_role_id, p.to_role_id): p for p in guides}
    matrix = [(row, [(col, cells.get((row.id, col.id))) for col in columns]) for row in rows]
    return matrix, columns, count


def _unique(roles: list[Role]) -> list[Role]:
    return sorted({role.id: role for role in roles}.values(), key=lambda role: role.name)


@require_safe
def guide_detail(request, slug: str):
    """A guide, or (roles/views/plans.py) the generated plan for a pair no guide covers.

    roles/guide_detail.html gets `guide` (with `is_bookmarked` for this reader),
    `steps` (each with `is_done`), `done_count`, `skills` (MoveSkills: to develop, carried
    over), `comparison_slugs` for the link to the pair's comparison, `is_draft`, `breadcrumbs`."""
    user = request.user
    guide = next(
        iter(
            Guide.objects.visible_to(user)
            .select_related("from_role", "to_role")
            .with_bookmark_for(user)
            .prefetch_related(
                Prefetch("steps", queryset=GuideStep.objects.with_progress_for(user)),
                Prefetch("faqs", queryset=FAQ.objects.published()),
                Prefetch("references", queryset=Reference.objects.published()),
            )
            .filter(slug=slug)
        ),
        None,
    )
    if guide is None:  # no curated guide by that slug: a generated plan for the pair, or 404
        return plan_detail(request, slug)
    steps = list(guide.steps.all())
    role_skills = list(
        RoleSkill.objects.filter(
            role__in=[guide.from_role_id, guide.to_role_id], skill__published=True
        ).select_related("skill")
    )
    skills = move_skills(
        [rs for rs in role_skills if rs.role_id == guide.from_role_id],
        [rs for rs in role_skills if rs.role_id == guide.to_role_id],
    )
    return render(
        request,
        "roles/guide_detail.html",
        {
            "guide": guide,
            "steps": steps,
            "done_count": sum(step.is_done for step in steps),
            "next_position": next((step.position for step in steps if not step.is_done), None),
            "skills": skills,
            "comparison_slugs": comparison_slug([guide.from_role.slug, guide.to_role.slug]),
            "breadcrumbs": [
                ("Transition guides", reverse("roles:guide_list")),
                (f"From {guide.from_role.name} to {guide.to_role.name}", guide.get_absolute_url()),
            ],
            "is_draft": not guide.published,
        },
    )


def _invalid_action(request):
    """400.html, which needs nothing: the form of an action was not one the site sends."""
    return render(request, "400.html", status=400)


def _guide_or_plan(request, slug: str) -> tuple[Guide | None, Plan | None]:
    """The visible guide with this slug; else the generated plan the slug names (a curated
    guide for its pair wins); 404 for anything else, a role to itself included."""
    user = request.user
    guide = Guide.objects.visible_to(user).filter(slug=slug).first()
    if guide is not None:
        return guide, None
    from_role, to_role = plan_roles(user, slug)
    if from_role == to_role:
        raise Http404("A plan needs two different roles.")
    guide = Guide.objects.visible_to(user).filter(from_role=from_role, to_role=to_role).first()
    if guide is not None:
        return guide, None
    return None, Plan(
        from_role, to_role, vocabulary="", steps=[], carry_over=[], new_tasks=[], new_task_count=0
    )


@require_POST
def bookmark_toggle(request, slug: str):
    guide, plan = _guide_or_plan(request, slug)
    url = (
        guide.get_absolute_url()
        if guide
        else reverse("roles:guide_detail", kwargs={"slug": plan.slug})
    )
    if not request.user.is_authenticated:
        noun = "guide" if guide else "plan"
        messages.info(request, f"Sign in to bookmark this {noun}; you will come back to it.")
        return redirect_to_login(url)
    form = BookmarkForm(request.POST)
    if not form.is_valid():
        return _invalid_action(request)
    bookmarked = services.bookmark_toggle(
        user=request.user,
        guide=guide,
        plan=(plan.from_role, plan.to_role) if plan else None,
        bookmarked=form.cleaned_data["bookmarked"],
    )
    name = str(guide) if guide else f"{plan.from_role} to {plan.to_role}"
    messages.success(
        request,
        f"Bookmarked “{name}”." if bookmarked else f"Removed “{name}” from your bookmarks.",
    )
    return redirect(safe_next(request, default=url))


@require_POST
def step_progress(request, slug: str, position: int):
    guide, plan = _guide_or_plan(request, slug)
    if plan is not None:
        return _plan_step_progress(request, plan, position)
    step = get_object_or_404(GuideStep, guide=guide, position=position)
    anchor = f"{guide.get_absolute_url()}#step-{step.position}"
    if not request.user.is_authenticated:
        messages.info(request, "Sign in to keep track of your progress; you will come back here.")
        return redirect_to_login(anchor)
    form = StepProgressForm(request.POST)
    if not form.is_valid():
        return _invalid_action(request)
    completed = services.step_progress_toggle(
        user=request.user, step=step, completed=form.cleaned_data["completed"]
    )
    if _wants_json(request):
        return JsonResponse({"completed": completed, "position": step.position})
    return redirect(safe_next(request, default=anchor))


def _wants_json(request) -> bool:
    """static/js/progress.js ticks in place and asks for JSON; a form post gets the redirect."""
    return request.headers.get("Accept", "") == "application/json"


def _plan_step_progress(request, plan: Plan, position: int):
    """A tick on a generated plan's step: kept against the skill the form names (the step at
    `position` when the plan is built now, unless a re-import moved that skill elsewhere)."""
    plan = build_plan(plan.from_role, plan.to_role, request.user)
    url = reverse("roles:guide_detail", kwargs={"slug": plan.slug})
    at_position = next((step for step in plan.steps if step.position == position), None)
    if at_position is None:
        raise Http404("No such step.")
    if not request.user.is_authenticated:
        messages.info(request, "Sign in to keep track of your progress; you will come back here.")
        return redirect_to_login(f"{url}#{at_position.anchor}")
    form = StepProgressForm(request.POST)
    if not form.is_valid():
        return _invalid_action(request)
    key = form.cleaned_data["skill"] or at_position.key
    step = plan.step_for(key)
    if step is None:
        messages.warning(request, "That skill is no longer part of this plan.")
        return redirect(f"{url}#{at_position.anchor}")
    completed = services.step_progress_toggle(
        user=request.user,
        plan=(plan.from_role, plan.to_role),
        skill_key=step.key,
        completed=form.cleaned_data["completed"],
    )
    if _wants_json(request):
        return JsonResponse({"completed": completed, "position": step.position})
    return redirect(safe_next(request, default=f"{url}#{step.anchor}"))


@require_POST
def comparison_bookmark_toggle(request, slugs: str):
    """Bookmark a comparison, curated or generated, by its canonical address."""
    requested = slugs.split("-vs-")
    roles = list(Role.objects.visible_to(request.user).filter(slug__in=requested).only("slug"))
    if not 2 <= len(requested) <= 4 or len(set(requested)) != len(requested):
        raise Http404("No such comparison.")
    if len(roles) != len(requested):
        raise Http404("No such role.")
    canonical = comparison_slug(requested)
    url = reverse("roles:comparison_detail", kwargs={"slugs": canonical})
    if not request.user.is_authenticated:
        messages.info(request, "Sign in to bookmark this comparison; you will come back to it.")
        return redirect_to_login(url)
    form = BookmarkForm(request.POST)
    if not form.is_valid():
        return _invalid_action(request)
    bookmarked = services.bookmark_toggle(
        user=request.user, comparison=canonical, bookmarked=form.cleaned_data["bookmarked"]
    )
    messages.success(
        request,
        "Bookmarked this comparison."
        if bookmarked
        else "Removed the comparison from your bookmarks.",
    )
    return redirect(safe_next(request, default=url))


@login_required
@require_safe
def bookmark_list(request):
    """The reader's bookmarks in three groups, newest first in each.

    roles/bookmark_list.html gets `guides` (bookmarks with `guide`, `step_count`, `done_count`
    and `next_position`, the first open step or None), `plans` ((bookmark, Plan) with the
    reader's ticks), `comparisons` ((bookmark, title) for comparisons whose roles are all
    visible), `has_any` and `breadcrumbs`. Four queries however many bookmarks there are.
    """
    user = request.user
    bookmarks = list(Bookmark.objects.for_list(user))
    guides = [b for b in bookmarks if b.kind == BookmarkKind.GUIDE]
    plan_marks = [b for b in bookmarks if b.kind == BookmarkKind.PLAN]
    compared = [b for b in bookmarks if b.kind == BookmarkKind.COMPARISON]
    plans = plans_for([(b.from_role, b.to_role) for b in plan_marks], user) if plan_marks else []
    if plans:
        ticks = StepProgress.objects.filter(
            user=user, completed=True, step__isnull=True
        ).values_list("from_role_id", "to_role_id", "skill_key")
        done = set(ticks)
        for plan in plans:
            for step in plan.steps:
                step.is_done = (plan.from_role.pk, plan.to_role.pk, step.key) in done
    comparisons = []
    if compared:
        slugs = {slug for b in compared for slug in b.comparison.split("-vs-")}
        names = dict(
            Role.objects.visible_to(user).filter(slug__in=slugs).values_list("slug", "name")
        )
        for bookmark in compared:
            parts = bookmark.comparison.split("-vs-")
            if all(part in names for part in parts):
                comparisons.append((bookmark, " vs ".join(names[part] for part in parts)))
    crumbs = [("My bookmarks", reverse("roles:bookmark_list"))]
    return render(
        request,
        "roles/bookmark_list.html",
        {
            "guides": guides,
            "plans": list(zip(plan_marks, plans, strict=True)),
            "comparisons": comparisons,
            "has_any": bool(guides or plans or comparisons),
            "breadcrumbs": crumbs,
        },
    )
