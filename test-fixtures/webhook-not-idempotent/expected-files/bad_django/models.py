from django.db import models


class Order(models.Model):
    email = models.EmailField()
    paid = models.BooleanField(default=False)


class ProcessedEvent(models.Model):
    """A webhook event id claimed by once_per_event (idempotency.py); the unique key lets one delivery run."""

    id = models.BigAutoField(primary_key=True)
    event_id = models.CharField(max_length=255, unique=True)
    processed_at = models.DateTimeField(auto_now_add=True)
