"""The HTTP layer: retries, back-off, HTML pages, truncation, TLS, proxies, cache, offline."""

from __future__ import annotations

import ssl

import httpx
import pytest

from jsna.errors import InputError
from jsna.sources.connectors.http import Fetcher, FetchSettings, ServiceError

from .conftest import recorded

URL = "https://service.example/data.csv"
BODY = b"a,b\r\n1,2\r\n"


def ok(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, content=BODY, headers={"content-type": "text/csv"})


def test_plain_get_returns_body_and_provenance(replay):
    r = replay(ok)
    got = r.fetcher().get(URL, {"id": 7, "geography": "E09000033"})
    assert got.body == BODY
    assert got.url == URL + "?id=7&geography=E09000033"
    assert not got.from_cache
    assert got.fetched_at.endswith("+00:00")
    assert r.waits == []


def test_server_errors_are_retried_with_exponential_backoff(replay):
    answers = iter([500, 503, 200])

    def flaky(request):
        status = next(answers)
        return httpx.Response(status, content=BODY if status == 200 else b"busy")

    r = replay(flaky)
    assert r.fetcher().get(URL).body == BODY
    assert len(r.requests) == 3
    assert r.waits == [0.5, 1.0]  # backoff 0.5 s, doubled


def test_retry_after_header_is_honoured(replay):
    answers = iter([httpx.Response(429, headers={"retry-after": "7"}), ok(None)])
    r = replay(lambda request: next(answers))
    r.fetcher().get(URL)
    assert r.waits == [7.0]


def test_persistent_500_gives_up_naming_the_url_and_attempts(replay):
    r = replay(lambda request: httpx.Response(500, content=b"Internal Server Error"))
    with pytest.raises(ServiceError) as caught:
        r.fetcher("Nomis").get(URL, {"q": 1})
    message = str(caught.value)
    assert "Nomis did not answer after 3 attempt(s): HTTP 500" in message
    assert URL + "?q=1" in message
    assert len(r.requests) == 3 and r.waits == [0.5, 1.0]
    assert isinstance(caught.value, InputError)


def test_timeouts_are_retried_then_reported(replay):
    def slow(request):
        raise httpx.ReadTimeout("read timed out", request=request)

    r = replay(slow)
    with pytest.raises(ServiceError, match=r"timed out after 5 s"):
        r.fetcher(timeout=5).get(URL)
    assert len(r.requests) == 3


def test_a_timeout_then_success_recovers(replay):
    calls = []

    def once_slow(request):
        calls.append(1)
        if len(calls) == 1:
            raise httpx.ConnectTimeout("connect timed out", request=request)
        return ok(request)

    r = replay(once_slow)
    assert r.fetcher().get(URL).body == BODY


def test_client_errors_are_not_retried(replay):
    r = replay(lambda request: httpx.Response(404, content=b"Dataset not found"))
    with pytest.raises(ServiceError, match=r"HTTP 404 Not Found: Dataset not found"):
        r.fetcher().get(URL)
    assert len(r.requests) == 1


@pytest.mark.parametrize("content_type", ["text/html; charset=utf-8", "text/plain"])
def test_an_html_login_page_is_refused_with_its_title(replay, content_type):
    page = recorded("login.html")
    r = replay(
        lambda request: httpx.Response(200, content=page, headers={"content-type": content_type})
    )
    with pytest.raises(ServiceError) as caught:
        r.fetcher("Fingertips").get(URL)
    message = str(caught.value)
    assert "Fingertips returned an HTML page titled 'Sign in - Corporate Web Gateway'" in message
    assert "instead of data" in message
    assert len(r.requests) == 1


def test_a_body_shorter_than_its_content_length_is_retried_then_refused(replay):
    def cut(request):
        # a stream that stops early: the header promises 100 bytes, 10 arrive
        return httpx.Response(200, content=BODY, headers={"content-length": "100"})

    r = replay(cut)
    with pytest.raises(ServiceError, match=r"truncated body: 10 of 100 bytes"):
        r.fetcher().get(URL)
    assert len(r.requests) == 3


def test_an_empty_body_is_refused(replay):
    r = replay(lambda request: httpx.Response(200, content=b"  \r\n"))
    with pytest.raises(ServiceError, match="empty body"):
        r.fetcher().get(URL)


def test_certificates_are_always_verified():
    fetcher = Fetcher("test")
    assert fetcher.ssl_context.verify_mode == ssl.CERT_REQUIRED
    assert fetcher.ssl_context.check_hostname is True
    assert "verify" not in FetchSettings.__dataclass_fields__


def test_a_custom_ca_bundle_is_loaded_and_a_bad_one_named(tmp_path):
    import certifi

    fetcher = Fetcher("test", FetchSettings(ca_bundle=certifi.where()))
    assert fetcher.ssl_context.verify_mode == ssl.CERT_REQUIRED
    assert fetcher.ssl_context.cert_store_stats()["x509_ca"] > 0
    bad = tmp_path / "ca.pem"
    bad.write_text("not a certificate")
    with pytest.raises(InputError, match="cannot load the CA bundle") as caught:
        Fetcher("test", FetchSettings(ca_bundle=bad))
    assert str(bad) in str(caught.value)


def test_proxies_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.example:3128")
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    fetcher = Fetcher("test")
    proxies = [str(pattern.pattern) for pattern in fetcher._client._mounts]
    assert "https://" in proxies


def test_offline_mode_answers_from_the_cache(tmp_path, replay):
    online = replay(ok)
    first = online.fetcher(cache_dir=tmp_path).get(URL, {"x": 1})

    def no_network(request):
        raise AssertionError("offline mode must not touch the network")

    offline = replay(no_network)
    again = offline.fetcher(cache_dir=tmp_path, offline=True).get(URL, {"x": 1})
    assert again.body == BODY and again.from_cache
    assert again.fetched_at == first.fetched_at
    assert offline.requests == []
    with pytest.raises(ServiceError, match="not in the cache") as caught:
        offline.fetcher(cache_dir=tmp_path, offline=True).get(URL, {"x": 2})
    assert "run the same command once online" in str(caught.value)


def test_settings_are_checked():
    with pytest.raises(InputError, match="offline mode needs a cache folder"):
        FetchSettings(offline=True)
    with pytest.raises(InputError, match="timeout must be positive"):
        FetchSettings(timeout=0)
    with pytest.raises(InputError, match="retries must be 0 or more"):
        FetchSettings(retries=-1)
