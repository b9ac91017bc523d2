"""Payments: the providers behind one interface (``providers``), starting and completing a
payment and late payments (``services``), the providers' callbacks (``callbacks``, ``views``) and
the test provider's approve/decline page (``provider_test``)."""
