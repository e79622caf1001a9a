"""Authenticated GETs for the server benchmark, in their own process.

    .venv/bin/python bench/http_load.py --url URL --token T --requests 2000 [--connections 4] --out OUT

``--connections`` keep-alive connections send ``--requests`` GETs in total, one at a time each;
writes the wall time and the status codes seen.
"""

import argparse
import asyncio
import json
import sys
import time
from pathlib import Path

import httpx


async def run(args: argparse.Namespace) -> dict:
    statuses: dict[int, int] = {}
    left = [args.requests]

    async def worker() -> None:
        async with httpx.AsyncClient(headers={"Authorization": f"Bearer {args.token}"},
                                     timeout=30) as http:
            while left[0] > 0:
                left[0] -= 1
                r = await http.get(args.url)
                statuses[r.status_code] = statuses.get(r.status_code, 0) + 1

    t0 = time.monotonic()
    await asyncio.gather(*(worker() for _ in range(args.connections)))
    return {"seconds": time.monotonic() - t0, "statuses": statuses}


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--url", required=True)
    p.add_argument("--token", required=True)
    p.add_argument("--requests", type=int, default=2000)
    p.add_argument("--connections", type=int, default=4)
    p.add_argument("--out", required=True)
    args = p.parse_args()
    result = asyncio.run(run(args))
    Path(args.out).write_text(json.dumps(result))
    return 0 if set(result["statuses"]) == {200} else 1


if __name__ == "__main__":
    sys.exit(main())
