"""The tagger on the bundled demo feeds: the findings the demo relies on, and no others."""

from __future__ import annotations

from pathlib import Path

import feedparser
import pytest
from spacy.language import Language

from crawlers.plaintext import html_to_text
from nlp.pipeline import build_pipeline
from nlp.tagger import TagResult, tag_text
from store.records import FindingRecord

FEEDS = Path(__file__).resolve().parents[1] / "sample_data" / "feeds"
ISSUERS = {
    "unhcr_briefings.xml": ("UNHCR", True),
    "un_news.atom": ("UN News", True),
    "ngo_statements.xml": ("Human Rights Watch", False),
    "humanitarian_news.xml": ("", False),
}


@pytest.fixture(scope="module")
def tagged() -> dict[str, TagResult]:
    nlp: Language = build_pipeline()
    results = {}
    for name, (issuer, is_un) in ISSUERS.items():
        for entry in feedparser.parse((FEEDS / name).read_bytes()).entries:
            text = f"{entry.title}\n\n{html_to_text(entry.get('summary', ''))}"
            results[entry.title.split(":")[0]] = tag_text(
                nlp, text, default_issuer=issuer, default_issuer_is_un=is_un
            )
    return results


def _only(result: TagResult) -> FindingRecord:
    assert len(result.findings) == 1, result.findings
    return result.findings[0]


def test_demo_feeds_unhcr_sudan(tagged: dict[str, TagResult]) -> None:
    finding = _only(tagged["UNHCR urges States to halt forced returns to Sudan"])
    assert (finding.stance, finding.scope, finding.country) == ("against_return", "forced", "SDN")
    assert finding.issuer == "UNHCR" and finding.issuer_is_un
    assert "rejected_asylum_seekers" in finding.groups
    assert finding.condition == (
        "until the security and human rights situation has improved significantly"
    )


def test_demo_feeds_tigray_lifts(tagged: dict[str, TagResult]) -> None:
    finding = _only(tagged["Tigray"])
    assert (finding.stance, finding.country, finding.issuer) == ("lifts", "ETH", "UNHCR")
    assert finding.area is not None
    assert (finding.area.name, finding.area.code) == ("Tigray", "ET-TI")


def test_demo_feeds_hrw_afghanistan_deduplicated(tagged: dict[str, TagResult]) -> None:
    finding = _only(tagged["Germany"])
    assert (finding.stance, finding.scope, finding.country) == ("against_return", "forced", "AFG")
    assert finding.issuer == "Human Rights Watch"
    assert not finding.issuer_is_un


@pytest.mark.parametrize(
    "title",
    ["Heavy rains damage shelters in eastern Chad refugee camps", "Haiti", "Syria", "Somalia"],
)
def test_demo_feeds_negatives(tagged: dict[str, TagResult], title: str) -> None:
    assert tagged[title].findings == []


def test_demo_feeds_signals(tagged: dict[str, TagResult]) -> None:
    chad = tagged["Heavy rains damage shelters in eastern Chad refugee camps"]
    assert any(s.category == "disaster" and s.country == "TCD" for s in chad.signals)
    assert any(
        s.category == "conflict" and s.country == "SDN"
        for s in tagged["UNHCR urges States to halt forced returns to Sudan"].signals
    )
