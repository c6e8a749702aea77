"""The archive's view of a nomination, from the events alone: its row from a snapshot, where it stands
(stage) after each review event, and the province its unit or address names."""
from __future__ import annotations

from functools import lru_cache

from services.archive.domain.honourees import campaign_year_in
from shared.reference import provinces

STAGE_OF_EVENT = {
    "nomination.submitted": "submitted", "nomination.resubmitted": "submitted", "nomination.withdrawn": "withdrawn",
    "nomination.returned": "returned", "nomination.disqualified": "disqualified",
}
STAGE_LABELS = {"submitted": "已提交", "returned": "退回修改", "withdrawn": "已撤回", "disqualified": "取消资格",
                "candidate": "入围候选人", "honouree": "获评", "shortlisted": "推举入围", "advanced": "审核通过",
                # review's states, as nomination.advanced names them (from_stage, to_stage)
                "material_check": "材料审核", "approved": "材料审核通过", "refused": "不符合推荐条件",
                "not_shortlisted": "未入围", "not_selected": "未入选候选人（递补序列）"}
OUTCOMES = {"honouree": "获评", "candidate": "入围候选人", "disqualified": "取消资格", "withdrawn": "已撤回"}
OBJECTION_PENDING = "pending"
OBJECTION_OUTCOMES = ("upheld", "dismissed")
OBJECTION_LABELS = {"pending": "待处理", "upheld": "成立", "dismissed": "驳回"}
CHANNEL_LABELS = {"self": "个人自荐", "local_association": "地方教育后勤社团组织推荐", "council_unit": "协会理事单位推荐",
                  "member_unit": "协会会员单位推荐", "branch": "协会分支机构推荐"}


def row_of_snapshot(snapshot: dict) -> dict:
    kind = snapshot["nominee_kind"]
    holder = (snapshot.get("team") if kind == "team" else snapshot.get("person")) or {}
    unit = holder.get("unit") or ""
    return dict(
        nomination_id=snapshot["nomination_id"], campaign_id=snapshot["campaign_id"],
        campaign_name=snapshot["campaign_name"][:300], campaign_year=campaign_year_in(snapshot["campaign_name"]),
        nominee_kind=kind, nominee_name=snapshot["nominee_name"][:200], unit=unit[:400],
        domain=snapshot["domain"][:50], province=province_of(unit, holder.get("address") or ""),
        channel=snapshot["channel"], recommender=((snapshot.get("recommender") or {}).get("name") or "")[:200],
        version=snapshot["version"], media_priority=bool(snapshot.get("media_priority")),
        files=snapshot.get("files") or [], submitted_at=snapshot.get("submitted_at", "")[:40])


def with_file_replaced(files: list[dict], replaced: dict) -> list[dict]:
    """The files with the one a `nomination.file_replaced` payload names swapped for its new file."""
    return [replaced["file"] if ref.get("file_id") == replaced["replaced_file_id"] else ref for ref in files]


def province_of(*texts: str) -> str:
    """The province a text starts with (全称 or its short name: 新疆大学 → 新疆维吾尔自治区), else ""."""
    for text in texts:
        for short, name in _short_names():
            if text.startswith((name, short)):
                return name
    return ""


@lru_cache(maxsize=1)
def _short_names() -> tuple[tuple[str, str], ...]:
    suffixes = ("维吾尔自治区", "壮族自治区", "回族自治区", "特别行政区", "自治区", "省", "市")
    pairs = []
    for province in provinces():
        short = next((province.name[: -len(s)] for s in suffixes if province.name.endswith(s)), province.name)
        pairs.append((short, province.name))
    return tuple(sorted(pairs, key=lambda pair: -len(pair[0])))


def objections_summary(objections: dict[str, str]) -> str:
    """`2 件（成立 1、驳回 1）` for the lists; "" when there was none."""
    if not objections:
        return ""
    counts = [(label, sum(1 for outcome in objections.values() if outcome == code))
              for code, label in OBJECTION_LABELS.items()]
    return f"{len(objections)} 件（{'、'.join(f'{label} {n}' for label, n in counts if n)}）"
