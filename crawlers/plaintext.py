"""HTML to plain text that keeps paragraphs apart and sentences whole.

The tagger splits sentences and reports evidence offsets, so the text must read like
the page: one paragraph per block element, separated by a blank line, words joined by
single spaces, no markup, no script or style content.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

# fmt: off
BLOCK_TAGS = frozenset({
    "address", "article", "aside", "blockquote", "caption", "dd", "div", "dl", "dt",
    "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header",
    "hr", "li", "main", "nav", "ol", "p", "pre", "section", "table", "td", "th", "tr", "ul",
})
# fmt: on
SKIPPED_TAGS = frozenset({"script", "style", "template", "noscript", "title"})
# Paragraph and line break markers; handle_data removes them from the text itself.
_BLOCK = "\x00"
_LINE = "\x01"
_BLANK_LINE = re.compile(r"\n[ \t\r\f\v]*\n")


def html_to_text(html: str) -> str:
    """Plain text of an HTML fragment or page: paragraphs separated by a blank line."""
    parser = _TextParser()
    parser.feed(html)
    parser.close()
    return _join_paragraphs("".join(parser.parts))


def normalize_text(text: str) -> str:
    """Tidy plain text: single spaces inside lines, at most one blank line between blocks."""
    clean = text.replace(_BLOCK, " ").replace(_LINE, " ").replace("\r\n", "\n")
    return _join_paragraphs(_BLANK_LINE.sub(_BLOCK, clean))


def _join_paragraphs(marked: str) -> str:
    paragraphs = []
    for block in marked.split(_BLOCK):
        lines = (" ".join(line.split()) for line in block.replace("\n", " ").split(_LINE))
        paragraph = "\n".join(line for line in lines if line)
        if paragraph:
            paragraphs.append(paragraph)
    return "\n\n".join(paragraphs)


class _TextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in SKIPPED_TAGS:
            self._skipping += 1
        elif tag == "br":
            self.parts.append(_LINE)
        elif tag in BLOCK_TAGS:
            self.parts.append(_BLOCK)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in SKIPPED_TAGS:
            self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIPPED_TAGS:
            self._skipping = max(0, self._skipping - 1)
        elif tag in BLOCK_TAGS:
            self.parts.append(_BLOCK)

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data.replace(_BLOCK, " ").replace(_LINE, " "))
