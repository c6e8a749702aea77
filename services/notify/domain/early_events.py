"""An event that arrives before the submission it follows.

Notify learns who hears about a nomination (its contact, its nominee, its recommending organisation) from its
submission, on intake's topic. Review's decisions about it come on review's topic, and Kafka orders the two
topics in no way between them: a consumer catching up after an outage, or one that joins its group after both
were published, may read a return before the submission it returns. Such an event waits for the submission,
and is then handled as if it had come after it. One whose submission never comes (a nomination notify will
never hear of) is dropped after KEPT_FOR."""
from __future__ import annotations

from datetime import timedelta

# Review's events about one nomination whose messages go to the people its submission names (objections name
# their objector themselves; intake's own events follow the submission on its topic, keyed by nomination).
WAITS_FOR_SUBMISSION = frozenset({"nomination.returned", "nomination.advanced", "nomination.disqualified"})
KEPT_FOR = timedelta(days=7)
