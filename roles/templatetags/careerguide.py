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


# Spelled with a vowel but said with a consonant ("a user researcher"), and the reverse.
_SAID_WITH_A_CONSONANT = ("uni", "use", "usu", "uti", "eu", "one", "once")
_SAID_WITH_A_VOWEL = ("hour", "honest", "honor", "heir")
_LETTERS_SAID_WITH_A_VOWEL = set("AEFHILMNORSX")  # "an SEO lead", "an HR manager"


def indefinite_article(text: str) -> str:
    """ "a" or "an", by how the first word sounds, not just how it is spelled."""
    word = (text.split() or [""])[0].strip("\"'“‘(")
    if not word:
        return "a"
    if len(word) > 1 and word.isupper():  # an initialism, read letter by letter
        return "an" if word[0] in _LETTERS_SAID_WITH_A_VOWEL else "a"
    lower = word.lower()
    if lower.startswith(_SAID_WITH_A_VOWEL):
        return "an"
    if lower.startswith(_SAID_WITH_A_CONSONANT):
        return "a"
    return "an" if lower[0] in "aeiou" else "a"


@register.filter
def with_article(name):
    """ "a Project Manager", "an Account Manager": the one way a template puts "a"/"an" before a
    role's name. Capitalise at a sentence's start with `|capfirst`."""
    name = str(name)
    return f"{indefinite_article(name)} {name}"
