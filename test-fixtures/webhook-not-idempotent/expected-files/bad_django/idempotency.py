"""Runs a webhook's side effects at most once per event id.

Providers deliver at least once: Stripe, GitHub and Svix send an event again when the response is
slow or fails, sometimes while the first delivery is still running. A unique key on the event id
lets exactly one delivery claim it, so concurrent and later duplicates skip the side effects:

    with once_per_event(event["id"]) as first_delivery:
        if first_delivery:
            ...side effects...

The claim is committed before the side effects run and released when they raise, so the
provider's retry runs them again. A process that dies between the two leaves the id claimed and
the event is not re-run: reconcile from the provider's event log if that matters.
"""
from contextlib import contextmanager

from .models import ProcessedEvent


@contextmanager
def once_per_event(event_id):
    """Yields True for the first delivery of event_id and False for a duplicate."""
    if not event_id:
        raise ValueError("once_per_event needs the event id")
    # get_or_create on a unique field: of concurrent deliveries exactly one creates the row.
    _, created = ProcessedEvent.objects.get_or_create(event_id=str(event_id))
    if not created:
        yield False
        return
    try:
        yield True
    except BaseException:
        # Release the claim so the provider's retry runs the side effects again.
        ProcessedEvent.objects.filter(event_id=str(event_id)).delete()
        raise
