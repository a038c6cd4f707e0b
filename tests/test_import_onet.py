"""import_onet: an O*NET text release (zip or folder) becomes roles with their occupation data,
an editor's value always wins, and a bad file changes nothing and says where it is wrong.

The fixture release (tests/fixtures/onet/db_30_1_text) holds six occupations, two of them the
starter roles' matches (13-1082.00 for project-manager, 11-2022.00 for sales-manager)."""

import shutil
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Q

from roles.models import (
    Criterion,
    Family,
    JobZone,
    OnetElement,
    RelatedRole,
    Role,
    RoleCriterionValue,
    RoleRating,
    RoleTask,
    RoleTechnology,
    RoleTitle,
    Source,
    TitleKind,
)
from roles.onet import reader
from roles.onet.derive import Occupation, derive_values
from roles.onet.families import SOC_MAJOR_GROUPS, family_for_major_group
from roles.onet.importer import role_slug
from tests.onet_release import write_release, zip_folder

pytestmark = pytest.mark.django_db

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "onet" / "db_30_1_text"
OCCUPATION_MODELS = (
    Role,
    RoleCriterionValue,
    JobZone,
    OnetElement,
    RoleRating,
    RoleTitle,
    RoleTask,
    RoleTechnology,
    RelatedRole,
)


def run(path, *args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_onet", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def snapshot() -> dict:
    """Every row the import could touch, as values: equal snapshots, nothing changed."""
    return {
        model.__name__: sorted(map(repr, model.objects.order_by("pk").values()))
        for model in OCCUPATION_MODELS
    }


@pytest.fixture
def release(tmp_path) -> Path:
    """A copy of the fixture release that a test may change."""
    return Path(shutil.copytree(FIXTURE, tmp_path / "db_30_1_text"))


def read(path: Path) -> str:
    with open(path, encoding="utf-8", newline="") as file:
        return file.read()


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = read(path)
    assert text.count(old) >= count, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new), encoding="utf-8", newline="")


# --- A good release ---


