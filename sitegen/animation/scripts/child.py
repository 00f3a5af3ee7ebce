"""Runs inside the child process that `sitegen.animation.scripts.runner` starts: executes the author's
script under its real file name (so tracebacks point at their lines) with matplotlib captured (capture), takes
its frames the way matplotlib saves them (an Animation through `Animation.save` with sitegen's movie
writer; else the frames of a writer loop or of plt.pause calls) into a raw frame file, and reports
it through a JSON file; the worker that started it encodes the frames. Never imported by the build."""
from __future__ import annotations

import json
import runpy
import signal
import sys
import traceback
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")

import matplotlib.animation as mpl_animation  # noqa: E402

from sitegen.errors import RenderProblem, did_you_mean  # noqa: E402
from sitegen.animation.scripts.capture import Capture, FrameSettings  # noqa: E402
from sitegen.animation.scripts.frames import (EnoughFrames, FrameProblem, FrameStore, SitegenWriter,  # noqa: E402
                                   TooManyFrames)
from sitegen.animation.scripts.reads import files_read  # noqa: E402
from sitegen.sizes import format_bytes  # noqa: E402

REAL_SAVE = mpl_animation.Animation.save
WAYS = ("make a FuncAnimation or ArtistAnimation (as for plt.show()), define make_animation(data, params), "
        "grab frames with a movie writer (with writer.saving(...): writer.grab_frame()), or draw with plt.pause()")


class ScriptTimeout(BaseException):
    """The script (running, or drawing its frames) used up the directive's `timeout:`."""


def _time_limit(seconds: float) -> None:
    """Interrupt the script after `seconds` of running (sitegen's own start-up and encoding not counted);
    the parent ends the whole process group if even that does not stop it."""
    def expired(signum: int, frame: Any) -> None:
        raise ScriptTimeout()

    signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)


def main(request_path: str) -> int:
    request = json.loads(Path(request_path).read_text())
    job, report, root = request["job"], Path(request["report"]), Path(request["root"])
    try:
        found, meta = _run(job, root, Path(request["scratch"]), Path(request["drawn"]))
        report.write_text(json.dumps({"frames": found, "meta": meta}))
    except RenderProblem as exc:
        report.write_text(json.dumps({"problem": exc.message, "hint": exc.hint}))
    return 0


