"""Import a BLS OEWS national release (`manage.py import_oews`) into OccupationPay.

The file is read as BLS distributes it: the workbook (national_M2025_dl.xlsx), the zip that holds
it, or its sheet saved as CSV. Columns are found by header name, in any case, and columns not
used are ignored (releases add some). Every cell is checked before anything is written; a bad
file changes nothing and the error names the file, row and column. A row is matched by SOC code:
new rows are added, and a field is refreshed only while it still holds what an import wrote
there (Provenance.holds_import), so an editor's correction stays. Importing the same file twice
changes nothing.

What an outsider's file can cost is bounded: its size on disk, what a zip or workbook unpacks
to, the number of rows, and the columns read (only up to the last one used).
"""

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.db import transaction

from roles.caching import content_changed
from roles.models import FigureNote, OccupationGroup, OccupationPay, Role
from roles.models.pay import (
    OEWS_SOURCE,
    PAY_FIGURES,
    SOC_CODE_PATTERN,
    TOP_ANNUAL_WAGE,
    TOP_HOURLY_WAGE,
    candidate_soc_codes,
)

MAX_FILE_BYTES = 20 * 1024 * 1024  # the national workbook is about 0.3 MB, its zip less
MAX_UNPACKED_BYTES = 100 * 1024 * 1024  # what a zip or workbook may expand to in all
MAX_ROWS = 5_000  # the national file has about 1,100 occupations
MAX_SHEETS = 20
MAX_ERRORS = 20  # reported at once; the rest are counted
MAX_ECHOED = 40  # characters of a bad cell repeated in an error
MAX_WAGE = 10_000_000  # a year's wage beyond this is a broken file, not a figure
MAX_EMPLOYMENT = 1_000_000_000

# The document's column for each figure.
COLUMNS = {
    "employment": "TOT_EMP",
    "annual_p10": "A_PCT10",
    "annual_p25": "A_PCT25",
    "annual_median": "A_MEDIAN",
    "annual_p75": "A_PCT75",
    "annual_p90": "A_PCT90",
    "annual_mean": "A_MEAN",
    "hourly_median": "H_MEDIAN",
}
REQUIRED = ("OCC_CODE", "OCC_TITLE", "O_GROUP", *(c for c in COLUMNS.values() if c != "H_MEDIAN"))
OPTIONAL = ("H_MEDIAN", "ANNUAL", "HOURLY")
RELEASE_PATTERN = re.compile(r"^[A-Z][a-z]+ \d{4}$")
_SOC = re.compile(SOC_CODE_PATTERN)
_FILE_RELEASE = re.compile(r"_M(\d{4})(?:_|$)", re.IGNORECASE)  # national_M2025_dl
_ZIP_RELEASE = re.compile(r"^oesm(\d{2})nat", re.IGNORECASE)  # oesm25nat.zip
_INTEGER = re.compile(r"^\d{1,3}(?:,\d{3})+$|^\d+$")
_TRUE = {"true", "yes", "y", "1"}
_FALSE = {"false", "no", "n", "0", ""}


