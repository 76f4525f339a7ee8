"""Canonical document URLs, so that one publication is stored once however it was linked.

Feeds add campaign parameters and fragments to links and vary the case of scheme and
host; the store keys revisions by URL, so those variants must collapse to one form.
"""

from __future__ import annotations

from urllib.parse import unquote_plus, urljoin, urlsplit, urlunsplit

TRACKING_PREFIXES = ("utm_",)
# fmt: off
TRACKING_PARAMS = frozenset({
    "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid", "igshid",
    "mc_cid", "mc_eid", "_ga", "_gl", "_hsenc", "_hsmi", "mkt_tok", "oly_anon_id",
    "oly_enc_id", "vero_id", "wt.mc_id", "at_campaign", "at_medium",
})
# fmt: on
DEFAULT_PORTS = {"http": 80, "https": 443}


def canonicalize_url(url: str, base: str | None = None) -> str:
    """Absolute URL without fragment and tracking parameters, scheme and host lower-case.

    Other query parameters keep their order and encoding: some sites need both.
    """
    parts = urlsplit(urljoin(base, url.strip()) if base else url.strip())
    scheme = parts.scheme.lower()
    netloc = _netloc(scheme, parts.netloc)
    path = parts.path or ("/" if netloc else "")
    query = "&".join(p for p in parts.query.split("&") if p and not _is_tracking(p))
    return urlunsplit((scheme, netloc, path, query, ""))


def _netloc(scheme: str, netloc: str) -> str:
    userinfo, at, hostport = netloc.rpartition("@")
    host, colon, port = hostport.rpartition(":") if not hostport.endswith("]") else ("", "", "")
    if not colon or not port.isdigit():
        host, port = hostport, ""
    if port and DEFAULT_PORTS.get(scheme) == int(port):
        port = ""
    return f"{userinfo}{at}{host.lower()}{':' + port if port else ''}"


def _is_tracking(pair: str) -> bool:
    name = unquote_plus(pair.partition("=")[0]).lower()
    return name in TRACKING_PARAMS or name.startswith(TRACKING_PREFIXES)
