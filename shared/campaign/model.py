"""A campaign as data (Campaign): its stages, channels and quotas, domains, uploads, limits and rubric, in
the campaign's zone. Its parts are in parts.py; loading.py reads a campaign file, demo.py moves its dates for a
demo."""
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from shared.campaign.codes import SUBMISSION_STAGE
from shared.campaign.errors import UnknownChannel
from shared.campaign.parts import (AgeRange, Channel, ExcludedCampaign, FormLimits, NomineeKind, ReviewSettings,
                                   RubricCriterion, ScanWait, Scoring, Stage, UploadRequirement)
from shared.campaign.retention import Retention


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
