"""The queue's queries on 20,000 reviews, run as review runs them: through psycopg, which prepares a statement
after five runs, so that PostgreSQL may switch to its generic plan. A reviewer's "assigned to me" must then
still be read through the indexes, never by scanning every review (what made it miss its target at 100,000:
bench/review_queue.py, bench/results-review-queue.json)."""
from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa

from bench.review_queue import load, remove
from services.review.adapters.orm import reviews
from services.review.domain.people import Role, StaffMember
from services.review.domain.queue_filter import QueueFilter
from services.review.service_layer.queries import queue_page

pytestmark = pytest.mark.integration
# A reviewer's share of 20,000 reviews among 8 is what it is of 100,000 among 40 (the bench): the
# proportions, not the size, decide between the indexes and a sequential scan.
REVIEWS, REVIEWERS = 20_000, 8
PREPARED_AND_GENERIC = 12  # psycopg prepares at the 5th run; PostgreSQL weighs a generic plan after 5 more


@pytest.fixture()
def many(review):
    campaign_id = f"plans-{uuid.uuid4().hex[:8]}"
    load(review.engine, REVIEWS, review.campaign, campaign_id, REVIEWERS)
    yield campaign_id
    remove(review.engine, campaign_id)


def scans_of_reviews(session) -> tuple[int, int]:
    """(sequential, index) scans of `reviews` so far in this transaction."""
    row = session.execute(sa.text("SELECT seq_scan, coalesce(idx_scan, 0) FROM pg_stat_xact_user_tables "
                                  "WHERE relname = 'reviews'")).one()
    return row[0], row[1]


def test_assigned_to_me_is_read_through_the_indexes_once_its_statements_are_prepared(review, many):
    worker = StaffMember("bench-wg-7", "审核员", Role.WORKING_GROUP, domains=review.campaign.domains[:2], unit="无关单位")
    mine = QueueFilter(mine=True)
    with review.sessions() as session:
        for _ in range(PREPARED_AND_GENERIC):
            queue_page(session, worker, mine)
        seq_before, index_before = scans_of_reviews(session)
        for _ in range(3):
            page = queue_page(session, worker, mine)
        seq_after, index_after = scans_of_reviews(session)
        expected = session.execute(sa.select(sa.func.count()).select_from(reviews).where(
            reviews.c.assigned_to == worker.subject, reviews.c.domain.in_(worker.domains))).scalar_one()
    assert 0 < expected < 10_000 and page.total == expected and len(page.rows) == min(expected, mine.per_page)
    assert seq_after == seq_before, "a sequential scan of every review for one reviewer's queue"
    assert index_after > index_before
