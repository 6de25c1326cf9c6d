from django.db import models


class Carrier(models.Model):
    code = models.CharField(max_length=10, unique=True)


class Shipment(models.Model):
    carrier = models.ForeignKey(Carrier, on_delete=models.PROTECT)
    tracking = models.CharField(max_length=40, db_index=True)
    destination = models.CharField(max_length=80, db_index=True)
    state = models.CharField(
        max_length=20,
        help_text="queued, sent (or lost)",
        db_index=True,
    )
    shipped_on = models.DateField(null=True)
    slug = models.SlugField(max_length=60)
    priority = models.IntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(fields=["shipped_on", "state"]),
            models.Index(fields=["priority"], name="urgent_shipments", condition=models.Q(priority__gt=5)),
        ]
