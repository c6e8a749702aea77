"""How a channel says a send failed: a later try may pass (transient), or it never will (permanent)."""


class DeliveryError(Exception):
    """A send the provider did not accept; `str()` is the reason, kept on the message row."""


class TransientDeliveryError(DeliveryError):
    """The provider is away, slow or busy (connection refused, timeout, a 4xx answer): retry later."""


class PermanentDeliveryError(DeliveryError):
    """The provider refused this message for good (a 5xx answer, an unknown recipient): do not retry."""
