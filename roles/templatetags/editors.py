"""The editors' admin: the attention list on the admin index."""

from django import template

from roles.attention import attention_list

register = template.Library()


@register.inclusion_tag("admin/roles/attention.html", takes_context=True)
def attention(context):
    user = context["request"].user
    allowed = user.has_perm("roles.change_comparison") or user.has_perm("roles.change_role")
    if not allowed:
        return {"kinds": None}
    kinds = attention_list()
    return {
        "kinds": [kind for kind in kinds if kind.items],
        "clear": [kind.title for kind in kinds if not kind.items],
    }
