"""Reading an O*NET text release: the zip as downloaded or its unzipped folder.

Every file is tab-delimited UTF-8 with one header row, and every column is found by its header
name (releases add and drop columns such as `Title`). The reader is bounded: a file may be at
most MAX_FILE_BYTES uncompressed (a zip member's declared size is checked before a byte is
inflated, and zipfile stops at that size), a line MAX_LINE_BYTES and MAX_FIELDS fields. Anything
wrong is an OnetError naming the file, the line and the column.

O*NET's text files do not quote fields, so the csv module reads them with the tab dialect and
quoting turned off: a title that starts with a quote mark stays as typed, and one line is always
one row, so line numbers are exact.
"""

import csv
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal, InvalidOperation
from pathlib import Path, PurePosixPath
from typing import IO

from roles.models import ONET_CODE_PATTERN

OCCUPATION_DATA = "Occupation Data.txt"
MAX_FILE_BYTES = 256 * 1024 * 1024  # the largest file, Work Context.txt, is about 45 MB
MAX_LINE_BYTES = 100_000  # the longest real line (a description) is under 2,000
MAX_FIELDS = 64  # the widest real file has 15 columns
MAX_ZIP_MEMBERS = 1_000  # a release has about 40 files
MAX_ECHOED = 60  # characters of a bad value an error message repeats

NOT_AVAILABLE = "n/a"  # O*NET's "missing"
_CODE = re.compile(ONET_CODE_PATTERN)
_RELEASE_IN_NAME = re.compile(r"db_(\d{1,3})_(\d{1,2})_text", re.IGNORECASE)
RELEASE_PATTERN = re.compile(r"^\d{1,3}\.\d{1,2}$")


class OnetError(Exception):
    """A release the import refuses, with where: "Skills.txt, line 12, column “Data Value”: ..."."""

    def __init__(self, file: str, message: str, *, line: int | None = None, column: str = ""):
        self.file, self.message, self.line, self.column = file, message, line, column
        super().__init__(str(self))

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f", line {self.line:,}"
        if self.column:
            where += f", column “{self.column}”"
        return f"{where}: {self.message}"


def brief(value: str) -> str:
    text = value if len(value) <= MAX_ECHOED else value[: MAX_ECHOED - 1] + "…"
    return repr(text)


class OnetDialect(csv.excel_tab):
    quoting = csv.QUOTE_NONE
    strict = True


# --- The release on disk ---


class Release:
    """The files of one release, from a zip (as downloaded) or a folder (unzipped)."""

    def __init__(self, path: Path):
        self.path = path
        self.folder_name = ""  # e.g. db_30_1_text, where the files sit
        if path.is_dir():
            self._init_folder(path)
        elif path.is_file():
            self._init_zip(path)
        else:
            raise OnetError(str(path), "no such file or folder")

    def _init_folder(self, path: Path) -> None:
        if (path / OCCUPATION_DATA).is_file():
            folder = path
        else:
            found = sorted(sub for sub in path.iterdir() if (sub / OCCUPATION_DATA).is_file())
            if len(found) != 1:
                raise OnetError(
                    path.name,
                    f"holds no {OCCUPATION_DATA}, nor one folder that does"
                    if not found
                    else f"has {len(found)} folders with an {OCCUPATION_DATA}; name one of them",
                )
            folder = found[0]
        self.folder_name = folder.name
        self._zip = None
        self._files = {entry.name: entry for entry in folder.iterdir() if entry.is_file()}

    def _init_zip(self, path: Path) -> None:
        try:
            archive = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError, ValueError) as exc:
            raise OnetError(path.name, f"not a zip file that can be read ({exc})") from exc
        infos = archive.infolist()
        if len(infos) > MAX_ZIP_MEMBERS:
            raise OnetError(path.name, f"holds {len(infos):,} files; a release has about 40")
        homes = [
            PurePosixPath(info.filename).parent
            for info in infos
            if PurePosixPath(info.filename).name == OCCUPATION_DATA and not info.is_dir()
        ]
        if len(homes) != 1:
            raise OnetError(
                path.name,
                f"holds no {OCCUPATION_DATA}"
                if not homes
                else f"holds {len(homes)} copies of {OCCUPATION_DATA}",
            )
        home = homes[0]
        self.folder_name = home.name
        self._zip = archive
        self._files = {
            PurePosixPath(info.filename).name: info
            for info in infos
            if PurePosixPath(info.filename).parent == home and not info.is_dir()
        }

    def close(self) -> None:
        if self._zip is not None:
            self._zip.close()

    def has(self, name: str) -> bool:
        return name in self._files

    def size(self, name: str) -> int:
        entry = self._files[name]
        return entry.file_size if self._zip is not None else entry.stat().st_size

    def guessed_release(self) -> str | None:
        """The release its name says: db_30_1_text(.zip) is 30.1."""
        for name in (self.path.name, self.folder_name):
            match = _RELEASE_IN_NAME.search(name)
            if match:
                return f"{int(match[1])}.{int(match[2])}"
        return None

    @contextmanager
    def open(self, name: str) -> Iterator[IO[bytes]]:
        size = self.size(name)
        if size > MAX_FILE_BYTES:
            raise OnetError(
                name,
                f"is {size:,} bytes (uncompressed); a release file may be at most "
                f"{MAX_FILE_BYTES:,}",
            )
        entry = self._files[name]
        stream = self._zip.open(entry) if self._zip is not None else open(entry, "rb")  # noqa: SIM115
        try:
            yield stream
        finally:
            stream.close()


