"""Rendering on a Dask cluster: a real distributed.LocalCluster (worker processes whose working
directory is elsewhere) renders a site with kinds, a long animation in segments and a script that
imports a module and opens a file of its folder — the same bytes as a local build, incremental
rebuilds render only what changed, a killed worker does not fail the build, Ctrl-C cancels."""
from __future__ import annotations

import hashlib
import os
import pickle
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from animation_checks import decode_video
from conftest import REPO, run_cli
from test_animations import fence
from test_segments import bump_data

distributed = pytest.importorskip("distributed")

SCRIPT = """
import numpy as np
import matplotlib.pyplot as plt
from matplotlib.animation import FuncAnimation
from shapes import wave

amplitude = float(open("amp.txt").read())
fig, ax = plt.subplots(figsize=(2, 1.5), dpi=40)
line, = ax.plot([], [])
ax.set_xlim(0, 6); ax.set_ylim(-2, 2)
x = np.linspace(0, 6, 40)

def update(i):
    line.set_data(x, amplitude * wave(x, i))
    return line,

ani = FuncAnimation(fig, update, frames=12, interval=100, blit=True)
plt.show()
"""

SLOW_SCRIPT = """
import time
import numpy as np
import matplotlib.pyplot as plt
from matplotlib.animation import FuncAnimation

fig, ax = plt.subplots(figsize=(2, 1.5), dpi=40)
line, = ax.plot([], [])
ax.set_xlim(0, 6); ax.set_ylim(-1, 1)
x = np.linspace(0, 6, 40)

def update(i):
    time.sleep(0.25)
    line.set_data(x, np.sin(x + i / 3))
    return line,

ani = FuncAnimation(fig, update, frames=24, interval=100)
"""


def cluster_site(site) -> Path:
    small = "size: [2, 1.5]\ndpi: 40\nfps: 10\nvariants: [light]\nformats: [webm, gif, poster]"
    root = site({
        "content/posts/2024-01-01-kinds.md": "---\ntitle: Kinds\n---\n" + fence(
            f"kind: heatmap\ndata: data/bump.npy\n{small}\nalt: a bump going round") + "\n" + fence(
            f"kind: heatmap\ndata: data/short.npy\n{small}\nalt: a short one"),
        "content/posts/2024-01-02-script.md": "---\ntitle: Script\n---\n" + fence(
            "script: wave/anim.py\nvariants: [light]\nformats: [webm, poster]\nalt: a wave"),
        "content/posts/wave/anim.py": SCRIPT,
        "content/posts/wave/shapes.py": "import numpy as np\n\ndef wave(x, i):\n    return np.sin(x + i / 2)\n",
        "content/posts/wave/amp.txt": "1.0\n",
    })
    bump_data(root / "data/bump.npy")  # longer than one segment: rendered in parts and joined
    bump_data(root / "data/short.npy", frames=20)
    return root


def digests(root: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted((root / "site/animations").iterdir())}


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    here = os.getcwd()
    os.chdir(elsewhere)  # the workers start here: nothing of the site is under their working directory
    try:
        cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                           dashboard_address=None, local_directory=str(elsewhere / "dask"))
    finally:
        os.chdir(here)
    client = distributed.Client(cluster)
    yield cluster, client
    client.close()
    cluster.close()


def test_a_cluster_build_has_the_bytes_of_a_local_build_and_rebuilds_only_what_changed(site, tmp_path, cluster):
    local_cluster, client = cluster
    root = cluster_site(site)
    local = run_cli("build", "--preset", "preview", "--cache-dir", str(tmp_path / "local-cache"), cwd=root)
    assert local.code == 0, local.text
    expected = digests(root)
    assert len(expected) == 3 + 3 + 2

    address = local_cluster.scheduler_address
    remote = run_cli("build", "--preset", "preview", "--scheduler", address, cwd=root)
    assert remote.code == 0, remote.text
    assert "3 rendered, 0 from the cache" in remote.err, remote.text
    assert digests(root) == expected
    assert not (root / "content/posts/wave/__pycache__").exists()  # nothing written beside the script

    again = run_cli("build", "--preset", "preview", "--scheduler", address, cwd=root)
    assert again.code == 0 and "0 rendered, 3 from the cache" in again.err, again.text

    # the file the script opened is an input, though it ran on another machine
    (root / "content/posts/wave/amp.txt").write_text("1.8\n")
    changed = run_cli("build", "--preset", "preview", "-v", "--scheduler", address, cwd=root)
    assert changed.code == 0 and "1 rendered, 2 from the cache" in changed.err, changed.text
    after = digests(root)
    assert len(after) == len(expected) and len(set(after.items()) - set(expected.items())) == 2
    video = decode_video(next(p for p in (root / "site/animations").iterdir() if p.name.endswith(".webm")
                              and after[p.name] not in expected.values()))
    assert len(video.frames) == 12 and np.abs(video.frames[0].astype(int) - video.frames[6]).max() > 40


