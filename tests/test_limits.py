"""Resource limits ([limits] in sitegen.toml): frame pixels, frame count and decoded data size are
checked from the directive and the arrays' headers before anything is loaded, on every build. Each
build here runs the real CLI under an address-space cap (so a regression fails fast instead of taking
the machine's memory) and reports the peak memory of its largest process."""
from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest

from conftest import REPO, Result

MiB = 1 << 20
CAP = 3 << 30  # address space each process may map: a normal build of these sites needs well under 2 GiB
SMALL_PEAK = 400 * MiB  # the largest process of a build that refuses its data stays far below this

# A wrapper process runs the CLI so that RUSAGE_CHILDREN counts this build's processes only.
_MEASURE = """
import resource, subprocess, sys
cap, report = int(sys.argv[1]), sys.argv[2]
def limit():
    resource.setrlimit(resource.RLIMIT_AS, (cap, resource.RLIM_INFINITY))
code = subprocess.run(sys.argv[3:], preexec_fn=limit).returncode
open(report, "w").write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024))
sys.exit(code)
"""


def run_measured(*args: str, cwd: Path) -> tuple[Result, int]:
    """`sitegen ARGS` from `cwd`, and the peak resident memory (bytes) of its largest process."""
    report = cwd.parent / "peak-rss"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.run([sys.executable, "-c", _MEASURE, str(CAP), str(report), sys.executable, "-m", "sitegen",
                           *args], cwd=cwd, capture_output=True, text=True, env=env, timeout=600)
    return Result(proc.returncode, proc.stdout, proc.stderr), int(report.read_text())


def fence(body: str) -> str:
    return "```animation\n" + body.strip() + "\n```\n"


def post(body: str) -> str:
    return "---\ntitle: Limits\n---\nText.\n\n" + fence(body + "\nalt: x")


def small_frames(root: Path) -> None:
    t = np.arange(3)[:, None, None]
    y, x = np.mgrid[0:8, 0:8]
    (root / "data").mkdir(parents=True, exist_ok=True)
    np.savez(root / "data/wave.npz", frames=np.exp(-((x - 2 * t) ** 2 + (y - 4) ** 2) / 8.0))


def line_of(root: Path, rel: str, text: str) -> int:
    return (root / rel).read_text().splitlines().index(text) + 1


