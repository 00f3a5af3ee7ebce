"""The versions of everything that shapes a rendered file: part of every cache key, and what a
worker must match to render a job (a cluster's machines may have been set up apart)."""
from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1)
def library_versions() -> dict[str, str]:
    import matplotlib
    import numpy
    import PIL

    from sitegen.animation.encoders import encoder_versions

    return {"matplotlib": matplotlib.__version__, "numpy": numpy.__version__, "pillow": PIL.__version__,
            **encoder_versions()}
