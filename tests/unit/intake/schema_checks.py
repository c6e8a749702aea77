"""The form schemas as their tests drive them: a whole sample nomination, and a load's refusals in Chinese."""
import copy

import pytest
from marshmallow import ValidationError

from shared.i18n.catalogs import chinese
from tests.unit.intake.samples import HONOUR, PERSON

MARKUP = "<img src=x onerror=alert(1)>"


def nomination(campaign, **changes) -> dict:
    data = {
        "campaign_id": campaign.id,
        "channel": "local_association",
        "recommender": "新疆维吾尔自治区高校后勤协会",
        "nominee_kind": "person",
        "person": copy.deepcopy(PERSON),
        "domain": "伙食管理",
        "deeds": "她扎根食堂一线二十年。" * 40,
        "media_honours": [dict(HONOUR)],
        "contact": {"name": "马丽", "email": "mali@example.com", "phone": "13900001111"},
    }
    data.update(changes)
    return data


def in_chinese(errors):
    """A schema's errors (Messages) as the Chinese reader sees them."""
    if isinstance(errors, dict):
        return {key: in_chinese(value) for key, value in errors.items()}
    return [chinese(message) for message in errors]


def errors_of(schema, data) -> dict:
    with pytest.raises(ValidationError) as caught:
        schema.load(data)
    return in_chinese(caught.value.messages)