@pytest.mark.parametrize("as_zip", [False, True], ids=["folder", "zip"])
def test_the_release_fills_roles_and_their_occupation_data(starter_content, tmp_path, as_zip):
    project_manager = Role.objects.get(slug="project-manager")
    curated = {
        field: getattr(project_manager, field)
        for field in ("name", "summary", "description", "family", "slug")
    }
    curated_values = dict(project_manager.criterion_values.values_list("criterion__slug", "value"))
    path = zip_folder(FIXTURE, tmp_path / "db_30_1_text.zip") if as_zip else FIXTURE

    out, err = run(path)

    assert "O*NET release 30.1:" in out
    assert "Skills.txt: 58 rows" in err  # progress, file by file
    # The four occupations no starter role matches are new, published roles.
    nurses = Role.objects.get(onet_code="29-1141.00")
    assert (nurses.name, nurses.slug, nurses.published) == (
        "Registered Nurses",
        "registered-nurses",
        True,
    )
    assert nurses.description.startswith("Assess patient health problems")
    assert nurses.summary.startswith("Assess patient health problems")
    assert len(nurses.summary) < 300
    assert (nurses.source, nurses.release, nurses.job_zone.number) == (Source.ONET, "30.1", 3)
    assert nurses.holds_import("name")
    assert nurses.holds_import("description")
    assert (nurses.family.soc_major_group, nurses.family.name) == (
        "29",
        "Healthcare Practitioners and Technical",
    )
    curated_last = max(
        Family.objects.filter(soc_major_group__isnull=True).values_list("position", flat=True)
    )
    assert nurses.family.position > curated_last
    assert "families made for SOC major groups" in out
    vendors = Role.objects.get(onet_code="41-9091.00")
    assert "to" not in vendors.slug.split("-")
    assert vendors.slug.startswith("door-door-sales")
    # A linked curated role keeps every word, and gains the occupation's data.
    project_manager.refresh_from_db()
    assert {field: getattr(project_manager, field) for field in curated} == curated
    assert project_manager.source == Source.EDITORS
    assert project_manager.job_zone.number == 4
    assert project_manager.job_zone.name == "Job Zone Four: Considerable Preparation Needed"
    assert curated_values == dict(
        project_manager.criterion_values.values_list("criterion__slug", "value")
    )
    titles = {(t.title, t.kind, t.short_title) for t in project_manager.titles.all()}
    assert ("Project Management Professional", TitleKind.ALTERNATE, "PMP") in titles
    assert ("Scrum Master", TitleKind.ALTERNATE, "") in titles
    assert ("Project Manager", TitleKind.REPORTED, "") in titles
    assert RoleTitle.objects.get(role=nurses, title="Registered Nurse").short_title == "RN"
    assert RoleTitle.objects.filter(key="registered nurse").exists()  # what search matches on
    # Tasks: core first, then supplemental, each in the release's order.
    sales = Role.objects.get(slug="sales-manager")
    assert list(sales.tasks.values_list("task_id", "task_type", "position")) == [
        (1002, "core", 1),
        (1003, "core", 2),
        (1004, "core", 3),
        (1001, "supplemental", 4),
    ]
    # Ratings: IM is the importance, LV the level; Not Relevant and suppressed rows left out.
    coordination = project_manager.ratings.get(element__element_id="2.B.1.b")
    assert (coordination.importance, coordination.level) == (Decimal("4.38"), Decimal("4.62"))
    assert coordination.rating == 4
    assert coordination.element.name == "Coordination"
    assert not sales.ratings.filter(element__element_id="2.B.3.e").exists()  # not relevant
    assert not nurses.ratings.filter(element__element_id="2.B.1.d").exists()  # IM suppressed
    electricians = Role.objects.get(onet_code="47-2111.00")
    level_suppressed = electricians.ratings.get(element__element_id="2.B.1.b")
    assert (level_suppressed.importance, level_suppressed.level) == (Decimal("3.12"), None)
    assert OnetElement.objects.get(element_id="2.C.5.a").kind == "knowledge"
    assert OnetElement.objects.get(element_id="2.A.1.b").kind == "skill"
    # Technology: hot and in demand first.
    assert [t.example for t in project_manager.technologies.all()] == [
        "Microsoft Project",
        "Atlassian JIRA",
        "Microsoft Excel",
        "Smartsheet",
    ]
    # Related occupations: tier and index, only between occupations of the release.
    assert {(r.related.slug, r.tier, r.index) for r in sales.related_to.all()} == {
        ("project-manager", "primary-short", 2),
        (vendors.slug, "supplemental", 11),
    }
    assert not RelatedRole.objects.filter(role=project_manager, related=project_manager).exists()
    assert JobZone.objects.count() == 5
    # Criterion values for the imported roles, from the data.
    values = {v.criterion.slug: v for v in nurses.criterion_values.select_related("criterion")}
    assert set(values) == {
        "primary-focus",
        "key-responsibilities",
        "skills-required",
        "team-interaction",
        "client-interaction",
        "work-environment",
        "career-path",
        "tools-used",
    }
    assert (
        values["skills-required"].value
        == "Active Listening, Critical Thinking, Speaking, Coordination"
    )
    assert values["tools-used"].value == "Epic Systems, MEDITECH software"
    assert values["career-path"].value.startswith("Medium Preparation Needed (Job Zone 3 of 5)")
    assert values["work-environment"].value.startswith("Indoors")
    assert values["key-responsibilities"].value.startswith("Record patients' medical information")
    assert all(v.source == Source.ONET and v.holds_import("value") for v in values.values())
    assert all(len(v.value) <= 200 for v in RoleCriterionValue.objects.all())
    assert not vendors.criterion_values.filter(criterion__slug="tools-used").exists()  # no data


