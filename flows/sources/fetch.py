"""HTTP for live sources: one GET per Prefect task run, retried with backoff, paced politely, kept raw.

Every failure is a `FetchError` with a one-line message; the task retries only the ones that can heal
(timeouts, dropped connections, 429/5xx, bodies that are not the expected format at all).
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import urlsplit

import httpx
from prefect import task
from prefect.cache_policies import NO_CACHE
from prefect.tasks import exponential_backoff

from flows.sources.options import FetchError, FetchResult, FetchSettings, SourceUsageError

__all__ = ["FetchError", "FetchResult", "FetchSettings", "SourceUsageError", "fetch_page", "page_task", "register_check"]

USER_AGENT = "paperfacts/0.1.0 (ML paper facts extractor)"
RETRYABLE_STATUS = {408, 425, 429, 500, 502, 503, 504}
RETRY_AFTER_STATUS = {429, 503}


class Pacer:
    """At least `delay` seconds from the end of one request to a host to the start of the next, retries included,
    and no request to a host before the time its last Retry-After named."""

    def __init__(self) -> None:
        self._last: dict[str, float] = {}
        self._not_before: dict[str, float] = {}
        self._lock = threading.Lock()

    def hold(self, host: str, seconds: float) -> None:
        """The server asked us to come back in `seconds` (Retry-After): the next turn for `host` waits until then."""
        self._not_before[host] = max(self._not_before.get(host, 0.0), time.monotonic() + seconds)

    @contextmanager
    def turn(self, host: str, delay: float) -> Iterator[None]:
        with self._lock:
            ready = max(self._last.get(host, -float("inf")) + delay, self._not_before.get(host, -float("inf")))
            wait = ready - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            try:
                yield
            finally:
                self._last[host] = time.monotonic()


PACER = Pacer()

# Who wants to hear about each page as it arrives (the CLI's status line); nobody by default.
_listener: Callable[[str], None] | None = None


def tell(text: str) -> None:
    if _listener is not None:
        _listener(text)


@contextmanager
def listening(listener: Callable[[str], None]) -> Iterator[None]:
    global _listener
    previous, _listener = _listener, listener
    try:
        yield
    finally:
        _listener = previous

# A check inspects a body: raises FetchError if it is unusable, else returns facts about it (entries, total...).
Check = Callable[[bytes], dict]
CHECKS: dict[str, Check] = {}


def register_check(name: str) -> Callable[[Check], Check]:
    def add(fn: Check) -> Check:
        CHECKS[name] = fn
        return fn

    return add


def _retry_if_retryable(task, task_run, state) -> bool:  # noqa: ANN001 - Prefect's callback signature
    try:
        state.result()
    except FetchError as exc:
        return exc.retryable
    except Exception:
        return True
    return False


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """Retry-After as seconds to wait: delta-seconds or an HTTP date (RFC 9110); None when absent or unreadable."""
    value = (value or "").strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def get(url: str, params: dict[str, str], timeout: float) -> bytes:
    """One GET; HTTP and transport failures become FetchError (retryable or not; 429/503 carry Retry-After)."""
    shown = str(httpx.URL(url, params=params))
    try:
        response = httpx.get(url, params=params, timeout=timeout, headers={"User-Agent": USER_AGENT}, follow_redirects=True)
    except httpx.TimeoutException:
        raise FetchError(f"timed out after {timeout:g} s: {shown}", retryable=True) from None
    except httpx.RemoteProtocolError as exc:
        raise FetchError(f"response cut off ({exc}): {shown}", retryable=True) from None
    except httpx.TransportError as exc:
        raise FetchError(f"connection failed ({exc or type(exc).__name__}): {shown}", retryable=True) from None
    if response.status_code >= 400:
        detail = f"HTTP {response.status_code} {response.reason_phrase}".rstrip()
        said = _error_detail(response.text)
        error = FetchError(f"{detail}{said}: {shown}", retryable=response.status_code in RETRYABLE_STATUS)
        if response.status_code in RETRY_AFTER_STATUS:
            error.retry_after = retry_after_seconds(response.headers.get("Retry-After"))
        raise error
    return response.content


def _error_detail(body: str) -> str:
    """The API's own explanation, when its error body has one (arXiv: Atom <summary>; JSON: "error")."""
    found = re.search(r"<summary[^>]*>(.*?)</summary>", body, re.S) or re.search(r'"error"\s*:\s*"([^"]{1,300})"', body)
    return f" ({' '.join(found.group(1).split())[:200]})" if found else ""


@task(name="fetch-page", cache_policy=NO_CACHE, retries=3, retry_delay_seconds=exponential_backoff(2.0), retry_condition_fn=_retry_if_retryable)
def fetch_page(
    url: str, params: dict[str, str], dest: str, check: str, delay: float, timeout: float, retry_after_max: float = 300.0
) -> dict:
    """GET one page, check it, keep the raw body at `dest`; returns what the check learned.

    A 429/503 with Retry-After makes the retry wait that long (PACER.hold), up to `retry_after_max` seconds: a
    server asking for more fails the fetch at once rather than stalling a scheduled run for hours.
    """
    from prefect.runtime import task_run

    host = urlsplit(url).netloc
    try:
        with PACER.turn(host, delay):
            body = get(url, params, timeout)
        facts = CHECKS[check](body)
    except FetchError as exc:
        wait = exc.retry_after
        if wait is not None and wait > retry_after_max:
            exc.retryable = False
            exc.args = (f"{exc}; Retry-After asks for {wait:.0f} s, more than the {retry_after_max:g} s cap (PAPERFACTS_RETRY_AFTER_MAX)",)
        elif wait is not None and exc.retryable:
            PACER.hold(host, wait)
            tell(f"server busy, retrying in {wait:.0f} s (Retry-After)")
        exc.args = (f"{exc} (attempt {task_run.run_count or 1})",)
        raise
    path = Path(dest)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(body)
    return facts


def page_task(settings: FetchSettings):  # noqa: ANN201 - a configured Prefect Task
    """`fetch_page` with the retry count and backoff of these settings."""
    return fetch_page.with_options(retries=settings.retries, retry_delay_seconds=exponential_backoff(settings.backoff) if settings.retries else 0)
