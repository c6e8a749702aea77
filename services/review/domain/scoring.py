"""The committee's scores (R14: 匠人觉悟、匠心精神、匠品服务, and 最美服务团队 for teams): one sheet per member
and nomination on the campaign's rubric, scored blind, and combined as the campaign says."""
from __future__ import annotations

import statistics
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from shared.campaign import Campaign, Refusal, RubricCriterion

MAX_COMMENT = 500


@dataclass(frozen=True)
class Sheet:
    nomination_id: str
    member: str
    scores: Mapping[str, int]
    comment: str = ""

    @property
    def total(self) -> int:
        return sum(self.scores.values())


def check_sheet(campaign: Campaign, nominee_kind: str, scores: Mapping[str, object], comment: str) -> dict[str, int]:
    """Every criterion of the nominee kind's rubric scored with a whole number from 0 to its maximum, and a
    short comment; the scores as integers, or Refusal naming the criterion."""
    rubric = campaign.rubric_for(nominee_kind)
    unknown = sorted(set(scores) - {criterion.code for criterion in rubric})
    if unknown:
        raise Refusal(f"评分标准中没有“{'、'.join(unknown)}”")
    checked = {criterion.code: _score(criterion, scores.get(criterion.code)) for criterion in rubric}
    if len((comment or "").strip()) > MAX_COMMENT:
        raise Refusal(f"评语不能超过{MAX_COMMENT}个字")
    return checked


def _score(criterion: RubricCriterion, value: object) -> int:
    if value is None or (isinstance(value, str) and not value.strip()):
        raise Refusal(f"{criterion.name}：请打分（0–{criterion.max_score}）")
    try:
        score = int(str(value).strip())
    except ValueError:
        raise Refusal(f"{criterion.name}：须为 0 到 {criterion.max_score} 的整数") from None
    if str(score) != str(value).strip() or not 0 <= score <= criterion.max_score:
        raise Refusal(f"{criterion.name}：须为 0 到 {criterion.max_score} 的整数")
    return score


def aggregate(totals: Sequence[float], method: str, trim: int = 0) -> float | None:
    """One score from the members' totals: mean, trimmed mean (`trim` highest and lowest dropped) or median;
    None when there are too few for the method."""
    if not totals:
        return None
    if method == "mean":
        return statistics.fmean(totals)
    if method == "median":
        return float(statistics.median(totals))
    if method == "trimmed_mean":
        if len(totals) <= 2 * trim:
            return None
        kept = sorted(totals)[trim:len(totals) - trim]
        return statistics.fmean(kept)
    raise ValueError(f"unknown aggregation {method!r}")


def may_see_others(member: str, sheets_by: Collection[str]) -> bool:
    """Blind scoring: a member sees the others' scores of a nomination only once they submitted their own."""
    return member in sheets_by


def criterion_shares(sheets: Sequence[Sheet], rubric: Sequence[RubricCriterion]) -> dict[str, float]:
    """Each criterion's mean score as a share of its maximum (teams and persons compare): the tie keys."""
    shares = {}
    for criterion in rubric:
        values = [sheet.scores.get(criterion.code, 0) for sheet in sheets]
        shares[criterion.code] = statistics.fmean(values) / criterion.max_score if values else 0.0
    return shares
