"""Authorization matrix: every URL and action × anonymous, reader, another reader, editor and
superuser, with the status each must get, and proof that a refused request changes nothing.

The matrix is checked against the URL configuration: a route added to the site without a row
here fails `test_the_matrix_covers_every_route`. Admin routes are generated per model from
`admin.site._registry`, so registering a model puts all of its admin pages under test.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace

import pytest
import reversion
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.models import Group, User
from django.contrib.auth.tokens import default_token_generator
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from reversion.models import Version

from accounts import otp
from roles.admin.base import ContentAdmin
from roles.models import (
    FAQ,
    Bookmark,
    Comparison,
    Criterion,
    Family,
    Guide,
    OccupationPay,
    Reference,
    Role,
    Skill,
    StepProgress,
)
from roles.registry import content_models, occupation_models
from tests import factories
from tests.helpers import content_snapshot, url_patterns

pytestmark = pytest.mark.django_db

ANON, READER, OTHER, EDITOR, SUPER = ACTORS = (
    "anonymous",
    "reader",
    "other_reader",
    "editor",
    "superuser",
)
SIGNED_IN = (READER, OTHER, EDITOR, SUPER)
# Where a redirect must point; the two sign-in pages are named, so the matrix reads plainly.
LOGIN, ADMIN_LOGIN = "login", "admin-login"
SETUP, VERIFY = "/accounts/two-factor/setup/", "/accounts/two-factor/verify/"


def every(expect) -> dict:
    return dict.fromkeys(ACTORS, expect)


def split(anonymous, signed_in) -> dict:
    return {ANON: anonymous, **dict.fromkeys(SIGNED_IN, signed_in)}


def public_or_staff(public, staff) -> dict:
    """Readers (and anonymous visitors) get `public`; the editor and the superuser get `staff`."""
    return {**dict.fromkeys((ANON, READER, OTHER), public), EDITOR: staff, SUPER: staff}


@dataclass(frozen=True)
class Case:
    """One URL of a route, what each actor gets for GET and POST (None: not sent), and what a
    successful POST may write: nothing, the actor's own bookmarks and progress ("own"), or a new
    account ("account"). `done` checks a successful action's effect for the actor."""

    label: str
    kwargs: Callable[[SimpleNamespace], dict] = lambda w: {}
    get: dict | None = None
    post: dict | None = None
    query: dict = field(default_factory=dict)
    data: dict = field(default_factory=dict)
    writes: str = ""
    done: Callable[[SimpleNamespace, User], bool] | None = None


def page(label="page", kwargs=lambda w: {}, **extra) -> Case:
    """A read-only page: 200 for everyone, 405 to POST."""
    return Case(label, kwargs, get=every(200), post=every(405), **extra)


def draft(label, kwargs) -> Case:
    """A draft's page: 404 to the public, shown to staff (the draft banner is tested elsewhere)."""
    return Case(label, kwargs, get=public_or_staff(404, 200), post=every(405))


def guide_action(label, kwargs, data, done, *, draft=False) -> Case:
    """POST-only reader action: anonymous goes to sign-in; each signed-in actor acts on their own
    row only. A draft guide is 404 to non-staff, even before sign-in is asked."""
    post = public_or_staff(404, 302) if draft else split((302, LOGIN), 302)
    return Case(label, kwargs, get=every(405), post=post, data=data, writes="own", done=done)


def _has_bookmark(w, user):
    return Bookmark.objects.filter(user=user, guide=w.guide).exists()


def _completed_step_two(w, user):
    return StepProgress.objects.filter(user=user, step=w.step_two, completed=True).exists()


def _has_draft_bookmark(w, user):
    """Staff keep the draft guide; to anyone else the pair's address is a generated plan."""
    if user.is_staff:
        return Bookmark.objects.filter(user=user, guide=w.draft_guide).exists()
    return Bookmark.objects.filter(
        user=user, from_role=w.draft_guide.from_role, to_role=w.draft_guide.to_role
    ).exists()


def _has_plan_bookmark(w, user):
    return Bookmark.objects.filter(
        user=user, from_role__slug="alpha", to_role__slug="gamma"
    ).exists()


