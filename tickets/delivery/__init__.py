"""Getting tickets to the buyer: the PDF, e-mails with the tickets (and the other e-mails
about an order), downloads and re-sending from the cabinet."""
