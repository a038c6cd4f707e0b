"""Where to send a reader after an action: back where they came from, if that is on this site."""

from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request, default: str) -> str:
    """The `next` the request asks for, only if it is a path on this site; otherwise `default`."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    is_own_path = target.startswith("/") and not target.startswith(("//", "/\\"))
    if is_own_path and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default
