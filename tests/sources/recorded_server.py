"""A real HTTP server on a free loopback port that answers from recorded responses, in a script per path."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

RECORDED = Path(__file__).parent / "recorded"


@dataclass(frozen=True)
class Reply:
    """One scripted answer: a status and body, optionally late (client timeouts), cut off (dropped connection)
    or with extra headers (Retry-After)."""

    status: int = 200
    body: bytes = b""
    content_type: str = "application/json; charset=utf-8"
    delay: float = 0.0
    cut_at: int | None = None
    headers: tuple[tuple[str, str], ...] = ()

    @classmethod
    def file(cls, name: str, status: int = 200, **kwargs: object) -> Reply:
        kind = "application/atom+xml; charset=utf-8" if name.endswith(".xml") else "text/html" if name.endswith(".html") else cls.content_type
        return cls(status=status, body=(RECORDED / name).read_bytes(), content_type=kind, **kwargs)  # type: ignore[arg-type]


# A route answers a request from its query parameters and how many requests the path had before.
Route = Callable[[dict[str, str], int], Reply]


def in_order(*replies: Reply) -> Route:
    """The n-th request gets the n-th reply; the last one repeats."""
    return lambda params, count: replies[min(count, len(replies) - 1)]


@dataclass
class Seen:
    at: float
    path: str
    params: dict[str, str]


@dataclass
class RecordedServer:
    routes: dict[str, Route]
    seen: list[Seen] = field(default_factory=list)

    def __enter__(self) -> RecordedServer:
        routes, seen, lock = self.routes, self.seen, threading.Lock()

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:  # noqa: N802 - http.server's name
                url = urlsplit(self.path)
                params = {k: v[-1] for k, v in parse_qs(url.query).items()}
                with lock:
                    count = sum(1 for s in seen if s.path == url.path)
                    seen.append(Seen(time.monotonic(), url.path, params))
                route = routes.get(url.path)
                reply = route(params, count) if route else Reply(404, b'{"error":"Not Found"}')
                time.sleep(reply.delay)
                body = reply.body if reply.cut_at is None else reply.body[: reply.cut_at]
                self.send_response(reply.status)
                self.send_header("Content-Type", reply.content_type)
                self.send_header("Content-Length", str(len(reply.body)))
                for name, value in reply.headers:
                    self.send_header(name, value)
                if reply.cut_at is not None:
                    self.send_header("Connection", "close")
                    self.close_connection = True
                self.end_headers()
                self.wfile.write(body)
                self.wfile.flush()

            def log_message(self, *args: object) -> None:
                pass

        class Server(ThreadingHTTPServer):
            daemon_threads = True

            def handle_error(self, request: object, client_address: object) -> None:
                pass  # a client that timed out and left is part of the script

        self._server = Server(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def url(self, path: str) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}{path}"

    def requests_to(self, path: str) -> list[Seen]:
        return [s for s in self.seen if s.path == path]
