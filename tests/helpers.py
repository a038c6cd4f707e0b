"""Helpers shared by the test modules: one definition of each, imported from here (a test module
never imports from another one). Fixtures live in conftest.py; factories in factories.py."""

import json
import os
import re
import socket
import subprocess
import sys
from pathlib import Path

from bs4 import BeautifulSoup
from django.contrib.auth.models import User
from django.core.validators import RegexValidator
from django.db.models import CharField, SlugField, TextField, URLField
from django.urls import URLResolver, get_resolver, reverse

from roles.models import (
    FAQ,
    Bookmark,
    Comparison,
    ComparisonSection,
    Criterion,
    Guide,
    GuideStep,
    Reference,
    Role,
    RoleCriterionValue,
    RoleSkill,
    Skill,
    StepProgress,
)
from roles.registry import content_models

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "a-long-test-password"  # every account that tests.factories.UserFactory makes

# --- Pages ---


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html.parser")


def form_data(response, selector: str = "#content-main form") -> dict[str, str | list[str]]:
    """What a browser would submit for the form on the page, as it stands."""
    form = soup(response).select_one(selector)
    assert form is not None, f"no form {selector!r} on the page"
    data: dict[str, list[str]] = {}

    def put(name, value):
        if name and "__prefix__" not in name:
            data.setdefault(name, []).append(value)

    for field in form.find_all(["input", "select", "textarea"]):
        name = field.get("name")
        if field.name == "textarea":
            put(name, field.text.removeprefix("\n").removeprefix("\r\n"))
        elif field.name == "select":
            chosen = field.find_all("option", selected=True)
            if not chosen and not field.has_attr("multiple"):
                chosen = field.find_all("option")[:1]
            for option in chosen:
                put(name, option.get("value", option.text))
        elif field.get("type") in {"checkbox", "radio"}:
            if field.has_attr("checked"):
                put(name, field.get("value", "on"))
        elif field.get("type") not in {"submit", "button", "reset", "file", "image"}:
            put(name, field.get("value", ""))
    return {name: values if len(values) > 1 else values[0] for name, values in data.items()}


def admin_url(model, view: str, *args) -> str:
    return reverse(f"admin:roles_{model._meta.model_name}_{view}", args=args)


def url_patterns(resolver=None, prefix=""):
    """Every URL pattern of the site, as its route text ("roles/<slug:slug>/")."""
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            yield from url_patterns(pattern, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern)


# --- Database snapshots ---

SNAPSHOT_MODELS = [
    Role, Criterion, RoleCriterionValue, Skill, RoleSkill, Comparison, ComparisonSection,
    FAQ, Reference, Guide, GuideStep,
]  # fmt: skip


def content_snapshot() -> dict:
    """Every content row with every field, to prove that a run changed nothing at all."""
    return {
        model.__name__: sorted(map(repr, model.objects.values_list())) for model in SNAPSHOT_MODELS
    }


def database_snapshot() -> dict:
    """Content, accounts, and every reader's bookmarks and step progress."""
    return {
        **content_snapshot(),
        "users": sorted(User.objects.values_list("username", "password", "is_staff", "is_active")),
        # repr: a bookmark or a tick keeps a guide (step) or a plan, so some keys are None
        "bookmarks": sorted(
            map(
                repr,
                Bookmark.objects.values_list(
                    "user_id", "guide_id", "from_role_id", "to_role_id", "comparison"
                ),
            )
        ),
        "progress": sorted(
            map(
                repr,
                StepProgress.objects.values_list(
                    "user_id", "step_id", "from_role_id", "to_role_id", "skill_key", "completed"
                ),
            )
        ),
    }


# --- The starter content ---

