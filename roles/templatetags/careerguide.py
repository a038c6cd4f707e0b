from django import template

from roles.markdown import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text):
    """Render editor Markdown through the sanitiser; the only route from editor text to HTML."""
    return render_markdown(text)
