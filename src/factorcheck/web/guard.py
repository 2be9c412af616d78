"""What every request passes first: the Host allow-list, no cross-site posts, the body limit, headers."""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlsplit

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from factorcheck.report.html import STYLE_HASH

MAX_BODY = 64 * 1024
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


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return str(value.decode("latin-1"))
    return None


class Guard:
    """ASGI middleware: refuses what a local, sessionless form must not serve; adds the headers."""

    def __init__(self, app: ASGIApp, allowed_hosts: Iterable[str], style_hashes: Iterable[str] = ()) -> None:
        self.app = app
        self.allowed = {host_name(h) for h in allowed_hosts}
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
        await self.app(scope, _limited(receive), send_with_headers)

    def _refusal(self, scope: Scope) -> tuple[int, str] | None:
        host = _header(scope, b"host")
        if host is None or host_name(host) not in self.allowed:
            return 400, "This server answers only to its own address (the Host header is not one of them)."
        if scope["method"] not in ("GET", "HEAD", "POST"):
            return 405, "Only GET and POST are served here."
        if scope["method"] == "POST" and _cross_site(scope, host):
            return (
                403,
                "A form posted from another site is refused: answers are accepted from this page only.",
            )
        length = _header(scope, b"content-length")
        if length is not None and (not length.isdigit() or int(length) > MAX_BODY):
            return (
                413,
                f"The form sent is larger than {MAX_BODY // 1024} KiB, far more than the answers need.",
            )
        return None


def _cross_site(scope: Scope, host: str) -> bool:
    fetch_site = _header(scope, b"sec-fetch-site")
    if fetch_site is not None:
        return fetch_site in ("cross-site", "same-site")
    origin = _header(scope, b"origin")
    if origin is None:
        # A script (curl, a clinic's own program) sends neither header: not a browser tricked into it.
        return False
    parts = urlsplit(origin)
    return origin == "null" or parts.netloc.lower() != host.strip().lower()


class BodyTooLargeError(Exception):
    """A request body (sent without a length, or longer than it said) grew past MAX_BODY; the
    page reading it answers 413."""


def _limited(receive: Receive) -> Receive:
    seen = 0

    async def limited() -> Message:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > MAX_BODY:
                raise BodyTooLargeError
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