def _has_comparison_bookmark(w, user):
    return Bookmark.objects.filter(user=user, comparison="alpha-vs-gamma").exists()


def _completed_plan_step(w, user):
    return StepProgress.objects.filter(
        user=user, from_role__slug="gamma", to_role__slug="alpha", completed=True
    ).exists()


MATRIX: dict[str, list[Case]] = {
    "healthz": [page()],
    "readyz": [page()],
    "robots.txt": [page()],
    # Django's sitemap view takes any method; it only ever reads.
    "sitemap.xml": [Case("sitemap", get=every(200), post=every(200))],
    "": [page("home")],
    "roles/": [page("catalogue"), page("one family", query={"family": "delivery"})],
    "roles/<slug:slug>/": [
        page("published role", lambda w: {"slug": "alpha"}),
        draft("draft role", lambda w: {"slug": "delta"}),
        Case("unknown role", lambda w: {"slug": "nobody"}, get=every(404), post=every(405)),
    ],
    "roles/<slug:slug>/moves/": [
        page("moves from a published role", lambda w: {"slug": "alpha"}),
        page(
            "filtered and sorted", lambda w: {"slug": "alpha"}, query={"pay": "1", "sort": "name"}
        ),
        draft("moves from a draft role", lambda w: {"slug": "delta"}),
        Case("unknown role", lambda w: {"slug": "nobody"}, get=every(404), post=every(405)),
        Case("bad sort", lambda w: {"slug": "alpha"}, query={"sort": "x"}, get=every(400)),
    ],
    "moves/": [
        page("move picker"),
        Case(
            "picked",
            query={"role": "alpha"},
            get=every((302, "/roles/alpha/moves/")),
            post=every(405),
        ),
        Case("a draft role", query={"role": "delta"}, get=public_or_staff(400, 302)),
    ],
    "compare/": [
        page("picker"),
        Case(
            "picked",
            query={"a": "beta", "b": "alpha"},
            get=every((302, "/compare/alpha-vs-beta/")),
            post=every(405),
        ),
    ],
    "compare/<slug:slugs>/": [
        page("curated", lambda w: {"slugs": "alpha-vs-beta"}),
        page("generated", lambda w: {"slugs": "alpha-vs-gamma"}),
        draft("with a draft role", lambda w: {"slugs": "alpha-vs-delta"}),
        Case(
            "non-canonical order",
            lambda w: {"slugs": "beta-vs-alpha"},
            get=every((301, "/compare/alpha-vs-beta/")),
            post=every(405),
        ),
    ],
    "compare/<slug:slugs>/bookmark/": [
        guide_action(
            "bookmark a comparison",
            lambda w: {"slugs": "alpha-vs-gamma"},
            {"bookmarked": "1"},
            _has_comparison_bookmark,
        ),
        Case(
            "with a draft role",
            lambda w: {"slugs": "alpha-vs-delta"},
            get=every(405),
            post=public_or_staff(404, 302),
            data={"bookmarked": "1"},
            writes="own",
        ),
        Case(
            "bad state",
            lambda w: {"slugs": "alpha-vs-gamma"},
            post=split((302, LOGIN), 400),
            data={"bookmarked": "maybe"},
        ),
    ],
    "about/overlap/": [page("overlap help")],
    "about/data/": [page("data sources")],
    "faq/": [page("all questions")],
    "faq/<slug:slug>/": [
        page("published question", lambda w: {"slug": "general-question"}),
        draft("draft question", lambda w: {"slug": "draft-question"}),
    ],
    "search/": [page("results", query={"q": "role"})],
    "transitions/": [page("guide list"), page("filtered", query={"from": "alpha"})],
    "transitions/<slug:slug>/": [
        page("published guide", lambda w: {"slug": "alpha-to-beta"}),
        # staff see the draft guide; everyone else the pair's generated plan
        page("draft guide", lambda w: {"slug": "beta-to-gamma"}),
        page("generated plan", lambda w: {"slug": "alpha-to-gamma"}),
        draft("plan to a draft role", lambda w: {"slug": "alpha-to-delta"}),
        Case("role to itself", lambda w: {"slug": "alpha-to-alpha"}, get=every(400)),
        Case("unknown roles", lambda w: {"slug": "alpha-to-nobody"}, get=every(404)),
    ],
    "transitions/<slug:slug>/bookmark/": [
        guide_action(
            "bookmark", lambda w: {"slug": "alpha-to-beta"}, {"bookmarked": "1"}, _has_bookmark
        ),
        guide_action(
            "bookmark a draft (the public: the pair's plan)",
            lambda w: {"slug": "beta-to-gamma"},
            {"bookmarked": "1"},
            _has_draft_bookmark,
        ),
        guide_action(
            "bookmark a plan",
            lambda w: {"slug": "alpha-to-gamma"},
            {"bookmarked": "1"},
            _has_plan_bookmark,
        ),
        Case(
            "plan with a draft role",
            lambda w: {"slug": "alpha-to-delta"},
            post=public_or_staff(404, 302),
            data={"bookmarked": "1"},
            writes="own",
        ),
        Case(
            "bad state",
            lambda w: {"slug": "alpha-to-beta"},
            post=split((302, LOGIN), 400),
            data={"bookmarked": "maybe"},
        ),
    ],
    "transitions/<slug:slug>/steps/<int:position>/progress/": [
        guide_action(
            "tick a step",
            lambda w: {"slug": "alpha-to-beta", "position": 2},
            {"completed": "1"},
            _completed_step_two,
        ),
        Case(
            "missing step",
            lambda w: {"slug": "alpha-to-beta", "position": 99},
            get=every(405),
            post=every(404),
            data={"completed": "1"},
        ),
        guide_action(
            "tick a plan's step",
            lambda w: {"slug": "gamma-to-alpha", "position": 1},
            {"completed": "1"},
            _completed_plan_step,
        ),
        Case(
            "missing step of a plan",
            lambda w: {"slug": "gamma-to-alpha", "position": 2},
            get=every(405),
            post=every(404),
            data={"completed": "1"},
        ),
        Case(
            "step of a draft guide",
            lambda w: {"slug": "beta-to-gamma", "position": 1},
            post=public_or_staff(404, 302),
            data={"completed": "1"},
            writes="own",
        ),
    ],
    "bookmarks/": [
        Case("my bookmarks", get=split((302, LOGIN), 200), post=split((302, LOGIN), 405))
    ],
    "accounts/signup/": [
        Case(
            "sign up",
            get=split(200, (302, "/")),
            post=split((302, "/"), (302, "/")),
            data={
                "username": "newcomer",
                "password1": "a long new passphrase",
                "password2": "a long new passphrase",
            },
            writes="account",
        ),
        Case("sign up with nothing", post=split(400, (302, "/"))),
    ],
    "accounts/login/": [Case("sign in", get=every(200), post=every(400), data={"username": "x"})],
    "accounts/logout/": [Case("sign out", get=every(405), post=every((302, "/")))],
    "theme/": [
        Case("choose dark", get=every(405), post=every((302, "/")), data={"theme": "dark"}),
        Case("choose nonsense", post=every(400), data={"theme": "purple"}),
    ],
    "accounts/password/change/": [
        Case("change password", get=split((302, LOGIN), 200), post=split((302, LOGIN), 400))
    ],
    "accounts/password/change/done/": [
        Case("changed", get=split((302, LOGIN), 200), post=split((302, LOGIN), 405))
    ],
    "accounts/password/reset/": [
        Case(
            "ask for a reset",
            get=every(200),
            post=every((302, "/accounts/password/reset/sent/")),
            data={"email": "nobody@example.invalid"},
        )
    ],
    "accounts/password/reset/sent/": [page("reset sent")],
    "accounts/password/reset/<uidb64>/<token>/": [
        Case(
            "a forged link",
            lambda w: {"uidb64": w.reset_uid, "token": "1-forged"},
            get=every(200),
            post=every(200),
            data={"new_password1": "taken over", "new_password2": "taken over"},
        ),
        Case(
            "the reader's own link, whoever opens it",
            lambda w: {"uidb64": w.reset_uid, "token": w.reset_token},  # a user who never signs in
            get=every((302, "/accounts/password/reset/")),
        ),
    ],
    "accounts/password/reset/complete/": [page("reset complete")],
    "accounts/": [Case("my account", get=split((302, LOGIN), 200), post=split((302, LOGIN), 405))],
    "accounts/data/": [
        Case("download my data", get=split((302, LOGIN), 200), post=split((302, LOGIN), 405))
    ],
    "accounts/delete/": [
        Case(
            "delete my account with a wrong password",
            get=split((302, LOGIN), 200),
            post={ANON: (302, LOGIN), READER: 400, OTHER: 400, EDITOR: 403, SUPER: 403},
            data={"password": "not the password"},
        )
    ],
    "accounts/deleted/": [page("account deleted")],
    # Two-factor sign-in. In the world the reader has turned it on (this session has not given a
    # code); the other actors have not. Enforcement for staff is off here, as in the whole suite:
    # tests/test_two_factor.py covers it on.
    "accounts/two-factor/": [Case("status", get=split((302, LOGIN), 200), post=every(405))],
    "accounts/two-factor/setup/": [
        Case(
            "set up, with a wrong code",
            get={ANON: (302, LOGIN), READER: (302, VERIFY), OTHER: 200, EDITOR: 200, SUPER: 200},
            post={ANON: (302, LOGIN), READER: (302, VERIFY), OTHER: 400, EDITOR: 400, SUPER: 400},
            data={"otp_token": "12"},
        )
    ],
    "accounts/two-factor/verify/": [
        Case(
            "give a code, a wrong one",
            get={
                ANON: (302, LOGIN),
                READER: 200,
                **dict.fromkeys((OTHER, EDITOR, SUPER), (302, SETUP)),
            },
            post={
                ANON: (302, LOGIN),
                READER: 400,
                **dict.fromkeys((OTHER, EDITOR, SUPER), (302, SETUP)),
            },
            data={"otp_token": "not-a-code"},
        )
    ],
    "accounts/two-factor/backup-codes/": [
        Case(
            "new backup codes",
            get={
                ANON: (302, LOGIN),
                READER: (302, VERIFY),
                **dict.fromkeys((OTHER, EDITOR, SUPER), (302, SETUP)),
            },
            post={
                ANON: (302, LOGIN),
                READER: (302, VERIFY),
                **dict.fromkeys((OTHER, EDITOR, SUPER), (302, SETUP)),
            },
        )
    ],
    "accounts/two-factor/disable/": [
        Case(
            "turn it off",
            get={
                ANON: (302, LOGIN),
                READER: (302, VERIFY),
                **dict.fromkeys((OTHER, EDITOR, SUPER), (302, SETUP)),
            },
            post={
                ANON: (302, LOGIN),
                READER: (302, VERIFY),
                **dict.fromkeys((OTHER, EDITOR, SUPER), (302, SETUP)),
            },
            data={"otp_token": "123456"},
        )
    ],
}


