"""Render deploy/nginx.conf for this deployment: the instances, the address to listen on, and
the cookie names from the settings (a request with the session or messages cookie goes past the
cache)."""

import getpass
import os
import re
from pathlib import Path

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.management.base import BaseCommand, CommandError
from django.template import Context, Engine

from careerguide.theme import THEME_COOKIE, Theme

TEMPLATE = Path(settings.BASE_DIR) / "deploy" / "nginx.conf"
# host:port, [v6]:port or unix:/path; nothing that could end the directive or open a block.
ADDRESS = re.compile(r"^(unix:/[\w./-]+|\[[0-9a-fA-F:.]+\]:\d{1,5}|[\w.-]+:\d{1,5}|\d{1,5})$")
SERVER_NAME = re.compile(r"^[\w.*~-]+$")
# nginx's $cookie_NAME takes letters, digits and underscores only.
VARIABLE_NAME = re.compile(r"^[A-Za-z0-9_]+$")


def render(
    *,
    upstreams: list[str],
    listen: str = "80",
    server_name: str = "_",
    cache_dir: str = "/var/cache/nginx/careerguide",
    standalone: str | None = None,
) -> str:
    for address in [*upstreams, listen]:
        if not ADDRESS.match(address):
            raise CommandError(f"not an address nginx can use here: {address!r}")
    if not upstreams:
        raise CommandError("name at least one instance (--upstream host:port)")
    for name in server_name.split():
        if not SERVER_NAME.match(name):
            raise CommandError(f"not a server name: {name!r}")
    if not VARIABLE_NAME.match(THEME_COOKIE):
        raise CommandError(f"the theme cookie's name cannot be an nginx variable: {THEME_COOKIE}")
    personal = [settings.SESSION_COOKIE_NAME, CookieStorage.cookie_name]
    for name in personal:
        if not re.match(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$", name):  # a cookie name (RFC 6265)
            raise CommandError(f"not a cookie name: {name!r}")
    for path in [cache_dir, standalone or "/"]:
        if not re.match(r"^/[\w./-]*$", path):
            raise CommandError(f"give an absolute path without spaces or quotes: {path!r}")
    engine = Engine(autoescape=False)
    template = engine.from_string(TEMPLATE.read_text(encoding="utf-8"))
    text = template.render(
        Context(
            {
                "upstreams": upstreams,
                "listen": listen,
                "server_name": server_name,
                "cache_dir": cache_dir,
                "standalone": bool(standalone),
                "prefix": standalone,
                # As root, nginx's workers would run as nobody and could not write to a private
                # temporary directory: in standalone mode they stay the user who starts nginx.
                "user": getpass.getuser() if standalone and os.geteuid() == 0 else "",
                "personal_cookies": "|".join(re.escape(name) for name in personal),
                "theme_cookie": THEME_COOKIE,
                # The schemes a cookie can ask for ("auto" is the cookie's absence).
                "themes": [theme for theme in (Theme.LIGHT, Theme.DARK) if theme.isalnum()],
            }
        )
    )
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


class Command(BaseCommand):
    help = (
        "Print the nginx configuration (deploy/nginx.conf) that balances the given instances and "
        "caches anonymous pages for as long as their Cache-Control allows."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--upstream",
            action="append",
            default=[],
            metavar="HOST:PORT",
            help="an app instance (make serve); give one per instance",
        )
        parser.add_argument("--listen", default="80", help="nginx's address or port (80)")
        parser.add_argument("--server-name", default="_", help="the site's host names ('_': any)")
        parser.add_argument(
            "--cache-dir",
            default="/var/cache/nginx/careerguide",
            help="where nginx keeps cached pages",
        )
        parser.add_argument(
            "--standalone",
            metavar="DIR",
            help="a whole configuration for `nginx -p DIR -c DIR/nginx.conf`, logs and temporary "
            "files under DIR (otherwise an http-context part for conf.d/)",
        )

    def handle(self, *args, **options):
        self.stdout.write(
            render(
                upstreams=options["upstream"],
                listen=options["listen"],
                server_name=options["server_name"],
                cache_dir=options["cache_dir"],
                standalone=options["standalone"],
            ),
            ending="",
        )
