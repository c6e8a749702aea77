"""Kafka topics, by owner, with their partition counts. Keys are nomination ids (or campaign ids),
so one nomination's events stay in order on one partition."""

NOMINATIONS = "nominations"
REVIEWS = "reviews"
CAMPAIGNS = "campaigns"
NOTIFICATIONS = "notifications"
ARCHIVE = "archive"
STAFF = "staff"  # staff sign-ins, sign-outs and failed sign-ins, for the audit trail
DEADLETTER = "deadletter"

PARTITIONS = {
    NOMINATIONS: 6,
    REVIEWS: 6,
    CAMPAIGNS: 3,
    NOTIFICATIONS: 3,
    ARCHIVE: 3,
    STAFF: 3,
    DEADLETTER: 1,
}
