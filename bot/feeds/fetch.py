"""Fetching one page or feed safely: http and https only; the host's name is resolved here and the connection goes
to an address checked first (so the check is on the address actually connected to, never on a name a second
lookup could turn elsewhere); every redirect is checked the same way, at most five; the body is capped once
decompressed, while it streams; one deadline bounds the whole fetch; only HTML, XML and text are read.

Loopback, private, link-local, multicast, reserved and unspecified addresses are refused unless the host or the
address is listed in FETCH_ALLOWED_PRIVATE_HOSTS. Each refusal and failure is a `FetchError` whose message is its
one-line reason."""

from __future__ import annotations

import contextlib
import http.client
import ipaddress
import re
import socket
import ssl
import threading
import time
import zlib
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from bot.settings import Settings

MAX_REDIRECTS = 5
CHUNK = 64 * 1024
USER_AGENT = "newsbot/1 (+feeds and shared links)"
ACCEPT = "text/html, application/xhtml+xml, application/rss+xml, application/atom+xml, application/xml, text/xml;q=0.9"
TYPES = {
    "text/html": "html",
    "application/xhtml+xml": "html",
    "application/rss+xml": "xml",
    "application/atom+xml": "xml",
    "application/rdf+xml": "xml",
    "application/xml": "xml",
    "text/xml": "xml",
    "text/plain": "text",
}


class FetchError(Exception):
    """A page that was not fetched; the message is the one-line reason. `refused`: the bot would not fetch it
    (address, scheme, size, type, redirects); otherwise the fetch failed (network, server, time)."""

    def __init__(self, reason: str, *, refused: bool) -> None:
        super().__init__(reason)
        self.refused = refused


def refused(reason: str) -> FetchError:
    return FetchError(reason, refused=True)


def failed(reason: str) -> FetchError:
    return FetchError(reason, refused=False)


@dataclass(frozen=True)
class Policy:
    """What one fetch may do; `of(settings)` reads it from the settings."""

    allowed_private: frozenset[str] = frozenset()
    max_bytes: int = 5_000_000
    connect_timeout: float = 5.0
    total_timeout: float = 15.0
    max_redirects: int = MAX_REDIRECTS

    @classmethod
    def of(cls, settings: Settings) -> Policy:
        return cls(
            allowed_private=frozenset(h.lower().strip("[]") for h in settings.fetch_allowed_private_hosts),
            max_bytes=settings.fetch_max_bytes,
            connect_timeout=float(settings.fetch_connect_timeout_seconds),
            total_timeout=float(settings.fetch_timeout_seconds),
        )


@dataclass
class Fetched:
    """A page as fetched: its final URL (after redirects), its kind (html, xml, text), its body once decompressed,
    and the validators for the next conditional fetch. `not_modified`: a 304, without a body."""

    url: str
    kind: str = ""
    body: bytes = b""
    charset: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    not_modified: bool = False


def address_refusal(ip: str, host: str, policy: Policy) -> str | None:
    """Why the address may not be connected to, or None when it may.

    >>> address_refusal("10.1.2.3", "intranet.example", Policy())
    'intranet.example resolves to 10.1.2.3, a private address'
    >>> address_refusal("127.0.0.1", "127.0.0.1", Policy(allowed_private=frozenset({"127.0.0.1"}))) is None
    True
    """
    address = ipaddress.ip_address(ip.split("%", 1)[0])
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    kinds = (
        ("unspecified", address.is_unspecified),
        ("loopback", address.is_loopback),
        ("link-local", address.is_link_local),
        ("multicast", address.is_multicast),
        ("reserved", address.is_reserved),
        ("private", address.is_private),
        ("non-public", not address.is_global),
    )
    kind = next((name for name, hit in kinds if hit), None)
    if kind is None or host.lower() in policy.allowed_private or str(address) in policy.allowed_private:
        return None
    a_kind = f"{'an' if kind[0] in 'aeiou' else 'a'} {kind} address"
    return f"{address} is {a_kind}" if host == str(address) else f"{host} resolves to {address}, {a_kind}"


