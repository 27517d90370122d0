"""gunicorn serves the site with production settings; WhiteNoise serves static files."""

import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from tests.lms.test_settings import PRODUCTION_ENV, PROJECT_DIR, manage

HOST = "szkolenia.example.org"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def fetch(url: str, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers={"Host": HOST, **headers})
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


@pytest.fixture
def gunicorn(tmp_path):
    env = {
        **PRODUCTION_ENV,
        "STATIC_ROOT": str(tmp_path / "static"),
        "MEDIA_ROOT": str(tmp_path / "media"),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    collected = manage("collectstatic", "--noinput", "-v0", env=env)
    assert collected.returncode == 0, collected.stderr
    port = free_port()
    command = [sys.executable, "-m", "gunicorn", "lms.wsgi", "--bind", f"127.0.0.1:{port}"]
    process = subprocess.Popen(
        [*command, "--workers", "2", "--log-level", "warning"],
        cwd=PROJECT_DIR,
        env={**env, "PATH": "/usr/bin:/bin"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                break
        except OSError:
            assert process.poll() is None, process.stdout.read().decode()
            time.sleep(0.2)
    yield base, tmp_path / "static"
    process.terminate()
    process.wait(timeout=10)


def test_gunicorn_serves_health_and_fingerprinted_static_files(gunicorn):
    base, static_root = gunicorn
    secure = {"X-Forwarded-Proto": "https"}

    status, _, body = fetch(f"{base}/healthz", secure)
    assert status == 200 and json.loads(body) == {"status": "ok"}

    status, headers, _ = fetch(f"{base}/healthz", {})
    assert status == 301 and headers["Location"].startswith("https://")

    manifest = json.loads((static_root / "staticfiles.json").read_text())
    css = manifest["paths"]["lms/site.css"]
    assert css != "lms/site.css"  # fingerprinted
    status, headers, body = fetch(f"{base}/static/{css}", {**secure, "Accept-Encoding": "gzip"})
    assert status == 200
    assert headers.get("Content-Encoding") == "gzip"
    assert "immutable" in headers["Cache-Control"]

    status, _, _ = fetch(f"{base}/healthz", {**secure, "Host": "attacker.example"})
    assert status == 400
