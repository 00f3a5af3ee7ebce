"""Runs inside the child process that `sitegen.scripts` starts: executes the author's script under
its real file name (so tracebacks point at their lines), finds the Animation it made, draws its frames
and encodes them. Reports through a JSON file; never imported by the build itself."""
from __future__ import annotations

import json
import runpy
import sys
import tempfile
import traceback
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")

import matplotlib.animation as mpl_animation  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

_made: list[mpl_animation.Animation] = []
_original_init = mpl_animation.Animation.__init__


def _remember(self: mpl_animation.Animation, *args: Any, **kwargs: Any) -> None:
    _original_init(self, *args, **kwargs)
    _made.append(self)  # a FuncAnimation nobody kept a reference to would otherwise be collected


class Problem(Exception):
    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.hint = hint


def main(request_path: str) -> int:
    request = json.loads(Path(request_path).read_text())
    job, report = request["job"], Path(request["report"])
    try:
        meta = _run(job, Path(request["staging"]), request["outputs"])
        report.write_text(json.dumps({"meta": meta}))
    except Problem as exc:
        report.write_text(json.dumps({"problem": str(exc), "hint": exc.hint}))
    return 0


def _run(job: dict[str, Any], staging: Path, outputs: dict[str, str]) -> dict[str, Any]:
    script = Path(job["script"])
    mpl_animation.Animation.__init__ = _remember  # type: ignore[method-assign]
    plt.show = lambda *a, **k: None  # the same code that runs under plt.show() runs here
    with matplotlib.rc_context(dict(job["style"])):
        animation = _make(script, job)
        figure = animation._fig
        if job.get("fixed_size"):
            figure.set_size_inches(job["width"] / job["dpi"], job["height"] / job["dpi"])
        figure.set_dpi(job["dpi"])
        return _encode(animation, job, staging, outputs)


def _make(script: Path, job: dict[str, Any]) -> mpl_animation.Animation:
    sys.argv = [str(script)]
    try:
        namespace = runpy.run_path(str(script), run_name="__main__")
        factory = namespace.get("make_animation")
        if callable(factory):
            made = factory(_data(job), dict(job["script_params"] or {}))
            if isinstance(made, mpl_animation.Animation):
                return made
            raise Problem(f"make_animation() in {script.name} returned {type(made).__name__}, not a matplotlib Animation",
                          "return the FuncAnimation or ArtistAnimation it creates")
    except Problem:
        raise
    except SystemExit as exc:
        raise Problem(f"the script {script.name} called exit({exc.code}) before making an animation") from None
    except BaseException:
        raise Problem(f"the script {script.name} raised an error:\n{_user_traceback(script)}") from None
    if not _made:
        raise Problem(f"the script {script.name} made no matplotlib Animation",
                      "create a FuncAnimation or ArtistAnimation (as for plt.show()), or define make_animation(data, params)")
    return _made[-1]


def _data(job: dict[str, Any]) -> Any:
    from sitegen.datafiles import DataRef, load

    return load([(name, DataRef(written, Path(path), pick, written)) for name, path, pick, written in job["data"]])


def _user_traceback(script: Path) -> str:
    """The traceback with sitegen's and the libraries' frames left out: the author's lines only,
    their paths relative to the script's folder."""
    kind, value, tb = sys.exc_info()
    home = script.parent.resolve()
    frames = []
    for frame in traceback.extract_tb(tb):
        path = Path(frame.filename)
        if path.is_absolute() and path.resolve().is_relative_to(home) and "site-packages" not in path.parts:
            frame.filename = path.resolve().relative_to(home).as_posix()
            frames.append(frame)
    lines = traceback.format_list(frames) + traceback.format_exception_only(kind, value)
    return "".join(lines).rstrip()


def _frame_data(animation: mpl_animation.Animation, job: dict[str, Any]) -> list[Any]:
    """The frames to draw: the directive's `frames` bounds an animation of no length (a generator)."""
    wanted = job.get("frames")
    limit = job["max_frames"]
    length = getattr(animation, "_save_count", None)
    sequence = animation.new_saved_frame_seq()
    frames: list[Any] = []
    cap = wanted or length or limit
    for item in sequence:
        if len(frames) >= min(cap, limit + 1):
            break
        frames.append(item)
    if len(frames) > limit:
        raise Problem(f"the animation has more than {limit} frames (max_frames)",
                      "set 'frames:' to render fewer, or raise 'max_frames:'")
    if not frames:
        raise Problem("the animation has no frames")
    return frames


def _encode(animation: mpl_animation.Animation, job: dict[str, Any], staging: Path,
            outputs: dict[str, str]) -> dict[str, Any]:
    from sitegen.encoders import VideoSpec, encode_all
    from sitegen.render import poster_index

    frames = _frame_data(animation, job)
    canvas = animation._fig.canvas
    with tempfile.TemporaryDirectory(prefix="sitegen-frames-") as scratch:
        store, shape = None, None
        animation._init_draw()
        for index, item in enumerate(frames):
            try:
                animation._draw_next_frame(item, blit=False)
            except BaseException:
                raise Problem(f"drawing frame {index} failed:\n{_user_traceback(Path(job['script']))}") from None
            pixels = np.asarray(canvas.buffer_rgba())[..., :3]
            if store is None:
                shape = pixels.shape
                store = np.lib.format.open_memmap(Path(scratch) / "frames.npy", mode="w+", dtype=np.uint8,
                                                  shape=(len(frames), *shape))
            store[index] = pixels
        height, width = shape[0], shape[1]
        count = len(frames)
        spec = VideoSpec(width=width, height=height, fps=job["fps"], frame_count=count, loop=job["loop"],
                         poster_frame=poster_index(job["poster_frame"], count),
                         audio=Path(job["audio"]) if job.get("audio") else None)
        samples = [store[i] for i in np.linspace(0, count - 1, min(8, count)).astype(int)]
        paths = {fmt: staging / outputs[fmt] for fmt in job["formats"]}
        encode_all(list(job["formats"]), paths, spec, (store[i] for i in range(count)), palette_frames=samples,
                   preset=job.get("preset", "small"))
        del store
    return {"width": width + width % 2, "height": height + height % 2, "frames": count, "fps": job["fps"]}


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1]))
