"""The tag-text JSONL contract: output keys, one line per input, named bad-line errors."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from spacy.language import Language

from nlp.errors import InputLineError
from nlp.jsonl import tag_jsonl
from nlp.pipeline import build_pipeline

FINDING_KEYS = {
    "stance",
    "scope",
    "issuer",
    "issuer_is_un",
    "country",
    "area",
    "groups",
    "condition",
    "evidence",
    "confidence",
}


@pytest.fixture(scope="module")
def nlp() -> Language:
    return build_pipeline()


def test_jsonl_writes_contract_shape(nlp: Language) -> None:
    lines = [
        json.dumps(
            {
                "id": "a",
                "text": "UNHCR urges States not to forcibly return anyone to the Gaza Strip.",
            }
        ),
        "",
        json.dumps({"id": 7, "text": "Rains fell in Chad."}),
    ]
    out = io.StringIO()
    assert tag_jsonl(nlp, lines, out) == 2
    first, second = (json.loads(line) for line in out.getvalue().splitlines())
    assert set(first) == {"id", "findings", "mentions"}
    assert first["id"] == "a" and first["mentions"] == ["PSE"]
    (finding,) = first["findings"]
    assert set(finding) == FINDING_KEYS
    assert finding["area"] == {"name": "Gaza Strip", "code": "PS-GZA"}
    assert finding["stance"] == "against_return" and finding["issuer_is_un"] is True
    assert second == {"id": 7, "findings": [], "mentions": ["TCD"]}


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("{not json", "invalid JSON"),
        ("[1, 2]", "expected a JSON object"),
        ('{"text": "x"}', 'missing "id"'),
        ('{"id": "x"}', 'missing "text"'),
        ('{"id": "x", "text": 3}', "not a string"),
    ],
)
def test_jsonl_bad_line_names_line_and_reason(nlp: Language, line: str, reason: str) -> None:
    good = json.dumps({"id": "ok", "text": "Nothing here."})
    with pytest.raises(InputLineError) as caught:
        tag_jsonl(nlp, [good, line], io.StringIO())
    assert caught.value.line_number == 2
    assert "line 2" in str(caught.value) and reason in str(caught.value)


def test_tag_text_command_names_the_file_and_line_and_keeps_earlier_output(
    tmp_path: Path,
) -> None:
    from click.testing import CliRunner

    from cli import main

    source = tmp_path / "passages.jsonl"
    source.write_text(
        '{"id": "a", "text": "UNHCR urged States to halt returns to Sudan."}\n{not json\n',
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["tag-text", str(source)])
    assert result.exit_code == 2
    assert f"{source}:2: invalid JSON" in result.output
    first = json.loads(result.stdout.splitlines()[0])
    assert first["id"] == "a" and first["findings"][0]["country"] == "SDN"