def _run(job: dict[str, Any], root: Path, scratch: Path, drawn: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    """Run the script and take its frames into `scratch`: the frame file and its shape, and the meta."""
    script = root / job["script"]
    job = {**job, "script": str(script), "data": [[n, str(root / rel), pick, w] for n, rel, pick, w in job["data"]]}
    matplotlib.rcParams["animation.ffmpeg_path"] = _bundled_ffmpeg()
    with matplotlib.rc_context(dict(job["style"])):
        size = (job["width"] / job["dpi"], job["height"] / job["dpi"]) if job.get("fixed_size") else None
        dpi = job["dpi"] if job.get("fixed_size") or job.get("dpi_fixed") else None
        capture = Capture(scratch, job.get("frames"), job["max_frames"], FrameSettings(size, dpi),
                          job["max_frame_pixels"])
        capture.install()
        _time_limit(job["timeout"])
        try:
            namespace = _execute(script, job, capture)
            store, fps, warnings = _frames(job, capture, namespace, scratch)
        except ScriptTimeout:
            raise RenderProblem(f"the script {script.name} ran longer than {job['timeout']:g} s and was stopped",
                          "make it faster, render fewer frames, or raise 'timeout:' in the animation block") from None
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        drawn.touch()  # only encoding is left: the parent's backstop for a stuck script stands down
        reads = files_read(capture, root, job)
        frames = store.frames()
        found = {"file": store.path.name, "shape": list(frames.shape)}
        del frames
    meta = {"fps": fps if not job.get("fps_fixed") and fps else job["fps"], "moving": store.moving,
            "warnings": warnings, "notes": capture.notes, "reads": reads}
    return found, meta


def _bundled_ffmpeg() -> str:
    try:
        import imageio_ffmpeg

        return imageio_ffmpeg.get_ffmpeg_exe()
    except (ImportError, RuntimeError):
        return "ffmpeg"


def _execute(script: Path, job: dict[str, Any], capture: Capture) -> dict[str, Any]:
    """Run the script as __main__ (and its make_animation, if it has one); what it defined."""
    sys.argv = [str(script)]
    capture.recording = True
    try:
        namespace = runpy.run_path(str(script), run_name="__main__")
        factory = namespace.get("make_animation")
        if callable(factory):
            made = factory(_data(job), dict(job["script_params"] or {}))
            if not isinstance(made, mpl_animation.Animation):
                raise RenderProblem(f"make_animation() in {script.name} returned {type(made).__name__}, not a matplotlib "
                              "Animation", "return the FuncAnimation or ArtistAnimation it creates")
            namespace = {**namespace, "make_animation()": made}
        return namespace
    except (RenderProblem, ScriptTimeout):
        raise
    except TooManyFrames:
        raise _too_many(job) from None
    except FrameProblem:
        raise
    except SystemExit as exc:
        if exc.code in (None, 0) and (capture.writer or capture.paused or capture.animations):
            return {}
        raise RenderProblem(f"the script {script.name} called exit({exc.code}) before making an animation") from None
    except MemoryError:
        raise _out_of_memory(script, job) from None
    except BaseException:
        raise RenderProblem(f"the script {script.name} raised an error:\n{_user_traceback(script)}") from None
    finally:
        capture.recording = False


def _frames(job: dict[str, Any], capture: Capture, namespace: dict[str, Any],
            scratch: Path) -> tuple[FrameStore, float | None, list[str]]:
    """The frames to encode, their fps as the script set it (None: not set), and warnings."""
    script = Path(job["script"])
    if capture.animations or namespace.get("make_animation()") is not None:
        animation, warnings = _choose(job, capture, namespace)
        store = FrameStore(scratch / "animation.rgb", job.get("frames"), job["max_frames"], job["max_frame_pixels"])
        interval = getattr(animation, "_interval", None)  # what Animation.save takes its fps from
        fps = 1000 / interval if interval else None
        _save(animation, capture, store, job, fps or job["fps"])
        return _checked(store, job), fps, warnings
    for live in (capture.writer, capture.paused):
        if live is not None and live.store.count:
            return _checked(live.store, job), live.fps, []
    if job.get("animation"):
        raise RenderProblem(f"the script {script.name} made no Animation, so 'animation: {job['animation']}' names nothing")
    raise RenderProblem(f"the script {script.name} made no matplotlib Animation and drew no frames", WAYS)


def _choose(job: dict[str, Any], capture: Capture, namespace: dict[str, Any]) -> tuple[Any, list[str]]:
    """The Animation the directive names (`animation:`), else make_animation()'s, else the last made
    (with a warning naming the others, when they are on other figures)."""
    names = {id(v): k for k, v in namespace.items() if isinstance(v, mpl_animation.Animation)}
    made = list(dict.fromkeys([*capture.animations, *[v for v in namespace.values()
                                                       if isinstance(v, mpl_animation.Animation)]]))
    wanted = job.get("animation")
    if wanted:
        chosen = namespace.get(wanted)
        if not isinstance(chosen, mpl_animation.Animation):
            known = [k for k in names.values() if k != "make_animation()"]
            raise RenderProblem(f"the script {Path(job['script']).name} has no Animation named '{wanted}'",
                          did_you_mean(wanted, known) if known else "name the variable the Animation is assigned to")
        return chosen, []
    if namespace.get("make_animation()") is not None:  # the factory's: what the script made to run itself is a demo
        return namespace["make_animation()"], []
    chosen = made[-1]
    others = [a for a in made if a is not chosen and a._fig is not chosen._fig]
    if not others:
        return chosen, []
    label = lambda a: names.get(id(a), "an unnamed Animation")  # noqa: E731
    return chosen, [f"the script makes {len(others) + 1} Animations on different figures "
                    f"({', '.join(label(a) for a in [*others, chosen])}); rendered {label(chosen)}, the last made. "
                    "Name the one to render with 'animation:'"]


def _save(animation: Any, capture: Capture, store: FrameStore, job: dict[str, Any], fps: float) -> None:
    """Animation.save through sitegen's writer: blit, init_func, save_count and every Animation on the
    same figure behave exactly as in a save to a movie file."""
    figure = animation._fig
    if capture.settings.size is not None:
        figure.set_size_inches(*capture.settings.size)
    extra = [a for a in capture.animations if a is not animation and a._fig is figure]
    capture.recording = True
    try:
        REAL_SAVE(animation, str(store.path.with_suffix(".unused")), writer=SitegenWriter(store, fps),
                  dpi=capture.settings.dpi or figure.dpi, extra_anim=extra or None)
    except EnoughFrames:
        pass
    except ScriptTimeout:
        raise
    except TooManyFrames:
        raise _too_many(job) from None
    except FrameProblem:
        raise
    except MemoryError:
        raise _out_of_memory(Path(job["script"]), job) from None
    except Exception:
        raise RenderProblem(f"drawing frame {store.count} failed:\n{_user_traceback(Path(job['script']))}") from None
    finally:
        capture.recording = False


def _checked(store: FrameStore, job: dict[str, Any]) -> FrameStore:
    if not store.count:
        raise RenderProblem(f"the animation in {Path(job['script']).name} has no frames")
    return store


def _too_many(job: dict[str, Any]) -> RenderProblem:
    return RenderProblem(f"the animation has more than {job['max_frames']} frames (max_frames)",
                   "set 'frames:' to render fewer, or raise 'max_frames:'")


def _out_of_memory(script: Path, job: dict[str, Any]) -> RenderProblem:
    return RenderProblem(f"the script {script.name} used more than {format_bytes(job['memory'])} of memory and was stopped",
                   "use less memory, or raise 'memory:' in the animation block ([render] script_memory in sitegen.toml)")


def _data(job: dict[str, Any]) -> Any:
    from sitegen.animation.datafiles import DataRef, load

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


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1]))
