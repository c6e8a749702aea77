"""How a channel says a send failed: a later try may pass (transient), or it never will (permanent)."""
from services.notify.domain.failures import ADDRESS, COMPOSE, REFUSED


class DeliveryError(Exception):
    """A send the provider did not accept; `str()` is the reason, kept on the message row."""


class TransientDeliveryError(DeliveryError):
    """The provider is away, slow or busy (connection refused, timeout, a 4xx answer): retry later."""


class PermanentDeliveryError(DeliveryError):
    """This message can never be sent as it is: do not retry. `failure` says why (domain/failures.py)."""

    failure = REFUSED  # the provider refused it (a 5xx answer, an unknown recipient)


class UndeliverableAddress(PermanentDeliveryError):
    """No address, or one no provider can reach (checked before any connection is made)."""

    failure = ADDRESS


class UncomposableMessage(PermanentDeliveryError):
    """The mail cannot be built from the stored row (a header the e-mail format refuses)."""

    failure = COMPOSE
