"""Companies as buyers: the organisation an order is bought for, the organisations a signed-in
buyer keeps for next time, the invoice (счёт на оплату) and the act of services rendered."""
