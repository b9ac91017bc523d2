"""Who in the organizer's team handles company buyers' documents."""

from organizers.roles import ACCOUNTANT, MANAGER, OWNER

# Invoices and acts go to accounting: the accountant as well as those who run the orders.
ROLES_COMPANY_DOCUMENTS = (OWNER, MANAGER, ACCOUNTANT)
