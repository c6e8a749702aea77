"""Verify the whole archive chain: `python -m services.archive.verify` (exit 0 when intact, 1 otherwise,
listing every problem)."""
from __future__ import annotations

import sys

from services.archive.bootstrap import bootstrap
from services.archive.service_layer.verification import verify_archive


def main() -> int:
    report = verify_archive(bootstrap())
    for problem in report.problems:
        print(f"问题 / problem: {problem}")
    verdict = "完好 / intact" if report.ok else f"{len(report.problems)} 个问题 / problem(s)"
    print(f"档案链：{report.segments} 个分段，{report.events} 个事件，{report.dossiers} 份档案，"
          f"{report.public_records} 份公开档案，{verdict} / archive chain: {report.segments} segments, "
          f"{report.events} events, {report.dossiers} dossiers, {report.public_records} public records")
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
