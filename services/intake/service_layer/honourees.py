"""Past honourees kept by intake for R9: from the archive's honouree events, or imported by the
secretariat for campaigns held before this system."""
from __future__ import annotations

from sqlalchemy.dialects.postgresql import insert as pg_insert

from services.intake.adapters.orm import honourees
from services.intake.bootstrap import Intake
from services.intake.domain.eligibility import person_key, phone_hash
from services.intake.domain.errors import IntakeRefusal

COLUMNS = ("姓名", "单位", "手机", "活动名称", "年度")
MAX_ROWS = 5000
MAX_CHARS = {"姓名": 200, "单位": 300, "手机": 30, "活动名称": 200}


def import_rows(intake: Intake, rows: list[dict]) -> int:
    """Rows with the columns 姓名, 单位, 手机 (optional), 活动名称, 年度 (类型 optional: 个人/团队)."""
    if len(rows) > MAX_ROWS:
        raise IntakeRefusal(f"一次最多导入 {MAX_ROWS} 条记录（文件中有 {len(rows)} 行），请分批导入")
    records = [_record(number, row) for number, row in enumerate(rows, start=2)]
    with intake.sessions.begin() as session:
        for record in records:
            session.execute(pg_insert(honourees).values(**record, source="import").on_conflict_do_nothing())
    return len(records)


def _record(number: int, row: dict) -> dict:
    missing = [c for c in ("姓名", "单位", "活动名称", "年度") if not (row.get(c) or "").strip()]
    if missing:
        raise IntakeRefusal(f"第 {number} 行缺少：{'、'.join(missing)}（所需列：{'、'.join(COLUMNS)}）")
    too_long = [c for c, limit in MAX_CHARS.items() if len((row.get(c) or "").strip()) > limit]
    if too_long:
        raise IntakeRefusal(f"第 {number} 行「{too_long[0]}」不能超过 {MAX_CHARS[too_long[0]]} 个字")
    year = row["年度"].strip()
    if not (year.isascii() and year.isdigit() and len(year) == 4):
        raise IntakeRefusal(f"第 {number} 行「年度」须为四位数字")
    name, unit = row["姓名"].strip(), row["单位"].strip()
    phone = (row.get("手机") or "").strip()
    return dict(person_key=person_key(name, unit), kind="team" if row.get("类型") == "团队" else "person",
                name=name, unit=unit, phone_hash=phone_hash(phone) if phone else None,
                campaign_year=int(year), campaign_name=row["活动名称"].strip())
