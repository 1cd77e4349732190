"""The task list's XLSX export alone (issue 10): gunicorn on loopback, the bench agency
head and the Office official each download /tasks/export/ a few times, one at a time
and then 4 at once; prints each download's time, size and rows and the largest
worker's kernel peak (VmHWM, reset before each phase). Bounded; 127.0.0.1 only.

    .venv/bin/python -m scripts.bench_export --database-url postgresql+psycopg://…/bench_hK \
        [--port 5190] [--workers 4] [--repeat 3] [--root PATH (another checkout's code)]
"""
from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from scripts import bench_load
from scripts.bench_load import MIB, MemoryWatch, start_server, stop_server
from scripts.bench_users import BaseUrlSession, Visitor


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--redis-url", default="")
    parser.add_argument("--port", type=int, default=5190)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--root", default=None, help="serve another checkout's code (before/after)")
    args = parser.parse_args(argv)
    if args.root:
        bench_load.ROOT = Path(args.root).resolve()
    from openpyxl import load_workbook

    server = start_server(args.database_url, args.redis_url, args.port, args.workers)
    watch = MemoryWatch(server.pid)
    watch.start()
    base = f"http://127.0.0.1:{args.port}"
    try:
        time.sleep(1)
        print(f"export bench: code {bench_load.ROOT}, {args.workers} workers, peak "
              f"{'VmHWM' if watch.exact else 'VmRSS sampled'}; worker at start "
              f"{watch.peak('start') / MIB:.0f} MiB", flush=True)
        for who, index in (("agency", 0), ("office", 1)):
            visitor = Visitor(BaseUrlSession(base), index, [], 0)
            visitor.client.session.request = _long(visitor.client.session.request)
            for parallel in (1, 4):
                label = f"{who} x{parallel}"
                watch.phase(label)
                took, sizes, rows = [], set(), set()

                def one(_i):
                    started = time.perf_counter()
                    answer = visitor.client.get("/tasks/export/")
                    took.append(time.perf_counter() - started)
                    return answer

                for _round in range(args.repeat if parallel == 1 else 1):
                    with ThreadPoolExecutor(parallel) as pool:
                        for answer in pool.map(one, range(parallel)):
                            if answer.status_code != 200:
                                stop_server(server)
                                raise SystemExit(f"{label}: answered {answer.status_code}\n"
                                                 + (server.stderr.read() or "")[-3000:])
                            sizes.add(len(answer.content))
                            book = load_workbook(io.BytesIO(answer.content), read_only=True)
                            rows.add(sum(1 for _r in book.worksheets[0].iter_rows(values_only=True)) - 1)
                print(f"  {label}: peak {watch.peak(label) / MIB:.0f} MiB, median {statistics.median(took):.1f} s, "
                      f"slowest {max(took):.1f} s ({len(took)} downloads), rows {sorted(rows)}, "
                      f"bytes {sorted(sizes)}", flush=True)
    finally:
        watch.stop.set()
        stop_server(server)


def _long(request):
    def call(method, url, **kwargs):
        kwargs["timeout"] = 600
        return request(method, url, **kwargs)
    return call


if __name__ == "__main__":
    main(sys.argv[1:])
