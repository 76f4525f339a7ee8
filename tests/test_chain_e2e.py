"""The whole chain on the bundled sample: from a UN statement to an email and a briefing."""

from __future__ import annotations

import email
import json
from email.message import Message
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from pypdf import PdfReader
from smtpserver import LocalSmtpServer

from cli import main

pytestmark = pytest.mark.e2e


def invoke(*args: str, env: dict[str, str] | None = None) -> Result:
    result = CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)
    return result


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    workdir = tmp_path_factory.mktemp("demo")
    result = invoke("demo", "--workdir", str(workdir), env=_clean_env(workdir))
    assert result.exit_code == 0, result.output
    return workdir


def _clean_env(workdir: Path) -> dict[str, str]:
    """Point every command at the demo's work directory, whatever the caller's environment."""
    return {
        "RETURNWATCH_WORKDIR": str(workdir),
        "RETURNWATCH_DATABASE_URL": "",
        "RETURNWATCH_SMTP_HOST": "",
        "RETURNWATCH_CONFIG": "",
    }


def proposals(workdir: Path, *flags: str) -> list[dict[str, object]]:
    result = invoke("proposals", "--json", *flags, env=_clean_env(workdir))
    assert result.exit_code == 0, result.output
    return list(json.loads(result.output))


def messages(workdir: Path) -> list[Message]:
    return [
        email.message_from_bytes(p.read_bytes()) for p in sorted((workdir / "outbox").glob("*.eml"))
    ]


def body_parts(msg: Message) -> dict[str, str]:
    parts = {}
    for part in msg.walk():
        if part.get_content_maintype() == "text":
            payload = part.get_payload(decode=True)
            assert isinstance(payload, bytes)
            parts[part.get_content_type()] = payload.decode(part.get_content_charset() or "utf-8")
    return parts


def test_chain_demo_proposes_suspension_for_sudan_and_resumption_for_tigray(demo_dir: Path) -> None:
    found = {(p["kind"], p["country"], p["area"]) for p in proposals(demo_dir)}
    assert ("suspend", "SDN", None) in found
    assert ("resume", "ETH", "Tigray") in found
    assert not any(country in {"HTI", "SYR", "SOM", "TCD"} for _, country, _ in found)


def test_chain_demo_alert_email_is_valid_mime_with_the_evidence(demo_dir: Path) -> None:
    alerts = [m for m in messages(demo_dir) if "Sudan" in str(m["Subject"])]
    assert alerts, [m["Subject"] for m in messages(demo_dir)]
    msg = alerts[0]
    assert msg.get_content_type() == "multipart/alternative"
    parts = body_parts(msg)
    assert set(parts) == {"text/plain", "text/html"}
    for text in parts.values():
        assert "UNHCR" in text
        assert "10 November 2026" in text
        assert "suspend forcible returns of Sudanese nationals" in text
        assert "/unhcr/briefings/2026-11-10-sudan" in text
    assert msg["Message-ID"] and msg["Date"] and msg["To"]


def test_chain_demo_resumption_email_names_the_area(demo_dir: Path) -> None:
    subjects = [str(m["Subject"]) for m in messages(demo_dir)]
    assert any("Tigray" in s for s in subjects), subjects


def test_chain_demo_writes_html_and_pdf_briefing_per_country(demo_dir: Path) -> None:
    briefings = demo_dir / "briefings"
    for country in ("SDN", "ETH", "AFG"):
        assert (briefings / f"{country}.html").stat().st_size > 1000
        pdf = briefings / f"{country}.pdf"
        assert pdf.read_bytes().startswith(b"%PDF")
    text = " ".join(page.extract_text() for page in PdfReader(briefings / "ETH.pdf").pages)
    assert "Tigray" in text


def test_chain_demo_twice_creates_no_duplicates(demo_dir: Path) -> None:
    before = (proposals(demo_dir, "--all"), len(messages(demo_dir)))
    result = invoke("demo", "--workdir", str(demo_dir), env=_clean_env(demo_dir))
    assert result.exit_code == 0, result.output
    assert (proposals(demo_dir, "--all"), len(messages(demo_dir))) == before


def test_chain_decision_changes_status_and_briefing(tmp_path: Path) -> None:
    env = _clean_env(tmp_path)
    assert invoke("demo", "--workdir", str(tmp_path), env=env).exit_code == 0
    sudan = next(p for p in proposals(tmp_path) if p["kind"] == "suspend" and p["country"] == "SDN")
    result = invoke(
        "decide",
        str(sudan["id"]),
        "--approve",
        "--by",
        "Amina Diallo",
        "--reason",
        "UNHCR call of 10 November",
        env=env,
    )
    assert result.exit_code == 0, result.output
    status = invoke("status", "SDN", env=env)
    assert "suspended" in status.output
    assert "Amina Diallo" in status.output and "UNHCR call of 10 November" in status.output
    out = tmp_path / "SDN.html"
    assert invoke("brief", "SDN", "--format", "html", "--out", str(out), env=env).exit_code == 0
    html = out.read_text(encoding="utf-8")
    assert "Amina Diallo" in html and "UNHCR call of 10 November" in html
    assert "suspended" in html.lower()


def test_chain_decide_without_reason_is_bad_usage(tmp_path: Path) -> None:
    env = _clean_env(tmp_path)
    assert invoke("init", env=env).exit_code == 0
    result = invoke("decide", "1", "--approve", "--by", "X", "--reason", " ", env=env)
    assert result.exit_code == 2
    assert "reason" in result.output.lower()


def test_chain_unknown_country_is_bad_usage(tmp_path: Path) -> None:
    result = invoke("status", "Atlantis", env=_clean_env(tmp_path))
    assert result.exit_code == 2
    assert "Atlantis" in result.output


def test_chain_demo_delivers_the_alert_to_a_real_smtp_server(tmp_path: Path) -> None:
    with LocalSmtpServer() as server:
        env = _clean_env(tmp_path) | {
            "RETURNWATCH_SMTP_HOST": server.host,
            "RETURNWATCH_SMTP_PORT": str(server.port),
        }
        result = invoke("demo", "--workdir", str(tmp_path), env=env)
        assert result.exit_code == 0, result.output
        subjects = [str(m["Subject"]) for m in server.messages]
    assert any("Sudan" in s for s in subjects), subjects
    assert any("Tigray" in s for s in subjects), subjects
    assert len(subjects) == len(
        set(zip(subjects, [str(m["To"]) for m in server.messages], strict=True))
    )
    assert not list((tmp_path / "outbox").glob("*.eml"))