# --- Admin: site-wide pages, then every page of every registered model ---

ADMIN_SITE: dict[str, list[Case]] = {
    "admin/": [Case("index", get=public_or_staff((302, ADMIN_LOGIN), 200))],
    "admin/login/": [
        Case(
            "admin sign-in",
            get=public_or_staff(200, (302, "/admin/")),
            post=every(200),  # an empty form, shown again with its errors
        )
    ],
    "admin/logout/": [
        Case(
            "admin sign-out",
            get=public_or_staff((302, "/admin/"), 405),
            post=public_or_staff((302, "/admin/"), (302, "/")),  # LOGOUT_REDIRECT_URL
        )
    ],
    "admin/password_change/": [
        Case(
            "admin password change",
            get=public_or_staff((302, ADMIN_LOGIN), 200),
            post=public_or_staff((302, ADMIN_LOGIN), 200),
        )
    ],
    "admin/password_change/done/": [
        Case("admin password changed", get=public_or_staff((302, ADMIN_LOGIN), 200))
    ],
    "admin/autocomplete/": [
        Case(
            "autocomplete, allowed field",
            query={
                "app_label": "roles",
                "model_name": "comparison",
                "field_name": "role_a",
                "term": "al",
            },
            get=public_or_staff((302, ADMIN_LOGIN), 200),
        ),
        Case(
            "autocomplete of users",
            query={
                "app_label": "admin",
                "model_name": "logentry",
                "field_name": "user",
                "term": "re",
            },
            get={**public_or_staff((302, ADMIN_LOGIN), 403), SUPER: 200},
        ),
    ],
    "admin/jsi18n/": [Case("admin translations", get=public_or_staff((302, ADMIN_LOGIN), 200))],
    "admin/preview/markdown/": [
        Case(
            "Markdown preview",
            get=every(405),
            post=public_or_staff(403, 200),
            data={"text": "**bold**"},
        )
    ],
    "admin/r/<path:content_type_id>/<path:object_id>/": [
        Case(
            "view on site",
            lambda w: {"content_type_id": w.role_type, "object_id": w.alpha.pk},
            get=public_or_staff((302, ADMIN_LOGIN), (302, "/roles/alpha/")),
        )
    ],
    "admin/^(?P<app_label>auth|axes|otp_totp|otp_static|roles)/$": [
        Case(
            "content app",
            lambda w: {"app_label": "roles"},
            get=public_or_staff((302, ADMIN_LOGIN), 200),
        ),
        Case(
            "accounts app",
            lambda w: {"app_label": "auth"},
            get={**public_or_staff((302, ADMIN_LOGIN), 404), SUPER: 200},
        ),
    ],
    "admin/(?P<url>.*)$": [
        Case(
            "unknown admin page",
            lambda w: {"url": "nothing/here/"},
            get=public_or_staff((302, ADMIN_LOGIN), 404),
        )
    ],
}

