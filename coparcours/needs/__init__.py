"""The register of unmet needs: for each youth, a need by dimension (housing, mental health,
resources…), since when, what was tried (the directory's referrals and their answers), and
whether it is still open, met or abandoned; docs/domain-rules.md, "Unmet needs"."""
