"""The secretariat's reports (issue 17, item 6): the candidate list and the honouree list with the
committee's scores, as a table any file format can write (adapters/report_files.py writes Excel and PDF).

Each criterion's column holds the members' mean score on it (the ranking keeps each criterion as a share of
its maximum, so teams and persons compare); a criterion a nominee kind is not scored on stays empty."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from services.review.domain.states import State
from shared.campaign import Campaign

CANDIDATES = "candidates"
HONOUREES = "honourees"
KINDS = {CANDIDATES: "入选候选人名单", HONOUREES: "通报表扬名单"}
KIND_NAMES = {"person": "个人", "team": "团队"}
AGGREGATION_NAMES = {"mean": "平均分", "median": "中位数", "trimmed_mean": "去掉最高分和最低分后的平均分"}
LEADING = ("名次", "申报编号", "姓名/团队名称", "类型", "单位", "业务领域", "推荐渠道", "媒体表彰优先（R10）")
TRAILING = ("综合得分", "评分人数", "状态")


@dataclass(frozen=True)
class Report:
    title: str
    subtitle: str
    columns: tuple[str, ...]
    rows: tuple[tuple, ...]
    empty_note: str = ""


def report_columns(campaign: Campaign) -> tuple[str, ...]:
    return (*LEADING, *(name for _, name in criteria_of(campaign)), *TRAILING)


def criteria_of(campaign: Campaign) -> list[tuple[str, str]]:
    """Every criterion of the rubric once, persons' first (code, name)."""
    seen: dict[str, str] = {}
    for kind in ("person", "team"):
        for criterion in campaign.rubric_for(kind):
            seen.setdefault(criterion.code, criterion.name)
    return list(seen.items())


def report_row(campaign: Campaign, row, reference: str, state_name: str) -> tuple:
    """One ranked nomination (service_layer.ranking.RankedRow) under report_columns."""
    maxima = {c.code: c.max_score for c in campaign.rubric_for(row.nominee_kind)}
    criteria = tuple(round(row.criteria[code] * maxima[code], 2) if code in maxima and code in row.criteria else None
                     for code, _ in criteria_of(campaign))
    channel = {c.code: c.name for c in campaign.channels}.get(row.channel, row.channel)
    return (row.rank, reference, row.nominee_name, KIND_NAMES.get(row.nominee_kind, row.nominee_kind), row.unit,
            row.domain, channel, "是" if row.media_priority else "", *criteria, round(row.score, 2), row.sheets,
            state_name)


def build_report(campaign: Campaign, kind: str, rows: Sequence, references: Mapping[str, str],
                 state_names: Mapping[str, str], *, confirmed_at: datetime | None, announced_at: datetime | None,
                 made_at: datetime) -> Report:
    """The list of `kind` from the ranking's rows: the selected (the confirmed candidates, or before the
    confirmation those the present ranking selects), or the honourees."""
    zone = campaign.zone
    if kind == HONOUREES:
        listed = [r for r in rows if r.state == State.HONOUREE]
        status = (f"{announced_at.astimezone(zone):%Y-%m-%d %H:%M} 确认" if announced_at else "尚未确认")
        empty = "通报表扬名单尚未确认。"
    else:
        listed = [r for r in rows if r.selected]
        status = (f"{confirmed_at.astimezone(zone):%Y-%m-%d %H:%M} 确认" if confirmed_at
                  else "尚未确认：按当前排名")
        empty = "尚无可排名的入围推荐。"
    scoring = campaign.scoring
    subtitle = (f"{campaign.display_name} · {len(listed)} 名（{status}）· 综合得分："
                f"{AGGREGATION_NAMES.get(scoring.aggregation, scoring.aggregation)} · "
                f"制表 {made_at.astimezone(zone):%Y-%m-%d %H:%M}")
    body = tuple(report_row(campaign, r, references.get(r.nomination_id, ""), state_names.get(r.state, r.state))
                 for r in listed)
    return Report(KINDS[kind], subtitle, report_columns(campaign), body, "" if body else empty)