# --- One file, row by row ---


class Table:
    """One file of the release: its header, and its rows as lists of text with line numbers.

    `columns` are required by name, `optional` are used where present; the rest are ignored.
    The helpers (`text`, `code`, `number`, `flag`, `integer`) read one field of a row and raise
    an OnetError that names the file, line and column when the field is not what it should be.
    """

    def __init__(
        self,
        release: Release,
        name: str,
        columns: tuple[str, ...],
        optional: tuple[str, ...] = (),
    ):
        self.release, self.name = release, name
        self.columns, self.optional = columns, optional
        self.index: dict[str, int] = {}
        self.rows_read = 0

    def error(self, message: str, line: int | None = None, column: str = "") -> OnetError:
        return OnetError(self.name, message, line=line, column=column)

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        try:
            with self.release.open(self.name) as stream:
                yield from self._rows(stream)
        except (zipfile.BadZipFile, zlib.error, EOFError, RuntimeError, OSError) as exc:
            raise self.error(f"could not be read ({exc})") from exc

    def _rows(self, stream: IO[bytes]) -> Iterator[tuple[int, list[str]]]:
        reader = csv.reader(self._lines(stream), OnetDialect)
        header = None
        width = 0
        try:
            for fields in reader:
                line = reader.line_num
                if len(fields) > MAX_FIELDS:
                    raise self.error(f"has {len(fields):,} fields; at most {MAX_FIELDS}", line)
                if header is None:
                    header = self._read_header(fields)
                    width = len(fields)
                    continue
                if not any(fields):
                    continue  # a blank line
                if len(fields) != width:
                    if len(fields) < width:
                        missing = [n for n, i in self.index.items() if i >= len(fields)]
                        raise self.error(
                            f"has {len(fields)} fields where the header has {width}",
                            line,
                            missing[0] if missing else "",
                        )
                    if any(fields[width:]):
                        raise self.error(
                            f"has {len(fields)} fields where the header has {width}", line
                        )
                self.rows_read += 1
                yield line, fields
        except csv.Error as exc:
            raise self.error(f"not a tab-delimited line ({exc})", reader.line_num) from exc
        if header is None:
            raise self.error("is empty: it needs a header row", 1)

    def _lines(self, stream: IO[bytes]) -> Iterator[str]:
        line = 0
        total = 0
        while True:
            raw = stream.readline(MAX_LINE_BYTES + 1)
            if not raw:
                return
            line += 1
            total += len(raw)
            if total > MAX_FILE_BYTES:  # a folder's file that grew, or a lying zip entry
                raise self.error(f"is longer than {MAX_FILE_BYTES:,} bytes", line)
            if len(raw) > MAX_LINE_BYTES:
                raise self.error(f"is longer than {MAX_LINE_BYTES:,} bytes", line)
            if line == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                field = raw[: exc.start].count(b"\t")
                raise self.error(
                    f"is not UTF-8 text (byte 0x{raw[exc.start]:02x} at byte {exc.start + 1}); "
                    "save the file as UTF-8",
                    line,
                    self._column_at(field),
                ) from exc
            if "\x00" in text:
                field = text[: text.index("\x00")].count("\t")
                raise self.error("holds a NUL character", line, self._column_at(field))
            yield text.rstrip("\r\n")

    def _column_at(self, position: int) -> str:
        for name, index in self.index.items():
            if index == position:
                return name
        return f"field {position + 1}"

    def _read_header(self, fields: list[str]) -> list[str]:
        names = [field.strip().casefold() for field in fields]
        wanted = {column.casefold(): column for column in (*self.columns, *self.optional)}
        for position, name in enumerate(names):
            if name in wanted and wanted[name] not in self.index:
                self.index[wanted[name]] = position
        missing = [column for column in self.columns if column not in self.index]
        if missing:
            if len(fields) == 1 and len(self.columns) > 1:
                looks = "comma-separated" if "," in fields[0] else "not tab-delimited"
                raise self.error(
                    f"the header has one column: the file is {looks}, not tab-delimited as "
                    "O*NET's text release is",
                    1,
                )
            raise self.error(
                f"no column “{missing[0]}” in the header "
                f"(it has: {', '.join(field.strip() for field in fields[:20])})",
                1,
            )
        return fields

    # --- fields ---

    def has(self, column: str) -> bool:
        return column in self.index

    def raw(self, fields: list[str], column: str) -> str:
        return fields[self.index[column]].strip()

    def text(
        self, fields: list[str], line: int, column: str, *, max_length: int, blank: bool = False
    ) -> str:
        value = self.raw(fields, column)
        if value == NOT_AVAILABLE:
            value = ""
        if not value and not blank:
            raise self.error("is empty", line, column)
        if len(value) > max_length:
            raise self.error(
                f"is {len(value):,} characters long; at most {max_length:,}", line, column
            )
        return value

    def code(self, fields: list[str], line: int, column: str = "O*NET-SOC Code") -> str:
        value = self.raw(fields, column)
        if not _CODE.match(value):
            raise self.error(
                f"{brief(value)} is not an O*NET-SOC code (like 13-1082.00)", line, column
            )
        return value

    def number(
        self, fields: list[str], line: int, column: str, low: Decimal, high: Decimal
    ) -> Decimal:
        value = self.raw(fields, column)
        try:
            number = Decimal(value)
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite():
            raise self.error(f"{brief(value)} is not a number", line, column)
        if not low <= number <= high:
            raise self.error(f"{value} is outside {low} to {high}", line, column)
        return number

    def integer(self, fields: list[str], line: int, column: str, low: int, high: int) -> int:
        value = self.raw(fields, column)
        if not value.isdigit() or not low <= int(value) <= high:
            raise self.error(f"{brief(value)} is not a whole number {low} to {high}", line, column)
        return int(value)

    def flag(self, fields: list[str], line: int, column: str) -> bool:
        """Y/N; O*NET writes n/a (or nothing) where a flag does not apply."""
        if column not in self.index:
            return False
        value = self.raw(fields, column).upper()
        if value in ("Y", "YES", "TRUE"):
            return True
        if value in ("N", "NO", "FALSE", "", "N/A", "NULL"):
            return False
        raise self.error(f"{brief(value)} is not Y or N", line, column)


def read_table(
    release: Release,
    name: str,
    columns: tuple[str, ...],
    optional: tuple[str, ...] = (),
    *,
    each: Callable[[Table, int, list[str]], None],
) -> Table:
    """Read every row of one file through `each(table, line, fields)`."""
    table = Table(release, name, columns, optional)
    for line, fields in table.rows():
        each(table, line, fields)
    return table
