"""The reader's and the editor's side of benchmarks/scaleout.sh, with the standard library only.

Given two instances of the site that share one PostgreSQL and one Redis, show that
- a reader who signs up and bookmarks on A is the same reader on B, bookmark included, with
  nothing but A's session cookie, and that what B records is seen on A;
- an edit saved through A's admin is what B serves on its very next request;
- both instances serve the production posture (readiness, headers, hashed compressed static);
- with --proxy, nginx in front (deploy/nginx.conf) sends requests to both instances, serves an
  anonymous page from its cache the second time, lets a signed-in reader past the cache, and
  shows an editor's save within the shared lifetime (DJANGO_SHARED_CACHE_SECONDS).
Prints PASS or FAIL per check; exits 1 if any check failed.
"""

import argparse
import hashlib
import hmac
import html
import re
import secrets
import struct
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from html.parser import HTMLParser
from http.cookiejar import Cookie, CookieJar

GUIDE = "/transitions/account-manager-to-project-manager/"
GUIDE_TITLE = "From Account Manager to Project Manager"
ROLE = "/roles/project-manager/"
ROLE_NAME = "Project Manager"

failures: list[str] = []


def check(ok: bool, what: str) -> bool:
    print(f"{'PASS' if ok else 'FAIL'}  {what}", flush=True)
    if not ok:
        failures.append(what)
    return ok


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """One cookie jar, one instance: a person's browser pointed at one address."""

    def __init__(self, base: str, jar: CookieJar | None = None):
        self.base = base
        self.jar = jar if jar is not None else CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), NoRedirect()
        )

    def request(self, path: str, data: dict | list | None = None, headers: dict | None = None):
        if isinstance(data, list):
            data = [tuple(pair) for pair in data]
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body, headers=headers or {})  # noqa: S310 - http://127.0.0.1 only
        try:
            with self.opener.open(request, timeout=15) as response:
                body = response.read().decode(errors="replace")  # static files may be brotli
                return response.status, dict(response.headers), body
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read().decode(errors="replace")

    def cookie(self, name: str) -> str | None:
        return next((c.value for c in self.jar if c.name == name), None)

    def csrf_token(self, path: str) -> str:
        status, _, page = self.request(path)
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if status != 200 or not match:
            raise RuntimeError(f"no CSRF token on {self.base}{path} (status {status})")
        return match.group(1)


def jar_with(cookies: dict[str, str]) -> CookieJar:
    """A fresh jar holding only the given cookies for 127.0.0.1, as if copied by hand."""
    jar = CookieJar()
    for name, value in cookies.items():
        jar.set_cookie(
            Cookie(0, name, value, None, False, "127.0.0.1", False, False, "/", True, False,
                   None, False, None, None, {})
        )  # fmt: skip
    return jar


class FormFields(HTMLParser):
    """The fields a browser would submit from the first <form> with the given id."""

    def __init__(self, form_id: str):
        super().__init__(convert_charrefs=True)
        self.form_id, self.inside, self.fields = form_id, False, []
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.inside = a.get("id") == self.form_id
        if not self.inside or ("name" not in a and tag != "option"):
            return
        if tag == "input":
            kind = a.get("type", "text")
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self.fields.append([a["name"], a.get("value", "on" if kind == "checkbox" else "")])
        elif tag == "textarea":
            self._textarea = a["name"]
            self.fields.append([a["name"], ""])
        elif tag == "select":
            self._select = a["name"]
        elif tag == "option" and self._select and "selected" in a:
            self.fields.append([self._select, a.get("value", "")])

    def handle_data(self, data):
        if self._textarea:
            self.fields[-1][1] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
            if self.fields and self.fields[-1][1].startswith("\n"):
                self.fields[-1][1] = self.fields[-1][1][1:]  # HTML drops the first newline
        elif tag == "select":
            self._select = None
        elif tag == "form":
            self.inside = False


def wait_ready(base: str, seconds: float = 60) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(base + "/readyz", timeout=5) as response:  # noqa: S310
                if response.status == 200:
                    return True
        except OSError:
            pass
        time.sleep(0.3)
    return False


def reader_journey(a: str, b: str) -> None:
    username = f"scaleout-{secrets.token_hex(4)}"
    password = secrets.token_urlsafe(16)
    on_a = Browser(a)
    token = on_a.csrf_token("/accounts/signup/")
    status, headers, _ = on_a.request(
        "/accounts/signup/",
        {"csrfmiddlewaretoken": token, "username": username, "password1": password,
         "password2": password},
    )  # fmt: skip
    check(
        status == 302, f"A: {username} signs up and is signed in (302 to {headers.get('Location')})"
    )

    token = on_a.csrf_token(GUIDE)
    status, _, _ = on_a.request(
        GUIDE + "bookmark/", {"csrfmiddlewaretoken": token, "bookmarked": "1"}
    )
    check(status == 302, f"A: bookmarks {GUIDE}")

    session = on_a.cookie("sessionid")
    check(bool(session), f"A: session cookie issued (sessionid={session[:8]}...)")
    on_b = Browser(b, jar_with({"sessionid": session, "csrftoken": on_a.cookie("csrftoken")}))
    status, _, page = on_b.request("/bookmarks/")
    check(
        status == 200 and username in page and GUIDE_TITLE in page,
        f"B: the same cookie is {username} on B, and B lists the bookmark made on A",
    )

    token = on_b.csrf_token(GUIDE)
    status, _, _ = on_b.request(
        GUIDE + "steps/1/progress/", {"csrfmiddlewaretoken": token, "completed": "1"}
    )
    check(status == 302, "B: the reader ticks step 1 of the guide")
    status, _, page = on_a.request("/bookmarks/")
    check(
        status == 200 and re.search(r"1 of \d+ steps done", page) is not None,
        "A: shows the step ticked on B",
    )