# Pages every ModelAdmin has, then the history pages of the content admins (reversion) and the
# user admin's password page: suffix -> how to fill it in for one object of the model.
MODEL_PAGES = {
    "": lambda obj, w: "",
    "add/": lambda obj, w: "add/",
    "<path:object_id>/change/": lambda obj, w: f"{obj.pk}/change/",
    "<path:object_id>/history/": lambda obj, w: f"{obj.pk}/history/",
    "<path:object_id>/delete/": lambda obj, w: f"{obj.pk}/delete/",
    "<path:object_id>/": lambda obj, w: f"{obj.pk}/",
}
HISTORY_PAGES = {
    "<str:object_id>/history/compare/": lambda obj, w: (
        f"{obj.pk}/history/compare/?version_id1={w.versions[obj][0]}"
        f"&version_id2={w.versions[obj][1]}"
    ),
    "^recover/$": lambda obj, w: "recover/",
    "^recover/(\\d+)/$": lambda obj, w: f"recover/{w.deleted_versions[type(obj)]}/",
    "^([^/]+)/history/(\\d+)/$": lambda obj, w: f"{obj.pk}/history/{w.versions[obj][0]}/",
}
USER_PAGES = {"<id>/password/": lambda obj, w: f"{obj.pk}/password/"}
# django-otp's pages of an authenticator app's key (OTP_ADMIN_HIDE_SENSITIVE_DATA refuses them).
TOTP_PAGES = {
    "<int:pk>/config/": lambda obj, w: f"{obj.pk}/config/",
    "<int:pk>/qrcode/": lambda obj, w: f"{obj.pk}/qrcode/",
}
# Pages the admin refuses even to a superuser: nobody adds sign-in records by hand, and nobody
# sees another's authenticator key.
NOBODY = {(model, "add/") for model in (AccessAttempt, AccessLog, AccessFailureLog)} | {
    (TOTPDevice, suffix) for suffix in TOTP_PAGES
}
# Only an import adds or deletes imported occupation data (roles.registry.occupation_models).
IMPORTED_ONLY = {"add/", "<path:object_id>/delete/"}
# The pages whose forms change data; refused actors POST to them too, and nothing may change.
WRITE_PAGES = {"add/", "<path:object_id>/change/", "<path:object_id>/delete/"}


