"""Nothing of the register in the administration: a need is a youth's data, which
administrators never read there (docs/access.md, « Two families of questions »); the
steering reads the register's aggregates (reporting)."""
