"""Directory pages, one module per sub-domain.

- ``services``: search of the services, schemes, data·inclusion import and export.
- ``referrals``: orientation of a youth, referrals sent, received and answered.
- ``partners``: the partners' shared guides, meetings and decision log.
"""
