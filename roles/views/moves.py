"""Next moves from a role, and the home page's way into them."""

from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_safe

from roles.forms import MovePickerForm, MovesForm
from roles.models import Role
from roles.moves import SORTS, filter_and_sort, moves_from
from roles.pagination import paginate

MOVES_PER_PAGE = 25
FILTER_PARAMS = ("pay", "prep", "family", "sort")


@require_safe
def role_moves(request, slug: str):
    """Every other role ranked as a next move from this one, filtered and sorted by GET.

    roles/role_moves.html gets `role`, `moves` and `page` (this page's Move rows, see
    roles/moves.py), `move_count` (after the filters), `total` (before them), `form`
    (MovesForm), `error` (why some choice was set back to its default, or ""),
    `is_draft`, `canonical_url` and `breadcrumbs`. A choice the form never sends answers 400
    with that choice at its default; the page is otherwise the same.
    """
    role = get_object_or_404(
        Role.objects.visible_to(request.user).only("slug", "name", "family", "published"), slug=slug
    )
    form = MovesForm(request.GET, sorts=SORTS)
    status, error = 200, ""
    if not form.is_valid():
        status = 400
        error = " ".join(message for messages in form.errors.values() for message in messages)
        error += " Showing the moves without that choice."
    choices = form.choices()
    moves = moves_from(role, request.user)
    chosen = filter_and_sort(moves, **choices)
    page = paginate(
        request,
        chosen,
        MOVES_PER_PAGE,
        params={
            "pay": "1" if choices["pays_more"] else "",
            "prep": "1" if choices["no_more_preparation"] else "",
            "family": "1" if choices["same_family"] else "",
            "sort": choices["sort"],
        },
    )
    return render(
        request,
        "roles/role_moves.html",
        {
            "role": role,
            "moves": list(page),
            "page": page,
            "move_count": len(chosen),
            "total": len(moves),
            "form": form,
            "error": error,
            "is_draft": not role.published,
            "canonical_url": page.canonical_url,
            "breadcrumbs": [
                ("Roles", reverse("roles:role_list")),
                (role.name, role.get_absolute_url()),
                ("Next moves", reverse("roles:role_moves", kwargs={"slug": role.slug})),
            ],
        },
        status=status,
    )


@require_safe
def move_picker(request):
    """ "I am a … → show my options": a chosen role redirects to its moves; an unknown or empty
    one answers 400 with roles/move_picker.html, which gets `form` and `breadcrumbs`."""
    roles = list(Role.objects.visible_to(request.user).for_picker())
    submitted = "role" in request.GET
    form = MovePickerForm(request.GET if submitted else None, roles=roles)
    if submitted and form.is_valid():
        return redirect("roles:role_moves", slug=form.cleaned_data["role"])
    return render(
        request,
        "roles/move_picker.html",
        {"form": form, "breadcrumbs": [("Next moves", reverse("roles:move_picker"))]},
        status=400 if submitted else 200,
    )
