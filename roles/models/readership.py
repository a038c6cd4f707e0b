"""How often pages are read: one count per page per day, and nothing about who read them."""

from django.db import models


class PageReads(models.Model):
    """Reads of one page (its URL name and path) on one day. No reader, address, cookie or
    referrer is kept anywhere: roles/readership.py counts in the shared cache and
    `manage.py flush_reads` adds the counts here. The admin's attention list reads it."""

    day = models.DateField()
    url_name = models.CharField(max_length=80)
    path = models.CharField(max_length=500)
    reads = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "page reads"
        verbose_name_plural = "page reads"
        constraints = [
            models.UniqueConstraint(
                fields=["day", "url_name", "path"], name="pagereads_unique_day_page"
            ),
        ]
        indexes = [models.Index(fields=["url_name", "day"], name="pagereads_name_day")]

    def __str__(self) -> str:
        return f"{self.path} on {self.day}: {self.reads}"
