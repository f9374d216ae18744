"""Text responses are compressed for clients that accept it (Flask-Compress); binary and small ones are not."""
import gzip
import re

import brotli
import pytest


def test_pages_are_compressed_for_clients_that_accept_it(signed_in):
    client = signed_in("vanphong")
    plain = client.get("/tasks")
    response = client.get("/tasks", headers={"Accept-Encoding": "gzip"})
    assert response.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response.headers["Vary"]
    page = gzip.decompress(response.data)
    # the same page, but for its CSRF token, which is signed with the time and so differs on every response
    assert len(page) == len(plain.data) and page.startswith(b"<!doctype html>")
    assert len(response.data) * 3 < len(plain.data)


def test_without_accept_encoding_nothing_is_compressed(client):
    response = client.get("/login")
    assert "Content-Encoding" not in response.headers
    assert response.text.startswith("<!doctype html>")


@pytest.mark.parametrize("accepted, chosen", [("gzip, deflate, br, zstd", "zstd"), ("gzip, br", "br"),
                                              ("gzip", "gzip"), ("deflate", None), ("identity", None)])
def test_the_best_accepted_algorithm_is_chosen(client, accepted, chosen):
    response = client.get("/login", headers={"Accept-Encoding": accepted})
    assert response.headers.get("Content-Encoding") == chosen


def test_htmx_fragments_are_compressed_too(signed_in):
    client = signed_in("vanphong")
    fragment = client.get("/tasks", headers={"HX-Request": "true", "Accept-Encoding": "br"})
    assert fragment.status_code == 200
    assert fragment.headers["Content-Encoding"] == "br"
    assert not brotli.decompress(fragment.data).lstrip().startswith(b"<!doctype html>")


def test_static_files_are_compressed_and_keep_their_year_long_caching(client):
    script = re.search(r'src="(/static/vendor/[^"]+)"', client.get("/login").text).group(1)
    # Files are sent as streams, compressed chunk by chunk: with zstd or brotli, the algorithms browsers offer
    response = client.get(script, headers={"Accept-Encoding": "gzip, deflate, br"})
    assert response.headers["Content-Encoding"] == "br"
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert len(brotli.decompress(response.data)) > 2 * len(response.data)


def test_security_headers_survive_compression(client):
    response = client.get("/login", headers={"Accept-Encoding": "gzip"})
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
