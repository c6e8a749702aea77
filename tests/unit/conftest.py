import copy
from pathlib import Path

import pytest
import yaml

from shared.campaign.loading import load_campaign
from shared.campaign.model import Campaign

CAMPAIGN_FILE = Path(__file__).resolve().parents[2] / "campaigns" / "2022-zuimei-houqin.yaml"


@pytest.fixture(scope="session")
def campaign() -> Campaign:
    return load_campaign(CAMPAIGN_FILE)


@pytest.fixture(scope="session")
def _campaign_data() -> dict:
    return yaml.safe_load(CAMPAIGN_FILE.read_text(encoding="utf-8"))


@pytest.fixture
def campaign_data(_campaign_data) -> dict:
    """The 2022 campaign file as parsed YAML, a fresh copy to break at will."""
    return copy.deepcopy(_campaign_data)
