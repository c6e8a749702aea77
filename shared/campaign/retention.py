"""How long a campaign's records are kept: the archive's COMPLIANCE object lock, and when personal data
is purged under PIPL (the honouree record and the audit trail stay; the fields named here go)."""
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from marshmallow import Schema, fields, validate

# What a service may be asked to purge: these names are the same in every event payload and every store.
PURGEABLE_FIELDS = ("phone", "email", "address", "postcode", "ethnic_group", "political_status", "recipient",
                    "objector_email")
MAX_LOCK_YEARS = 100

LOCK_YEARS = f"必须是 1 到 {MAX_LOCK_YEARS} 之间的整数 / must be a whole number from 1 to {MAX_LOCK_YEARS}"
DAYS = "必须是正整数 / must be a positive integer"
FIELD = f"必须是 {' / '.join(PURGEABLE_FIELDS)} 之一 / must be one of {', '.join(PURGEABLE_FIELDS)}"
FIELD_LIST = "必须是非空列表 / must be a non-empty list"


class RetentionSchema(Schema):
    error_messages = {"unknown": "不认识的字段 / unknown field", "type": "必须是键值映射 / must be a mapping"}

    archive_lock_years = fields.Integer(
        strict=True, required=True, validate=validate.Range(min=1, max=MAX_LOCK_YEARS, error=LOCK_YEARS),
        error_messages={"required": "必填 / is required", "invalid": LOCK_YEARS, "null": LOCK_YEARS})
    personal_data_days = fields.Integer(
        strict=True, required=True, validate=validate.Range(min=1, error=DAYS),
        error_messages={"required": "必填 / is required", "invalid": DAYS, "null": DAYS})
    personal_fields = fields.List(
        fields.String(validate=validate.OneOf(PURGEABLE_FIELDS, error=FIELD), error_messages={"invalid": FIELD}),
        required=True, validate=validate.Length(min=1, error=FIELD_LIST),
        error_messages={"required": "必填 / is required", "invalid": FIELD_LIST, "null": FIELD_LIST})


@dataclass(frozen=True)
class Retention:
    archive_lock_years: int  # COMPLIANCE retention of every archive segment and dossier
    personal_data_days: int  # days after the campaign's last stage closes until personal data is purged
    personal_fields: tuple[str, ...]

    def lock_until(self, now: datetime) -> datetime:
        return now + timedelta(days=365 * self.archive_lock_years + self.archive_lock_years // 4 + 1)

    def purge_due_at(self, last_stage_closes_at: datetime) -> datetime:
        return last_stage_closes_at + timedelta(days=self.personal_data_days)


def retention_from_data(data: dict) -> Retention:
    return Retention(archive_lock_years=data["archive_lock_years"], personal_data_days=data["personal_data_days"],
                     personal_fields=tuple(data["personal_fields"]))


def retention_problems(data: dict) -> Iterator[tuple[str, str]]:
    """Personal data must be purged before the archive's lock ends, or erasure would wait on the lock."""
    retention = data.get("retention") or {}
    years, days = retention.get("archive_lock_years"), retention.get("personal_data_days")
    if years is not None and days is not None and days > 365 * years:
        yield "retention.personal_data_days", (
            "不能长于档案锁定期 / must not be longer than archive_lock_years")
    chosen = retention.get("personal_fields") or []
    for index, name in enumerate(chosen):
        if chosen.index(name) != index:
            yield f"retention.personal_fields[{index}]", f"“{name}”重复 / “{name}” appears more than once"
