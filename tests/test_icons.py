"""The favicon and touch icons (issue 22): /favicon.ico is there, and every page links its icons."""

import struct

import pytest
from django.test import Client

from tests.helpers import SEED_URL, soup
from tests.test_security import assert_security_headers


@pytest.mark.django_db
def test_favicon_ico_is_served_at_the_root():
    response = Client().get("/favicon.ico")
    assert response.status_code == 200
    assert response.headers["Content-Type"] in {"image/x-icon", "image/vnd.microsoft.icon"}
    body = b"".join(response.streaming_content)
    reserved, kind, count = struct.unpack("<HHH", body[:6])
    assert (reserved, kind) == (0, 1), "an icon file"
    sizes = {body[6 + 16 * i] for i in range(count)}
    assert {16, 32, 48} <= sizes
    assert_security_headers(response)


@pytest.mark.parametrize("path", [SEED_URL, "/", "/accounts/login/"])
def test_pages_link_a_favicon_an_svg_icon_and_a_touch_icon(client, starter_content, path):
    page = soup(client.get(path))
    icons = {
        link["rel"][0]: link["href"]
        for link in page.select("link[rel=icon], link[rel=apple-touch-icon]")
    }
    assert set(icons) == {"icon", "apple-touch-icon"}
    hrefs = [link["href"] for link in page.select("link[rel=icon], link[rel=apple-touch-icon]")]
    assert "/favicon.ico" in hrefs
    for href in hrefs:
        response = client.get(href)
        assert response.status_code == 200, href
        assert response.headers["Content-Type"].startswith("image/"), href
    touch = b"".join(client.get(icons["apple-touch-icon"]).streaming_content)
    assert touch[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", touch[16:24]) == (180, 180)
