import os

import pytest
from django.core.management import call_command
from hypothesis import settings as hypothesis_settings

from tests import factories

# Hypothesis: CI draws the same examples on every run (derandomize), so a red build is the code's
# doing and a rerun shows the same failure; locally each run explores new examples. Either way a
# failure prints the blob that replays it (@reproduce_failure). Each test keeps its own
# max_examples; loaded here, before any test module builds its settings objects.
hypothesis_settings.register_profile("ci", derandomize=True, print_blob=True)
hypothesis_settings.register_profile("dev", print_blob=True)
hypothesis_settings.load_profile("ci" if os.environ.get("CI") == "true" else "dev")


@pytest.fixture(autouse=True)
def _empty_cache():
    """The local-memory cache outlives each test's database rollback: start every test clean."""
    from django.core.cache import cache

    from roles import picker, readership

    cache.clear()
    picker.forget()
    readership._pending.clear()  # reads a test counted and never flushed


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Real hashing is slow on purpose; tests check behaviour, not the hash's cost."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session")
def _starter_rows():
    """Every row the starter content adds to the roles app, kept by the first test that loads it."""
    return {}


@pytest.fixture
def starter_content(db, _starter_rows):
    """The real starter content, loaded the way `make run` loads it.

    The first test to ask loads it through `load_starter_content` and keeps its rows, the roles
    app's and the revision history's; later tests insert those same rows raw (timestamps and keys
    as they were), one executemany per table: a few milliseconds where the load takes seconds.
    Foreign keys are checked at commit on SQLite and PostgreSQL, so table order does not matter.
    """
    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType
    from django.core.management.color import no_style
    from django.db import connection
    from reversion.models import Version

    if not _starter_rows:
        call_command("load_starter_content", verbosity=0)
        models = [
            *apps.get_app_config("roles").get_models(include_auto_created=True),
            # The revision the load records (django-reversion), so that every test has the
            # same history to show, compare and revert, not only the first one to load it.
            *apps.get_app_config("reversion").get_models(include_auto_created=True),
        ]
        for model in models:
            fields = [field.attname for field in model._meta.concrete_fields]
            _starter_rows[model] = list(model._base_manager.order_by("pk").values(*fields))
        _starter_rows["content types"] = {
            pk: (app_label, model)
            for pk, app_label, model in ContentType.objects.values_list("pk", "app_label", "model")
        }
        return
    # A flush (after a transactional test) makes the content types again under new keys: a
    # version points at its model by (app label, model), whatever key that has now.
    labels = _starter_rows["content types"]
    keys = {
        (app_label, model): pk
        for pk, app_label, model in ContentType.objects.values_list("pk", "app_label", "model")
    }
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for model, rows in _starter_rows.items():
            if not isinstance(model, type) or not rows:
                continue
            # Rows a migration made (the curated families) are in the kept rows too.
            cursor.execute(f"DELETE FROM {quote(model._meta.db_table)}")
            if model is Version:
                rows = [
                    {**row, "content_type_id": keys[labels[row["content_type_id"]]]} for row in rows
                ]
            fields = model._meta.concrete_fields
            columns = ", ".join(quote(field.column) for field in fields)
            cursor.executemany(
                f"INSERT INTO {quote(model._meta.db_table)} ({columns}) "
                f"VALUES ({', '.join(['%s'] * len(fields))})",
                [
                    [field.get_db_prep_save(row[field.attname], connection) for field in fields]
                    for row in rows
                ],
            )
        # PostgreSQL: the next new row gets a fresh key. Never lower a sequence: a sequence does
        # not roll back with the test, and rows a migration or a flush made (the curated
        # families) may hold higher keys than the kept rows once this test's rows are gone.
        models = [model for model in _starter_rows if isinstance(model, type)]
        if connection.vendor == "postgresql":
            for model in models:
                table, pk = model._meta.db_table, model._meta.pk.column
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence(%s, %s), GREATEST("
                    f"(SELECT COALESCE(MAX({quote(pk)}), 0) FROM {quote(table)}), "
                    "nextval(pg_get_serial_sequence(%s, %s))))",
                    [table, pk, table, pk],
                )
        else:
            for sql in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(sql)


