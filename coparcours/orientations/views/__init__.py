"""The orientations' pages: ``public`` (the partner's form), ``handling`` (the porteur's or
the coordination's queue and acts), ``pages`` (a partnership's page: link, QR code,
opening; the directory's list of open pages)."""
