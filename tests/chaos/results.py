"""The chaos suite's table: each test records what it tried and whether it held; at the end of the run the
table is written to chaos/results/ (latest.md, <date>.md, <date>.json) and printed (`make chaos`)."""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path

RESULTS = Path(__file__).resolve().parents[2] / "chaos" / "results"


@dataclass
class Trial:
    part: str
    tried: str
    held: bool
    detail: str = ""


TRIALS: list[Trial] = []


def record(part: str, tried: str, held: bool, detail: str = "") -> bool:
    TRIALS.append(Trial(part, tried, bool(held), detail))
    return bool(held)


def markdown(trials: list[Trial], measured_at: str) -> str:
    held = sum(trial.held for trial in trials)
    lines = [f"# make chaos — {measured_at}", "", f"{held} of {len(trials)} held.", "",
             "| part | what was tried | held | detail |", "|---|---|---|---|"]
    for trial in trials:
        detail = trial.detail.replace("|", "\\|").replace("\n", " ")
        lines.append(f"| {trial.part} | {trial.tried} | {'yes' if trial.held else '**NO**'} | {detail} |")
    return "\n".join(lines) + "\n"


def merged(earlier: list[Trial], trials: list[Trial]) -> list[Trial]:
    """This run's trials, after the earlier ones of the parts this run did not try (one part run alone
    keeps the others' latest rows in the table), ordered by part."""
    ran = {trial.part for trial in trials}
    return sorted([trial for trial in earlier if trial.part not in ran] + trials, key=lambda trial: trial.part)


def earlier_trials() -> list[Trial]:
    latest = RESULTS / "latest.json"
    return [Trial(**row) for row in json.loads(latest.read_text())] if latest.exists() else []


def write(trials: list[Trial]) -> Path | None:
    if not trials:
        return None
    now = datetime.now(timezone.utc)
    trials = merged(earlier_trials(), trials)
    table = markdown(trials, now.isoformat(timespec="seconds"))
    RESULTS.mkdir(parents=True, exist_ok=True)
    stem = RESULTS / now.strftime("%Y-%m-%d")
    stem.with_suffix(".md").write_text(table)
    stem.with_suffix(".json").write_text(json.dumps([asdict(t) for t in trials], ensure_ascii=False, indent=2) + "\n")
    (RESULTS / "latest.md").write_text(table)
    (RESULTS / "latest.json").write_text(stem.with_suffix(".json").read_text())
    return RESULTS / "latest.md"
