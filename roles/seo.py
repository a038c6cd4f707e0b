"""What search engines read: schema.org JSON-LD, built from the same data the page shows."""

import json

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from roles.markdown import render_markdown

# Inside <script>, only these can end the element or confuse an HTML parser; JSON stays valid.
_SCRIPT_SAFE = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def json_ld(data: dict) -> SafeString:
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_SCRIPT_SAFE)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(payload))  # noqa: S308


def faq_page(faqs) -> dict:
    """FAQPage whose answers are the exact HTML the page shows for each FAQ."""
    return {
        "@context": "https://schema.org",
        "@type": "FAQPage",
        "mainEntity": [
            {
                "@type": "Question",
                "name": faq.question,
                "acceptedAnswer": {"@type": "Answer", "text": str(render_markdown(faq.answer))},
            }
            for faq in faqs
        ],
    }


def breadcrumb_list(request, crumbs: list[tuple[str, str]]) -> dict:
    trail = [("Home", "/"), *crumbs]
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {
                "@type": "ListItem",
                "position": position,
                "name": name,
                "item": request.build_absolute_uri(url),
            }
            for position, (name, url) in enumerate(trail, start=1)
        ],
    }
