"""A load's refusals as a list for the error summary: flattened to field paths, in the pages' order,
media honour rows named."""
import re

from services.intake.field_messages import honour_row_problem
from services.intake.schemas import media_honour_schema
from shared.campaign.model import Campaign
from shared.i18n import Message

def flatten_errors(messages: dict, prefix: str = "") -> list[tuple[str, str]]:
    """`[("person.phone", 联系电话：…), ("team.members.1.name", 成员姓名：必填)]` (Messages) in the order of the
    fields on the pages, for an error summary that links to each field."""
    return sorted(_flat_errors(messages, prefix), key=lambda problem: page_position(problem[0]))


def _flat_errors(messages: dict, prefix: str) -> list[tuple[str, str]]:
    flat: list[tuple[str, str]] = []
    for key, value in messages.items():
        path = prefix if key == "_schema" else (f"{prefix}.{key}" if prefix else str(key))
        if isinstance(value, dict):
            flat += _flat_errors(value, path)
        else:
            flat += [(path, message) for message in value]
    return flat


HONOUR_ROW = re.compile(r"^media_honours\.(\d+)\.")


def named_rows(problems: list[tuple[str, Message]]) -> list[tuple[str, Message]]:
    """Messages about one media honour name its row: `第 2 项表彰·颁发单位：必填`."""
    named = []
    for path, problem in problems:
        row = HONOUR_ROW.match(path)
        named.append((path, honour_row_problem(int(row.group(1)) + 1, problem) if row else problem))
    return named


def started_honour_problems(campaign: Campaign, honours) -> list[tuple[str, str]]:
    """A draft keeps a half-filled honour, but each row begun is checked whole as it is saved."""
    if not isinstance(honours, list):
        return []
    schema = media_honour_schema(campaign)
    problems = []
    for index, row in enumerate(honours):
        if isinstance(row, dict) and any(str(value).strip() for value in row.values() if value is not None):
            problems += flatten_errors(schema.validate(row), f"media_honours.{index}")
    return problems


# The fields as the pages show them, top to bottom (part_basic.html, then part_deeds.html).
PAGE_ORDER = (
    "person.name", "person.gender", "person.ethnic_group", "person.age", "person.political_status", "person.phone",
    "person.email", "person.unit", "person.department", "person.position", "person.address", "person.postcode",
    "person", "team.name", "team.unit", "team.department", "team.leader.name", "team.leader.position",
    "team.leader.phone", "team.leader.email", "team.leader", "team.address", "team.postcode", "team.members", "team",
    "domain", "contact.name", "contact.phone", "contact.email", "contact", "deeds", "media_honours",
)


def page_position(path: str) -> tuple[int, int]:
    """Where a field's error belongs in the summary: its field's place on the page, then its row
    (`media_honours.1.title` after `media_honours.0.date`); fields the pages do not show come last. Within
    a row the fields keep the form's own order (the sort is stable)."""
    parts = path.split(".")
    for length in range(len(parts), 0, -1):
        known = ".".join(parts[:length])
        if known in PAGE_ORDER:
            rest = parts[length:]
            return PAGE_ORDER.index(known), int(rest[0]) if rest and rest[0].isdigit() else -1
    return len(PAGE_ORDER), -1
