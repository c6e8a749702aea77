"""The facts across a campaign file's fields that its schema cannot see: stages in order, codes once each,
quotas that fit the channel's kind, the sealed form where a seal is required, ranges, the rubric, scoring."""
from collections import Counter
from collections.abc import Iterator
from datetime import tzinfo

from shared.campaign.codes import REVIEW_STAGE, SEALED_FORM, SUBMISSION_STAGE
from shared.campaign.file_fields import POSITIVE_INT
from shared.campaign.retention import retention_problems
from shared.campaign.stage_mail import stage_mail_problems
from shared.campaign.zones import localise, zone_named
from shared.reference import business_domains


def cross_field_problems(data: dict) -> Iterator[tuple[str, str]]:
    yield from _stage_problems(data)
    yield from _domain_problems(data.get("domains") or [])
    yield from _channel_problems(data.get("channels") or [])
    yield from _duplicates("nominee_kinds", [kind.get("code") for kind in data.get("nominee_kinds") or []])
    yield from _excluded_campaign_problems(data)
    yield from _upload_problems(data)
    yield from _seal_problems(data)
    yield from _range_problems(data)
    yield from _rubric_problems(data)
    yield from _scoring_problems(data)
    yield from retention_problems(data)
    yield from stage_mail_problems(data)


def _duplicates(path: str, codes: list, label: str = "code") -> Iterator[tuple[str, str]]:
    counts = Counter(code for code in codes if code is not None)
    for index, code in enumerate(codes):
        if code is not None and counts[code] > 1:
            where = f"{path}[{index}].{label}" if label else f"{path}[{index}]"
            yield where, f"“{code}”重复 / “{code}” appears more than once"


def _stage_problems(data: dict) -> Iterator[tuple[str, str]]:
    stages = data.get("stages") or []
    codes = [stage.get("code") for stage in stages]
    yield from _duplicates("stages", codes)
    if "stages" in data and SUBMISSION_STAGE not in codes:
        yield "stages", f"缺少代码为 {SUBMISSION_STAGE} 的征集申报阶段 / a stage with code {SUBMISSION_STAGE} is required"
    zone = zone_named(data.get("time_zone"))
    if zone is None:
        return
    previous_close = None
    for index, stage in enumerate(stages):
        opens, closes = stage.get("opens_at"), stage.get("closes_at")
        if opens is None or closes is None:
            previous_close = None
            continue
        opens, closes = localise(opens, zone), localise(closes, zone)
        if closes <= opens:
            yield f"stages[{index}].closes_at", "必须晚于 opens_at / must be later than opens_at"
        if previous_close is not None and opens <= previous_close:
            yield f"stages[{index}].opens_at", "必须晚于上一阶段的 closes_at / must be later than the previous stage's closes_at"
        previous_close = closes
    yield from _public_notice_problems(data, zone)


def _public_notice_problems(data: dict, zone: tzinfo) -> Iterator[tuple[str, str]]:
    review = next((stage for stage in data.get("stages") or [] if stage.get("code") == REVIEW_STAGE), None)
    days = data.get("public_notice_days")
    if review is None or days is None or not review.get("opens_at") or not review.get("closes_at"):
        return
    review_days = (localise(review["closes_at"], zone) - localise(review["opens_at"], zone)).days + 1
    if days > review_days:
        yield "public_notice_days", (
            f"公示期 {days} 天超出审核阶段的 {review_days} 天 / "
            f"the public notice of {days} days does not fit the review stage of {review_days} days"
        )


def _domain_problems(domains: list) -> Iterator[tuple[str, str]]:
    known = set(business_domains())
    for index, domain in enumerate(domains):
        if domain not in known:
            yield f"domains[{index}]", f"“{domain}”不在业务领域代码表中 / is not in the business-domain list"
    yield from _duplicates("domains", list(domains), label="")


def _channel_problems(channels: list) -> Iterator[tuple[str, str]]:
    yield from _duplicates("channels", [channel.get("code") for channel in channels])
    for index, channel in enumerate(channels):
        if "quota" not in channel:
            continue
        kind, quota = channel.get("kind"), channel["quota"]
        if kind == "organisation" and quota is None:
            yield f"channels[{index}].quota", f"组织推荐渠道必须有名额 / {POSITIVE_INT}"
        if kind == "self" and quota is not None:
            yield f"channels[{index}].quota", "个人自荐没有组织名额，应为 null / must be null for self-nomination"
        advisory = channel.get("advisory_min")
        if advisory is not None and quota is not None and advisory > quota:
            yield f"channels[{index}].advisory_min", "不能大于 quota / must not exceed quota"


