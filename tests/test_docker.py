"""The Docker image: dependencies from the lock file before the code (layer cache), a health check that works."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
import tomllib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from bot.settings import PROJECT_ROOT
from tests.slack_helpers import free_port

DOCKERFILE = (PROJECT_ROOT / "Dockerfile").read_text()


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~ \[;]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def test_dependencies_are_installed_from_the_lock_before_the_code_is_copied() -> None:
    lines = DOCKERFILE.splitlines()
    install = next(i for i, line in enumerate(lines) if "-r requirements.lock" in line)
    code = next(i for i, line in enumerate(lines) if line.startswith("COPY bot"))
    assert next(i for i, line in enumerate(lines) if line.startswith("COPY requirements.lock")) < install < code
    assert "--no-deps" in next(line for line in lines[code:] if "pip install" in line)


def test_the_lock_pins_every_dependency() -> None:
    declared = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    pinned = {}
    for line in (PROJECT_ROOT / "requirements.lock").read_text().splitlines():
        if line and not line.startswith("#"):
            name, _, version = line.partition("==")
            assert version, f"{line} is not pinned"
            pinned[_name(name)] = version
    assert {_name(d) for d in declared} <= set(pinned)
    assert "requirements.lock" in (PROJECT_ROOT / "README.md").read_text()


def _healthcheck(port: int, **env: str) -> int:
    command = json.loads(re.search(r"^HEALTHCHECK .*?CMD (\[.*\])$", DOCKERFILE, re.M).group(1))  # type: ignore[union-attr]
    assert command[0] == "python"
    full = {k: v for k, v in os.environ.items() if k != "SLACK_APP_TOKEN"} | {"PORT": str(port), **env}
    return subprocess.run([sys.executable, *command[1:]], env=full, capture_output=True, timeout=30).returncode


def test_the_healthcheck_probes_healthz_in_http_mode() -> None:
    seen: list[str] = []

    class Health(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            seen.append(self.path)
            self.send_response(200 if self.path == "/healthz" else 404)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Health)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        assert _healthcheck(server.server_address[1]) == 0 and seen == ["/healthz"]
    finally:
        server.shutdown()
    assert _healthcheck(free_port()) != 0  # nothing listening: unhealthy
    assert _healthcheck(free_port(), SLACK_APP_TOKEN="xapp-1") == 0  # Socket Mode serves no HTTP


def test_replicas_start_after_one_migration() -> None:
    import yaml

    services = yaml.safe_load((PROJECT_ROOT / "docker-compose.yml").read_text())["services"]
    replicas = [name for name, s in services.items() if "PORT" in s.get("environment", {})]
    assert len(replicas) >= 2
    assert services["migrate"]["command"] == ["python", "-m", "bot", "migrate"]
    assert services["migrate"]["depends_on"] == {"db": {"condition": "service_healthy"}}
    for name in replicas:  # none races another to create the tables
        assert services[name]["depends_on"] == {"migrate": {"condition": "service_completed_successfully"}}
