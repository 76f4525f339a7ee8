"""Web UI rules: sign-in, CSRF, roles, rate limit, escaping of source text, feeds."""

from __future__ import annotations

import json

import pytest
from flask import Flask
from flask.testing import FlaskClient
from web_samples import COUNSELLOR, MANAGER, PASSWORD, csrf_of, demo_store

from web.app import create_app


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Flask:
    settings, factory = demo_store(tmp_path_factory.mktemp("web"))
    return create_app(settings, factory)


def _signed_in(app: Flask, email: str) -> FlaskClient:
    client = app.test_client()
    token = csrf_of(client.get("/login").text)
    response = client.post(
        "/login", data={"email": email, "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 302
    return client


def test_web_pages_need_sign_in(app: Flask) -> None:
    client = app.test_client()

    for path in ("/", "/countries/SDN", "/proposals", "/proposals/3", "/audit"):
        response = client.get(path)
        assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_web_unauthenticated_user_cannot_decide(app: Flask) -> None:
    client = app.test_client()
    token = csrf_of(client.get("/login").text)  # a session and a token, but no user

    response = client.post(
        "/proposals/3", data={"verdict": "approve", "reason": "x", "csrf_token": token}
    )
    bare = app.test_client().post("/proposals/3", data={"verdict": "approve", "reason": "x"})

    assert response.status_code == 403 and bare.status_code == 403
    assert "pending" in _signed_in(app, MANAGER).get("/proposals/3").text


def test_web_wrong_csrf_token_is_refused(app: Flask) -> None:
    client = _signed_in(app, MANAGER)

    wrong = client.post(
        "/proposals/3", data={"verdict": "approve", "reason": "x", "csrf_token": "forged"}
    )
    missing = client.post("/proposals/3", data={"verdict": "approve", "reason": "x"})

    assert wrong.status_code == 400 and missing.status_code == 400


def test_web_counsellor_reads_but_cannot_decide(app: Flask) -> None:
    client = _signed_in(app, COUNSELLOR)
    page = client.get("/proposals/3").text

    response = client.post(
        "/proposals/3", data={"verdict": "approve", "reason": "x", "csrf_token": csrf_of(page)}
    )

    assert "Only managers can decide proposals." in page and 'id="approve"' not in page
    assert response.status_code == 403


def test_web_login_is_rate_limited(app: Flask) -> None:
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = "192.0.2.7"  # its own address: others stay unblocked
    token = csrf_of(client.get("/login").text)
    codes = [
        client.post(
            "/login", data={"email": "nobody@example.org", "password": "wrong", "csrf_token": token}
        ).status_code
        for _ in range(6)
    ]

    assert codes[:5] == [401] * 5 and codes[5] == 429


def test_web_injected_source_text_is_escaped_everywhere(app: Flask) -> None:
    client = _signed_in(app, MANAGER)
    proposal_id = _evil_proposal_id(client)

    pages = [
        client.get(path).text
        for path in (
            "/",
            "/proposals",
            f"/proposals/{proposal_id}",
            "/countries/YEM",
            "/countries/YEM/print",
            "/audit",
        )
    ]

    for html in pages:
        assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in pages[2]
    assert "&lt;img src=x onerror=alert(2)&gt;" in pages[3]


def _evil_proposal_id(client: FlaskClient) -> int:
    listing = client.get("/proposals").text
    start = listing.index("Suspend Yemen")
    return int(listing[:start].rsplit('href="/proposals/', 1)[1].split('"', 1)[0])


def test_web_json_and_atom_feed(app: Flask) -> None:
    client = app.test_client()

    statuses = json.loads(client.get("/api/statuses").data)
    changes = json.loads(client.get("/api/status-changes").data)
    atom = client.get("/feed.atom")

    assert {"country": "SDN", "state": "suspension_proposed"}.items() <= next(
        s for s in statuses if s["country"] == "SDN" and not s["area"]
    ).items()
    assert any(c["new_state"] == "suspended" for c in changes)
    assert atom.mimetype == "application/atom+xml"
    assert b'<feed xmlns="http://www.w3.org/2005/Atom"' in atom.data
    assert b"decided_by" not in atom.data and "Amina" not in json.dumps(changes)


def test_web_pdf_download(app: Flask) -> None:
    response = _signed_in(app, COUNSELLOR).get("/countries/SDN/briefing.pdf")

    assert response.mimetype == "application/pdf" and response.data.startswith(b"%PDF")