def _excluded_campaign_problems(data: dict) -> Iterator[tuple[str, str]]:
    year = data.get("year")
    for index, excluded in enumerate(data.get("excluded_campaigns") or []):
        if year is not None and excluded.get("year") is not None and excluded["year"] >= year:
            yield f"excluded_campaigns[{index}].year", "必须早于本活动年度 / must be before the campaign's year"


def _upload_problems(data: dict) -> Iterator[tuple[str, str]]:
    uploads = data.get("uploads") or []
    yield from _duplicates("uploads", [upload.get("kind") for upload in uploads], label="kind")
    kinds = {kind.get("code") for kind in data.get("nominee_kinds") or []}
    for index, upload in enumerate(uploads):
        if upload.get("min") is not None and upload.get("max") is not None and upload["min"] > upload["max"]:
            yield f"uploads[{index}].min", "不能大于 max / must not exceed max"
        for position, kind in enumerate(upload.get("nominee_kinds") or []):
            if kinds and kind not in kinds:
                yield f"uploads[{index}].nominee_kinds[{position}]", _not_a_nominee_kind(kind)


def _seal_problems(data: dict) -> Iterator[tuple[str, str]]:
    """A channel whose validity rests on the unit's seal (R2c) needs the sealed form uploaded."""
    uploads = data.get("uploads")
    needs_seal = any(channel.get("requires_unit_seal_for_validity") for channel in data.get("channels") or [])
    if not needs_seal or uploads is None:
        return
    sealed = [upload for upload in uploads if upload.get("kind") == SEALED_FORM]
    if not sealed or not sealed[0].get("min"):
        yield "uploads", (
            f"有渠道要求单位公章，必须要求上传 {SEALED_FORM}（min ≥ 1） / "
            f"a channel requires the unit's seal, so {SEALED_FORM} must be required (min >= 1)"
        )


def _range_problems(data: dict) -> Iterator[tuple[str, str]]:
    pairs = [
        ("age_range", "min", "max"),
        ("form_limits", "deeds_min_chars", "deeds_max_chars"),
        ("form_limits", "team_members_min", "team_members_max"),
    ]
    for section, low, high in pairs:
        values = data.get(section) or {}
        if values.get(low) is not None and values.get(high) is not None and values[low] > values[high]:
            yield f"{section}.{low}", f"不能大于 {high} / must not exceed {high}"


def _rubric_problems(data: dict) -> Iterator[tuple[str, str]]:
    rubric = data.get("rubric") or {}
    kinds = [kind.get("code") for kind in data.get("nominee_kinds") or []]
    for kind in rubric:
        if kinds and kind not in kinds:
            yield f"rubric.{kind}", _not_a_nominee_kind(kind)
    for kind in kinds:
        if "rubric" in data and kind is not None and kind not in rubric:
            yield f"rubric.{kind}", f"缺少“{kind}”的评分标准 / a rubric for {kind} is required"
    for kind, criteria in rubric.items():
        yield from _duplicates(f"rubric.{kind}", [criterion.get("code") for criterion in criteria])
    scores = {kind: [criterion.get("max_score") for criterion in criteria] for kind, criteria in rubric.items()}
    if any(None in kind_scores for kind_scores in scores.values()):
        return
    totals = {kind: sum(kind_scores) for kind, kind_scores in scores.items()}
    if len(set(totals.values())) > 1:
        shown = ", ".join(f"{kind}={total}" for kind, total in totals.items())
        yield "rubric", f"各类对象的满分必须相同（{shown}） / every kind must total the same maximum ({shown})"


def _not_a_nominee_kind(kind: str) -> str:
    return f"“{kind}”不在 nominee_kinds 中 / “{kind}” is not one of nominee_kinds"


def _scoring_problems(data: dict) -> Iterator[tuple[str, str]]:
    scoring = data.get("scoring") or {}
    if scoring.get("aggregation") == "trimmed_mean" and scoring.get("trim") is not None \
            and scoring.get("min_scores") is not None and scoring["min_scores"] <= 2 * scoring["trim"]:
        yield "scoring.min_scores", "截尾平均须多于两端去掉的分数 / must exceed twice the trim for a trimmed mean"
    codes = {criterion.get("code") for criteria in (data.get("rubric") or {}).values() for criterion in criteria}
    for index, key in enumerate(scoring.get("tie_keys") or []):
        name, _, code = key.partition(":")
        if name == "criterion" and codes and code not in codes:
            yield f"scoring.tie_keys[{index}]", f"评分标准中没有“{code}” / the rubric has no {code}"