def model_pages(model) -> dict:
    pages = dict(MODEL_PAGES)
    if isinstance(admin.site._registry[model], ContentAdmin):
        pages |= HISTORY_PAGES
    if model is User:
        pages |= USER_PAGES
    if model is TOTPDevice:
        pages |= TOTP_PAGES
    return pages


def admin_prefix(model) -> str:
    return f"admin/{model._meta.app_label}/{model._meta.model_name}/"


def admin_model_cases() -> dict[str, tuple]:
    """route -> (model, suffix) for every page of every registered model."""
    return {
        admin_prefix(model) + suffix: (model, suffix)
        for model in admin.site._registry
        for suffix in model_pages(model)
    }


def model_page_expectations(model, suffix) -> tuple[dict, dict | None]:
    """GET and POST expectations: editors reach the content models only, the superuser all."""
    allowed = 200
    if suffix == "<path:object_id>/":  # the admin redirects to the change page, staff only
        allowed = 302
    editor = allowed if model in content_models() or allowed == 302 else 403
    superuser = 403 if (model, suffix) in NOBODY else allowed
    if model in occupation_models():  # imported rows: viewed and corrected, never typed in
        editor = superuser = 403 if suffix in IMPORTED_ONLY else allowed
    outsiders = (302, ADMIN_LOGIN)
    get = {ANON: outsiders, READER: outsiders, OTHER: outsiders, EDITOR: editor, SUPER: superuser}
    post = None
    if suffix in WRITE_PAGES:
        # Only the refusals are sent: an allowed POST would really add, change or delete.
        post = {ANON: outsiders, READER: outsiders, OTHER: outsiders}
        if editor == 403:
            post[EDITOR] = 403
    return get, post


