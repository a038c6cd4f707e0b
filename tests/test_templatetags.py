import pytest

from roles.templatetags.careerguide import with_article


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Account Manager", "an Account Manager"),
        ("Project Manager", "a Project Manager"),
        ("Operations Manager", "an Operations Manager"),
        ("User Researcher", "a User Researcher"),
        ("UX Designer", "a UX Designer"),
        ("SEO Specialist", "an SEO Specialist"),
        ("HR Manager", "an HR Manager"),
        ("Hourly Planner", "an Hourly Planner"),
        ("Underwriter", "an Underwriter"),
        ("", "a "),
    ],
)
def test_with_article(name, expected):
    assert with_article(name) == expected
