"""import_oews and pay_for: the OEWS national file in each form BLS gives it (CSV, workbook, zip),
its special cells kept as what they are, hostile files refused whole, and each role's pay found
through its O*NET-SOC code in one query."""

import csv
import io
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from openpyxl import Workbook

from roles import oews
from roles.models import FigureNote, OccupationPay, Role, pay_for
from tests import factories

pytestmark = pytest.mark.django_db

FIXTURE = Path(__file__).parent / "fixtures" / "oews" / "national_M2025_dl.csv"


def fixture_rows() -> list[list[str]]:
    with FIXTURE.open(newline="") as handle:
        return list(csv.reader(handle))


def write_csv(path: Path, rows) -> Path:
    with path.open("w", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def write_xlsx(path: Path, rows, *, numbers=True, before=()) -> Path:
    """The national workbook's layout: header in row 1, figures as numbers as BLS stores them,
    with the "Field Descriptions" sheet after (or `before`) the data sheet."""
    book = Workbook()
    book.remove(book.active)
    for title in before:
        book.create_sheet(title).append(["Field", "Field Description"])
    sheet = book.create_sheet("national_M2025_dl")
    for index, row in enumerate(rows):
        if index and numbers:
            row = [int(c) if c.isdigit() else float(c) if c.replace(".", "").isdigit() else c
                   for c in row]  # fmt: skip
        sheet.append(row)
    book.create_sheet("Field Descriptions").append(["Field", "Field Description"])
    book.save(path)
    return path


def zip_of(path: Path, member: Path, name: str | None = None) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.write(member, name or f"oesm25nat/{member.name}")
    return path


def run(path, *args) -> str:
    out = io.StringIO()
    call_command("import_oews", str(path), *args, stdout=out)
    return out.getvalue()


def snapshot():
    return list(OccupationPay.objects.order_by("soc_code").values())


# --- The file's special values ---


def test_the_fixture_imports_with_its_special_cells_kept_as_what_they_are():
    out = run(FIXTURE)
    assert "Imported OEWS May 2025: 12 occupations added, 0 changed, 0 unchanged" in out
    pms = OccupationPay.objects.get(soc_code="13-1082")
    assert (pms.title, pms.group, pms.employment, pms.annual_median) == (
        "Project Management Specialists",
        "detailed",
        1_066_670,
        102_320,
    )
    assert (pms.annual_p10, pms.annual_p90, pms.hourly_median) == (
        61_580,
        167_970,
        Decimal("49.19"),
    )
    assert (pms.source, pms.release, pms.imported["annual_median"]) == ("oews", "May 2025", 102_320)

    chief = OccupationPay.objects.get(soc_code="11-1011")  # "#": at or above the top
    assert chief.figure("annual_median").at_least
    assert (chief.annual_median, chief.annual_median_note) == (239_200, "#")
    assert (chief.annual_p10, chief.annual_p10_note) == (75_700, "")
    assert (chief.hourly_median, chief.hourly_median_note) == (Decimal("115.00"), "#")

    actors = OccupationPay.objects.get(soc_code="27-2011")  # hourly only: annual "*"
    assert actors.hourly_only
    assert not actors.annual_only
    assert (actors.annual_median, actors.annual_median_note) == (None, "*")
    assert not actors.figure("annual_p90").published
    assert actors.hourly_median == Decimal("29.05")

    teachers = OccupationPay.objects.get(soc_code="25-2021")  # annual only: hourly "*"
    assert teachers.annual_only
    assert teachers.annual_median == 63_970
    assert (teachers.hourly_median, teachers.hourly_median_note) == (None, "*")

    gambling = OccupationPay.objects.get(soc_code="39-3019")  # "**": employment not published
    assert (gambling.employment, gambling.employment_note) == (None, "**")
    assert gambling.annual_median == 36_310
    assert not OccupationPay.objects.filter(annual_median=0).exists()
    assert not OccupationPay.objects.filter(employment=0).exists()


def test_the_database_refuses_a_figure_that_disagrees_with_its_note():
    row = factories.OccupationPayFactory()
    row.annual_median_note = FigureNote.WAGE_NOT_PUBLISHED  # "not published", yet a value
    with pytest.raises(IntegrityError), transaction.atomic():
        row.save()
    row.annual_median, row.annual_median_note = None, FigureNote.PUBLISHED  # published, no value
    with pytest.raises(IntegrityError), transaction.atomic():
        row.save()


def test_the_workbook_and_the_zip_holding_it_import_the_same_figures(tmp_path):
    run(FIXTURE)
    from_csv = snapshot()
    OccupationPay.objects.all().delete()

    book = write_xlsx(tmp_path / "national_M2025_dl.xlsx", fixture_rows())
    assert "12 occupations added" in run(book)
    assert snapshot() == [
        {**row, "id": row_id} for row, row_id in zip(from_csv, ids(), strict=True)
    ]
    OccupationPay.objects.all().delete()

    archive = zip_of(tmp_path / "oesm25nat.zip", book)
    assert "OEWS May 2025: 12 occupations added" in run(archive)  # release from the member's name
    assert [row["annual_median"] for row in snapshot()] == [
        row["annual_median"] for row in from_csv
    ]


def ids():
    return list(OccupationPay.objects.order_by("soc_code").values_list("id", flat=True))


def test_headers_are_found_by_name_in_any_case_and_order_with_extra_columns(tmp_path):
    rows = fixture_rows()
    header = [name.lower() for name in rows[0]]
    shuffled = [[row[i] for i in reversed(range(len(header)))] + ["x"] for row in rows]
    shuffled[0] = [*reversed(header), "NEW_COLUMN"]
    run(write_csv(tmp_path / "national_M2025_dl.csv", shuffled))
    assert OccupationPay.objects.get(soc_code="13-1082").annual_median == 102_320


def test_a_workbook_whose_first_sheet_is_not_the_data_is_still_read(tmp_path):
    book = write_xlsx(tmp_path / "national_M2025_dl.xlsx", fixture_rows(), before=["Notes"])
    run(book)
    assert OccupationPay.objects.count() == 12


# --- Release, idempotence, dry run, the editors' corrections ---


def test_release_comes_from_the_option_or_the_file_name(tmp_path):
    plain = write_csv(tmp_path / "pay.csv", fixture_rows())
    with pytest.raises(CommandError, match="give --release"):
        run(plain)
    assert "OEWS May 2024" in run(plain, "--release", "May 2024")
    assert OccupationPay.objects.filter(release="May 2024").count() == 12
    with pytest.raises(CommandError, match='like "May 2025"'):
        run(plain, "--release", "<script>")
    assert oews.release_from_name("national_M2023_dl.xlsx") == "May 2023"
    assert oews.release_from_name("oesm24nat.zip") == "May 2024"


def test_importing_twice_changes_nothing_and_a_dry_run_changes_nothing(bumps):
    assert "Would import OEWS May 2025: 12 occupations added" in run(FIXTURE, "--dry-run")
    assert OccupationPay.objects.count() == 0
    assert bumps(lambda: run(FIXTURE)) == 1
    before = snapshot()
    out = run(FIXTURE)
    assert "0 occupations added, 0 changed, 12 unchanged" in out
    assert snapshot() == before
    assert bumps(lambda: run(FIXTURE)) == 0


def test_a_new_release_refreshes_the_figures_but_not_an_editors_correction(tmp_path):
    run(FIXTURE)
    corrected = OccupationPay.objects.get(soc_code="13-1082")
    corrected.title = "Project management specialists (corrected)"
    corrected.save()
    rows = fixture_rows()
    header = rows[0]
    for row in rows[1:]:
        row[header.index("A_MEDIAN")] = str(int(row[header.index("A_MEDIAN")]) + 1000) if row[
            header.index("A_MEDIAN")
        ].isdigit() else row[header.index("A_MEDIAN")]  # fmt: skip
    out = run(write_csv(tmp_path / "national_M2026_dl.csv", rows))
    assert "0 occupations added, 12 changed" in out
    assert "13-1082 (title)" in out
    pms = OccupationPay.objects.get(soc_code="13-1082")
    assert (pms.title, pms.annual_median, pms.release) == (
        "Project management specialists (corrected)",
        103_320,
        "May 2026",
    )


# --- Bad and hostile files: named problems, nothing changed ---


def refused(path, *messages):
    before = snapshot()
    with pytest.raises(CommandError) as caught:
        run(path)
    text = str(caught.value)
    assert text.startswith("Nothing imported.")
    for message in messages:
        assert message in text, text
    assert snapshot() == before
    return text


def edited(tmp_path, code, column, value, name="national_M2025_dl.csv"):
    rows = fixture_rows()
    header = rows[0]
    for row in rows:
        if row[header.index("OCC_CODE")] == code:
            row[header.index(column)] = value
    return write_csv(tmp_path / name, rows)


def test_bad_cells_are_named_by_file_row_and_column_and_nothing_changes(tmp_path):
    run(FIXTURE)
    path = edited(tmp_path, "13-1082", "A_MEDIAN", "lots")
    refused(path, "national_M2025_dl.csv, row 7, column A_MEDIAN: 'lots' is not a whole number")
    refused(edited(tmp_path, "13-1082", "A_PCT10", "-5"), "row 7, column A_PCT10")
    refused(edited(tmp_path, "13-1082", "TOT_EMP", "#"), "column TOT_EMP: # is for wages")
    refused(edited(tmp_path, "13-1082", "OCC_CODE", "13-10822"), "column OCC_CODE")
    refused(edited(tmp_path, "13-1082", "OCC_CODE", "11-2022"), "11-2022 is on row 5 too")
    refused(edited(tmp_path, "13-1082", "O_GROUP", "special"), "column O_GROUP")
    refused(edited(tmp_path, "13-1082", "ANNUAL", "maybe"), "column ANNUAL")
    refused(edited(tmp_path, "13-1082", "H_MEDIAN", "NaN"), "column H_MEDIAN")
    refused(edited(tmp_path, "13-1082", "A_MEAN", "9" * 40), "column A_MEAN")
    refused(edited(tmp_path, "13-1082", "OCC_TITLE", ""), "column OCC_TITLE")


def test_a_wrong_header_says_which_columns_are_missing(tmp_path):
    rows = fixture_rows()
    rows[0] = [name.replace("A_MEDIAN", "MEDIAN") for name in rows[0]]
    refused(write_csv(tmp_path / "national_M2025_dl.csv", rows), "row 1: no column A_MEDIAN")
    refused(write_csv(tmp_path / "national_M2025_dl.csv", [["a", "b"], ["1", "2"]]), "OCC_CODE")
    refused(write_csv(tmp_path / "national_M2025_dl.csv", []), "the file is empty")
    refused(write_csv(tmp_path / "national_M2025_dl.csv", fixture_rows()[:1]), "no occupation")


def test_a_formula_cell_is_refused_not_evaluated(tmp_path):
    rows = fixture_rows()
    book = write_xlsx(tmp_path / "national_M2025_dl.xlsx", rows)
    from openpyxl import load_workbook

    workbook = load_workbook(book)
    workbook["national_M2025_dl"]["AB7"] = "=AB6*2"  # A_MEDIAN of 13-1082
    workbook.save(book)
    refused(book, "(sheet national_M2025_dl), row 7, column A_MEDIAN: holds a formula")


def test_files_that_are_not_what_they_say_are_refused(tmp_path):
    fake = tmp_path / "national_M2025_dl.xlsx"
    fake.write_bytes(b"AREA,OCC_CODE\n99,13-1082\n")
    refused(fake, "not an Excel workbook")
    not_zip = tmp_path / "oesm25nat.zip"
    not_zip.write_bytes(b"\x89PNG\r\n\x1a\n" + b"0" * 100)
    refused(not_zip, "not a zip file")
    empty_zip = tmp_path / "empty.zip"
    zipfile.ZipFile(empty_zip, "w").close()
    refused(empty_zip, "expected one national .xlsx or .csv inside; found 0")
    binary = tmp_path / "national_M2025_dl.csv"
    binary.write_bytes(b"OCC_CODE\x00\x00\xff")
    refused(binary, "NUL bytes")
    other = tmp_path / "national_M2025_dl.json"
    other.write_text("{}")
    refused(other, "give the national .xlsx")
    refused(tmp_path / "missing.csv", "cannot read the file")


def test_size_and_row_caps_hold_before_the_file_is_parsed(tmp_path, monkeypatch):
    monkeypatch.setattr(oews, "MAX_FILE_BYTES", 1_000)
    refused(FIXTURE, "more than the 1,000 allowed")
    monkeypatch.setattr(oews, "MAX_FILE_BYTES", 20 * 1024 * 1024)
    monkeypatch.setattr(oews, "MAX_ROWS", 5)
    refused(FIXTURE, "more than 5 rows")
    book = write_xlsx(tmp_path / "national_M2025_dl.xlsx", fixture_rows())
    refused(book, "more than 5 rows")


def test_a_zip_bomb_is_refused_from_its_directory_before_unpacking(tmp_path, monkeypatch):
    bomb = tmp_path / "oesm25nat.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("national_M2025_dl.csv", b"0" * 5_000_000)
    monkeypatch.setattr(oews, "MAX_UNPACKED_BYTES", 1_000_000)
    refused(bomb, "unpacks to 5,000,000 bytes")


# --- A role's pay: through its O*NET-SOC code, in one query ---


@pytest.fixture
def imported():
    run(FIXTURE)


def test_a_role_gets_the_most_specific_row_that_covers_its_code(
    imported, django_assert_num_queries
):
    own = factories.RoleFactory(onet_code="13-1082.00")
    inside = factories.RoleFactory(onet_code="15-1299.08")  # an O*NET occupation within a SOC one
    broad = factories.RoleFactory(onet_code="29-2011.00")  # published only as 29-2010
    military = factories.RoleFactory(onet_code="55-1011.00")
    unlinked = factories.RoleFactory()
    unknown = factories.RoleFactory(onet_code="99-9999.00")
    roles = list(Role.objects.filter(pk__in=[r.pk for r in (own, inside, broad, military,
                                                              unlinked, unknown)]))  # fmt: skip
    with django_assert_num_queries(1):
        pays = pay_for(roles)
    assert (pays[own.pk].median.value, pays[own.pk].wider) == (102_320, False)
    assert pays[own.pk].release == "May 2025"
    assert pays[inside.pk].occupation.soc_code == "15-1299"
    assert pays[inside.pk].wider
    assert pays[broad.pk].occupation.soc_code == "29-2010"
    assert pays[broad.pk].wider
    assert pays[broad.pk].median.value == 62_930
    assert pays[military.pk].military
    assert not pays[military.pk].published
    assert not pays[unlinked.pk].published
    assert not pays[unknown.pk].published
    with django_assert_num_queries(0):
        assert pay_for([unlinked]) == {unlinked.pk: pays[unlinked.pk]}


def test_the_editors_figures_win_and_hiding_hides(imported):
    role = factories.RoleFactory(
        onet_code="13-1082.00",
        pay_median_override=95_000,
        pay_p10_override=60_000,
        pay_p90_override=150_000,
        pay_note="From our 2026 survey of members.",
    )
    pay = pay_for([role])[role.pk]
    assert pay.by_editors
    assert pay.occupation is None
    assert (pay.median.value, pay.p10.value, pay.p90.value) == (95_000, 60_000, 150_000)
    role.pay_hidden = True
    pay = pay_for([role])[role.pk]
    assert pay.hidden
    assert not pay.published
    assert pay.note == "From our 2026 survey of members."


def test_the_database_keeps_the_editors_range_in_order():
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.RoleFactory(pay_median_override=50_000, pay_p10_override=60_000,
                              pay_p90_override=90_000)  # fmt: skip
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.RoleFactory(pay_p10_override=60_000, pay_p90_override=90_000)  # no median
    factories.RoleFactory(pay_median_override=50_000)  # a median alone is fine


def test_the_report_counts_the_roles_that_have_pay(imported):
    factories.RoleFactory(onet_code="29-2012.00")
    factories.RoleFactory(onet_code="55-1011.00")
    assert "1 role(s) linked to an O*NET-SOC code have pay." in run(FIXTURE)


def test_the_real_may_2025_file_if_present():
    real = Path(settings.BASE_DIR).parent / "shared" / "data" / "real" / "national_M2025_dl.csv"
    if not real.exists():
        pytest.skip("the real file is not on this machine")
    assert "1104 occupations added" in run(real)
    assert OccupationPay.objects.get(soc_code="11-2022").annual_median == 148_270
