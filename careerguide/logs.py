"""Logs never hold a password-reset link: until it is used, its uid and token open the account.
Used by the Django log (settings.LOGGING) and by make serve's access log (gunicorn.conf.py)."""

import logging
import re

RESET_LINK = re.compile(r"(/accounts/password/reset/)[^/\s?\"]+/[^/\s?\"]+/")


def redact_reset_links(text: str) -> str:
    return RESET_LINK.sub(r"\1[redacted]/", text)


class RedactResetLinks(logging.Filter):
    """Redact reset links in a record's message and its arguments (Django's request logger
    writes the path, e.g. "Internal Server Error: %s")."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact_reset_links(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(
                redact_reset_links(arg) if isinstance(arg, str) else arg for arg in record.args
            )
        return True
