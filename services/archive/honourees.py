"""The honouree registry from the command line (the secretariat's page does the same once staff sign-in
is in place):

    python -m services.archive.honourees template 往届名单模板.xlsx      (or .csv)
    python -m services.archive.honourees preview 2021最美后勤人.csv     what would be recorded, and problems
    python -m services.archive.honourees import 2021最美后勤人.csv      all rows or none
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from services.archive.adapters.honouree_files import UnreadableFile, read_rows, template_csv, template_xlsx
from services.archive.bootstrap import bootstrap
from services.archive.service_layer.registry import import_honourees, preview_import

KIND_NAMES = {"person": "个人", "team": "团队"}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="往届获评名单：模板、预览、导入 / honouree lists of earlier campaigns")
    parser.add_argument("action", choices=("template", "preview", "import"))
    parser.add_argument("file", type=Path)
    args = parser.parse_args(argv)
    if args.action == "template":
        args.file.write_bytes(template_csv() if args.file.suffix.lower() == ".csv" else template_xlsx())
        print(f"模板已写入 {args.file}")
        return 0
    try:
        rows = read_rows(args.file.read_bytes(), args.file.name)
    except (OSError, UnreadableFile) as error:
        print(f"无法读取 / cannot read: {error}")
        return 1
    archive = bootstrap()
    return _preview(archive, rows) if args.action == "preview" else _import(archive, rows)


def _preview(archive, rows: list[dict]) -> int:
    preview = preview_import(archive, rows)
    for record in preview.check.records:
        mark = "（已在名录中）" if record in preview.already_recorded else ""
        print(f"{record.campaign_year}\t{record.campaign_name}\t{KIND_NAMES[record.kind]}\t{record.name}\t"
              f"{record.unit}\t{record.domain or ''}{mark}")
    for problem in preview.check.problems:
        print(f"问题：{problem}")
    print(f"将新增 {len(preview.new_records)} 条，已有 {len(preview.already_recorded)} 条，问题 {len(preview.check.problems)} 个")
    return 1 if preview.check.problems else 0


def _import(archive, rows: list[dict]) -> int:
    try:
        print(f"已导入 {import_honourees(archive, rows)} 条新记录")
        return 0
    except ValueError as refusal:
        print(f"未导入任何记录：{refusal}")
        return 1


if __name__ == "__main__":
    sys.exit(main())
