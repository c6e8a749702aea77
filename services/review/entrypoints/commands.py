"""Review's operator commands.

    python -m services.review.entrypoints.commands verify-audit          # exit 1 when the chain is broken
    python -m services.review.entrypoints.commands export-audit FILE.csv # the audit trail as CSV ('-': stdout)
    python -m services.review.entrypoints.commands import-staff FILE     # people from CSV or .xlsx
    python -m services.review.entrypoints.commands staff-template FILE.xlsx
    python -m services.review.entrypoints.commands rebuild-read-model    # from offset 0 of the topics
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from services.review.adapters.staff_files import staff_rows, template_xlsx
from services.review.bootstrap import bootstrap
from services.review.service_layer.audit import export_csv, verify_trail
from services.review.service_layer.staff import import_members
from shared.spreadsheets import UnreadableFile


def verify_audit(review, _args) -> int:
    verdict = verify_trail(review.engine)
    if verdict.ok:
        print(f"审计记录完整：共 {verdict.checked} 条，哈希链校验通过 / audit trail intact: {verdict.checked} entries")
        return 0
    print(f"审计记录被改动：{verdict.problem} / audit trail broken at entry {verdict.broken_at}", file=sys.stderr)
    return 1


def export_audit(review, args) -> int:
    if args.file == "-":
        count = export_csv(review.engine, sys.stdout)
    else:
        with open(args.file, "w", encoding="utf-8-sig", newline="") as out:
            count = export_csv(review.engine, out)
    print(f"exported {count} entries", file=sys.stderr)
    return 0


def import_staff(review, args) -> int:
    try:
        rows = staff_rows(args.file, Path(args.file).read_bytes())
    except UnreadableFile as error:
        print(error.message, file=sys.stderr)
        return 1
    result = import_members(review, rows, by=None)
    for number, problems in sorted(result.problems.items()):
        for message in problems.values():
            print(f"第 {number} 行：{message}", file=sys.stderr)
    print(f"导入 {result.saved} 人 / imported {result.saved}")
    return 1 if result.problems else 0


def staff_template(review, args) -> int:
    Path(args.file).write_bytes(template_xlsx(review.campaign.domains))
    return 0


def rebuild(review, _args) -> int:
    from services.review.service_layer.rebuild import rebuild_read_model

    print(f"rebuilt from {rebuild_read_model(review)} events")
    return 0


COMMANDS = {"verify-audit": verify_audit, "export-audit": export_audit, "import-staff": import_staff,
            "staff-template": staff_template, "rebuild-read-model": rebuild}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m services.review.entrypoints.commands")
    parser.add_argument("command", choices=COMMANDS)
    parser.add_argument("file", nargs="?", default="-")
    args = parser.parse_args(argv)
    return COMMANDS[args.command](bootstrap(), args)


if __name__ == "__main__":
    sys.exit(main())
