"""The one way editor-written text becomes HTML: Markdown, then the nh3 sanitiser."""

from functools import lru_cache

import markdown as markdown_lib
import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "b", "i", "code", "pre", "blockquote",
    "ul", "ol", "li", "a", "h3", "h4", "hr",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}


def render_markdown(text: str | None) -> SafeString:
    if not text:
        return mark_safe("")
    return mark_safe(_render(str(text)))  # noqa: S308 - sanitised by nh3 in _render


@lru_cache(maxsize=4096)
def _render(text: str) -> str:
    """The same text always gives the same HTML, so each process keeps the last few thousand.

    Raw HTML is not Markdown here: with Python-Markdown's HTML block and inline HTML handlers
    removed, `<b>` shows as typed (escaped by Markdown itself, so code spans and `>` blockquotes
    stay right). nh3 then removes anything outside the allow-list, such as `javascript:` links.
    """
    md = markdown_lib.Markdown(output_format="html")
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    return nh3.clean(
        md.convert(text),
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="nofollow noopener",
    )