def test_a_dry_run_reads_everything_and_changes_nothing(starter_content):
    before = snapshot()
    out, _ = run(FIXTURE, "--dry-run")
    assert "Dry run: nothing was written." in out
    assert "(dry run)" in out
    assert snapshot() == before


def test_the_import_is_one_change_and_the_same_release_again_is_none(starter_content, bumps):
    assert bumps(lambda: run(FIXTURE)) == 1  # bulk queries send no signals: one bump
    before = snapshot()
    reports = []
    assert bumps(lambda: reports.append(run(FIXTURE)[0])) == 0
    assert "0 changed: the database already held this release." in reports[0]
    assert snapshot() == before


def test_a_newer_release_refreshes_only_what_still_comes_from_onet(starter_content, tmp_path):
    run(FIXTURE)
    # Editors change an imported role, a rating, a title and a derived value, and write a
    # value for a linked role's criterion.
    electricians = Role.objects.get(onet_code="47-2111.00")
    electricians.description = "Our own words about electricians."
    electricians.save()
    nurses = Role.objects.get(onet_code="29-1141.00")
    listening = nurses.ratings.get(element__element_id="2.A.1.b")
    listening.importance = Decimal("3.00")
    listening.save()
    charge_nurse = nurses.titles.get(title="Charge Nurse")
    charge_nurse.short_title = "Charge RN"
    charge_nurse.save()
    tools = nurses.criterion_values.get(criterion__slug="tools-used")
    tools.value = "Electronic health records"
    tools.save()
    project_manager = Role.objects.get(slug="project-manager")
    curated = (project_manager.name, project_manager.summary, project_manager.description)
    curated_values = dict(project_manager.criterion_values.values_list("criterion__slug", "value"))

    newer = Path(shutil.copytree(FIXTURE, tmp_path / "db_30_2_text"))
    new_nurses = "Assess patients' health and needs; plan, give and record nursing care."
    nurses_text = Role.objects.get(onet_code="29-1141.00").description
    edit(newer / "Occupation Data.txt", nurses_text, new_nurses)
    edit(
        newer / "Occupation Data.txt",
        "Install, maintain, and repair electrical wiring",
        "Install and repair wiring",
    )
    edit(
        newer / "Skills.txt",
        "2.B.3.e\tProgramming\tIM\tImportance\t4.50",
        "2.B.3.e\tProgramming\tIM\tImportance\t4.75",
    )
    edit(
        newer / "Skills.txt",
        "2.A.1.b\tActive Listening\tIM\tImportance\t4.38",
        "2.A.1.b\tActive Listening\tIM\tImportance\t4.50",
    )
    edit(
        newer / "Alternate Titles.txt",
        "29-1141.00\tRegistered Nurses\tStaff Nurse\tn/a\t08\r\n",
        "",
    )
    edit(
        newer / "Alternate Titles.txt",
        "29-1141.00\tRegistered Nurses\tCharge Nurse\tn/a\t08\r\n",
        "",
    )
    edit(newer / "Technology Skills.txt", "MEDITECH software", "Cerner Millennium")
    edit(newer / "Alternate Titles.txt", "Project Coordinator", "Project Co-ordinator")
    # A release may drop the Title column and order columns its own way: read by name.
    tasks = read(newer / "Task Statements.txt").splitlines()
    (newer / "Task Statements.txt").write_text(
        "\r\n".join(
            "\t".join([fields[3], fields[2], fields[4], fields[0]])
            for fields in (line.split("\t") for line in tasks)
        )
        + "\r\n",
        encoding="utf-8",
    )

    out, _ = run(newer)

    assert "O*NET release 30.2:" in out
    nurses.refresh_from_db()
    assert nurses.description == new_nurses
    assert nurses.release == "30.2"
    electricians.refresh_from_db()
    assert electricians.description == "Our own words about electricians."  # the editor's
    programming = RoleRating.objects.get(
        role__onet_code="15-1252.00", element__element_id="2.B.3.e"
    )
    assert (programming.importance, programming.release) == (Decimal("4.75"), "30.2")
    listening.refresh_from_db()
    assert listening.importance == Decimal("3.00")  # the editor's
    titles = set(nurses.titles.filter(kind=TitleKind.ALTERNATE).values_list("title", flat=True))
    assert "Staff Nurse" not in titles  # gone from the release, still the import's: removed
    assert "Charge Nurse" in titles  # gone from the release, but an editor changed it: kept
    assert RoleTitle.objects.filter(role=project_manager, title="Project Co-ordinator").exists()
    tools.refresh_from_db()
    assert tools.value == "Electronic health records"
    assert nurses.technologies.filter(example="Cerner Millennium").exists()
    assert not nurses.technologies.filter(example="MEDITECH software").exists()
    assert RoleTask.objects.filter(role=nurses).count() == 3  # read by header name
    project_manager.refresh_from_db()
    assert (project_manager.name, project_manager.summary, project_manager.description) == curated
    assert curated_values == dict(
        project_manager.criterion_values.values_list("criterion__slug", "value")
    )
    roles_line = next(line for line in out.splitlines() if line.strip().startswith("roles"))
    # Nurses and electricians changed (the electricians' summary still held the import), and
    # the electricians' description is the editor's: kept.
    assert roles_line.split()[1:] == ["0", "2", "4", "1", "0"]
    titles_line = next(line for line in out.splitlines() if line.strip().startswith("titles"))
    assert titles_line.split()[-1] == "2"  # Staff Nurse and Project Coordinator removed