def test_a_job_carries_no_path_of_the_machine_that_builds(site):
    from sitegen.animation.segments import tasks_for
    from sitegen.build import BuildOptions, plan_site

    root = cluster_site(site)
    [planned] = plan_site(BuildOptions(root=root, preset="preview"))
    tasks = [t for p in planned.plans for job in p.jobs for t in tasks_for(job)]
    assert len(tasks) == 3 + 2 + 1
    for task in tasks:
        assert str(root).encode() not in pickle.dumps(task) and b"/tmp" not in pickle.dumps(task)


def _processing(client) -> list[str]:
    return [worker for worker, keys in client.processing().items() if any("sitegen-task" in str(k) for k in keys)]


def _slow_site(site) -> Path:
    return site({"content/posts/2024-01-01-slow.md": "---\ntitle: Slow\n---\n" + fence(
        "script: slow.py\nvariants: [light]\nformats: [webm]\nalt: slow"), "content/posts/slow.py": SLOW_SCRIPT})


def _build_in_background(root: Path, address: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.Popen([sys.executable, "-m", "sitegen", "build", "--preset", "preview", "--scheduler", address],
                            cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _wait_for_task(client, build: subprocess.Popen, seconds: float = 60) -> str:
    deadline = time.time() + seconds
    while time.time() < deadline and build.poll() is None:
        busy = _processing(client)
        if busy:
            return busy[0]
        time.sleep(0.1)
    raise AssertionError("no sitegen task ever ran on the cluster: " + (build.communicate()[1] if build.poll() is not None else ""))


def test_a_killed_worker_does_not_fail_the_build(site, cluster):
    local_cluster, client = cluster
    root = _slow_site(site)
    build = _build_in_background(root, local_cluster.scheduler_address)
    try:
        worker = _wait_for_task(client, build)
        time.sleep(1.0)  # the script is drawing its frames on that worker
        pids = client.run(os.getpid, workers=[worker])
        os.kill(pids[worker], signal.SIGKILL)
        out, err = build.communicate(timeout=180)
    finally:
        if build.poll() is None:
            build.kill()
    assert build.returncode == 0, out + err
    assert "1 rendered" in err and "Traceback" not in err
    [video] = list((root / "site/animations").glob("*.webm"))
    assert len(decode_video(video).frames) == 24
    client.wait_for_workers(2, timeout=60)  # the nanny brings the worker back for the next test


def test_ctrl_c_cancels_the_builds_tasks_on_the_cluster(site, cluster):
    local_cluster, client = cluster
    root = _slow_site(site)
    build = _build_in_background(root, local_cluster.scheduler_address)
    try:
        _wait_for_task(client, build)
        build.send_signal(signal.SIGINT)
        started = time.time()
        build.communicate(timeout=30)
        assert build.returncode == 130 and time.time() - started < 10
        deadline = time.time() + 20
        while time.time() < deadline and _processing(client):
            time.sleep(0.2)
        assert not _processing(client), client.processing()
    finally:
        if build.poll() is None:
            build.kill()
    assert not (root / "site").exists()


def test_an_unreachable_scheduler_is_an_error_that_says_what_to_do(site):
    root = _slow_site(site)
    result = run_cli("build", "--scheduler", "tcp://127.0.0.1:9", cwd=root)
    assert result.code == 1 and "Traceback" not in result.text, result.text
    assert "--scheduler: error: cannot reach the Dask scheduler at tcp://127.0.0.1:9" in result.err
    assert "dask scheduler" in result.err
    from_env = run_cli("build", cwd=root, env={"SITEGEN_SCHEDULER": "127.0.0.1:9"})
    assert from_env.code == 1 and "SITEGEN_SCHEDULER: error: cannot reach" in from_env.err, from_env.text
    assert not (root / "site").exists()