def _shut(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)


def _plain(text: str) -> str:
    """A server's words placed in a reason: letters, digits and a few signs only (no markup, no mentions)."""
    return re.sub(r"[^A-Za-z0-9 .+/_-]", "?", text)


class _Deadline:
    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.end = time.monotonic() + seconds

    def left(self) -> float:
        left = self.end - time.monotonic()
        if left <= 0:
            raise failed(f"timed out: no complete answer within {self.seconds:g} seconds")
        return left


def _connect(host: str, port: int, https: bool, policy: Policy, deadline: _Deadline) -> socket.socket:
    """A socket connected to the first address of the host that passes the check; the name is resolved once,
    here, and the socket goes to that very address."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise failed(f"cannot resolve the host name {host}") from None
    reasons = []
    for family, kind, proto, _, sockaddr in infos:
        ip = str(sockaddr[0])
        reason = address_refusal(ip, host, policy)
        if reason:
            reasons.append(reason)
            continue
        sock = socket.socket(family, kind, proto)
        sock.settimeout(min(policy.connect_timeout, deadline.left()))
        try:
            sock.connect(sockaddr)
        except OSError as exc:
            sock.close()
            reasons.append(f"cannot connect to {host} ({exc.__class__.__name__})")
            continue
        if not https:
            return sock
        try:
            return ssl.create_default_context().wrap_socket(sock, server_hostname=host)
        except (ssl.SSLError, ssl.CertificateError, OSError) as exc:
            sock.close()
            raise failed(f"TLS failed with {host}: {exc.__class__.__name__}") from None
    if reasons and all("address" in r and "cannot connect" not in r for r in reasons):
        raise refused(f"refused: {reasons[0]}")
    raise failed(reasons[0] if reasons else f"{host} has no address")


def _decoder(encoding: str) -> zlib._Decompress | None:
    encoding = encoding.strip().lower()
    if encoding in ("", "identity"):
        return None
    if encoding in ("gzip", "x-gzip"):
        return zlib.decompressobj(16 + zlib.MAX_WBITS)
    if encoding == "deflate":
        return zlib.decompressobj(zlib.MAX_WBITS)
    raise refused(f"refused: unsupported content encoding {_plain(encoding)[:40]}")


def _read_body(response: http.client.HTTPResponse, policy: Policy, deadline: _Deadline, sock: socket.socket) -> bytes:
    """The body, decompressed as it streams; refused the moment it passes the cap, decompressed or not."""
    decoder = _decoder(response.getheader("Content-Encoding") or "")
    out = bytearray()
    limit = policy.max_bytes

    def too_big() -> FetchError:
        return refused(f"refused: the body is over the limit of {limit:,} bytes")

    raw = 0
    while True:
        sock.settimeout(deadline.left())
        try:
            chunk = response.read1(CHUNK) if hasattr(response, "read1") else response.read(CHUNK)
        except TimeoutError:
            raise failed(f"timed out: no complete answer within {deadline.seconds:g} seconds") from None
        except (http.client.HTTPException, OSError) as exc:
            deadline.left()
            raise failed(f"the connection broke while reading ({exc.__class__.__name__})") from None
        if not chunk:
            deadline.left()  # an end of the body that is the watchdog's shutting the socket is a time-out
            break
        raw += len(chunk)
        if raw > limit:
            raise too_big()
        if decoder is None:
            out += chunk
        else:
            try:
                data = chunk
                while data:  # decompressed a bounded piece at a time: a bomb never expands past the cap
                    out += decoder.decompress(data, limit + 1 - len(out))
                    if len(out) > limit:
                        raise too_big()
                    data = decoder.unconsumed_tail
            except zlib.error:
                raise failed("the compressed body is corrupt") from None
        if len(out) > limit:
            raise too_big()
    if decoder is not None:
        out += decoder.flush()
        if len(out) > limit:
            raise too_big()
    return bytes(out)


def _content_kind(response: http.client.HTTPResponse) -> tuple[str, str | None]:
    header = response.getheader("Content-Type") or ""
    mime = header.split(";", 1)[0].strip().lower()
    if mime not in TYPES:
        shown = _plain(mime)[:60] or "none"
        raise refused(f"refused: content type {shown}; only HTML, XML and text are read")
    charset = None
    for part in header.split(";")[1:]:
        key, _, value = part.partition("=")
        if key.strip().lower() == "charset":
            charset = value.strip().strip('"')[:40] or None
    return TYPES[mime], charset


def fetch(url: str, policy: Policy, *, etag: str | None = None, last_modified: str | None = None) -> Fetched:
    """The page at `url` (following at most `policy.max_redirects` redirects), or a `FetchError` with the reason.
    With `etag` or `last_modified`, a 304 comes back as `Fetched(not_modified=True)`."""
    deadline = _Deadline(policy.total_timeout)
    seen: list[str] = []
    while True:
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme not in ("http", "https"):
            raise refused(f"refused: only http and https links are fetched, not {scheme or 'this'}")
        try:
            host, port = parts.hostname, parts.port or (443 if scheme == "https" else 80)
        except ValueError:
            raise refused("refused: the link's port is not a number") from None
        if not host:
            raise refused("refused: the link names no host")
        sock = _connect(host, port, scheme == "https", policy, deadline)
        connection = http.client.HTTPConnection(host, port, timeout=deadline.left())
        connection.sock = sock  # already connected, to the address checked above
        # A server trickling its headers a byte at a time passes every read's timeout: at the deadline the socket
        # is shut, whatever is being read.
        watchdog = threading.Timer(deadline.left(), _shut, (sock,))
        watchdog.daemon = True
        watchdog.start()
        try:
            path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
            headers = {"User-Agent": USER_AGENT, "Accept": ACCEPT, "Accept-Encoding": "gzip, deflate"}
            if etag:
                headers["If-None-Match"] = etag
            if last_modified:
                headers["If-Modified-Since"] = last_modified
            try:
                connection.request("GET", path, headers=headers)
                sock.settimeout(deadline.left())
                response = connection.getresponse()
                deadline.left()  # headers the watchdog cut short are no answer
            except TimeoutError:
                raise failed(f"timed out: no answer within {deadline.seconds:g} seconds") from None
            except (http.client.HTTPException, OSError) as exc:
                deadline.left()
                raise failed(f"{host} gave no valid HTTP answer ({exc.__class__.__name__})") from None
            status = response.status
            if status in (301, 302, 303, 307, 308):
                location = response.getheader("Location")
                if not location:
                    raise failed(f"HTTP {status} redirect without a Location")
                seen.append(url)
                url = urljoin(url, location.strip())
                if url in seen:
                    raise refused(f"refused: a redirect loop (back to a page visited {len(seen)} redirects ago)")
                if len(seen) > policy.max_redirects:
                    raise refused(f"refused: more than {policy.max_redirects} redirects")
                continue
            etag_now, modified_now = response.getheader("ETag"), response.getheader("Last-Modified")
            if status == 304:
                return Fetched(url, etag=etag_now, last_modified=modified_now, not_modified=True)
            if status != 200:
                raise failed(f"HTTP {status} {_plain(response.reason or '')}".strip()[:120])
            kind, charset = _content_kind(response)
            declared = response.getheader("Content-Length")
            if declared and declared.isdigit() and int(declared) > policy.max_bytes:
                raise refused(f"refused: the body is {int(declared):,} bytes, over the limit of {policy.max_bytes:,}")
            body = _read_body(response, policy, deadline, sock)
            return Fetched(url, kind, body, charset, etag=etag_now, last_modified=modified_now)
        finally:
            watchdog.cancel()
            connection.close()