class OewsError(Exception):
    """A file that cannot be imported; `problems` name the file, row and column of each."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass
class OewsReport:
    release: str
    dry_run: bool = False
    added: int = 0
    changed: int = 0
    unchanged: int = 0
    kept: dict[str, list[str]] = field(default_factory=dict)  # SOC code: editors' fields kept
    not_in_file: int = 0
    roles_with_pay: int = 0

    @property
    def left_alone(self) -> int:
        return self.unchanged + self.not_in_file

    def summary(self) -> str:
        verb = "Would import" if self.dry_run else "Imported"
        lines = [
            f"{verb} OEWS {self.release}: {self.added} occupations added, {self.changed} changed, "
            f"{self.unchanged} unchanged; {self.not_in_file} already stored and not in this file "
            "left alone.",
        ]
        if self.kept:
            fields = sum(len(names) for names in self.kept.values())
            lines.append(
                f"{fields} field(s) on {len(self.kept)} occupation(s) kept as an editor set them: "
                + "; ".join(f"{code} ({', '.join(names)})" for code, names in self.kept.items())
            )
        lines.append(f"{self.roles_with_pay} role(s) linked to an O*NET-SOC code have pay.")
        if self.dry_run:
            lines.append("Dry run: nothing was changed.")
        return "\n".join(lines)


# --- Reading the file: rows of cells by header name ---


@dataclass
class Sheet:
    name: str  # the file (and zip member) errors name
    header: list[str]
    rows: list[tuple[int, list]]  # (the row's number in the file, its cells)


def release_from_name(name: str) -> str:
    """national_M2025_dl.xlsx -> "May 2025" (OEWS's reference month is always May)."""
    stem = Path(name).stem
    if match := _FILE_RELEASE.search(stem):
        return f"May {match.group(1)}"
    if match := _ZIP_RELEASE.match(stem):
        return f"May 20{match.group(1)}"
    return ""


def read_file(path: Path) -> tuple[Sheet, str]:
    """The data sheet of `path` and the release its name gives ("" if none)."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise OewsError([f"{path.name}: cannot read the file ({exc.strerror})."]) from exc
    if not path.is_file():
        raise OewsError([f"{path.name}: not a file."])
    if size > MAX_FILE_BYTES:
        raise OewsError([f"{path.name}: {size:,} bytes, more than the {MAX_FILE_BYTES:,} allowed."])
    data = path.read_bytes()
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return read_csv(data, path.name), release_from_name(path.name)
    if suffix == ".xlsx":
        return read_xlsx(data, path.name), release_from_name(path.name)
    if suffix == ".zip":
        return read_zip(data, path.name)
    raise OewsError(
        [f"{path.name}: give the national .xlsx, the .zip that holds it, or its sheet as .csv."]
    )


def _open_zip(data: bytes, name: str, kind: str) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise OewsError([f"{name}: not {kind} ({exc})."]) from exc
    unpacked = sum(info.file_size for info in infos)
    if unpacked > MAX_UNPACKED_BYTES or len(infos) > 10_000:
        raise OewsError(
            [f"{name}: unpacks to {unpacked:,} bytes in {len(infos):,} parts, more than allowed."]
        )
    return archive


def read_zip(data: bytes, name: str) -> tuple[Sheet, str]:
    archive = _open_zip(data, name, "a zip file")
    members = [
        info
        for info in archive.infolist()
        if not info.is_dir()
        and Path(info.filename).suffix.lower() in (".xlsx", ".csv")
        and not Path(info.filename).name.startswith(("~$", "._"))
    ]
    national = [info for info in members if Path(info.filename).name.lower().startswith("nat")]
    chosen = national if len(national) == 1 else members
    if len(chosen) != 1:
        listed = ", ".join(info.filename for info in members[:10]) or "none"
        raise OewsError(
            [f"{name}: expected one national .xlsx or .csv inside; found {len(members)}: {listed}."]
        )
    info = chosen[0]
    label = f"{name}: {info.filename}"
    try:
        member = archive.read(info)
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError) as exc:
        raise OewsError([f"{label}: cannot unpack ({exc})."]) from exc
    if len(member) > MAX_UNPACKED_BYTES:
        raise OewsError([f"{label}: larger than allowed."])
    reader = read_csv if info.filename.lower().endswith(".csv") else read_xlsx
    release = release_from_name(info.filename) or release_from_name(name)
    return reader(member, label), release


def read_csv(data: bytes, name: str) -> Sheet:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")  # Excel's "CSV" on Windows
    if "\x00" in text:
        raise OewsError([f"{name}: not a CSV file (it holds NUL bytes)."])
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
        if header is None:
            raise OewsError([f"{name}: the file is empty."])
        rows = []
        for count, cells in enumerate(reader, start=1):
            if count > MAX_ROWS:
                raise OewsError([f"{name}: more than {MAX_ROWS:,} rows."])
            if any(cell.strip() for cell in cells):
                rows.append((reader.line_num, cells))
    except csv.Error as exc:
        raise OewsError([f"{name}, row {reader.line_num}: not valid CSV ({exc})."]) from exc
    return Sheet(name, header, rows)


def read_xlsx(data: bytes, name: str) -> Sheet:
    """The first sheet whose header row names OCC_CODE, read in openpyxl's read-only mode and
    only as far as the last column used. Formulas are refused, not evaluated."""
    from openpyxl import load_workbook

    _open_zip(data, name, "an Excel workbook (.xlsx)")  # the unpacked size, before openpyxl
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds for a damaged workbook
        raise OewsError([f"{name}: not an Excel workbook (.xlsx) ({type(exc).__name__})."]) from exc
    try:
        for sheet in book.worksheets[:MAX_SHEETS]:
            first = next(sheet.iter_rows(max_row=1, max_col=200, values_only=True), ())
            header = ["" if cell is None else str(cell) for cell in first]
            if "OCC_CODE" not in {cell.strip().upper() for cell in header}:
                continue
            label = f"{name} (sheet {sheet.title})"
            positions = _positions(header, label)
            last = max(positions.values()) + 1
            rows = []
            for number, cells in enumerate(
                sheet.iter_rows(min_row=2, max_col=last, values_only=True), start=2
            ):
                if number > MAX_ROWS + 1:
                    raise OewsError([f"{label}: more than {MAX_ROWS:,} rows."])
                if any(cell not in (None, "") for cell in cells):
                    rows.append((number, list(cells)))
            return Sheet(label, header, rows)
    except OewsError:
        raise
    except Exception as exc:
        raise OewsError([f"{name}: cannot read the workbook ({type(exc).__name__})."]) from exc
    finally:
        book.close()
    raise OewsError([f"{name}: no sheet has an OCC_CODE column."])


def _positions(header: list[str], name: str) -> dict[str, int]:
    """Each column used, by its header name in any case; a missing required one is an error."""
    positions: dict[str, int] = {}
    for index, cell in enumerate(header):
        key = str(cell).strip().upper()
        if key in (*REQUIRED, *OPTIONAL) and key not in positions:
            positions[key] = index
    missing = [column for column in REQUIRED if column not in positions]
    if missing:
        raise OewsError(
            [
                f"{name}, row 1: no column {', '.join(missing)}. Is this the OEWS national file? "
                f"Its header needs {', '.join(REQUIRED)}."
            ]
        )
    return positions


# --- Checking cells ---


class CellError(Exception):
    pass


def _echo(value) -> str:
    text = str(value)
    return repr(text if len(text) <= MAX_ECHOED else text[:MAX_ECHOED] + "…")


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        if value.startswith("="):
            raise CellError(f"holds a formula ({_echo(value)}), not a value")
        return value.strip()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _whole(value, limit: int) -> int:
    if isinstance(value, bool):
        raise CellError(f"{_echo(value)} is not a whole number")
    if isinstance(value, int):
        number = value
    elif isinstance(value, float):
        if not value.is_integer():
            raise CellError(f"{_echo(value)} is not a whole number")
        number = int(value)
    else:
        text = _text(value)
        if not _INTEGER.match(text):
            raise CellError(f"{_echo(text)} is not a whole number, *, ** or #")
        number = int(text.replace(",", ""))
    if not 0 <= number <= limit:
        raise CellError(f"{number:,} is out of range (0 to {limit:,})")
    return number


def _figure(figure: str, value) -> tuple[int | Decimal | None, str]:
    """A figure's value and note from its cell: a number, `*`/`**` (not published) or `#`."""
    text = _text(value) if isinstance(value, str) or value is None else None
    hourly = figure == "hourly_median"
    employment = figure == "employment"
    if text is not None:
        if text in ("", "*", "**"):
            default = FigureNote.EMPLOYMENT_NOT_PUBLISHED if employment else "*"
            return None, text or default
        if text == "#":
            if employment:
                raise CellError("# is for wages, not employment")
            return (Decimal(TOP_HOURLY_WAGE) if hourly else TOP_ANNUAL_WAGE), FigureNote.AT_LEAST
    if hourly:
        try:
            number = Decimal(str(value).strip().replace(",", ""))
        except InvalidOperation:
            raise CellError(f"{_echo(value)} is not an hourly wage, *, ** or #") from None
        if not number.is_finite() or not 0 <= number <= 10_000:
            raise CellError(f"{_echo(value)} is not an hourly wage")
        return number.quantize(Decimal("0.01")), ""
    return _whole(value, MAX_EMPLOYMENT if employment else MAX_WAGE), ""


def _flag(value) -> bool:
    if isinstance(value, bool):
        return value
    text = _text(value).lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise CellError(f"{_echo(value)} is not TRUE or empty")


def parse_rows(sheet: Sheet) -> dict[str, dict]:
    """Every occupation's fields by SOC code; all problems found, or none and every row."""
    positions = _positions(sheet.header, sheet.name)
    problems: list[str] = []
    parsed: dict[str, dict] = {}
    seen: dict[str, int] = {}

    def cell(cells, column):
        index = positions.get(column)
        return cells[index] if index is not None and index < len(cells) else None

    for number, cells in sheet.rows:
        values: dict = {}
        column = "OCC_CODE"
        try:
            code = _text(cell(cells, "OCC_CODE"))
            if not _SOC.match(code):
                raise CellError(f"{_echo(code)} is not a SOC code like 13-1082")
            if code in seen:
                raise CellError(
                    f"{code} is on row {seen[code]} too: the national file has one row per "
                    "occupation (is this an industry or area file?)"
                )
            column = "OCC_TITLE"
            title = _text(cell(cells, "OCC_TITLE"))
            if not title or len(title) > 250:
                raise CellError("a title of 1 to 250 characters is needed")
            values["title"] = title
            column = "O_GROUP"
            group = _text(cell(cells, "O_GROUP")).lower()
            if group not in OccupationGroup.values:
                raise CellError(f"{_echo(group)} is not one of {', '.join(OccupationGroup.values)}")
            values["group"] = group
            for figure in PAY_FIGURES:
                column = COLUMNS[figure]
                values[figure], values[f"{figure}_note"] = _figure(figure, cell(cells, column))
            column = "ANNUAL"
            values["annual_only"] = _flag(cell(cells, "ANNUAL"))
            column = "HOURLY"
            values["hourly_only"] = _flag(cell(cells, "HOURLY"))
        except CellError as exc:
            problems.append(f"{sheet.name}, row {number}, column {column}: {exc}.")
            if len(problems) > MAX_ERRORS:
                break
            continue
        seen[code] = number
        parsed[code] = values
    if problems:
        if len(problems) > MAX_ERRORS:
            problems = [*problems[:MAX_ERRORS], "… and more: fix these first."]
        raise OewsError(problems)
    if not parsed:
        raise OewsError([f"{sheet.name}: no occupation rows under the header."])
    return parsed


# --- Writing ---


# Fields written together or not at all: a figure and its note agree (the model's constraints).
FIELD_GROUPS = (
    ("title",),
    ("group",),
    *((figure, f"{figure}_note") for figure in PAY_FIGURES),
    ("annual_only",),
    ("hourly_only",),
)


def _as_json(value):
    return str(value) if isinstance(value, Decimal) else value


def oews_import(*, path: Path, release: str = "", dry_run: bool = False) -> OewsReport:
    """Read, check, then write `path` in one transaction (rolled back for a dry run)."""
    sheet, named = read_file(Path(path))
    release = (release or named).strip()
    if not release:
        raise OewsError(
            [f"{Path(path).name}: the file name does not say the release; give --release, "
             'e.g. --release "May 2025".']
        )  # fmt: skip
    if len(release) > 40 or not RELEASE_PATTERN.match(release):
        raise OewsError([f'--release {_echo(release)}: name the release like "May 2025".'])
    parsed = parse_rows(sheet)
    report = OewsReport(release=release, dry_run=dry_run)
    with transaction.atomic():
        existing = {row.soc_code: row for row in OccupationPay.objects.all()}
        report.not_in_file = len(set(existing) - set(parsed))
        new, changed = [], []
        for code, values in parsed.items():
            row = existing.get(code)
            if row is None:
                row = OccupationPay(
                    soc_code=code,
                    source=OEWS_SOURCE,
                    release=release,
                    imported={name: _as_json(value) for name, value in values.items()},
                    **values,
                )
                row.full_clean(validate_unique=False, validate_constraints=False)
                new.append(row)
                continue
            dirty, kept = False, []
            for names in FIELD_GROUPS:
                wanted = {name: values[name] for name in names}
                if not all(row.holds_import(name) for name in names):
                    # An editor's correction: a figure and its note stay together as theirs.
                    if any(getattr(row, name) != value for name, value in wanted.items()):
                        kept.extend(names)
                    continue
                for name, value in wanted.items():
                    if getattr(row, name) != value or row.imported[name] != _as_json(value):
                        setattr(row, name, value)
                        row.imported[name] = _as_json(value)
                        dirty = True
            if row.release != release or row.source != OEWS_SOURCE:
                row.release, row.source, dirty = release, OEWS_SOURCE, True
            if kept:
                report.kept[code] = kept
            if dirty:
                changed.append(row)
            else:
                report.unchanged += 1
        report.added, report.changed = len(new), len(changed)
        OccupationPay.objects.bulk_create(new, batch_size=500)
        if changed:
            fields = [*OccupationPay.imported_fields, "imported", "release", "source"]
            OccupationPay.objects.bulk_update(changed, fields, batch_size=500)
        report.roles_with_pay = roles_with_pay(set(parsed))
        if dry_run:
            transaction.set_rollback(True)
        elif new or changed:
            content_changed()
    return report


def roles_with_pay(codes: set[str]) -> int:
    """How many roles an OEWS row now covers (by their O*NET-SOC code)."""
    linked = Role.objects.exclude(onet_code=None).values_list("onet_code", flat=True)
    return sum(1 for code in linked if any(soc in codes for soc in candidate_soc_codes(code)))