# --- The world every row is checked against ---


@pytest.fixture
def other_reader(db):
    return factories.UserFactory(username="other-reader")


@pytest.fixture
def world(reader, other_reader, editor, superuser):
    """Three published roles and a draft one, a curated pair, a published and a draft guide,
    published and draft questions; the reader already has a bookmark and a ticked step, so that
    every other actor's request can be shown to leave them alone."""
    criteria = factories.CriterionFactory.create_batch(3)
    roles = {}
    for slug, published in (("alpha", True), ("beta", True), ("gamma", True), ("delta", False)):
        roles[slug] = factories.RoleFactory(slug=slug, name=slug.title(), published=published)
        for criterion in criteria:
            factories.RoleCriterionValueFactory(role=roles[slug], criterion=criterion)
    skill = factories.SkillFactory()
    factories.RoleSkillFactory(role=roles["alpha"], skill=skill)
    comparison = factories.ComparisonFactory(role_a=roles["alpha"], role_b=roles["beta"])
    factories.ComparisonSectionFactory(comparison=comparison, criterion=criteria[0])
    guide = factories.GuideFactory(from_role=roles["alpha"], to_role=roles["beta"])
    step_one = factories.GuideStepFactory(guide=guide, position=1)
    step_two = factories.GuideStepFactory(guide=guide, position=2)
    draft_guide = factories.GuideFactory(
        from_role=roles["beta"], to_role=roles["gamma"], published=False
    )
    factories.GuideStepFactory(guide=draft_guide, position=1)
    faq = factories.FAQFactory(slug="general-question", published=True)
    factories.FAQFactory(slug="draft-question", published=False)
    factories.ReferenceFactory(comparison=comparison)
    Bookmark.objects.create(user=reader, guide=guide)
    StepProgress.objects.create(user=reader, step=step_one, completed=True)
    forgetful = factories.UserFactory(username="forgetful")  # never signs in: a valid reset link
    app = TOTPDevice.objects.create(user=reader, name=otp.APP_DEVICE_NAME, confirmed=True)
    otp.new_backup_codes(reader)

    objects = {
        Group: Group.objects.get(name="Editors"),
        User: reader,
        AccessAttempt: AccessAttempt.objects.create(
            username="x", ip_address="127.0.0.1", failures_since_start=1, get_data="", post_data=""
        ),
        AccessLog: AccessLog.objects.create(username="x", ip_address="127.0.0.1"),
        AccessFailureLog: AccessFailureLog.objects.create(username="x", ip_address="127.0.0.1"),
        TOTPDevice: app,
        StaticDevice: StaticDevice.objects.get(user=reader),
        **{model: model.objects.first() for model in (Criterion, Skill, FAQ, Reference, Family)},
    }
    objects |= {Role: roles["alpha"], Comparison: comparison, Guide: guide}
    objects[OccupationPay] = factories.OccupationPayFactory()
    assert set(objects) == set(admin.site._registry), "an admin model has no object to test with"
    return SimpleNamespace(
        signed_in=set(),
        users={ANON: None, READER: reader, OTHER: other_reader, EDITOR: editor, SUPER: superuser},
        alpha=roles["alpha"],
        guide=guide,
        step_two=step_two,
        draft_guide=draft_guide,
        faq=faq,
        objects=objects,
        versions={},
        deleted_versions={},
        role_type=ContentType.objects.get_for_model(roles["alpha"]).pk,
        reset_uid=urlsafe_base64_encode(force_bytes(forgetful.pk)),
        reset_token=default_token_generator.make_token(forgetful),
    )


