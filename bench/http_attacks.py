"""What an unauthenticated client can cost the HTTP endpoint: memory, log bytes and time, measured against the
real `python -m bot serve` on 127.0.0.1. `python -m bench http --out docs/bench-http-results.json`"""

from __future__ import annotations

import argparse
import contextlib
import json
import select
import socket
import statistics
import tempfile
import time
import urllib.parse
from pathlib import Path
from typing import Any

from bot.store.db import migrate
from tests.conftest import make_settings
from tests.slack_helpers import RunningBot, sign, slash_body, start_bot
from tests.slack_standin import SlackStandIn

MIB = 1024 * 1024


def rss(pid: int) -> dict[str, int]:
    """VmRSS and VmHWM (peak) of a process, in KiB."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            fields[key] = int(value.split()[0])
    return fields


def send(port: int, head: bytes, body_chunks: Any = (), timeout: float = 30.0) -> tuple[int, int]:
    """Send a request (stopping the body as soon as the server answers); (status, body bytes sent)."""
    sent = 0
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(head)
        for chunk in body_chunks:
            if select.select([sock], [], [], 0)[0]:
                break
            try:
                sock.sendall(chunk)
            except (BrokenPipeError, ConnectionResetError):
                break
            sent += len(chunk)
        received = b""
        try:
            while part := sock.recv(65536):
                received += part
        except ConnectionResetError:
            pass
    return int(received.split(b" ", 2)[1]) if received else 0, sent


def head(length: int | None, content_type: str = "application/json", extra: str = "") -> bytes:
    size = f"Content-Length: {length}\r\n" if length is not None else "Transfer-Encoding: chunked\r\n"
    return (
        f"POST /slack/events HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: {content_type}\r\n"
        f"{size}{extra}\r\n"
    ).encode()


def timed(bot: RunningBot, label: str, fn: Any, results: dict[str, Any]) -> None:
    log_before = bot.log.stat().st_size
    before = rss(bot.proc.pid)
    start = time.perf_counter()
    status, sent = fn()
    seconds = time.perf_counter() - start
    time.sleep(0.3)
    after = rss(bot.proc.pid)
    results[label] = {
        "status": status,
        "seconds": round(seconds, 3),
        "body_bytes_sent": sent,
        "rss_growth_mib": round((after["VmRSS"] - before["VmRSS"]) / 1024, 1),
        "peak_growth_mib": round((after["VmHWM"] - before["VmHWM"]) / 1024, 1),
        "log_bytes": bot.log.stat().st_size - log_before,
    }
    print(f"{label:55s} {results[label]}")


def malformed_requests(port: int, count: int) -> dict[str, Any]:
    now = int(time.time())
    junk = "X-Slack-Request-Timestamp: {ts}\r\nX-Slack-Signature: v0=" + "0" * 64 + "\r\n"
    form = urllib.parse.urlencode(
        {
            "token": "t" * 24,
            "response_url": "https://hooks.slack.com/x/" + "y" * 60,
            "text": "a\n2026-01-01 00:00:00,000 INFO forged",
        }
    ).encode()
    cases = [
        (head(len(form), "application/x-www-form-urlencoded"), form),
        (head(4, "application/json"), b"[1,2"),
        (head(len(form) + 2, "application/x-www-form-urlencoded"), b"\xff\xfe" + form),
        (head(len(form), "application/x-www-form-urlencoded", junk.format(ts="abc")), form),
        (head(len(form), "application/x-www-form-urlencoded", junk.format(ts=now)), form),
        (head(len(form), "application/x-www-form-urlencoded", junk.format(ts=f"{now}.5")), form),
    ]
    statuses: dict[int, int] = {}
    times = []
    for i in range(count):
        h, body = cases[i % len(cases)]
        start = time.perf_counter()
        status, _ = send(port, h + body)
        times.append(time.perf_counter() - start)
        statuses[status] = statuses.get(status, 0) + 1
    return {
        "statuses": statuses,
        "mean_ms": round(statistics.mean(times) * 1000, 2),
        "p99_ms": round(sorted(times)[int(len(times) * 0.99) - 1] * 1000, 2),
    }


def slow_clients(bot: RunningBot, standin: SlackStandIn, count: int, idle: int) -> dict[str, Any]:
    before = rss(bot.proc.pid)["VmRSS"]
    socks = []
    for i in range(count):
        sock = socket.create_connection(("127.0.0.1", bot.port), timeout=10)
        sock.sendall(
            [
                b"POST /slack/ev",
                b"POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Le",
                b"POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Length: 900\r\n\r\ntoken=abc",
            ][i % 3]
        )
        socks.append(sock)
    opened = time.monotonic()
    time.sleep(0.5)
    held = rss(bot.proc.pid)["VmRSS"]
    health = []
    for _ in range(5):
        start = time.perf_counter()
        status, _ = send(bot.port, b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        health.append(time.perf_counter() - start)
        assert status == 200
    url = standin.response_url()
    body = slash_body("help", url)
    ts = int(time.time())
    start = time.perf_counter()
    status, _ = send(
        bot.port,
        head(
            len(body),
            "application/x-www-form-urlencoded",
            f"X-Slack-Request-Timestamp: {ts}\r\nX-Slack-Signature: {sign(body, ts)}\r\n",
        )
        + body,
    )
    command = time.perf_counter() - start
    standin.wait_response(url)
    dropped_at = []
    for sock in socks:
        sock.settimeout(max(0.1, opened + idle + 30 - time.monotonic()))
        with contextlib.suppress(ConnectionResetError, TimeoutError):
            sock.recv(10)
        dropped_at.append(time.monotonic() - opened)
        sock.close()
    return {
        "clients": count,
        "rss_per_connection_kib": round((held - before) / count, 1),
        "healthz_max_ms": round(max(health) * 1000, 1),
        "command_ack_status": status,
        "command_ack_ms": round(command * 1000, 1),
        "all_dropped_after_s": round(max(dropped_at), 1),
    }


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        prog="python -m bench http",
        description=__doc__,
        epilog="example: python -m bench http --out docs/bench-http-results.json",
    )
    p.add_argument("--malformed", type=int, default=1000, help="unsigned malformed requests to send")
    p.add_argument("--slow", type=int, nargs="+", default=[300, 900], help="slow-client counts to hold open")
    p.add_argument("--out", default="", help="also write the results as JSON to this file")
    args = p.parse_args(argv)
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bot.db"
        migrate(make_settings(db).database_url)
        standin = SlackStandIn()
        bot = start_bot(standin, db, Path(tmp), extra_env={"LOG_LEVEL": "INFO"})
        try:
            results["idle_server"] = {k: round(v / 1024, 1) for k, v in rss(bot.proc.pid).items()}
            print("idle server (MiB)", results["idle_server"])
            blob = b"x" * MIB
            timed(
                bot,
                "200 MB declared in Content-Length, unsigned",
                lambda: send(bot.port, head(200_000_000), [blob] * 200),
                results,
            )
            timed(
                bot,
                "200 MB streamed chunked, unsigned",
                lambda: send(bot.port, head(None), [b"100000\r\n" + blob + b"\r\n"] * 200),
                results,
            )
            just = b"a" * MIB
            timed(
                bot,
                "1 MiB body (the limit), unsigned",
                lambda: send(bot.port, head(len(just), "application/x-www-form-urlencoded") + just),
                results,
            )
            log_before = bot.log.stat().st_size
            lines_before = len(bot.logs().splitlines())
            summary = malformed_requests(bot.port, args.malformed)
            log_bytes = bot.log.stat().st_size - log_before
            summary.update(
                requests=args.malformed,
                log_bytes=log_bytes,
                log_lines=len(bot.logs().splitlines()) - lines_before,
                log_bytes_per_request=round(log_bytes / args.malformed, 1),
                tracebacks=bot.logs().count("Traceback"),
            )
            results["malformed_unsigned"] = summary
            print("malformed unsigned requests", summary)
            for count in args.slow:
                results[f"slow_clients_{count}"] = slow_clients(bot, standin, count, idle=5)
                print(f"{count} slow clients", results[f"slow_clients_{count}"])
            results["server_after"] = {k: round(v / 1024, 1) for k, v in rss(bot.proc.pid).items()}
        finally:
            bot.stop()
            standin.close()
    if args.out:
        Path(args.out).write_text(json.dumps(results, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