# The seed article's table, which the starter content must carry over exactly.
SEED_TABLE = {
    "primary-focus": (
        "Client relationships and satisfaction",
        "Project delivery and execution",
    ),
    "key-responsibilities": (
        "Managing client accounts, communication, and renewals",
        "Planning, executing, and closing projects",
    ),
    "skills-required": (
        "Interpersonal, negotiation, and sales skills",
        "Organizational, leadership, and risk management skills",
    ),
    "performance-metrics": (
        "Client retention and satisfaction scores",
        "Project timelines, budget adherence, and quality",
    ),
    "team-interaction": (
        "Works closely with sales and marketing teams",
        "Collaborates with cross-functional teams and stakeholders",
    ),
    "client-interaction": (
        "Regularly communicates with clients",
        "Limited client interaction, mostly at project kickoff",
    ),
    "work-environment": (
        "Client-focused, often in a sales environment",
        "Project-focused, often in a technical environment",
    ),
    "career-path": ("Sales or customer service roles", "Technical or management roles"),
    "challenges-faced": (
        "Managing client expectations and satisfaction",
        "Meeting project deadlines and managing resources",
    ),
    "tools-used": (
        "CRM software and communication tools",
        "Project management software and scheduling tools",
    ),
}
SEED_FAQ_QUESTIONS = [
    "What is the main difference between an Account Manager and a Project Manager?",
    "Can an Account Manager transition into a Project Manager role?",
    "Which role is more client-facing?",
    "What skills are essential for a Project Manager?",
    "Are the responsibilities of Account Managers and Project Managers interchangeable?",
]
SEED_REFERENCES = [
    ("U.S. Small Business Administration", "https://www.sba.gov"),
    ("Project Management Institute", "https://www.pmi.org"),
    ("American Management Association", "https://www.amanet.org"),
]
SEED_URL = "/compare/account-manager-vs-project-manager/"  # the seed article, as a comparison
GUIDE = "/transitions/account-manager-to-project-manager/"  # the starter content's guide

# --- Editor text and XSS ---

PAYLOADS = [
    "<script>alert('s')</script>",
    '<img src=x onerror="alert(1)">',
    '<a href="javascript:alert(2)" onclick="alert(3)">link</a>',
    "[markdown link](javascript:alert(4))",
    "[encoded](jav&#x09;ascript:alert(5))",
    "<svg onload=alert(6)>",
    '<iframe src="javascript:alert(7)"></iframe>',
    '"><script>alert(8)</script>',
    "**bold** and _emphasis_",
]


def editor_text_fields() -> dict:
    """Every text field an editor can type into, found from the content models themselves:
    editable CharFields and TextFields without fixed choices (slugs, URLs and codes with a
    pattern, such as a role's O*NET-SOC code, are validated and cannot hold markup)."""
    fields = {}
    for model in content_models():
        names = [
            field.name
            for field in model._meta.concrete_fields
            if isinstance(field, (CharField, TextField))
            and field.editable
            and not field.choices
            and not isinstance(field, (SlugField, URLField))
            and not any(isinstance(check, RegexValidator) for check in field.validators)
        ]
        if names:
            fields[model] = names
    return fields


EDITOR_FIELDS = editor_text_fields()


def assert_inert(html: str, where: str) -> None:
    page = BeautifulSoup(html, "html.parser")
    for script in page.find_all("script"):
        if script.get("type") == "application/ld+json":
            # Data, never run: it may quote the payload, but as valid JSON that cannot close
            # the element (every "<" is escaped).
            json.loads(script.string)
            assert "<" not in script.string, where
            continue
        assert script.get("src") or script.get("type") == "application/json", where
        assert "alert(" not in script.get_text(), where
    for tag in page.find_all(["img", "svg", "iframe", "object", "embed"]):
        assert "alert(" not in str(tag), f"<{tag.name}> on {where}"
        assert tag.get("src") != "x", f"<{tag.name}> on {where}"
    for tag in page.find_all(True):
        handlers = [name for name in tag.attrs if name.lower().startswith("on")]
        assert not handlers, f"{handlers} on <{tag.name}> at {where}"
        for attribute in ("href", "src", "action", "formaction"):
            value = re.sub(r"\s", "", str(tag.get(attribute, ""))).lower()
            assert not value.startswith("javascript:"), f"{attribute} at {where}"


# --- Settings and the services the site depends on ---


def settings_in_subprocess(env: dict[str, str], expression: str, timeout: float = 60):
    """Evaluate `expression` in a fresh interpreter whose environment is `env` and nothing else
    of Django's (no DJANGO_* or DATABASE_URL from this process); the result is its repr."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    clean.update(env, DJANGO_SETTINGS_MODULE="careerguide.settings")
    code = f"from django.conf import settings; print(repr(({expression})))"
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def closed_loopback_port() -> int:
    """A loopback port that nothing listens on: a real Redis address that refuses connections."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def redis_caches(url: str, timeout: float = 1) -> dict:
    """CACHES as the production settings make them for REDIS_URL (shorter timeouts)."""
    return {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "OPTIONS": {"socket_connect_timeout": timeout, "socket_timeout": timeout},
        }
    }


def refusing_redis() -> dict:
    return redis_caches(f"redis://127.0.0.1:{closed_loopback_port()}/0")
