"""Which team roles may do what in the cabinet. Plain role values, so models and views share them.

Every cabinet view names one of these tuples in ``organizer_role_required`` (see
``organizers/permissions.py``); templates ask ``membership.can_manage_events`` and friends.
"""

OWNER = "owner"
MANAGER = "manager"
CHECKIN = "checkin"
ACCOUNTANT = "accountant"

# Anyone in the team: the cabinet's front page of that organizer.
ROLES_ANY = (OWNER, MANAGER, CHECKIN, ACCOUNTANT)
# Create, edit, publish and cancel events, sessions and ticket types.
ROLES_EVENTS = (OWNER, MANAGER)
# See and manage orders and refunds.
ROLES_ORDERS = (OWNER, MANAGER)
# The door scanner.
ROLES_CHECKIN = (OWNER, MANAGER, CHECKIN)
# Sales reports and exports.
ROLES_REPORTS = (OWNER, ACCOUNTANT)
# Orders paid by bank transfer: money received, statements, returns.
ROLES_BANK_TRANSFERS = (OWNER, ACCOUNTANT)
# Invite, change and remove team members.
ROLES_TEAM = (OWNER,)
# Edit the legal profile (БИН/ИИН, bank account...).
ROLES_PROFILE = (OWNER,)
