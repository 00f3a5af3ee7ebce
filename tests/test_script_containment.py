"""A script runs contained: a memory limit, a time limit, its whole process group ended however it
stops, and what it printed shown with its error. Through the real CLI."""
from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

from conftest import run_cli, write

ANIMATION = "import matplotlib.pyplot as plt\nfrom matplotlib.animation import FuncAnimation\n"


def directive(script: str, extra: str = "") -> str:
    return ("---\ntitle: T\n---\nText.\n\n```animation\n"
            f"script: {script}\nformats: [poster]\nvariants: [light]\nalt: x\n{extra}```\n")


def test_a_script_using_more_memory_than_allowed_is_stopped_with_a_clear_error(tmp_path):
    write(tmp_path, {
        "content/posts/2024-01-01-hog.md": directive("hog.py", "memory: 300 MiB\n"),
        "content/posts/hog.py": "import numpy as np\nprint('loading the whole data set')\nkeep = []\n"
                                "while True:\n    keep.append(np.ones(10_000_000))\n",
    })
    started = time.monotonic()
    result = run_cli("build", "--preset", "preview", cwd=tmp_path)
    assert result.code == 1
    assert "content/posts/2024-01-01-hog.md:6: error: the script hog.py used more than 300 MiB of memory" in result.err
    assert "loading the whole data set" in result.err  # what it printed
    assert "Traceback" not in result.err
    assert time.monotonic() - started < 60


def test_the_default_memory_limit_comes_from_sitegen_toml(tmp_path):
    write(tmp_path, {
        "sitegen.toml": '[render]\nscript_memory = "200 MiB"\n',
        "content/posts/2024-01-01-hog.md": directive("hog.py"),
        "content/posts/hog.py": "import numpy as np\nx = np.ones((400, 1024, 1024))\n",
    })
    result = run_cli("build", "--preset", "preview", cwd=tmp_path)
    assert result.code == 1 and "used more than 200 MiB of memory" in result.err, result.err


def test_a_bad_memory_value_is_an_error_at_its_line(tmp_path):
    write(tmp_path, {"content/posts/2024-01-01-x.md": directive("x.py", "memory: lots\n"),
                     "content/posts/x.py": ANIMATION})
    result = run_cli("build", "--preset", "preview", cwd=tmp_path)
    assert result.code == 1 and "2024-01-01-x.md:11: error: 'memory' must be a size such as '4 GiB'" in result.err


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    status = Path(f"/proc/{pid}/status")
    return not (status.is_file() and "State:\tZ" in status.read_text())


def test_a_timed_out_script_leaves_no_process_behind(tmp_path):
    pid_file = tmp_path / "child.pid"
    write(tmp_path, {
        "content/posts/2024-01-01-slow.md": directive("slow.py", "timeout: 2\n"),
        "content/posts/slow.py": "import subprocess, sys, time\n"
                                 "child = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(600)'])\n"
                                 f"open({str(pid_file)!r}, 'w').write(str(child.pid))\n"
                                 "time.sleep(600)\n",
    })
    result = run_cli("build", "--preset", "preview", cwd=tmp_path)
    assert result.code == 1 and "ran longer than 2 s and was stopped" in result.err
    pid = int(pid_file.read_text())
    deadline = time.monotonic() + 5
    while _alive(pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _alive(pid), "the script's own child process survived the timeout"


def test_a_script_that_ignores_the_time_limit_signal_is_still_stopped(tmp_path):
    """A script stuck where Python's signal handler cannot run (here: it ignores SIGALRM) is killed by the
    worker's backstop; the message says it ran too long."""
    write(tmp_path, {
        "content/posts/2024-01-01-stuck.md": directive("stuck.py", "timeout: 1\n"),
        "content/posts/stuck.py": "import signal, time\nsignal.signal(signal.SIGALRM, signal.SIG_IGN)\n"
                                  "time.sleep(600)\n",
    })
    started = time.monotonic()
    result = run_cli("build", "--preset", "preview", cwd=tmp_path)
    assert result.code == 1 and "the script stuck.py ran longer than 1 s and was stopped" in result.err, result.err
    assert "Traceback" not in result.err and time.monotonic() - started < 60


def test_killing_the_build_ends_the_scripts_it_started(tmp_path):
    pid_file = tmp_path / "script.pid"
    write(tmp_path, {
        "content/posts/2024-01-01-slow.md": directive("slow.py", "timeout: 600\n"),
        "content/posts/slow.py": f"import os, time\nopen({str(pid_file)!r}, 'w').write(str(os.getpid()))\n"
                                 "time.sleep(600)\n",
    })
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    import sys

    build = subprocess.Popen([sys.executable, "-m", "sitegen", "build", "--preset", "preview", "-j", "1"], cwd=tmp_path,
                             env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while not pid_file.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert pid_file.exists()
    build.kill()  # SIGKILL: no chance to clean up
    build.wait()
    pid = int(pid_file.read_text())
    deadline = time.monotonic() + 5
    while _alive(pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _alive(pid), "the script outlived a killed build"


def test_a_script_whose_own_figure_is_too_large_is_an_error_naming_the_limit(tmp_path):
    write(tmp_path, {
        "sitegen.toml": "[limits]\nmax_frame_pixels = 100000\n",
        "content/posts/2024-01-01-big.md": directive("big.py"),
        "content/posts/big.py": ANIMATION + "fig = plt.figure(figsize=(8, 6), dpi=100)\nline, = plt.plot([0, 1])\n"
                                            "ani = FuncAnimation(fig, lambda i: (line,), frames=3)\n",
    })
    result = run_cli("build", "--preset", "preview", cwd=tmp_path)
    assert result.code == 1
    assert "2024-01-01-big.md:6: error: a frame of 800×600 pixels is larger than max_frame_pixels (100,000)" in result.err
    assert "[limits] max_frame_pixels" in result.err


def test_a_script_written_for_a_window_renders_with_agg(tmp_path):
    """Tutorials animate with plt.pause() after matplotlib.use("TkAgg"): the switch is not made, the
    pauses are the frames."""
    write(tmp_path, {
        "content/posts/2024-01-01-tk.md": directive("tk.py").replace("formats: [poster]", "formats: [gif]"),
        "content/posts/tk.py": "import matplotlib\nmatplotlib.use('TkAgg')\nimport matplotlib.pyplot as plt\n"
                               "plt.ion()\nfig, ax = plt.subplots(figsize=(2, 1.5))\nax.set_xlim(0, 5)\n"
                               "for i in range(5):\n    ax.plot([i], [0.5], 'ro')\n    plt.pause(0.05)\n",
    })
    result = run_cli("build", "--preset", "preview", "-v", cwd=tmp_path)
    assert result.code == 0, result.err
    assert "tk.py:2: choosing a GUI backend was not run" in result.err
    (gif,) = (tmp_path / "site" / "animations").glob("*.gif")
    from PIL import Image

    with Image.open(gif) as image:
        assert image.n_frames == 5
