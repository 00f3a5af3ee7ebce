"""sitegen: a static portfolio generator whose posts embed animated data figures."""
from __future__ import annotations

__version__ = "0.1.0"

# Bumped whenever a change to the renderer changes what it draws or how it encodes: part of every
# render cache key, so old cached animations are re-rendered.
RENDERER_VERSION = "2"  # 2: topomap electrodes ringed in the background colour

# Encoder presets (see animation/encoders/ffmpeg.py): "publish", the files a site publishes (the default of
# build and render), and "preview", renders several times faster with larger files (the default of serve).
PRESETS = ("publish", "preview")
# Cached files of these presets serve for this one (never the other way): a preview takes what a
# build made for publishing before rendering anything.
PRESET_REUSES = {"publish": (), "preview": ("publish",)}
# The names they had before 0.2, still accepted with a warning.
OLD_PRESET_NAMES = (("small", "publish"), ("fast", "preview"))
