"""Pushes to the phones of changed passes, sent from a worker."""

from celery import shared_task

from tickets.wallet.services import WALLET_PUSH_TASK, ApnsUnavailable, wallet_pushes_send


@shared_task(
    name=WALLET_PUSH_TASK,
    acks_late=True,
    autoretry_for=(ApnsUnavailable,),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=5,
)
def wallet_push_task(pass_ids: list[int]) -> int:
    """Wake the phones of these passes (a second push only makes a phone ask again)."""
    return wallet_pushes_send(pass_ids=pass_ids)