def totp_code(hex_key: str) -> str:
    """The code an authenticator app shows now for this key (RFC 6238, as django-otp checks)."""
    counter = struct.pack(">Q", int(time.time()) // 30)
    digest = hmac.new(bytes.fromhex(hex_key), counter, hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{number % 1_000_000:06d}"


def editor_edit(
    a: str, b: str, editor: str, editor_password: str, totp_key: str
) -> CookieJar | None:
    """The editor's save on A, seen on B; the editor's cookies (signed in to the admin) after."""
    on_a, on_b = Browser(a), Browser(b)
    status, _, before = on_b.request(ROLE)
    check(status == 200, f"B: serves {ROLE} before the edit")

    token = on_a.csrf_token("/admin/login/")
    status, _, _ = on_a.request(
        "/admin/login/?next=/admin/",
        {"csrfmiddlewaretoken": token, "username": editor, "password": editor_password,
         "otp_token": totp_code(totp_key), "next": "/admin/"},
    )  # fmt: skip
    check(status == 302, f"A: {editor} signs in to the admin with a two-factor code")

    _, _, changelist = on_a.request("/admin/roles/role/?q=" + urllib.parse.quote(ROLE_NAME))
    links = re.findall(r'href="(/admin/roles/role/\d+/change/)[^"]*">([^<]+)</a>', changelist)
    change_url = next((url for url, text in links if html.unescape(text) == ROLE_NAME), None)
    if not check(change_url is not None, f"A: the admin lists {ROLE_NAME}"):
        return None
    saved = save_summary(on_a, change_url, "A")
    if saved is None:
        return None
    marker, saved_at = saved
    status, _, after = on_b.request(ROLE)
    elapsed_ms = (time.monotonic() - saved_at) * 1000
    check(
        marker not in before and marker in html.unescape(after),
        f"B: serves the edited summary on its next request ({elapsed_ms:.0f} ms after the save)",
    )
    return on_a.jar


def save_summary(editor: Browser, change_url: str, name: str) -> tuple[str, float] | None:
    """Add a marker to the role's summary through the admin; the marker and when it was saved."""
    _, _, form_page = editor.request(change_url)
    form = FormFields("role_form")
    form.feed(form_page)
    marker = f"Edited through {name} at {time.strftime('%H:%M:%S')} ({secrets.token_hex(3)})."
    fields = [
        [field, f"{value} {marker}" if field == "summary" else value]
        for field, value in form.fields
    ]
    if not check(
        any(field == "summary" for field, _ in fields), f"{name}: the role form has a summary"
    ):
        return None
    status, _headers, page = editor.request(change_url, [*fields, ["_save", "Save"]])
    saved_at = time.monotonic()
    if not check(status == 302, f"{name}: the admin saves the new summary ({status})"):
        errors = re.findall(r'class="errorlist[^"]*"[^>]*>(.*?)</ul>', page, re.S)
        print("      form errors:", [re.sub(r"<[^>]+>", " ", e).strip() for e in errors][:5])
        return None
    return marker, saved_at


def readyz_requests(log: str) -> int:
    with open(log, encoding="utf-8", errors="replace") as lines:
        return sum("GET /readyz" in line for line in lines)


def through_proxy(proxy: str, logs: list[str], editor_jar: CookieJar | None, shared: float) -> None:
    """nginx in front: balancing, caching, the bypass for signed-in readers, edits within the
    shared lifetime."""
    seen_before = [readyz_requests(log) for log in logs]
    for _ in range(20):
        Browser(proxy).request("/readyz")
    seen = [readyz_requests(log) - n for log, n in zip(logs, seen_before, strict=True)]
    check(
        all(n > 0 for n in seen) and sum(seen) >= 20,
        f"nginx: 20 requests for /readyz reach both instances ({' and '.join(map(str, seen))})",
    )

    anonymous = Browser(proxy)
    page = "/compare/account-manager-vs-project-manager/"
    statuses = [anonymous.request(page)[1].get("X-Cache-Status") for _ in range(2)]
    _, headers, body = anonymous.request(page)
    statuses.append(headers.get("X-Cache-Status"))
    check(
        statuses[0] in ("MISS", "EXPIRED", "STALE", "HIT") and "HIT" in statuses[1:],
        f"nginx: {page} comes from nginx's cache on a repeat ({', '.join(map(str, statuses))};"
        f" Cache-Control: {headers.get('Cache-Control')})",
    )
    check(
        "default-src 'self'" in headers.get("Content-Security-Policy", "")
        and headers.get("X-Frame-Options") == "DENY"
        and "Set-Cookie" not in headers,
        "nginx: a cached page keeps the security headers and sets no cookie",
    )

    if editor_jar is None:
        check(False, "nginx: no signed-in editor to go on with")
        return
    editor = Browser(proxy, editor_jar)
    status, headers, body = editor.request(page)
    check(
        status == 200
        and headers.get("X-Cache-Status") == "BYPASS"
        and headers.get("Cache-Control") == "private, no-store"
        and "Sign out" in body,
        f"nginx: a signed-in request goes past the cache ({headers.get('X-Cache-Status')},"
        f" {headers.get('Cache-Control')})",
    )
    _, headers, body = anonymous.request(page)
    check("Sign out" not in body, "nginx: the next anonymous reader gets the anonymous page")

    anonymous.request(ROLE)
    _, headers, before = anonymous.request(ROLE)
    _, _, changelist = editor.request("/admin/roles/role/?q=" + urllib.parse.quote(ROLE_NAME))
    links = re.findall(r'href="(/admin/roles/role/\d+/change/)[^"]*">([^<]+)</a>', changelist)
    change_url = next((url for url, text in links if html.unescape(text) == ROLE_NAME), None)
    if not check(change_url is not None, f"nginx: the admin lists {ROLE_NAME}"):
        return
    saved = save_summary(editor, change_url, "nginx")
    if saved is None:
        return
    marker, saved_at = saved
    statuses = []
    while time.monotonic() - saved_at < shared + 3:
        _, headers, after = anonymous.request(ROLE)
        statuses.append(str(headers.get("X-Cache-Status")))
        if marker in html.unescape(after):
            break
        time.sleep(0.05)
    elapsed = time.monotonic() - saved_at
    check(
        marker not in before and marker in html.unescape(after) and elapsed <= shared + 0.3,
        f"nginx: an anonymous reader sees the edit {elapsed * 1000:.0f} ms after the save "
        f"(shared lifetime {shared:g} s; {len(statuses)} requests: {sorted(set(statuses))})",
    )


def production_posture(a: str, b: str) -> None:
    for name, base in (("A", a), ("B", b)):
        status, headers, page = Browser(base).request("/")
        policy = headers.get("Content-Security-Policy", "")
        check(
            status == 200
            and "unsafe-inline" not in policy
            and "default-src 'self'" in policy
            and headers.get("X-Content-Type-Options") == "nosniff"
            and headers.get("X-Frame-Options") == "DENY",
            f"{name}: home page with Content-Security-Policy and the security headers",
        )
        css = re.search(r'href="(/static/css/careerguide\.[0-9a-f]{12}\.css)"', page)
        if not check(css is not None, f"{name}: pages link hashed static files"):
            continue
        status, headers, _ = Browser(base).request(css.group(1), headers={"Accept-Encoding": "br"})
        check(
            status == 200
            and headers.get("Content-Encoding") == "br"
            and "immutable" in headers.get("Cache-Control", ""),
            f"{name}: {css.group(1)} served by WhiteNoise, brotli, {headers.get('Cache-Control')}",
        )


def redis_session_keys(port: int) -> int:
    result = subprocess.run(  # noqa: S603
        # Debian's redis-cli from PATH; a fixed command line of our own.
        ["redis-cli", "-p", str(port), "--scan", "--pattern", "*django.contrib.sessions*"],  # noqa: S607
        capture_output=True,
        text=True,
        check=False,
    )
    return len(result.stdout.split())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("a")
    parser.add_argument("b")
    parser.add_argument("--editor", required=True)
    parser.add_argument("--editor-password", required=True)
    parser.add_argument("--editor-totp-key", required=True, help="hex key of the editor's app")
    parser.add_argument("--redis-port", type=int)
    parser.add_argument("--proxy", help="nginx in front of both instances (deploy/nginx.conf)")
    parser.add_argument("--instance-logs", nargs=2, metavar="LOG", help="A's and B's access logs")
    parser.add_argument("--shared-seconds", type=float, default=1.0)
    args = parser.parse_args()

    for name, base in (("A", args.a), ("B", args.b)):
        check(wait_ready(base), f"{name}: {base}/readyz answers 200 (database and Redis reachable)")
    if failures:
        return 1
    try:
        reader_journey(args.a, args.b)
        jar = editor_edit(args.a, args.b, args.editor, args.editor_password, args.editor_totp_key)
        production_posture(args.a, args.b)
        if args.proxy:
            through_proxy(args.proxy, args.instance_logs, jar, args.shared_seconds)
    except Exception as error:  # noqa: BLE001 - report it as a failed check and still print the summary
        check(False, f"unexpected error: {error!r:.300}")
    if args.redis_port:
        keys = redis_session_keys(args.redis_port)
        check(keys > 0, f"Redis holds {keys} session entries: sessions go through the shared cache")
    print(f"{len(failures)} check(s) failed" if failures else "all checks passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
