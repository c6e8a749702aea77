"""The parts of a campaign: its stages, channels, nominee kinds, uploads, limits, rubric criteria, and how
the review, the scoring and the wait for scans run. Every datetime here is timezone-aware."""
from dataclasses import dataclass
from datetime import datetime, timedelta

ONE_SECOND = timedelta(seconds=1)
# A team nominating itself is put forward as 团队自荐, never as the self channel's own name (个人自荐): on intake's
# pages, on the printed form and in notify's mail.
TEAM_SELF_NOMINATION = "团队自荐"


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

    def is_team_self_nomination(self, nominee_kind: str) -> bool:
        return self.is_self_nomination and nominee_kind == "team"

    def name_for(self, nominee_kind: str) -> str:
        """The channel as a nomination of `nominee_kind` is put forward: 团队自荐 for a team nominating itself."""
        return TEAM_SELF_NOMINATION if self.is_team_self_nomination(nominee_kind) else self.name


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
