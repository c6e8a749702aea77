"""A campaign as data: its stages, channels and quotas, domains, uploads, limits and rubric.

`load_campaign(path)` reads and validates a campaign YAML file; `demo_copy(campaign, now_utc)` moves its
dates so that submission is open now. Every datetime here is timezone-aware, in the campaign's zone.
"""
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml

from shared.campaign.schema import SUBMISSION_STAGE, localise, validate_campaign_data
from shared.campaign.errors import CampaignError, UnknownChannel
from shared.campaign.retention import Retention, retention_from_data
from shared.campaign.stage_mail import stage_mail_from_data

ONE_SECOND = timedelta(seconds=1)
DEMO_SUBMISSION_DAYS_LEFT = 14


def require_aware(instant: datetime) -> datetime:
    """`instant` itself; a naive datetime is refused, since its zone would be a guess."""
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError("需要带时区的时间 / a timezone-aware datetime is required")
    return instant


@dataclass(frozen=True)
class Stage:
    code: str
    name: str
    opens_at: datetime
    closes_at: datetime  # the last second of the stage, inclusive

    @property
    def ends_before(self) -> datetime:
        """The first instant after the stage: closes_at 23:59:59 is open for that whole second."""
        return self.closes_at + ONE_SECOND

    def is_open_at(self, instant: datetime) -> bool:
        return self.opens_at <= require_aware(instant) < self.ends_before


@dataclass(frozen=True)
class Channel:
    code: str
    name: str
    organisation_type: str
    kind: str  # "organisation" or "self"
    quota: int | None  # per recommending organisation; None: no organisation quota
    advisory_min: int | None = None
    nominees_from_member_units: bool = False
    requires_unit_seal_for_validity: bool = False

    @property
    def is_self_nomination(self) -> bool:
        return self.kind == "self"


@dataclass(frozen=True)
class NomineeKind:
    code: str  # "person" or "team"
    name: str
    description: str = ""


@dataclass(frozen=True)
class ExcludedCampaign:
    year: int
    honour: str  # the title as the notice names it, e.g. 2021年度最美后勤人
    name: str


@dataclass(frozen=True)
class UploadRequirement:
    kind: str
    name: str
    min_count: int
    max_count: int
    nominee_kinds: tuple[str, ...]
    content_types: tuple[str, ...]
    max_bytes: int
    max_pages: int | None = None

    def applies_to(self, nominee_kind: str) -> bool:
        return nominee_kind in self.nominee_kinds

    @property
    def is_required(self) -> bool:
        return self.min_count > 0


@dataclass(frozen=True)
class AgeRange:
    min: int
    max: int

    def __contains__(self, age: int) -> bool:
        return self.min <= age <= self.max


@dataclass(frozen=True)
class FormLimits:
    deeds_min_chars: int
    deeds_max_chars: int
    media_honours_max: int
    team_members_min: int
    team_members_max: int


@dataclass(frozen=True)
class RubricCriterion:
    code: str
    name: str
    max_score: int
    description: str
    nominee_kind: str


@dataclass(frozen=True)
class ReviewSettings:
    shortlist_places_per_domain: int | None = None  # None: the notice sets no number per domain
    reviewer_cap: int = 60


@dataclass(frozen=True)
class Scoring:
    aggregation: str = "trimmed_mean"  # mean, trimmed_mean or median
    trim: int = 1  # scores dropped at each end for a trimmed mean
    min_scores: int = 3
    tie_keys: tuple[str, ...] = ("media_priority",)


@dataclass(frozen=True)
class ScanWait:
    """R3 is about when the applicant submitted: a submission waits for its files' scans (seconds, as a
    rule) only while the scans keep up and the deadline is not near; otherwise it goes through with its
    files still being checked, and a file flagged or refused afterwards may be replaced until the close of
    submissions, or for `replace_hours` after its verdict when that is later."""

    max_lag_seconds: int = 60  # the oldest file waiting for its scan longer than this: no waiting
    hours_before_deadline: int = 24  # this close to the deadline: no waiting
    replace_hours: int = 48


