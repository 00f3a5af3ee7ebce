"""sitegen: a static portfolio generator whose posts embed animated data figures."""
from __future__ import annotations

__version__ = "0.1.0"

# Bumped whenever a change to the renderer changes what it draws or how it encodes: part of every
# render cache key, so old cached animations are re-rendered.
RENDERER_VERSION = "1"

# Encoder presets: "small" files for publishing (the default), "fast" renders for previews (see encoders.py).
PRESETS = ("small", "fast")
