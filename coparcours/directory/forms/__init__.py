"""Forms of the directory pages, one module per sub-domain (French labels; business rules
stay in the services).

- ``services``: search of the services and data·inclusion import.
- ``referrals``: sending a referral and answering it.
- ``partners``: shared guides, partner meetings, minutes and decisions.
"""