# A fresh object of each content model, to be deleted so that the recover pages have one.
DELETABLE = {
    Family: factories.FamilyFactory,
    Role: factories.RoleFactory,
    Criterion: factories.CriterionFactory,
    Skill: factories.SkillFactory,
    Comparison: factories.ComparisonFactory,
    Guide: factories.GuideFactory,
    FAQ: factories.FAQFactory,
    Reference: factories.ReferenceFactory,
}


def _deleted_version(model) -> int:
    obj = DELETABLE[model]()
    with reversion.create_revision():
        obj.save()
    version = Version.objects.get_for_object(obj).first().pk
    obj.delete()
    return version


# --- Running one case ---


def state(users) -> dict:
    """Everything a request could wrongly change: content, accounts, each user's reader rows."""
    rows = {user.pk: ([], []) for user in users if user is not None}
    bookmarks = Bookmark.objects.values_list(
        "user_id", "guide_id", "from_role_id", "to_role_id", "comparison"
    )
    for user_id, *row in bookmarks:
        rows.setdefault(user_id, ([], []))[0].append(repr(row))
    ticks = StepProgress.objects.values_list(
        "user_id", "step_id", "from_role_id", "to_role_id", "skill_key", "completed"
    )
    for user_id, *row in ticks:
        rows.setdefault(user_id, ([], []))[1].append(repr(row))
    return {
        "content": content_snapshot(),
        "users": sorted(
            User.objects.values_list("username", "password", "is_staff", "is_superuser")
        ),
        "groups": sorted(Group.objects.values_list("name", "permissions")),
        "devices": sorted(TOTPDevice.objects.values_list("user_id", "key", "confirmed"))
        + sorted(StaticToken.objects.values_list("device__user_id", "token")),
        "rows": {user_id: (sorted(a), sorted(b)) for user_id, (a, b) in rows.items()},
    }


def fill(route: str, kwargs: dict) -> str:
    route = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: str(kwargs[m.group(1)]), route)
    route = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(kwargs[m.group(1)]), route)
    return "/" + route.replace("^", "").replace("$", "")


def expected_location(target: str) -> str:
    return {LOGIN: reverse("login") + "?next=", ADMIN_LOGIN: reverse("admin:login") + "?next="}.get(
        target, target
    )


# One client per actor for the whole module: a new Client loads the middleware again, and
# WhiteNoise's scan of the static files on each load cost more than all the requests together.
CLIENTS: dict[str, Client] = {}


def client_for(world, actor) -> Client:
    """The actor's client, signed in afresh for each test and after each POST (which may have
    signed in or out)."""
    client = CLIENTS.setdefault(actor, Client())
    if actor not in world.signed_in:
        client.cookies.clear()
        if world.users[actor] is not None:
            client.force_login(world.users[actor])
        world.signed_in.add(actor)
    return client


