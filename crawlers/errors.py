"""Named exceptions of the crawlers package.

Every failure of one source is one of these, so the crawl stage can record a clear reason
on the source's health record and go on with the next source.
"""

from __future__ import annotations


class CrawlError(Exception):
    """Base class of everything the crawlers raise on purpose."""


class UnknownSourceError(CrawlError):
    """A source id was asked for that sources.toml does not list."""


class UnknownKindError(CrawlError):
    """A source has a kind for which no parser is registered."""


class SourceOptionError(CrawlError):
    """A source's options (sources.toml) are missing or invalid for its kind."""


class FetchError(CrawlError):
    """A URL could not be fetched; the message says why and names the URL."""


class FetchTimeout(FetchError):
    """No complete response within the total deadline (a hang or a trickle)."""


class BadStatus(FetchError):
    """The server answered with an HTTP error status."""

    def __init__(self, status: int, url: str) -> None:
        super().__init__(f"HTTP {status} from {url}")
        self.status = status
        self.url = url


class TooLarge(FetchError):
    """The body is bigger than the configured limit."""


class ConnectionFailed(FetchError):
    """No connection could be made (refused, unknown host, TLS failure)."""


class BrokenResponse(FetchError):
    """The connection broke or the response was not valid HTTP."""


class InvalidURL(FetchError):
    """The URL (or a redirect target) is not an http(s) URL that can be fetched."""


class RedirectError(FetchError):
    """Redirects could not be followed to a final response."""


class TooManyRedirects(RedirectError):
    """More redirects than allowed."""


class RedirectLoop(RedirectError):
    """A redirect led back to a URL already visited."""


class PdfError(CrawlError):
    """A PDF's text could not be extracted within the limits (broken, bomb, too big, too slow)."""


class SpiderError(CrawlError):
    """A listing crawl (the Scrapy child process) failed as a whole or timed out."""
