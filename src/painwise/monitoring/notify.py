"""Urgent flags are pushed, not only listed: an email to each recipient (every clinician holding a grant).

The email names no patient and no finding, only that an urgent flag waits and where to read it, so no
health data travels by mail. Sent after commit; ``notified_at`` records it (docs/monitoring.md).
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import timezone

from painwise.monitoring.models import Flag

log = logging.getLogger(__name__)


def notify_urgent(flag_ids: list[str]) -> int:
    """Email the recipient of each urgent, still open flag once; returns the number of emails sent."""
    flags = (
        Flag.objects.filter(id__in=flag_ids, severity="urgent", notified_at__isnull=True, recipient__isnull=False)
        .select_related("recipient")
        .order_by("created_at")
    )
    link = settings.PAINWISE_BASE_URL.rstrip("/") + reverse("monitoring:worklist")
    sent = 0
    for flag in flags:
        address = getattr(flag.recipient, "email", "")
        if not address:
            log.warning("urgent flag %s: recipient %s has no email address", flag.id, flag.recipient_id)
            continue
        send_mail(
            subject="painwise: an urgent flag needs your review",
            message=(
                "An urgent safety flag was raised for one of your patients in painwise.\n\n"
                f"Sign in to review it on your worklist: {link}\n\n"
                "This email contains no patient details by design."
            ),
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[address],
        )
        Flag.objects.filter(pk=flag.pk).update(notified_at=timezone.now())
        sent += 1
    return sent
