"""What can go wrong with bank transfers; each message is shown to the buyer or accountant."""

from django.utils.translation import gettext_lazy as _

from tickets.errors import InvalidTransition, RefundError, TicketsError


class BankTransferError(TicketsError):
    default_message = _("This cannot be done with the bank transfer of this order.")


class BankTransferNotOffered(BankTransferError):
    default_message = _("Payment by bank transfer is not available for this order.")


class BankTransferNotWaiting(InvalidTransition):
    default_message = _("This order is not waiting for a bank transfer.")


class BankTransferTicketsGone(BankTransferError):
    default_message = _(
        "The order expired and its tickets were sold meanwhile: nothing was recorded. "
        "Return the money to the payer by transfer."
    )


class StatementInvalid(BankTransferError):
    default_message = _("The file is not a bank statement we can read.")


class ReturnByTransferOnly(RefundError):
    default_message = _(
        "This order was paid by bank transfer: return the money by transfer and record it on "
        "the “Bank transfers” page of the cabinet."
    )
