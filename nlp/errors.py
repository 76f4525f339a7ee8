"""Named exceptions of the nlp package."""

from __future__ import annotations


class NlpError(Exception):
    """Base class for tagger failures."""


class NlpDataError(NlpError):
    """A bundled data file (gazetteer, cues, issuers ...) is missing or malformed."""


class InputLineError(NlpError):
    """A line of a tag-text JSONL input cannot be read; the message names the line and why."""

    def __init__(self, line_number: int, reason: str) -> None:
        super().__init__(f"line {line_number}: {reason}")
        self.line_number = line_number
        self.reason = reason
