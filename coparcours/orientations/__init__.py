"""Orientations from partners who have no account: a public page per partnership where a
structure of the territory orients a youth (with their agreement) towards a CEJ-JR or a
GME; the porteur or the coordination takes it up and tells the partner how it went."""