def test_absent_optional_files_are_skipped_with_a_note(starter_content, release):
    (release / "Work Context.txt").unlink()
    (release / "Technology Skills.txt").unlink()
    out, _ = run(release)
    assert "Work Context.txt is not in the release: skipped." in out
    assert "Technology Skills.txt is not in the release: skipped." in out
    nurses = Role.objects.get(onet_code="29-1141.00")
    assert nurses.titles.exists()
    assert nurses.ratings.exists()
    assert not nurses.criterion_values.filter(
        criterion__slug__in=["work-environment", "tools-used"]
    ).exists()


def test_the_release_comes_from_the_option_or_the_name(db, tmp_path):
    plain = Path(shutil.copytree(FIXTURE, tmp_path / "onet"))
    with pytest.raises(CommandError, match="cannot tell the release from the name"):
        run(plain)
    with pytest.raises(CommandError, match="not a release number"):
        run(plain, "--release", "thirty")
    assert not Role.objects.exists()
    out, _ = run(plain, "--release", "29.3")
    assert "O*NET release 29.3:" in out
    assert set(Role.objects.values_list("release", flat=True)) == {"29.3"}


def test_criteria_missing_from_the_database_are_skipped(db):
    Criterion.objects.create(slug="tools-used", name="Tools used", published=True)
    out, _ = run(FIXTURE)
    assert "criteria not in the database, so not filled: career-path" in out
    assert set(RoleCriterionValue.objects.values_list("criterion__slug", flat=True)) == {
        "tools-used"
    }


# --- Bad files: a message naming file, line and column, and nothing changes ---


def _comma_separated(release: Path) -> None:
    path = release / "Occupation Data.txt"
    path.write_text(read(path).replace("\t", ","), encoding="utf-8")


def _latin1(release: Path) -> None:
    path = release / "Alternate Titles.txt"
    text = read(path).replace("Sales Director", "Sales Director Café")
    path.write_bytes(text.encode("latin-1"))


def _huge_line(release: Path) -> None:
    with open(release / "Alternate Titles.txt", "a", encoding="utf-8", newline="") as out:
        out.write(f"29-1141.00\tRegistered Nurses\t{'N' * 200_000}\tn/a\t08\r\n")


