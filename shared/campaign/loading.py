"""A campaign file read and validated into a Campaign; CampaignError lists every problem with its path."""
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml

from shared.campaign.errors import CampaignError
from shared.campaign.model import Campaign
from shared.campaign.parts import (AgeRange, Channel, ExcludedCampaign, FormLimits, NomineeKind, ReviewSettings,
                                   RubricCriterion, ScanWait, Scoring, Stage, UploadRequirement)
from shared.campaign.retention import retention_from_data
from shared.campaign.schema import validate_campaign_data
from shared.campaign.stage_mail import stage_mail_from_data
from shared.campaign.zones import localise


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
