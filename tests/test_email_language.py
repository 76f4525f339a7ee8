"""Mail in the subscriber's language: subjects, labels, footer, country names and dates."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from mail_samples import NOW, manager, proposal, status

from alerts.digest import Digest, DigestPeriod, render_digest
from alerts.email import render_proposal_alert


def test_email_language_french_alert_subject_and_footer() -> None:
    ana = replace(manager(), language="fr")
    msg = render_proposal_alert(proposal(), status(), ana, "AVRR", "")
    assert msg.subject == "[returnwatch] Proposé : suspendre l’aide au retour — Soudan"
    assert "la décision appartient au responsable du programme" in msg.body_text
    assert "suspension proposée, en attente de décision" in msg.body_text


def test_email_language_french_digest() -> None:
    ana = replace(manager(), language="fr")
    period = DigestPeriod(date(2026, 11, 10), NOW, NOW)
    msg = render_digest(Digest(period, ()), ana, "AVRR")
    assert msg.subject == "[returnwatch] Résumé quotidien — 10 novembre 2026 : 0 pays"
    assert "Bonjour Ana Manager," in msg.body_text and "Bonjour Ana Manager," in msg.body_html


def test_email_language_unknown_falls_back_to_english() -> None:
    ana = replace(manager(), language="xx")
    msg = render_proposal_alert(proposal(), status(), ana, "AVRR", "")
    assert msg.subject == "[returnwatch] Proposed: suspend return assistance — Sudan"
