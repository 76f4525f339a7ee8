"""What the pipeline components leave on a Doc: small frozen records with token offsets.

Each component stores a list of these in a Doc extension (see register_extensions); the
tagger turns the final ones into store.records dataclasses.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from spacy.tokens import Doc

PlaceKind = Literal["country", "demonym", "area"]


@dataclass(frozen=True)
class PlaceMention:
    """A country, demonym or area named in the text, resolved to a country."""

    start: int
    end: int
    text: str
    country: str
    kind: PlaceKind
    area_name: str | None = None
    area_code: str | None = None
    city: bool = False  # a capital or city: a destination, not a part of the country


@dataclass(frozen=True)
class IssuerMention:
    start: int
    end: int
    name: str
    is_un: bool


@dataclass(frozen=True)
class CueMatch:
    """A cue pattern match; label says what it signals (against, lift, negated, ...)."""

    start: int
    end: int
    label: str
    pattern_id: str
    priority: int
    weight: float
    scope: str | None = None


@dataclass(frozen=True)
class GroupMention:
    start: int
    end: int
    tag: str


@dataclass(frozen=True)
class Recommendation:
    """One recommendation about one country or area, before issuer defaults are applied."""

    stance: str
    scope: str
    issuer: str | None
    issuer_is_un: bool
    country: str
    area_name: str | None
    area_code: str | None
    groups: tuple[str, ...]
    condition: str | None
    start_char: int
    end_char: int
    confidence: float
    pattern_id: str
    # The place came from another sentence ("... no one will be removed until ...").
    from_context: bool = False


@dataclass(frozen=True)
class SituationSignal:
    category: str
    country: str
    area_name: str | None
    area_code: str | None
    start_char: int
    end_char: int
    level: str | None = None


EXTENSIONS = ("rw_places", "rw_issuers", "rw_cues", "rw_groups", "rw_recommendations", "rw_signals")


def register_extensions() -> None:
    """Declare the Doc extensions once; each component fills its own."""
    for name in EXTENSIONS:
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)
