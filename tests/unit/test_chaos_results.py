import pytest

from tests.chaos.results import Trial, merged

pytestmark = pytest.mark.unit


def test_merged_keeps_the_parts_this_run_did_not_try_and_replaces_the_others():
    earlier = [Trial("1 faults", "kill", True), Trial("4 hostile", "bomb", False)]
    now = [Trial("4 hostile", "bomb", True), Trial("2 replay", "notify", True)]
    assert merged(earlier, now) == [Trial("1 faults", "kill", True), Trial("2 replay", "notify", True),
                                    Trial("4 hostile", "bomb", True)]
