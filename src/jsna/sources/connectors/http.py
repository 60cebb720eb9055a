"""HTTP for the public-data connectors: careful fetching with an on-disk cache.

One :class:`Fetcher` per service (Nomis, Fingertips). Every request has a
timeout; connection failures, timeouts, HTTP 429 and 5xx answers are retried
with exponential back-off (``backoff × 2^attempt`` seconds, or the server's
``Retry-After``); proxies come from the environment (``HTTPS_PROXY``,
``NO_PROXY``: httpx's ``trust_env``); certificates are always verified,
against the system store or a CA bundle the user names (there is no switch to
turn verification off). A service that answers with an HTML page (a login
portal, a proxy's block page, an error page) instead of data, or a body
shorter than its ``Content-Length``, is refused with a message saying so.

Every successful body is written to the cache folder with what was asked
and when (``<key>.body`` + ``<key>.json``); in offline mode the fetcher
answers from the cache only, so a build can be repeated without a network.
Tests replace the network with an ``httpx.MockTransport``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import ssl
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from jsna.errors import InputError

try:  # the optional extra jsna[fetch]; bulk files are read without it
    import httpx
except ModuleNotFoundError:  # pragma: no cover - exercised only without the extra
    httpx = None  # type: ignore[assignment]

__all__ = ["FetchSettings", "Fetched", "Fetcher", "ServiceError"]

USER_AGENT = "jsna (public-health JSNA toolkit; +https://github.com/)"
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
_HTML_START = re.compile(rb"^\s*(<!doctype\s+html|<html|<head|<body)", re.IGNORECASE)
_TITLE = re.compile(rb"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)


class ServiceError(InputError):
    """A public service failed or answered with something that is not its data.

    An :class:`InputError` (the data jsna was given is unusable), with
    ``file`` set to the URL asked for, so the command line reports it the
    same way as a bad file.
    """


@dataclass(frozen=True)
class FetchSettings:
    """How to reach a service.

    ``timeout`` is seconds per request (connect and read); ``retries`` the
    number of further attempts after a transient failure; ``backoff`` the
    first wait in seconds, doubled each time. ``ca_bundle`` is a PEM file of
    extra trusted certificate authorities (a corporate proxy's); ``cache_dir``
    where bodies are kept; ``offline`` answers from the cache only.
    """

    timeout: float = 60.0
    retries: int = 3
    backoff: float = 2.0
    ca_bundle: Path | None = None
    cache_dir: Path | None = None
    offline: bool = False

    def __post_init__(self) -> None:
        if not self.timeout > 0:
            raise InputError("timeout must be positive", column="timeout", value=self.timeout)
        if self.retries < 0:
            raise InputError("retries must be 0 or more", column="retries", value=self.retries)
        if self.backoff < 0:
            raise InputError("backoff must be 0 or more", column="backoff", value=self.backoff)
        if self.offline and self.cache_dir is None:
            raise InputError("offline mode needs a cache folder", column="cache_dir")


@dataclass(frozen=True)
class Fetched:
    """One response body with its provenance (the URL with its query, and when)."""

    url: str
    body: bytes
    fetched_at: str  # ISO 8601 UTC of the original download
    from_cache: bool
    content_type: str = ""
    headers: Mapping[str, str] = field(default_factory=dict)

    def text(self) -> str:
        """The body decoded as UTF-8 (a byte-order mark is dropped)."""
        try:
            return self.body.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise ServiceError(
                f"the response is not UTF-8 text (byte {error.start})", file=self.url
            ) from None


def full_url(url: str, params: Mapping[str, str | int] | None) -> str:
    """The URL with its query string, parameters in the order given."""
    if not params:
        return url
    return f"{url}?{urlencode({k: str(v) for k, v in params.items()}, safe=',:')}"


def _ssl_context(ca_bundle: Path | None) -> ssl.SSLContext:
    """A verifying TLS context: the system store, plus ``ca_bundle`` when given."""
    context = ssl.create_default_context()
    if ca_bundle is not None:
        try:
            context.load_verify_locations(cafile=str(ca_bundle))
        except (OSError, ssl.SSLError) as error:
            raise InputError(
                f"cannot load the CA bundle: {error}",
                file=str(ca_bundle),
                hint="give a PEM file of certificate authorities",
            ) from None
    return context


class Fetcher:
    """GET with timeouts, retries, verified TLS, HTML detection and a cache.

    >>> def answer(request):
    ...     return httpx.Response(200, text="a,b\\n1,2\\n")
    >>> fetcher = Fetcher("demo", transport=httpx.MockTransport(answer))
    >>> fetcher.get("https://example.org/data.csv", {"id": 1}).text()
    'a,b\\n1,2\\n'
    """

    def __init__(
        self,
        service: str,
        settings: FetchSettings | None = None,
        *,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if httpx is None:  # pragma: no cover - exercised only without the extra
            raise InputError(
                f"fetching from {service} needs httpx",
                hint="pip install 'jsna[fetch]', or read downloaded files with --from-files",
            )
        self.service = service
        self.settings = settings or FetchSettings()
        self._sleep = sleep
        #: the TLS context: certificate verification is always required
        self.ssl_context = _ssl_context(self.settings.ca_bundle)
        self._client = httpx.Client(
            verify=self.ssl_context,
            trust_env=True,
            timeout=httpx.Timeout(self.settings.timeout),
            follow_redirects=True,
            headers={"User-Agent": USER_AGENT, "Accept": "text/csv, */*;q=0.5"},
            transport=transport,
        )

    def close(self) -> None:
        """Close the connection pool."""
        self._client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- cache -------------------------------------------------------------
    def _cache_paths(self, url: str) -> tuple[Path, Path] | None:
        if self.settings.cache_dir is None:
            return None
        key = hashlib.sha256(url.encode("utf-8")).hexdigest()[:32]
        folder = Path(self.settings.cache_dir) / self.service
        return folder / f"{key}.body", folder / f"{key}.json"

    def _from_cache(self, url: str) -> Fetched | None:
        paths = self._cache_paths(url)
        if paths is None or not paths[0].exists() or not paths[1].exists():
            return None
        meta = json.loads(paths[1].read_text(encoding="utf-8"))
        return Fetched(
            url=url,
            body=paths[0].read_bytes(),
            fetched_at=meta["fetched_at"],
            from_cache=True,
            content_type=meta.get("content_type", ""),
        )

    def _store(self, fetched: Fetched) -> None:
        paths = self._cache_paths(fetched.url)
        if paths is None:
            return
        paths[0].parent.mkdir(parents=True, exist_ok=True)
        paths[0].write_bytes(fetched.body)
        meta = {
            "service": self.service,
            "url": fetched.url,
            "fetched_at": fetched.fetched_at,
            "content_type": fetched.content_type,
            "bytes": len(fetched.body),
        }
        paths[1].write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")

    # -- network -----------------------------------------------------------
    def get(self, url: str, params: Mapping[str, str | int] | None = None) -> Fetched:
        """The body at ``url`` (with ``params``), from the network or, offline, the cache."""
        target = full_url(url, params)
        if self.settings.offline:
            cached = self._from_cache(target)
            if cached is None:
                raise ServiceError(
                    f"offline, and this {self.service} query is not in the cache "
                    f"({self.settings.cache_dir})",
                    file=target,
                    hint="run the same command once online to fill the cache",
                )
            return cached
        fetched = self._download(target)
        self._store(fetched)
        return fetched

    def _download(self, target: str) -> Fetched:
        attempts = self.settings.retries + 1
        last = ""
        for attempt in range(attempts):
            wait = self.settings.backoff * 2**attempt
            try:
                response = self._client.get(target)
                body = response.content
            except httpx.TimeoutException:
                last = f"timed out after {self.settings.timeout:g} s"
            except httpx.TransportError as error:
                last = f"connection failed ({type(error).__name__}: {error})"
            else:
                problem = self._transient(response, body)
                if problem is None:
                    self._check(target, response, body)
                    return Fetched(
                        url=target,
                        body=body,
                        fetched_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                        from_cache=False,
                        content_type=response.headers.get("content-type", ""),
                        headers=dict(response.headers),
                    )
                last, wait = problem[0], problem[1] if problem[1] is not None else wait
            if attempt + 1 < attempts:
                self._sleep(wait)
        raise ServiceError(
            f"{self.service} did not answer after {attempts} attempt(s): {last}",
            file=target,
            hint="check the network or proxy settings (HTTPS_PROXY), or use --offline "
            "with a filled cache",
        )

    def _transient(self, response: httpx.Response, body: bytes) -> tuple[str, float | None] | None:
        """(reason, wait) for a failure worth retrying, else None."""
        if response.status_code in RETRY_STATUSES:
            retry_after = response.headers.get("retry-after", "")
            wait = float(retry_after) if retry_after.strip().isdigit() else None
            return f"HTTP {response.status_code} {response.reason_phrase}", wait
        declared = response.headers.get("content-length")
        encoded = response.headers.get("content-encoding", "identity") != "identity"
        if declared and declared.isdigit() and not encoded and int(declared) != len(body):
            return (f"truncated body: {len(body)} of {declared} bytes", None)
        return None

    def _check(self, target: str, response: httpx.Response, body: bytes) -> None:
        """Refuse client errors and HTML pages that are not the data asked for."""
        content_type = response.headers.get("content-type", "").lower()
        if "text/html" in content_type or _HTML_START.match(body[:512]):
            title = _TITLE.search(body[:20000])
            named = (
                f" titled {title.group(1).decode('utf-8', 'replace').strip()!r}" if title else ""
            )
            raise ServiceError(
                f"{self.service} returned an HTML page{named} (HTTP {response.status_code}) "
                "instead of data",
                file=target,
                hint="a login page, proxy block page or service error page: open the URL "
                "in a browser to see it",
            )
        if response.status_code >= 400:
            snippet = body[:200].decode("utf-8", "replace").strip()
            raise ServiceError(
                f"{self.service} refused the request: HTTP {response.status_code} "
                f"{response.reason_phrase}: {snippet}",
                file=target,
            )
        if not body.strip():
            raise ServiceError(f"{self.service} returned an empty body", file=target)
