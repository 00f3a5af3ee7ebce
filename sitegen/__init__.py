"""sitegen: a static portfolio generator whose posts embed animated data figures."""
from __future__ import annotations

__version__ = "0.1.0"
