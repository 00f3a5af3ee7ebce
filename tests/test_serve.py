"""The dev server through the real `sitegen serve`: byte ranges (RFC 9110) and folder redirects."""
from __future__ import annotations

import http.client
from urllib.parse import urlsplit

import pytest

from conftest import post, write
from test_publish import Server

SIZE = 1000
BLOB = bytes(i % 251 for i in range(SIZE))  # no two neighbouring bytes alike: a wrong offset shows


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    root = tmp_path_factory.mktemp("serve")
    write(root, {"content/posts/2024-01-01-first.md": post("First", "First text.", permalink="/posts/first/")})
    (root / "content/assets").mkdir(parents=True)
    (root / "content/assets/blob.bin").write_bytes(BLOB)
    running = Server(root)
    yield running
    assert running.stop() == 0


def request(server: Server, path: str, **headers: str) -> tuple[http.client.HTTPResponse, bytes]:
    where = urlsplit(server.origin)
    connection = http.client.HTTPConnection(where.hostname, where.port, timeout=10)
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        return response, response.read()
    finally:
        connection.close()


def test_serve_binds_loopback(server):
    assert urlsplit(server.origin).hostname == "127.0.0.1"


def test_a_plain_request_gets_the_whole_file(server):
    response, body = request(server, "/assets/blob.bin")
    assert response.status == 200 and body == BLOB
    assert response.getheader("Accept-Ranges") == "bytes" and response.getheader("Content-Length") == str(SIZE)


@pytest.mark.parametrize("spec, first, last", [
    ("bytes=100-199", 100, 199),
    ("bytes=900-", 900, 999),
    ("bytes=900-5000", 900, 999),  # a last position past the end means the end
    ("bytes=-500", 500, 999),  # a suffix: the last 500 bytes
    ("bytes=-5000", 0, 999),  # a suffix longer than the file: all of it
    ("Bytes=10-19", 10, 19),  # the unit is case-insensitive
    ("bytes=10-19, 5000-6000,", 10, 19),  # the unsatisfiable range is dropped, the empty one too
    ("bytes=10-19, 100-50", 10, 19),  # an int-range ending before it starts is unsatisfiable
    ("bytes=10-19,15-29", 10, 29),  # overlapping ranges are joined
])
def test_a_satisfiable_range_gets_206_with_those_bytes(server, spec, first, last):
    response, body = request(server, "/assets/blob.bin", Range=spec)
    assert response.status == 206, spec
    assert response.getheader("Content-Range") == f"bytes {first}-{last}/{SIZE}"
    assert response.getheader("Content-Length") == str(last - first + 1)
    assert body == BLOB[first:last + 1]


@pytest.mark.parametrize("spec", ["bytes=100-50", "bytes=1000-", "bytes=5000-6000", "bytes=-0",
                                  "bytes=1000-1001, 2000-"])
def test_an_unsatisfiable_range_gets_416_with_the_size(server, spec):
    response, body = request(server, "/assets/blob.bin", Range=spec)
    assert response.status == 416, spec
    assert response.getheader("Content-Range") == f"bytes */{SIZE}"
    assert BLOB not in body


@pytest.mark.parametrize("spec", ["bytes=abc", "bytes=", "bytes=1-2-3", "items=0-10", "bytes=--5", "bytes=5",
                                  "bytes=0x10-0x20", "bytes=+1-2", "bytes = 1-2",
                                  ",".join(["bytes=0-0"] + ["2-2"] * 100)])
def test_a_range_that_does_not_parse_is_ignored(server, spec):
    response, body = request(server, "/assets/blob.bin", Range=spec)
    assert response.status == 200, spec
    assert body == BLOB and response.getheader("Content-Range") is None


def test_several_ranges_get_a_multipart_answer(server):
    response, body = request(server, "/assets/blob.bin", Range="bytes=0-9, 500-509, -5")
    assert response.status == 206
    kind = response.getheader("Content-Type")
    assert kind.startswith("multipart/byteranges; boundary=")
    boundary = kind.split("boundary=", 1)[1].encode()
    assert response.getheader("Content-Length") == str(len(body))
    parts = body.split(b"--" + boundary)
    assert parts[0] == b"" and parts[-1] == b"--\r\n"
    found = []
    for part in parts[1:-1]:
        head, _, data = part.partition(b"\r\n\r\n")
        headers = dict(line.split(b": ", 1) for line in head.strip().split(b"\r\n"))
        assert headers[b"Content-Type"] == b"application/octet-stream"
        found.append((headers[b"Content-Range"].decode(), data[:-2]))  # each part ends with CRLF
    assert found == [(f"bytes 0-9/{SIZE}", BLOB[:10]), (f"bytes 500-509/{SIZE}", BLOB[500:510]),
                     (f"bytes 995-999/{SIZE}", BLOB[995:])]


def test_if_range_sends_the_whole_file(server):
    # the server gives no validators, so it cannot know the client's copy is current
    response, body = request(server, "/assets/blob.bin", Range="bytes=0-9", **{"If-Range": '"x"'})
    assert response.status == 200 and body == BLOB


def test_a_folder_without_its_slash_redirects_and_keeps_the_query(server):
    response, _ = request(server, "/posts/first")
    assert response.status in (301, 302) and response.getheader("Location") == "/posts/first/"
    response, _ = request(server, "/posts/first?utm=1&b=%20")
    assert response.status in (301, 302) and response.getheader("Location") == "/posts/first/?utm=1&b=%20"
    response, body = request(server, "/posts/first/")
    assert response.status == 200 and b"First text." in body
    assert request(server, "/posts/nothing")[0].status == 404
    assert request(server, "/assets")[0].status == 404  # a folder with no index.html is not a page
