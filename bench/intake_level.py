"""One intake level alone, repeated: the API's whole nominations by N clients on the last evening, scans
running, each round with intake's processes started afresh, and the machine's CPU split (user, nice: the
scan worker, system, idle) beside each process's CPU per nomination. `make bench` measures every level
and path one after another behind a growing scan backlog; this measures the one figure issue 19 sets a
target for (35/s at 8 clients) several times, to show how much it moves on a shared machine.

    python -m bench.intake_level [CLIENTS] [SECONDS] [ROUNDS]     # servers up, as for `make bench`

Writes bench/results/intake-level.json.
"""
from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

from bench import intake_bench, intake_load, scans
from bench.cpu import CpuMeter
from bench.processes import System

RESULTS = Path(__file__).parent / "results" / "intake-level.json"
MACHINE = ("user", "nice", "system", "idle", "iowait", "irq", "softirq", "steal")


def machine_ticks() -> list[int]:
    with open("/proc/stat") as stat:
        return [int(value) for value in stat.readline().split()[1:len(MACHINE) + 1]]


def machine_shares(before: list[int], after: list[int]) -> dict[str, float]:
    spent = [b - a for a, b in zip(before, after)]
    return {name: round(100 * part / max(1, sum(spent)), 1) for name, part in zip(MACHINE, spent)}


def one_round(intake, clients: int, seconds: float, tokens: list[str]) -> dict:
    with tempfile.TemporaryDirectory(prefix="tuiju-bench-level-") as folder:
        env = {"TUIJU_CAMPAIGN_FILE": str(intake_bench.evening_campaign(Path(folder)))}
        system = System(env, Path(folder))
        try:
            system.start("intake-web", "intake-worker", "intake-relay")
            url = system.url("intake-web")
            warm = intake_load.run_level(url, "api", clients, 5, intake_bench.nomination_files, intake_bench.form)
            tokens += warm.pop("tokens")
            meter, ticks, client_cpu = CpuMeter(system), machine_ticks(), time.process_time()
            before = meter.measure()
            level = intake_load.run_level(url, "api", clients, seconds, intake_bench.nomination_files,
                                          intake_bench.form)
            used, machine = meter.since(before), machine_shares(ticks, machine_ticks())
            tokens += level.pop("tokens")
        finally:
            system.stop()
    done = max(1, level["nominations"])
    cpu = {name: round(1000 * seconds_used / done, 1) for name, seconds_used in used.items()}
    cpu["bench client"] = round(1000 * (time.process_time() - client_cpu) / done, 1)
    return {"per_s": level["per_s"], "errors": level["errors"], "p50_ms": level["p50_ms"],
            "cpu_ms_per_nomination": cpu, "machine_percent": machine}


def main() -> None:
    clients, seconds, rounds = (int(sys.argv[1]) if len(sys.argv) > 1 else 8,
                                float(sys.argv[2]) if len(sys.argv) > 2 else 20,
                                int(sys.argv[3]) if len(sys.argv) > 3 else 3)
    os.environ.setdefault("TUIJU_DEMO", "1")  # the processes' campaign is open now, as under make run
    os.environ.setdefault("TUIJU_DEMO_ANCHOR", datetime.now(timezone.utc).isoformat(timespec="seconds"))
    intake = scans.open_intake()
    intake_bench.file_pools()
    tokens: list[str] = []
    results = []
    try:
        for number in range(rounds):
            results.append(one_round(intake, clients, seconds, tokens))
            print(f"round {number + 1}: {json.dumps(results[-1], ensure_ascii=False)}", flush=True)
    finally:
        intake_bench.remove_nominations(intake, tokens)
        intake.engine.dispose()
    rates = [result["per_s"] for result in results]
    summary = {"at": time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime()), "clients": clients,
               "seconds": seconds, "rates": rates, "median_per_s": statistics.median(rates), "rounds": results}
    RESULTS.write_text(json.dumps(summary, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"API nominations/s at {clients} clients, scans running: {rates} (median {summary['median_per_s']})")


if __name__ == "__main__":
    main()
