"""Business operations of the GME money, called by the pages, the API, the demo and the
commands alike. Each checks who acts, validates everything, and writes in one transaction
or not at all; refusals are ``ValidationError`` with French messages (the Département pays
the group account, which passes the money on to the members at once; the lead member
consolidates the members' trial balances).

- ``common``: who manages a GME's money, membership check.
- ``rates``: daily rates of the members and their history.
- ``invoices``: numbering without gap, the month's live invoice, credit notes, the PDF.
- ``billing``: monthly billing of one or many GMEs.
- ``payments``: the funder's payments, their allocation and redistribution to the members.
- ``bank_statements``: import of the group account's bank statement.
- ``balances``: members' trial balances, the account mapping and the forecast budgets.
"""
