"""The one way editor-written text becomes HTML: Markdown, then the nh3 sanitiser.

Python-Markdown is pure Python, and a few shapes of text make it slow or make it fail: each `[`
without its `]` (or `](` without its `)`) is scanned to the end of its paragraph, so thousands of
them take minutes; lists or quotes nested a few hundred deep exhaust the interpreter's recursion
limit; a long run of lines without a blank one is searched once per line. So a text is converted
only when it is at most MAX_MARKDOWN_LENGTH characters long, nests at most MAX_NESTING levels
deep and runs at most MAX_BLOCK_LINES lines without a blank one; and its conversion stops once
its link scanning has read MAX_LINK_SCAN characters (about 0.1 s; real prose reads a few
thousand). A text refused on any of these counts is shown as escaped plain paragraphs instead,
and `validate_markdown` gives its editor the reason at save time, in the admin and in
`import_content` alike.
"""

import html
import logging
import re
from functools import lru_cache

import markdown as markdown_lib
import nh3
from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.safestring import SafeString, mark_safe

log = logging.getLogger(__name__)

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "b", "i", "code", "pre", "blockquote",
    "ul", "ol", "li", "a", "h3", "h4", "hr",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}

MAX_MARKDOWN_LENGTH = 10_000  # also the longest a long Markdown field may be (roles/models/)
MAX_NESTING = 16
MAX_BLOCK_LINES = 400
MAX_LINK_SCAN = 1_000_000
TAB_LENGTH = 4

# The start of a line: indentation, `>` quote markers and list markers (`-`, `*`, `+`, `1.`).
_LINE_PREFIX = re.compile(r"(?:[ ]*(?:>|(?:[-*+]|\d{1,9}[.)])(?= |$)))*[ ]*")
_MARKERS = re.compile(r">|[-*+]|\d{1,9}[.)]")


class _TooComplex(Exception):
    pass


def render_markdown(text: str | None) -> SafeString:
    if not text:
        return mark_safe("")
    return mark_safe(_render(str(text)))  # noqa: S308 - sanitised by nh3 in _render/_plain


@lru_cache(maxsize=4096)
def _render(text: str) -> str:
    """The same text always gives the same HTML, so each process keeps the last few thousand."""
    converted, problem = _convert(text)
    if problem is None:
        return converted
    log.warning("Markdown shown as plain text (%s characters): %s", len(text), problem)
    return _plain(text)


def markdown_problem(text: str) -> str | None:
    """Why `text` would be shown as plain text rather than Markdown, for its editor; or None."""
    return _convert(text)[1]


@deconstructible
class MarkdownValidator:
    """A model field validator: refuses text that the site would not render as Markdown."""

    def __call__(self, value) -> None:
        problem = markdown_problem(str(value or ""))
        if problem:
            raise ValidationError(problem, code="markdown_too_complex")

    def __eq__(self, other) -> bool:
        return isinstance(other, MarkdownValidator)

    def __hash__(self) -> int:
        return hash(MarkdownValidator)


validate_markdown = MarkdownValidator()


def _convert(text: str) -> tuple[str, str | None]:
    if len(text) > MAX_MARKDOWN_LENGTH:
        return "", (
            f"This Markdown is {len(text):,} characters long; "
            f"the site shows at most {MAX_MARKDOWN_LENGTH:,}."
        )
    problem = _shape_problem(text)
    if problem:
        return "", problem
    try:
        converted = _markdown(text)
    except _TooComplex:
        return "", (
            "This Markdown has too many “[” or “](” without their closing “]” or “)” to show as "
            "formatting. Close each link's brackets, or write a literal bracket as \\[ or \\(."
        )
    except RecursionError:  # not expected within MAX_NESTING: refuse rather than fail the page
        return "", "This Markdown nests too deeply to show. Use fewer levels of lists or quotes."
    return converted, None


def _shape_problem(text: str) -> str | None:
    """Lists, quotes and indented blocks nest by the start of each line: count their levels. And
    a few block rules search a whole paragraph once per line of it: count lines between blanks."""
    run = 0
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            run = 0  # a blank line nests nothing, however many spaces it holds
            continue
        run += 1
        if run > MAX_BLOCK_LINES:
            return (
                f"Lines {number - run + 1} to {number} run on without a blank line between "
                f"them; the site shows at most {MAX_BLOCK_LINES} in a row. Add blank lines "
                "between paragraphs or lists."
            )
        prefix = _LINE_PREFIX.match(line.expandtabs(TAB_LENGTH))[0]
        markers = len(_MARKERS.findall(prefix))  # each but the last followed by one space
        depth = markers + max(0, prefix.count(" ") - markers) // TAB_LENGTH
        if depth > MAX_NESTING:
            return (
                f"Line {number} nests {depth} levels deep (lists, “>” quotes or indentation); "
                f"the site shows at most {MAX_NESTING}. Use fewer levels."
            )
    return None


def _markdown(text: str) -> str:
    """Raw HTML is not Markdown here: with Python-Markdown's HTML block and inline HTML handlers
    removed, `<b>` shows as typed (escaped by Markdown itself, so code spans and `>` blockquotes
    stay right). nh3 then removes anything outside the allow-list, such as `javascript:` links.
    """
    md = markdown_lib.Markdown(output_format="html", tab_length=TAB_LENGTH)
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    _meter_link_scanning(md)
    return _clean(md.convert(text))


def _meter_link_scanning(md) -> None:
    """Count the characters every link and image pattern scans for its `]` and `)`, and stop the
    conversion once they pass MAX_LINK_SCAN. (Each scan reads at most one paragraph.)"""
    scanned = 0

    def charge(count: int) -> None:
        nonlocal scanned
        scanned += count
        if scanned > MAX_LINK_SCAN:
            raise _TooComplex

    for pattern in md.inlinePatterns:
        get_text = getattr(pattern, "getText", None)
        get_link = getattr(pattern, "getLink", None)
        if get_text is not None:

            def metered_text(data, index, _get_text=get_text):
                result = _get_text(data, index)
                charge(result[1] - index)
                return result

            pattern.getText = metered_text
        if get_link is not None:

            def metered_link(data, index, _get_link=get_link):
                result = _get_link(data, index)
                if data.startswith("(", index):  # else nothing was scanned
                    end, handled = result[2], result[3]
                    # Unclosed, it read to the end; with a quote (a title), it may have read on
                    # to the end before settling for an earlier `)`.
                    if not handled or "'" in data[index:end] or '"' in data[index:end]:
                        end = len(data)
                    charge(end - index)
                return result

            pattern.getLink = metered_link


def _clean(markup: str) -> str:
    return nh3.clean(
        markup,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="nofollow noopener",
    )


def _plain(text: str) -> str:
    """The text as typed, escaped, one paragraph per blank-line-separated block."""
    blocks = re.split(r"\n[ \t]*\n", text.replace("\r\n", "\n").replace("\r", "\n").strip())
    return _clean("".join(f"<p>{html.escape(block)}</p>" for block in blocks if block.strip()))
