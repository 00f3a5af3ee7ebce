"""An animation whose frames are all identical is a warning with post:line, for built-in kinds as for
scripts, said again when the animation comes from the cache."""
from __future__ import annotations

import numpy as np

from conftest import run_cli, write

STILL = "---\ntitle: Still\n---\nText.\n\n```animation\nkind: heatmap\ndata: data/still.npz\nsize: [2, 1.5]\ndpi: 48\n" \
        "time_label: ''\nformats: [gif, poster]\nvariants: [light]\nalt: x\n```\n"
MOVING = STILL.replace("still.npz", "moving.npz").replace("title: Still", "title: Moving")


def test_a_still_animation_is_a_warning_at_its_line_on_every_build(tmp_path):
    write(tmp_path, {"content/posts/2024-01-01-still.md": STILL, "content/posts/2024-01-02-moving.md": MOVING})
    (tmp_path / "content/posts/data").mkdir()
    frames = np.ones((6, 8, 8)) * np.linspace(0, 1, 8)
    np.savez(tmp_path / "content/posts/data/still.npz", frames=frames)
    np.savez(tmp_path / "content/posts/data/moving.npz", frames=frames * np.arange(1, 7)[:, None, None])
    for _ in range(2):  # rendered, then from the cache
        result = run_cli("build", "--preset", "preview", cwd=tmp_path)
        assert result.code == 0, result.err
        assert "content/posts/2024-01-01-still.md:6: warning: all 6 frames are identical" in result.err
        assert "2024-01-02-moving.md:6: warning" not in result.err
    assert "1 from the cache" in result.text or "2 from the cache" in result.text