def _many_fields(release: Path) -> None:
    with open(release / "Task Statements.txt", "a", encoding="utf-8", newline="") as out:
        out.write("29-1141.00" + "\tx" * 100 + "\r\n")


def _drop_column(release: Path) -> None:
    edit(release / "Skills.txt", "\tData Value\t", "\tValue\t")


def _short_row(release: Path) -> None:
    with open(release / "Job Zones.txt", "a", encoding="utf-8", newline="") as out:
        out.write("29-1141.00\tRegistered Nurses\r\n")


def _undescribed_zone(release: Path) -> None:
    """Caught while writing, after the first rows went in (a Job Zone an earlier release
    described would still be in the database, so this is an empty database's case)."""
    path = release / "Job Zone Reference.txt"
    lines = read(path).split("\r\n")
    path.write_text("\r\n".join(line for line in lines if not line.startswith("3\t")))


BAD_FILES = {
    "missing required file": (
        lambda r: (r / "Occupation Data.txt").unlink(),
        "db_30_2_text: holds no Occupation Data.txt",
    ),
    "missing column": (_drop_column, "Skills.txt, line 1: no column “Data Value”"),
    "comma-separated": (
        _comma_separated,
        "Occupation Data.txt, line 1: the header has one column: the file is comma-separated",
    ),
    "not UTF-8": (
        _latin1,
        "Alternate Titles.txt, line 3, column “Alternate Title”: is not UTF-8 text",
    ),
    "malformed code": (
        lambda r: edit(r / "Task Statements.txt", "13-1082.00\tProject", "13-1082\tProject"),
        "Task Statements.txt, line 6, column “O*NET-SOC Code”: '13-1082' is not an O*NET-SOC code",
    ),
    "code outside SOC": (
        lambda r: edit(r / "Occupation Data.txt", "47-2111.00", "99-2111.00"),
        "Occupation Data.txt, line 7, column “O*NET-SOC Code”: 99-2111.00 is not in a SOC 2018",
    ),
    "element of another file": (
        lambda r: edit(r / "Skills.txt", "2.A.1.b\tActive Listening", "2.C.1.b\tActive Listening"),
        "Skills.txt, line 2, column “Element ID”: '2.C.1.b' is not a skills element",
    ),
    "element named two ways": (
        lambda r: edit(
            r / "Skills.txt",
            "13-1082.00\tProject Management Specialists\t2.A.1.d\tSpeaking",
            "13-1082.00\tProject Management Specialists\t2.A.1.d\tSpeech",
        ),
        "Skills.txt, line 18, column “Element Name”: element 2.A.1.d is 'Speech' here but "
        "'Speaking' in Skills.txt line 4",
    ),
    "huge line": (_huge_line, "Alternate Titles.txt, line 18: is longer than 100,000 bytes"),
    "too many fields": (_many_fields, "Task Statements.txt, line 19: has 101 fields; at most 64"),
    "short row": (
        _short_row,
        "Job Zones.txt, line 8, column “Job Zone”: has 2 fields where the header has 5",
    ),
    "non-numeric value": (
        lambda r: edit(r / "Skills.txt", "Importance\t4.12", "Importance\thigh"),
        "Skills.txt, line 2, column “Data Value”: 'high' is not a number",
    ),
    "importance out of range": (
        lambda r: edit(r / "Knowledge.txt", "Importance\t4.62", "Importance\t7.50"),
        "Knowledge.txt, line 2, column “Data Value”: 7.50 is outside 1 to 5",
    ),
    "unknown task type": (
        lambda r: edit(r / "Task Statements.txt", "\tCore\t", "\tCentral\t"),
        "Task Statements.txt, line 3, column “Task Type”: 'central' is not Core",
    ),
    "unknown tier": (
        lambda r: edit(r / "Related Occupations.txt", "Primary-Long", "Secondary"),
        "Related Occupations.txt, line 6, column “Relatedness Tier”: 'secondary' is not",
    ),
}


