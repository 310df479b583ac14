"""Hostile files, measured: each case of the generated corpus through `python -m bot ingest` on its own database
(peak memory from wait4, wall time), then zip bombs uploaded to the real `python -m bot serve` through the Slack
stand-in while lookups are being asked, with the serving process's peak memory."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from bot.reading.ingest import Ingestor
from bot.store.db import migrate
from tests import hostile
from tests.conftest import RULES, SEEDS, make_settings
from tests.slack_helpers import ADMIN, SHARED_SLACK, start_bot
from tests.slack_standin import SlackStandIn, StoredFile


def ingest_cases(tmp: Path, long: bool) -> list[dict[str, Any]]:
    folder = tmp / "corpus"
    files, _ = hostile.write_corpus(folder, long=long)
    # What the limits still let through, at their edge: the most a file that is read can cost.
    edge = folder.parent / "edge"
    edge.mkdir()
    (edge / "at-limit.txt").write_bytes(hostile.huge_text(99_000))
    wide = b"<span></span>" * (4_900_000 // 13)
    page = b"<html><body><p>" + hostile.SENTENCE.encode() + b"</p>" + wide + b"</body></html>"
    (edge / "wide.html").write_bytes(page)
    rows = []
    for name in [f.name for f in files] + ["good.pdf", "edge/at-limit.txt", "edge/wide.html", "(the whole folder)"]:
        db = tmp / f"{len(rows)}.db"
        env = dict(os.environ, DATABASE_URL=f"sqlite:///{db}", LOG_LEVEL="WARNING")
        whole = name.startswith("(")
        target = folder if whole else folder.parent / name if name.startswith("edge/") else folder / name
        args = [sys.executable, "-m", "bot", "ingest", "--json", str(target)]
        run = hostile.run_measured(args, env, tmp, timeout=900)
        results = [json.loads(line) for line in run.stdout.splitlines()]
        if whole:  # a link is judged inside its folder
            link = next(r for r in results if Path(r["name"]).name == "link-out.txt")
            status = f"{sum(r['status'] == 'new' for r in results)} new, {len(results)} files"
            reason = f"link-out.txt: {link['reason']}"
            size = sum(p.lstat().st_size for p in folder.iterdir())
        else:
            path = folder.parent / name if name.startswith("edge/") else folder / name
            status, reason, size = results[0]["status"], results[0]["reason"], path.stat().st_size
        rows.append(
            {
                "file": name,
                "bytes": size,
                "status": status,
                "reason": reason,
                "peak_mb": round(run.peak_mb),
                "seconds": round(run.seconds, 1),
                "traceback": "Traceback" in run.stdout + run.stderr,
            }
        )
        print(f"{name:22} {status:8} {rows[-1]['peak_mb']:5} MB {rows[-1]['seconds']:5} s  {reason}", file=sys.stderr)
    return rows


def upload_event(file_id: str, name: str, ts: str) -> dict[str, Any]:
    event = json.loads((SHARED_SLACK / "message_file_share_event.inner.json").read_text())
    event.update(
        subtype="file_share",
        user=ADMIN,
        ts=ts,
        event_ts=ts,
        channel="D0UPLOAD01",
        channel_type="im",
        text="here is an article",
    )
    event["files"] = [{**event["files"][0], "id": file_id, "name": name, "title": name, "user": ADMIN}]
    return event


def vm_hwm_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def serve_case(tmp: Path, uploads: list[tuple[str, bytes]]) -> dict[str, Any]:
    db = tmp / "serve.db"
    settings = make_settings(db)
    migrate(settings.database_url)
    Ingestor(settings, RULES).ingest_paths([SEEDS], progress=False)
    standin = SlackStandIn()
    bot = start_bot(standin, db, tmp)
    try:
        url = standin.response_url()  # the first lookup and the first upload load what they need
        bot.command("capex", url)
        standin.wait_response(url, timeout=30)
        latencies: list[float] = []
        stop = threading.Event()

        def ask() -> None:
            while not stop.is_set():
                url = standin.response_url()
                start = time.perf_counter()
                bot.command("capex", url)
                body = standin.wait_response(url, timeout=30)
                if "380 billion yuan" in json.dumps(body):
                    latencies.append(time.perf_counter() - start)

        asker = threading.Thread(target=ask, daemon=True)
        asker.start()
        replies = []
        for i, (name, data) in enumerate(uploads, start=1):
            file_id = f"F0BENCH{i:03d}"
            standin.add_file(StoredFile(file_id, name, data, "application/octet-stream"))
            ts = f"1800000000.{i:06d}"
            start = time.perf_counter()
            bot.event(upload_event(file_id, name, ts), f"EvBench{i}")
            first = standin.wait_for(
                lambda ts=ts: next(
                    (
                        c
                        for c in standin.calls_to("chat.postMessage")
                        if c.params.get("thread_ts") == ts and c.status == 200
                    ),
                    None,
                ),
                timeout=120,
            )
            update = standin.wait_for(
                lambda first=first: next(
                    (c for c in standin.calls_to("chat.update") if c.params.get("ts") == first.result["ts"]), None
                ),
                timeout=300,
            )
            replies.append(
                {
                    "file": name,
                    "bytes": len(data),
                    "reply": update.params.get("text"),
                    "seconds": round(time.perf_counter() - start, 2),
                }
            )
            print(f"serve: {name} -> {update.params.get('text')}", file=sys.stderr)
        time.sleep(1.0)
        stop.set()
        asker.join(timeout=30)
        ordered = sorted(latencies)
        return {
            "uploads": replies,
            "lookups_answered_meanwhile": len(latencies),
            "lookup_p50_ms": round(statistics.median(ordered) * 1000, 1) if ordered else None,
            "lookup_max_ms": round(ordered[-1] * 1000, 1) if ordered else None,
            "process_alive": bot.proc.poll() is None,
            "peak_rss_mb": round(vm_hwm_mb(bot.proc.pid)),
        }
    finally:
        bot.stop()
        standin.close()


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        prog="python -m bench files",
        description="hostile files: memory, time, serve",
        epilog="example: python -m bench files --out docs/bench-files-results.json",
    )
    p.add_argument("--small", action="store_true", help="the smaller corpus `make test` uses, not the issue's sizes")
    p.add_argument("--out", default="", help="also write the results as JSON to this file")
    args = p.parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="bench-hostile-"))
    try:
        cases = ingest_cases(tmp, long=not args.small)
        bomb = hostile.docx_bomb(200_000_000 if args.small else 2_000_000_000)
        spaces = hostile.docx_bomb(100_000_000 if args.small else 1_000_000_000, b" " * 4096)
        serve = serve_case(
            tmp,
            [("bomb.docx", bomb), ("whitespace-bomb.docx", spaces), ("nested.html", hostile.nested_html(4_900_000))],
        )
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    results = {"ingest": cases, "serve": serve}
    print(json.dumps(results, indent=2, ensure_ascii=False))
    if args.out:
        Path(args.out).write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    return 0
