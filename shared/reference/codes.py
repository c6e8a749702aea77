"""Loaders for the code lists in shared/reference/data/ (copies of the standard lists, UTF-8 CSV).

Each list is read once per process; callers receive a fresh list they may change freely.
"""
import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True)
class CodeName:
    code: str
    name: str


@dataclass(frozen=True)
class PoliticalStatus:
    code: str
    name: str
    short_name: str


@cache
def _rows(filename: str) -> tuple[dict[str, str], ...]:
    with (DATA_DIR / filename).open(encoding="utf-8", newline="") as handle:
        return tuple(csv.DictReader(handle))


@cache
def _business_domains() -> tuple[str, ...]:
    ordered = sorted(_rows("business-domains.csv"), key=lambda row: int(row["order"]))
    return tuple(row["name"] for row in ordered)


@cache
def _ethnic_groups() -> tuple[CodeName, ...]:
    return tuple(CodeName(row["code"], row["name"]) for row in _rows("ethnic-groups.csv"))


@cache
def _political_statuses() -> tuple[PoliticalStatus, ...]:
    return tuple(
        PoliticalStatus(row["code"], row["name"], row["short_name"])
        for row in _rows("political-status.csv")
    )


@cache
def _provinces() -> tuple[CodeName, ...]:
    return tuple(CodeName(row["code"], row["name"]) for row in _rows("provinces.csv"))


def business_domains() -> list[str]:
    """The 12 business domains (所属业务领域) in the notice's order."""
    return list(_business_domains())


def ethnic_groups() -> list[CodeName]:
    """The 56 ethnic groups (GB/T 3304) and 97 其他, 98 外国血统中国籍人士."""
    return list(_ethnic_groups())


def ethnic_group_names() -> list[str]:
    return [group.name for group in _ethnic_groups()]


def political_statuses() -> list[PoliticalStatus]:
    """政治面貌 (GB/T 4762) with the short names forms usually show."""
    return list(_political_statuses())


def political_status_label(name: str | None) -> str:
    """The name the form offers (中共党员), whichever of its names is stored (中国共产党党员); an unknown
    text as it is."""
    status = political_status_by_any_name(name) if name else None
    return (status.short_name or status.name) if status else (name or "")


def political_status_by_any_name(text: str) -> PoliticalStatus | None:
    """The status whose full or short name is `text` (surrounding spaces ignored), else None."""
    wanted = text.strip()
    for status in _political_statuses():
        if wanted in (status.name, status.short_name):
            return status
    return None


def provinces() -> list[CodeName]:
    """The 34 provincial-level divisions (GB/T 2260)."""
    return list(_provinces())
