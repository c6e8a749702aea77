"""The codes a campaign file's checks and every service agree on: nominee and channel kinds, the stages
the system acts on, the sealed form's upload kind, how scores combine and what breaks a tie."""

NOMINEE_KINDS = ("person", "team")
CHANNEL_KINDS = ("organisation", "self")
SUBMISSION_STAGE = "submission"
REVIEW_STAGE = "review"
SEALED_FORM = "sealed_form"
AGGREGATIONS = ("mean", "trimmed_mean", "median")
TIE_KEYS = ("media_priority", "media_honours", "criterion")