def check(world, url, method, expectations, case: Case):
    """Send `method` to `url` as each actor and hold every answer to the matrix. Every POST is
    followed by a look at all the data; the GETs of a case share one look, after the last."""
    before = state(world.users.values())
    for actor, expect in expectations.items():
        user = world.users[actor]
        client = client_for(world, actor)
        if method == "get":
            response = client.get(url, case.query)
        else:
            response = client.post(url + _query(case.query), case.data)
            world.signed_in.discard(actor)
        status, location = expect if isinstance(expect, tuple) else (expect, None)
        where = f"{method.upper()} {url} as {actor} ({case.label})"
        assert response.status_code == status, f"{where}: {response.status_code}, not {status}"
        if location is not None:
            target = response["Location"].removeprefix("http://testserver")
            assert target.startswith(expected_location(location)), (
                f"{where}: to {response['Location']}"
            )
        if method == "get":
            continue
        after = state(world.users.values())
        acted = status in (200, 302) and location != LOGIN
        if acted and case.writes == "own" and user is not None:
            # The actor's own rows may change; nobody else's, and nothing else.
            if case.done:
                assert case.done(world, user), f"{where}: the action did not happen"
            before["rows"][user.pk] = after["rows"][user.pk]
        if acted and case.writes == "account" and user is None:
            created = set(after["users"]) - set(before["users"])
            assert [row[0] for row in created] == [case.data["username"]], where
            before["users"] = after["users"]
        assert after == before, f"{where}: changed data it must not change"
        before = after
    if method == "get":
        assert state(world.users.values()) == before, f"GET {url} changed data"


def _query(params: dict) -> str:
    from urllib.parse import urlencode

    return f"?{urlencode(params)}" if params else ""


# --- The tests ---


def site_routes() -> set[str]:
    return set(url_patterns())


def test_the_matrix_covers_every_route():
    """A new URL pattern, public or admin, must be given its row in the matrix."""
    in_matrix = set(MATRIX) | set(ADMIN_SITE) | set(admin_model_cases())
    assert in_matrix == site_routes(), (
        f"missing from the matrix: {sorted(site_routes() - in_matrix)}; "
        f"no longer in the URLconf: {sorted(in_matrix - site_routes())}"
    )


def test_every_actor_and_method_is_in_every_case():
    for route, cases in {**MATRIX, **ADMIN_SITE}.items():
        assert cases, route
        for case in cases:
            for expectations in (case.get, case.post):
                assert expectations is None or set(expectations) == set(ACTORS), (
                    route,
                    case.label,
                )


@pytest.mark.parametrize("route", sorted({**MATRIX, **ADMIN_SITE}))
def test_route(world, route):
    for case in {**MATRIX, **ADMIN_SITE}[route]:
        url = fill(route, case.kwargs(world))
        for method in ("get", "post"):
            expectations = getattr(case, method)
            if expectations is not None:
                check(world, url, method, expectations, case)


@pytest.mark.parametrize(
    "model", list(admin.site._registry), ids=lambda m: m._meta.label_lower.replace(".", "_")
)
def test_admin_pages_of(world, model):
    obj = world.objects[model]
    if isinstance(admin.site._registry[model], ContentAdmin):
        # Two revisions of the object, and one of another that was deleted since: the history,
        # compare, revision and recover pages all have something to show.
        for _ in range(2):
            with reversion.create_revision():
                obj.save()
        world.versions[obj] = list(Version.objects.get_for_object(obj).values_list("pk", flat=True))
        world.deleted_versions[model] = _deleted_version(model)
    prefix = admin_prefix(model)
    for suffix, make_url in model_pages(model).items():
        url = "/" + prefix + make_url(obj, world)
        get, post = model_page_expectations(model, suffix)
        case = Case(f"{model._meta.label} {suffix or 'changelist'}")
        check(world, url, "get", get, case)
        if post is not None:
            check(world, url, "post", post, case)
