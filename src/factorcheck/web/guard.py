"""What every request passes first: the Host allow-list, no cross-site posts, the body limit, headers."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from urllib.parse import urlsplit

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from factorcheck.report.html import STYLE_HASH

MAX_BODY = 64 * 1024
# The longest wait for the next piece of a request body (a client trickling it is cut off).
BODY_SECONDS = 10.0
TOO_SLOW = "The request took too long to arrive; please send it again."
UNEXPECTED = (
    "Something went wrong inside factorcheck while answering this request. Nothing you sent was "
    "stored or logged. Please try again, and report it if it happens again."
)
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1")


def content_security_policy(style_hashes: Iterable[str] = ()) -> str:
    """One script file, one style sheet, the report's inline styles (by their hashes, not
    unsafe-inline) and the drawings; nothing from anywhere else, no frames, forms posting only here."""
    styles = " ".join([STYLE_HASH, *style_hashes])
    return (
        "default-src 'none'; script-src 'self'; "
        f"style-src 'self' {styles}; img-src 'self' data:; connect-src 'self'; "
        "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
    )


CONTENT_SECURITY_POLICY = content_security_policy()
HEADERS: tuple[tuple[bytes, bytes], ...] = tuple(
    (name.encode("ascii"), value.encode("ascii"))
    for name, value in (
        ("x-content-type-options", "nosniff"),
        ("referrer-policy", "no-referrer"),
        ("cache-control", "no-store"),
        ("x-frame-options", "DENY"),
        ("cross-origin-opener-policy", "same-origin"),
        ("cross-origin-resource-policy", "same-origin"),
    )
)


def host_name(host: str) -> str:
    """The name in a Host header, without its port: `[::1]:8765` is `::1`, `localhost:80` is `localhost`."""
    host = host.strip().lower()
    if host.startswith("["):
        return host[1 : host.find("]")] if "]" in host else host
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def authority(value: str) -> tuple[str, int | None] | None:
    """A Host header's name and port as RFC 9110 allows them, or None when it is malformed.

    Stricter than `host_name`, which also reads the addresses given to `--host`: an IPv6 address
    must be bracketed, nothing may follow the bracket but a port, and a port is 1 to 5 ASCII digits
    no greater than 65535 (`[::1]evil`, `localhost:abc` and `127.0.0.1:99999` are refused).
    """
    value = value.strip().lower()
    if value.startswith("["):
        close = value.find("]")
        if close < 0:
            return None
        name, rest = value[1:close], value[close + 1 :]
        if rest and not rest.startswith(":"):
            return None
        port_text: str | None = rest[1:] if rest else None
    else:
        name, colon, after = value.partition(":")
        if ":" in after:
            return None
        port_text = after if colon else None
    if not name or any(c.isspace() or c in "/?#@" for c in name):
        return None
    if port_text is None:
        return name, None
    if not (port_text.isascii() and port_text.isdigit() and len(port_text) <= 5):
        return None
    port = int(port_text)
    return (name, port) if 0 < port <= 65535 else None


def _headers(scope: Scope, name: bytes) -> list[str]:
    return [value.decode("latin-1") for key, value in scope.get("headers", []) if key == name]


def _header(scope: Scope, name: bytes) -> str | None:
    found = _headers(scope, name)
    return found[0] if found else None


class Guard:
    """ASGI middleware: refuses what a local, sessionless form must not serve; adds the headers."""

    def __init__(
        self,
        app: ASGIApp,
        allowed_hosts: Iterable[str],
        own_limit_paths: Iterable[str] = (),
        style_hashes: Iterable[str] = (),
    ) -> None:
        """`own_limit_paths`: pages that answer an oversized body in their own format (FHIR's
        OperationOutcome); their body is still cut off at MAX_BODY as it is read. `style_hashes`:
        inline styles the pages may carry besides the report's own."""
        self.app = app
        self.allowed = {host_name(h) for h in allowed_hosts}
        self.own_limit_paths = frozenset(own_limit_paths)
        policy = content_security_policy(style_hashes).encode("ascii")
        self.headers = [(b"content-security-policy", policy), *HEADERS]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                kept = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"server"]
                message["headers"] = kept + self.headers
            await send(message)

        refusal = self._refusal(scope)
        if refusal is not None:
            await _plain(send_with_headers, *refusal)
            return
        started = False

        async def send_tracked(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send_with_headers(message)

        try:
            await self.app(scope, _limited(receive), send_tracked)
        except BodyTooSlowError:
            if not started:
                await _plain(send_with_headers, 408, TOO_SLOW)
        except Exception:  # what was posted must never reach a log: no traceback, no message
            if not started:
                await _plain(send_with_headers, 500, UNEXPECTED)

    def _refusal(self, scope: Scope) -> tuple[int, str] | None:
        hosts = _headers(scope, b"host")
        named = authority(hosts[0]) if len(hosts) == 1 else None
        if named is None or named[0] not in self.allowed:
            return 400, "This server answers only to its own address (the Host header is not one of them)."
        if scope["method"] not in ("GET", "HEAD", "POST"):
            return 405, "Only GET and POST are served here."
        if scope["method"] == "POST" and _cross_site(scope, named):
            return (
                403,
                "A form posted from another site is refused: answers are accepted from this page only.",
            )
        return _framing_refusal(scope, own_limit=scope.get("path") in self.own_limit_paths)


def _framing_refusal(scope: Scope, *, own_limit: bool) -> tuple[int, str] | None:
    """A body's length must be told one way, once (RFC 9112 6.3): a request that could be read
    two ways is how requests are smuggled past a proxy."""
    lengths = _headers(scope, b"content-length")
    if lengths and _headers(scope, b"transfer-encoding"):
        return 400, "A request gives its length or is sent in chunks, not both."
    if len(lengths) > 1:
        return 400, "A request gives its length once."
    if lengths and not (lengths[0].isascii() and lengths[0].strip().isdigit()):
        return 400, "The length of the request (Content-Length) is not a whole number."
    if lengths and int(lengths[0]) > MAX_BODY and not own_limit:
        return (
            413,
            f"The form sent is larger than {MAX_BODY // 1024} KiB, far more than the answers need.",
        )
    return None


def _cross_site(scope: Scope, host: tuple[str, int | None]) -> bool:
    """True for a post another site's page made a browser send: a Sec-Fetch-Site other than the
    two a browser sends for this page's own posts ("same-origin", or "none" for one the person
    started), or an Origin that is another site's whatever Sec-Fetch-Site says."""
    fetch_site = _header(scope, b"sec-fetch-site")
    if fetch_site is not None and fetch_site not in ("same-origin", "none"):
        return True
    origin = _header(scope, b"origin")
    if origin is None:
        # A script (curl, a clinic's own program) sends neither header: not a browser tricked into it.
        return False
    if origin == "null":
        # An opaque origin: our pages' own form posts carry it (they are sent with no referrer),
        # and then the browser's own Sec-Fetch-Site, which no page can set, says whose post it is.
        return fetch_site is None
    return not _same_origin(origin, str(scope.get("scheme", "http")), host)


def _same_origin(origin: str, scheme: str, host: tuple[str, int | None]) -> bool:
    parts = urlsplit(origin)
    if parts.scheme != scheme or parts.path or parts.query or parts.fragment:
        return False
    named = authority(parts.netloc)
    default = {"http": 80, "https": 443}.get(scheme)
    return named is not None and (named[0], named[1] or default) == (host[0], host[1] or default)


class BodyTooLargeError(Exception):
    """A request body (sent without a length, or longer than it said) grew past MAX_BODY; the
    page reading it answers 413."""


class BodyTooSlowError(Exception):
    """The next piece of a request body did not arrive within BODY_SECONDS; the guard answers 408."""


def _limited(receive: Receive) -> Receive:
    seen = 0
    complete = False

    async def limited() -> Message:
        nonlocal seen, complete
        if complete:
            # After the body, receive() waits for the client to go away: no deadline on that.
            return await receive()
        try:
            message = await asyncio.wait_for(receive(), BODY_SECONDS)
        except TimeoutError:
            raise BodyTooSlowError from None
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > MAX_BODY:
                raise BodyTooLargeError
            complete = not message.get("more_body", False)
        return message

    return limited


async def _plain(send: Send, status: int, text: str) -> None:
    body = (text + "\n").encode("utf-8")
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"text/plain; charset=utf-8"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
