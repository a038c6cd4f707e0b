"""roles/widgets.py renders what Django's own widget templates render."""

import pytest
from django import forms
from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext_lazy

from roles import widgets
from roles.forms import CompareForm
from roles.picker import picker_roles

CHOICES = [
    ("", "Choose a role"),
    (
        "Project & delivery",
        [("project-manager", "Project manager"), ("scrum-master", "Scrum master")],
    ),
    ("Sales <and> accounts", [("account-manager", 'Account "key" manager')]),
    ("odd", "A <b>bold</b> & plain label"),
    (7, "A number"),
]


@pytest.mark.parametrize("value", [None, "", "scrum-master", "odd", 7, "7", "<script>"])
@pytest.mark.parametrize(
    "attrs",
    [
        None,
        {"class": "form-select", "id": "id_a", "required": True, "aria-describedby": 'x"y'},
        {"disabled": False, "data-x": 3, "class": "is-invalid form-select"},
    ],
)
def test_our_select_renders_what_select_html_renders(value, attrs):
    django, quick = forms.Select(choices=CHOICES), widgets.Select(choices=CHOICES)
    assert quick.render("a", value, attrs) == django.render("a", value, attrs)


ODD_CHOICES = [
    (None, "No value"),
    ("Group", [(None, "Nested none"), ("x", "X")]),
    ("x", "X again"),  # a value twice: only the first is selected, as Django does
    ("lazy", gettext_lazy("A lazy label")),
]


@pytest.mark.parametrize("value", [None, "", "x", "None", ["x"]])
def test_odd_choices_render_as_django_renders_them(value):
    django, quick = forms.Select(choices=ODD_CHOICES), widgets.Select(choices=ODD_CHOICES)
    assert quick.render("a", value, None) == django.render("a", value, None)


def test_each_list_of_options_is_made_once_and_picked_from_after():
    """The options' markup is kept per list of choices: the second page of the same choices
    makes none, whatever is selected, and is still what Django renders; a multiple select and
    choices of other objects are rendered whole each time."""
    widgets._options.cache_clear()
    for value in ["scrum-master", "odd", None, "scrum-master"]:
        quick = widgets.Select(choices=CHOICES)
        assert quick.render("b", value) == forms.Select(choices=CHOICES).render("b", value)
    assert widgets._options.cache_info().misses == 1
    assert widgets._options.cache_info().hits == 3
    several = widgets.Select(choices=CHOICES)
    several.allow_multiple_selected = True
    assert several.render("c", ["odd", "7"]) == forms.SelectMultiple(choices=CHOICES).render(
        "c", ["odd", "7"]
    )
    assert widgets._options.cache_info().misses == 1


def test_the_role_pickers_use_it(client, starter_content):
    """At starter size every picker is a select of every role: the quick one."""
    form = CompareForm(roles=picker_roles(AnonymousUser()))
    assert all(isinstance(form.fields[name].widget, widgets.Select) for name in "abcd")