@dataclass(frozen=True)
class Campaign:
    id: str
    name: str
    short_name: str
    organiser: str
    document_number: str
    theme: str
    year: int
    time_zone: str
    stages: tuple[Stage, ...]
    domains: tuple[str, ...]
    channels: tuple[Channel, ...]
    nominee_kinds: tuple[NomineeKind, ...]
    candidates: int
    excluded_campaigns: tuple[ExcludedCampaign, ...]
    uploads: tuple[UploadRequirement, ...]
    age_range: AgeRange
    form_limits: FormLimits
    public_notice_days: int
    correction_window_days: int
    rubric: tuple[RubricCriterion, ...]
    retention: Retention
    submission_channel_url: str = ""
    is_demo: bool = False
    review: ReviewSettings = ReviewSettings()
    scoring: Scoring = Scoring()
    scan_wait: ScanWait = ScanWait()
    stage_mail: tuple[tuple[str, str, tuple[str, ...]], ...] = ()  # (stage, opened|closed, audiences)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    @property
    def display_name(self) -> str:
        return f"{self.name}（演示）" if self.is_demo else self.name

    @property
    def channel_codes(self) -> tuple[str, ...]:
        return tuple(channel.code for channel in self.channels)

    @property
    def nominee_kind_codes(self) -> tuple[str, ...]:
        return tuple(kind.code for kind in self.nominee_kinds)

    @property
    def submission(self) -> Stage:
        return self.stage(SUBMISSION_STAGE)

    def channel(self, code: str) -> Channel:
        for channel in self.channels:
            if channel.code == code:
                return channel
        raise UnknownChannel(code)

    def quota(self, channel_code: str) -> int | None:
        return self.channel(channel_code).quota

    def stage_mail_audiences(self, stage: str, kind: str) -> tuple[str, ...]:
        """Who is mailed when `stage` is announced `kind` (opened or closed): the campaign file's stage_mail."""
        return next((audiences for code, change, audiences in self.stage_mail if (code, change) == (stage, kind)), ())

    def stage(self, code: str) -> Stage:
        for stage in self.stages:
            if stage.code == code:
                return stage
        raise KeyError(f"活动没有“{code}”阶段 / the campaign has no stage {code}")

    def stage_open_at(self, instant: datetime) -> Stage | None:
        return next((stage for stage in self.stages if stage.is_open_at(instant)), None)

    def upload(self, kind: str) -> UploadRequirement:
        for upload in self.uploads:
            if upload.kind == kind:
                return upload
        raise KeyError(f"活动没有“{kind}”类上传材料 / the campaign has no upload kind {kind}")

    def rubric_for(self, nominee_kind: str) -> tuple[RubricCriterion, ...]:
        return tuple(criterion for criterion in self.rubric if criterion.nominee_kind == nominee_kind)


def load_campaign(path: str | Path) -> Campaign:
    """The campaign of a YAML file, validated; CampaignError lists every problem with its path."""
    source = str(path)
    try:
        raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except OSError as error:
        raise CampaignError([f"(文件 / file): 无法读取 / cannot be read ({error.strerror})"], source) from error
    except yaml.YAMLError as error:
        raise CampaignError([f"(文件 / file): 不是有效的 YAML / is not valid YAML ({error})"], source) from error
    return campaign_from_data(raw, source)