@pytest.fixture
def criteria(db):
    return factories.CriterionFactory.create_batch(10)


@pytest.fixture
def make_role(criteria):
    """A published role with a value for every criterion and a few skills."""

    def make(**kwargs):
        role = factories.RoleFactory(**kwargs)
        for criterion in criteria:
            factories.RoleCriterionValueFactory(role=role, criterion=criterion)
        return role

    return make


@pytest.fixture
def staff_user(db):
    return factories.UserFactory(username="editor", is_staff=True)


@pytest.fixture
def reader(db):
    return factories.UserFactory(username="reader")


@pytest.fixture
def editor(db):
    """A staff account in the Editors group (made by a migration), as create_editor makes."""
    from django.contrib.auth.models import Group

    user = factories.UserFactory(username="content-editor", is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def superuser(db):
    return factories.UserFactory(username="admin", is_staff=True, is_superuser=True)


@pytest.fixture
def grow_catalogue(starter_content):
    """Add `n` more published roles to the starter content, each fully described (bulk writes)."""
    from roles.models import Criterion, Family, Role, RoleCriterionValue, RoleSkill, Skill

    def grow(n: int) -> None:
        families = list(Family.objects.values_list("slug", flat=True))
        roles = Role.objects.bulk_create(
            Role(
                name=f"Synthetic role {i:04d}",
                slug=f"synthetic-role-{i:04d}",
                summary="A generated role for measuring query counts.",
                family_id=families[i % len(families)],
                alternative_titles="Generated",
                published=True,
            )
            for i in range(n)
        )
        criteria = list(Criterion.objects.all())
        skills = list(Skill.objects.all())
        RoleCriterionValue.objects.bulk_create(
            RoleCriterionValue(role=role, criterion=criterion, value="Generated value")
            for role in roles
            for criterion in criteria
        )
        RoleSkill.objects.bulk_create(
            RoleSkill(role=role, skill=skills[(i + k) % len(skills)], importance=1 + k)
            for i, role in enumerate(roles)
            for k in range(5)
        )

    return grow


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory):
    """A real, throwaway redis-server on a free loopback port (skipped locally when missing)."""
    import os
    import shutil
    import socket
    import subprocess
    import time

    binary = shutil.which("redis-server")
    if binary is None:
        if os.environ.get("CI") == "true":
            pytest.fail("redis-server is missing: CI must run the Redis tests", pytrace=False)
        pytest.skip("redis-server is missing (apt-get install redis-server)")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    workdir = tmp_path_factory.mktemp("redis")
    process = subprocess.Popen(
        [binary, "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no",
         "--dir", str(workdir)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.05)
    yield f"redis://127.0.0.1:{port}/0"
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def bumps(db, django_capture_on_commit_callbacks):
    """Run `change()` as one committed transaction; answer by how much the version moved."""

    from django.db import transaction

    from roles.caching import bump_content_version, content_version

    def count(change) -> int:
        # Outside tests the setup's own transaction would have committed (and bumped) by now;
        # here it never commits, so drop its pending bump or it would absorb the next one.
        connection = transaction.get_connection()
        connection.run_on_commit = [
            hook for hook in connection.run_on_commit if hook[1] is not bump_content_version
        ]
        before = content_version()
        with django_capture_on_commit_callbacks(execute=True):
            change()
        return content_version() - before

    return count


@pytest.fixture
def onet_occupation(db):
    """Make a published O*NET occupation with its data, at the sizes a real one reaches (bulk
    writes): `onet_occupation(slug, titles=200, tasks=30, technologies=40, related=20)`; 35
    skills and 33 knowledge areas rated, unless `ratings` gives {element name: importance}.
    The elements are O*NET's vocabulary, shared by every occupation made."""
    from decimal import Decimal

    from roles.models import (
        ElementKind,
        RelatednessTier,
        RelatedRole,
        Role,
        RoleRating,
        RoleTask,
        RoleTechnology,
        RoleTitle,
        Source,
        TaskType,
        TitleKind,
        title_key,
    )

    job_zone = factories.JobZoneFactory(training="Employees usually need one to two years.")
    elements = {}

    def element(name, kind):
        if name not in elements:
            prefix = "2.A.1" if kind == ElementKind.SKILL else "2.C.1"
            elements[name] = factories.OnetElementFactory(
                element_id=f"{prefix}.{len(elements)}", name=name, kind=kind
            )
        return elements[name]

    for i in range(35):
        element(f"Skill {i:02d}", ElementKind.SKILL)
    for i in range(33):
        element(f"Knowledge {i:02d}", ElementKind.KNOWLEDGE)

    def make(
        slug,
        *,
        name=None,
        titles=200,
        tasks=30,
        technologies=40,
        related=20,
        ratings=None,
        release="30.1",
        **fields,
    ):
        name = name or slug.replace("-", " ").title()
        # 99 is no SOC major group: never the code of a starter role
        code = fields.pop(
            "onet_code", f"99-{Role.objects.filter(source=Source.ONET).count():04d}.00"
        )
        role = factories.RoleFactory(
            slug=slug,
            name=name,
            source=Source.ONET,
            release=release,
            onet_code=code,
            job_zone=job_zone,
            **fields,
        )
        common = {"role": role, "source": Source.ONET, "release": release}
        RoleTitle.objects.bulk_create(
            RoleTitle(
                title=f"{name} title {i:03d}",
                key=title_key(f"{name} title {i:03d}"),
                kind=TitleKind.REPORTED if i < 10 else TitleKind.ALTERNATE,
                **common,
            )
            for i in range(titles)
        )
        RoleTask.objects.bulk_create(
            RoleTask(
                task_id=10_000 * role.pk + i,
                statement=f"{name} task {i:02d}.",
                position=i,
                task_type=TaskType.CORE if i < 20 else TaskType.SUPPLEMENTAL,
                **common,
            )
            for i in range(tasks)
        )
        RoleTechnology.objects.bulk_create(
            RoleTechnology(
                example=f"{name} software {i:02d}", hot=i % 4 == 0, in_demand=i % 8 == 0, **common
            )
            for i in range(technologies)
        )
        if ratings is None:
            ratings = {
                el.name: Decimal("1.00") + Decimal(i % 9) / 2
                for i, el in enumerate(elements.values())
            }
        RoleRating.objects.bulk_create(
            RoleRating(
                element=element(el_name, ElementKind.SKILL), importance=Decimal(value), **common
            )
            for el_name, value in ratings.items()
        )
        others = factories.RoleFactory.create_batch(related, source=Source.ONET, release=release)
        tiers = [RelatednessTier.PRIMARY_SHORT] * 5 + [RelatednessTier.PRIMARY_LONG] * 5
        RelatedRole.objects.bulk_create(
            RelatedRole(
                related=other,
                index=i + 1,
                tier=tiers[i] if i < 10 else RelatednessTier.SUPPLEMENTAL,
                **common,
            )
            for i, other in enumerate(others)
        )
        return role

    return make


@pytest.fixture(scope="session", autouse=True)
def _json_support_known(django_db_setup, django_db_blocker):
    """SQLite says whether it has JSON functions through a query the first time anything asks
    (pay's JSONObject, roles/models/pay.py), once per connection: ask before any test counts
    queries, so that no page's count depends on whether it was the first to ask."""
    from django.db import connections

    with django_db_blocker.unblock():
        for connection in connections.all():
            connection.features.supports_json_field  # noqa: B018 (a cached property)
