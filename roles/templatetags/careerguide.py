from django import template

from roles import seo
from roles.markdown import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text):
    """Render editor Markdown through the sanitiser; the only route from editor text to HTML."""
    return render_markdown(text)


@register.simple_tag
def faq_json_ld(faqs):
    return seo.json_ld(seo.faq_page(faqs)) if faqs else ""


@register.simple_tag(takes_context=True)
def breadcrumb_json_ld(context, breadcrumbs):
    return seo.json_ld(seo.breadcrumb_list(context["request"], breadcrumbs)) if breadcrumbs else ""
