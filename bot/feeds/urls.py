"""One spelling per page: the normalised URL under which a link is recognised when it comes back changed.

>>> normalise_url("HTTP://News.Example.COM:80/Tech/story/?utm_source=x&id=7&fbclid=abc#comments")
'https://news.example.com/Tech/story?id=7'
>>> normalise_url("https://example.com/")
'https://example.com/'

The policy: the scheme becomes https (a page served on both is one page); the host is lower-cased and loses
"www." and a default port; the fragment goes; tracking parameters (utm_*, fbclid, gclid and the like) go and the
remaining ones are sorted; a trailing slash on a path goes (the root stays "/"); the path's case is kept (servers
tell case apart).
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

TRACKING = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "gbraid",
        "wbraid",
        "msclkid",
        "yclid",
        "twclid",
        "igshid",
        "mc_cid",
        "mc_eid",
        "_hsenc",
        "_hsmi",
        "mkt_tok",
        "ref_src",
        "cmpid",
        "ito",
        "ocid",
        "smid",
        "sr_share",
        "spm",
    }
)
TRACKING_PREFIXES = ("utm_", "ga_", "pk_", "mtm_", "hsa_")


def is_tracking(name: str) -> bool:
    low = name.lower()
    return low in TRACKING or low.startswith(TRACKING_PREFIXES)


def normalise_url(url: str) -> str:
    """The URL as it is recognised; a text that is no http(s) URL comes back stripped, unchanged otherwise."""
    url = url.strip()
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return url
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return url
    host = parts.hostname.lower().rstrip(".")
    if host.startswith("www."):
        host = host[4:]
    if ":" in host:  # an IPv6 literal
        host = f"[{host}]"
    if port is not None and port not in (80, 443):
        host = f"{host}:{port}"
    path = parts.path or "/"
    if len(path) > 1:
        path = path.rstrip("/") or "/"
    query = sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not is_tracking(k))
    return urlunsplit(("https", host, path, urlencode(query), ""))


def host_of(url: str) -> str:
    """The host a URL names, lower-case, without "www." ("" when there is none)."""
    try:
        host = (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""
    return host[4:] if host.startswith("www.") else host