@pytest.mark.parametrize("case", BAD_FILES)
def test_a_bad_file_names_file_line_and_column_and_nothing_changes(starter_content, release, case):
    run(FIXTURE)  # a good release first: the bad one must not disturb it
    before = snapshot()
    newer = Path(shutil.move(release, release.parent / "db_30_2_text"))
    break_it, message = BAD_FILES[case]
    break_it(newer)
    with pytest.raises(CommandError) as error:
        run(newer)
    assert str(error.value).startswith("Nothing imported. ")
    assert message in str(error.value)
    assert snapshot() == before


def test_a_bad_file_changes_nothing_in_an_empty_database_either(starter_content, release):
    before = snapshot()
    _undescribed_zone(release)
    with pytest.raises(CommandError, match="does not describe"):
        run(release)
    assert snapshot() == before  # the Job Zones and roles written before the error are undone


def test_a_file_too_large_is_refused_before_it_is_read(db, release, monkeypatch):
    monkeypatch.setattr(reader, "MAX_FILE_BYTES", 4_000)
    with pytest.raises(
        CommandError,
        match=r"\.txt: is [\d,]+ bytes \(uncompressed\); a release file may be at most 4,000",
    ):
        run(release)
    assert not Role.objects.exists()


def test_a_zip_bomb_is_refused_by_its_declared_size(db, tmp_path, monkeypatch):
    monkeypatch.setattr(reader, "MAX_FILE_BYTES", 1_000_000)
    folder = Path(shutil.copytree(FIXTURE, tmp_path / "db_30_1_text"))
    with open(folder / "Alternate Titles.txt", "a", encoding="utf-8") as out:
        out.write("\t" * 5_000_000)  # 5 MB that deflate to a few kilobytes
    bomb = zip_folder(folder, tmp_path / "db_30_1_text.zip")
    assert bomb.stat().st_size < 100_000
    with pytest.raises(CommandError, match=r"Alternate Titles\.txt: is 5,00[\d,]+ bytes"):
        run(bomb)
    assert not Role.objects.exists()


def test_what_is_not_a_release_is_refused(db, tmp_path):
    (tmp_path / "db_30_1_text.zip").write_text("not a zip")
    with pytest.raises(CommandError, match="not a zip file that can be read"):
        run(tmp_path / "db_30_1_text.zip")
    with pytest.raises(CommandError, match="no such file or folder"):
        run(tmp_path / "nothing-here")
    (tmp_path / "empty").mkdir()
    with pytest.raises(CommandError, match=r"holds no Occupation Data\.txt"):
        run(tmp_path / "empty")


# --- Slugs and families ---


def test_a_new_roles_slug_is_unique_and_never_joins_roles():
    taken = {"electricians"}
    assert role_slug("Electricians", taken) == "electricians-2"
    assert role_slug("Electricians", taken) == "electricians-3"
    assert role_slug("Door-to-Door Sales Workers", taken) == "door-door-sales-workers"
    assert role_slug("Buyers vs. Sellers", taken) == "buyers-sellers"
    assert role_slug("To Vs To", taken) == "occupation"
    long = role_slug("Word " * 40, taken)
    assert len(long) <= 80
    assert not long.endswith("-")


def test_every_soc_major_group_gets_a_family_after_the_editors(db):
    assert len(SOC_MAJOR_GROUPS) == 23
    assert SOC_MAJOR_GROUPS["55"] == "Military Specific"
    assert SOC_MAJOR_GROUPS["13"] == "Business and Financial Operations"
    curated_last = Family.objects.order_by("-position").first().position
    families = [family_for_major_group(code) for code in SOC_MAJOR_GROUPS]
    assert [f.soc_major_group for f in families] == list(SOC_MAJOR_GROUPS)
    assert [f.position for f in families] == sorted(f.position for f in families)
    assert families[0].position > curated_last
    assert families[1].name == "Business and Financial Operations"
    assert families[1].slug == "business-and-financial-operations"
    assert family_for_major_group("13") == families[1]  # made once
    with pytest.raises(ValueError, match="not a SOC 2018 major group"):
        family_for_major_group("99")


