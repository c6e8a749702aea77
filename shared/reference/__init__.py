"""Standard code lists (business domains, ethnic groups, political status, provinces) shipped as CSV."""
from shared.reference.codes import (
    CodeName,
    PoliticalStatus,
    business_domains,
    ethnic_group_names,
    ethnic_groups,
    political_status_by_any_name,
    political_status_label,
    political_statuses,
    provinces,
)

__all__ = [
    "CodeName",
    "PoliticalStatus",
    "business_domains",
    "ethnic_group_names",
    "ethnic_groups",
    "political_status_by_any_name",
    "political_status_label",
    "political_statuses",
    "provinces",
]