def write_zero_bomb(path: Path, shape: tuple[int, ...]) -> None:
    """An .npz whose one array is all zeros, streamed through zipfile: it never exists in memory and
    deflates about a thousand to one."""
    size = int(np.prod(shape)) * 8
    chunk = bytes(16 * MiB)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        with archive.open("frames.npy", "w", force_zip64=True) as member:
            np.lib.format.write_array_header_1_0(member, {"descr": "<f8", "fortran_order": False, "shape": shape})
            for _ in range(size // len(chunk)):
                member.write(chunk)


@pytest.fixture(scope="module")
def zero_bomb(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("bomb") / "zeros.npz"
    write_zero_bomb(path, (8, 8192, 4096))  # 2 GiB of float64
    return path


REL = "content/posts/2024-01-01-big.md"
SCRIPT = """
import matplotlib.pyplot as plt
from matplotlib.animation import FuncAnimation

fig, ax = plt.subplots()
line, = ax.plot([0, 1], [0, 1])
animation = FuncAnimation(fig, lambda i: (line,), frames=3)
"""


@pytest.mark.parametrize("body, key, fragment", [
    ("kind: heatmap\ndata: data/wave.npz\nwidth: 100000", "width: 100000", "100000×75000"),
    ("kind: heatmap\ndata: data/wave.npz\ndpi: 100000", "dpi: 100000", "600000×450000"),
    ("kind: heatmap\ndata: data/wave.npz\nsize: [40, 40]\ndpi: 1000", "dpi: 1000", "40000×40000"),
    ("script: anim.py\nwidth: 100000", "width: 100000", "100000×75000"),
])
def test_huge_frames_are_an_error_naming_max_frame_pixels(site, body, key, fragment):
    root = site({REL: post(body), "content/posts/anim.py": SCRIPT})
    small_frames(root)
    result, peak = run_measured("build", "--preset", "preview", cwd=root)
    assert result.code == 1, result.text
    assert f"{REL}:{line_of(root, REL, key)}: error: frames of {fragment} pixels" in result.err, result.err
    assert "max_frame_pixels" in result.err and "[limits]" in result.err
    assert "Traceback" not in result.text and "MemoryError" not in result.text
    assert peak < SMALL_PEAK, f"peak {peak / MiB:.0f} MiB"


@pytest.mark.parametrize("body, key", [
    ("kind: heatmap\ndata: data/wave.npz\nframes: 1000000000", "frames: 1000000000"),
    ("kind: heatmap\ndata: data/wave.npz\nduration: 100000000\nfps: 10", "duration: 100000000"),
    ("script: anim.py\nframes: 1000000000", "frames: 1000000000"),
])
def test_a_billion_frames_is_an_error_naming_max_frames(site, body, key):
    root = site({REL: post(body), "content/posts/anim.py": SCRIPT})
    small_frames(root)
    result, peak = run_measured("build", "--preset", "preview", cwd=root)
    assert result.code == 1, result.text
    assert f"{REL}:{line_of(root, REL, key)}: error: 1,000,000,000 frames, more than max_frames (5,000)" in result.err, result.err
    assert "Traceback" not in result.text and "MemoryError" not in result.text
    assert peak < SMALL_PEAK, f"peak {peak / MiB:.0f} MiB"


@pytest.mark.parametrize("body", ["kind: heatmap\ndata: data/zeros.npz", "script: anim.py\ndata: data/zeros.npz"])
def test_an_npz_of_2_gib_zeros_is_refused_from_its_header_without_decompressing(site, zero_bomb, body):
    root = site({REL: post(body), "content/posts/anim.py": SCRIPT})
    (root / "data").mkdir(exist_ok=True)
    os.link(zero_bomb, root / "data/zeros.npz")
    assert (root / "data/zeros.npz").stat().st_size < 3 * MiB
    result, peak = run_measured("build", "--preset", "preview", cwd=root)
    assert result.code == 1, result.text
    assert (f"{REL}:{line_of(root, REL, 'data: data/zeros.npz')}: error: the data takes 2 GiB once loaded "
            "(data/zeros.npz: 2 GiB), more than max_data_size (1 GiB)") in result.err, result.err
    assert 'max_data_size = "4 GiB"' in result.err
    assert "Traceback" not in result.text
    assert peak < SMALL_PEAK, f"peak {peak / MiB:.0f} MiB"


def test_a_huge_npy_header_is_refused_before_loading(site):
    root = site({REL: post("kind: heatmap\ndata: data/huge.npy")})
    (root / "data").mkdir()
    with open(root / "data/huge.npy", "wb") as handle:  # the header claims 80 GB; the file has no data
        np.lib.format.write_array_header_1_0(handle, {"descr": "<f8", "fortran_order": False, "shape": (100, 10**4, 10**4)})
    result, peak = run_measured("build", "--preset", "preview", cwd=root)
    assert result.code == 1
    assert "error: the data takes 74.5 GiB once loaded (data/huge.npy: 74.5 GiB)" in result.err, result.err
    assert peak < SMALL_PEAK


def test_limits_come_from_sitegen_toml_and_a_directive_may_raise_max_frames(site):
    root = site({REL: post("kind: heatmap\ndata: data/wave.npz\nsize: [2, 1.5]\ndpi: 16")},
                config="[limits]\nmax_frames = 2\n")
    small_frames(root)
    result, _ = run_measured("build", "--preset", "preview", cwd=root)
    assert result.code == 1
    assert (f"{REL}:{line_of(root, REL, 'data: data/wave.npz')}: error: the data makes 3 frames, more than max_frames (2)"
            in result.err), result.err
    assert "raise 'max_frames:' in the animation block, or [limits] max_frames in sitegen.toml" in result.err
    (root / REL).write_text(post("kind: heatmap\ndata: data/wave.npz\nsize: [2, 1.5]\ndpi: 16\nmax_frames: 3"))
    raised, _ = run_measured("build", "--preset", "preview", cwd=root)
    assert raised.code == 0, raised.text


def test_limits_are_checked_on_cached_builds_too(site):
    root = site({REL: post("kind: heatmap\ndata: data/wave.npz\nsize: [2, 1.5]\ndpi: 16")})
    small_frames(root)
    first, _ = run_measured("build", "--preset", "preview", cwd=root)
    assert first.code == 0, first.text
    (root / "sitegen.toml").write_text('[limits]\nmax_data_size = "1 KB"\nmax_frame_pixels = 100\n')
    again, _ = run_measured("build", "--preset", "preview", cwd=root)
    assert again.code == 1, again.text
    assert "more than max_data_size (1000 bytes)" in again.err and "more than max_frame_pixels (100 pixels a frame)" in again.err
    assert "0 rendered" not in again.err and "Rendering" not in again.err


def test_bad_limits_are_config_errors_with_their_line(site):
    root = site({REL: post("kind: heatmap\ndata: data/wave.npz")},
                config='title = "x"\n[limits]\nmax_data_size = "lots"\nmax_frames = 0\nmax_frame_pixel = 10\n')
    small_frames(root)
    result, _ = run_measured("build", cwd=root)
    assert result.code == 1
    assert "sitegen.toml:3: error: 'limits.max_data_size' must be a size such as '4 GiB'" in result.err, result.err
    assert "sitegen.toml:4: error: 'limits.max_frames' must be a positive number" in result.err
    assert "sitegen.toml:5: error: unknown key 'limits.max_frame_pixel' (did you mean 'max_frame_pixels'?)" in result.err