def campaign_from_data(raw: object, source: str = "") -> Campaign:
    """The campaign of already-parsed data (a dict as YAML gives it), validated."""
    data = validate_campaign_data(raw, source)
    zone = ZoneInfo(data["time_zone"])
    return Campaign(
        id=data["id"],
        name=data["name"],
        short_name=data["short_name"],
        organiser=data["organiser"],
        document_number=data["document_number"],
        theme=data["theme"],
        year=data["year"],
        time_zone=data["time_zone"],
        stages=tuple(_stage(stage, zone) for stage in data["stages"]),
        domains=tuple(data["domains"]),
        channels=tuple(Channel(**channel) for channel in data["channels"]),
        nominee_kinds=tuple(NomineeKind(**kind) for kind in data["nominee_kinds"]),
        candidates=data["candidates"],
        excluded_campaigns=tuple(ExcludedCampaign(**excluded) for excluded in data["excluded_campaigns"]),
        uploads=tuple(_upload(upload) for upload in data["uploads"]),
        age_range=AgeRange(**data["age_range"]),
        form_limits=FormLimits(**data["form_limits"]),
        public_notice_days=data["public_notice_days"],
        correction_window_days=data["correction_window_days"],
        rubric=tuple(_rubric(data["rubric"])),
        retention=retention_from_data(data["retention"]),
        submission_channel_url=data["submission_channel_url"],
        is_demo=data["is_demo"],
        review=ReviewSettings(**data["review"]),
        scoring=Scoring(**{**data["scoring"], "tie_keys": tuple(data["scoring"]["tie_keys"])}),
        scan_wait=ScanWait(**data["scan_wait"]),
        stage_mail=stage_mail_from_data(data["stage_mail"]),
    )


def configured_campaign(path: str | Path, *, demo: bool, now_utc: datetime, demo_anchor: str = "") -> Campaign:
    """A deployment's campaign: the file's, or in a demo its copy with the dates moved to the anchor
    (an ISO instant set once by `make run`, so every process and every later hour agree on the dates),
    or to now when there is no anchor."""
    campaign = load_campaign(path)
    if not demo:
        return campaign
    anchor = datetime.fromisoformat(demo_anchor) if demo_anchor else now_utc
    return demo_copy(campaign, anchor)


def demo_copy(campaign: Campaign, now_utc: datetime, days_left: int = DEMO_SUBMISSION_DAYS_LEFT) -> Campaign:
    """A copy, id `<id>-demo`, whose submission closes `days_left` days from now (at the same clock time
    as the original), every other stage moved by the same number of days, and submission open now."""
    now_local = require_aware(now_utc).astimezone(campaign.zone)
    shift_days = (now_local.date() + timedelta(days=days_left) - campaign.submission.closes_at.date()).days
    stages = tuple(_shift_stage(stage, shift_days, campaign.zone) for stage in campaign.stages)
    stages = tuple(_opened_by(stage, now_local) if stage.code == SUBMISSION_STAGE else stage for stage in stages)
    demo_id = campaign.id if campaign.id.endswith("-demo") else f"{campaign.id}-demo"
    return replace(campaign, id=demo_id, is_demo=True, stages=stages)


def _shift_stage(stage: Stage, days: int, zone: ZoneInfo) -> Stage:
    """Moved by whole days of wall-clock time, so 23:59:59 stays 23:59:59 whatever the zone's offsets."""
    def shift(moment: datetime) -> datetime:
        return (moment.replace(tzinfo=None) + timedelta(days=days)).replace(tzinfo=zone)

    return replace(stage, opens_at=shift(stage.opens_at), closes_at=shift(stage.closes_at))


def _opened_by(stage: Stage, now_local: datetime) -> Stage:
    if stage.opens_at <= now_local:
        return stage
    start_of_today = now_local.replace(hour=0, minute=0, second=0, microsecond=0)
    return replace(stage, opens_at=start_of_today)


def _stage(data: dict, zone: ZoneInfo) -> Stage:
    return Stage(
        code=data["code"],
        name=data["name"],
        opens_at=localise(data["opens_at"], zone),
        closes_at=localise(data["closes_at"], zone),
    )


def _upload(data: dict) -> UploadRequirement:
    return UploadRequirement(
        kind=data["kind"],
        name=data["name"],
        min_count=data["min"],
        max_count=data["max"],
        nominee_kinds=tuple(data["nominee_kinds"]),
        content_types=tuple(data["content_types"]),
        max_bytes=data["max_size_mb"] * 1024 * 1024,
        max_pages=data["max_pages"],
    )


def _rubric(data: dict) -> list[RubricCriterion]:
    return [
        RubricCriterion(nominee_kind=kind, **criterion)
        for kind, criteria in data.items()
        for criterion in criteria
    ]