def test_imported_roles_land_in_the_family_an_editor_gave_their_major_group(db):
    healthcare = Family.objects.create(slug="healthcare", name="Healthcare", soc_major_group="29")
    run(FIXTURE)
    assert Role.objects.get(onet_code="29-1141.00").family == healthcare
    assert not Family.objects.filter(name="Healthcare Practitioners and Technical").exists()
    electricians = Role.objects.get(onet_code="47-2111.00")
    electricians.family = healthcare  # an editor moves a role: the next import leaves it there
    electricians.save()
    run(FIXTURE)
    electricians.refresh_from_db()
    assert electricians.family == healthcare


# --- At O*NET's size ---


def test_a_release_sized_set_imports_whole_and_again_without_change(starter_content, tmp_path):
    """About 1,000 occupations (the Work Context cut to the elements the criteria read, and
    fewer titles per occupation than O*NET's 56, to keep the test quick; benchmarks/
    import_onet.sh times the full size)."""
    path = write_release(
        tmp_path,
        occupations=1000,
        alternate_titles=12,
        reported_titles=3,
        tasks=8,
        technologies=8,
        related=10,
        work_context_elements=9,
        as_zip=True,
    )
    run(path)
    imported = Role.objects.filter(source=Source.ONET)
    assert imported.count() == 999  # one synthetic code is the starter operations manager's
    assert RoleTitle.objects.count() == 15_000
    assert RoleTask.objects.count() == 8_000
    assert RelatedRole.objects.count() == 10_000
    assert RoleRating.objects.filter(importance__lt=1).count() == 0
    assert not Role.objects.filter(Q(slug__contains="-to-") | Q(slug__startswith="to-")).exists()
    assert RoleCriterionValue.objects.filter(role__in=imported).count() == 999 * 8
    assert all(len(v) <= 200 for v in RoleCriterionValue.objects.values_list("value", flat=True))
    out, _ = run(path)
    assert "0 changed" in out


def test_quote_marks_and_a_byte_order_mark_are_read_as_typed(db, release):
    path = release / "Occupation Data.txt"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    with open(release / "Alternate Titles.txt", "a", encoding="utf-8", newline="") as out:
        out.write('29-1141.00\tRegistered Nurses\t"Flight" Nurse\tn/a\t08\r\n')
    run(release)
    nurses = Role.objects.get(onet_code="29-1141.00")
    assert nurses.titles.filter(title='"Flight" Nurse').exists()
    assert Role.objects.filter(onet_code="11-2022.00").exists()  # the first row, after the BOM


def test_derived_values_fit_a_table_cell_whatever_the_data():
    long = "Plan " + "and review the long list of things " * 40 + "carefully. Then rest."
    occupation = Occupation(
        code="13-1082.00",
        title="Long",
        description=long,
        core_tasks=[long] * 8,
        skills=[(f"Skill {n} with a rather long name", Decimal("4.50")) for n in range(10)],
        related=[f"A related occupation with a long title {n}" for n in range(20)],
        technologies=[(f"Software with a long name {n}", True, n % 2 == 0) for n in range(30)],
        job_zone={"number": 4, "name": "Job Zone Four: Considerable Preparation Needed",
                  "education": "A degree.", "experience": "Some years."},
    )  # fmt: skip
    values = derive_values(occupation)
    assert {"primary-focus", "key-responsibilities", "skills-required", "career-path"} <= set(
        values
    )
    for value, detail in values.values():
        assert 0 < len(value) <= 200
        assert len(detail) <= 2_000
    assert values["primary-focus"][0].endswith("…")
    assert derive_values(Occupation(code="13-1082.00", title="Bare", description="")) == {}
