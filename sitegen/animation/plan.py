"""Directives -> AnimationPlans: one RenderJob per theme variant, keyed by a hash of everything that shapes
its files, so every file name is known before anything renders."""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable

from sitegen import PRESET_REUSES, RENDERER_VERSION
from sitegen.config import Limits, SiteConfig
from sitegen.animation.datafiles import DataError, DataRef, load, resolve
from sitegen.animation.encoders import even_size
from sitegen.animation.jobs import InputFile, RenderJob
from sitegen.animation.spec import Directive
from sitegen.errors import Diagnosed, Diagnostic, error
from sitegen.hashing import DigestMemo
from sitegen.animation.limits import check_before_loading, check_natural_frames, max_frames
from sitegen.model import Post
from sitegen.sizes import parse_bytes
from sitegen.animation.styles import legible_fonts, variant_styles

# Keys that change only the page around the animation, not its files.
# Bumped when the way scripts are run and their frames taken changes (2: through Animation.save).
SCRIPT_ENGINE = 2
_PAGE_ONLY = frozenset({"caption", "alt", "autoplay", "controls", "download", "variants", "timeout", "memory",
                        "max_frames"})  # limits stop a render; they never change its files


@dataclass(frozen=True, slots=True)
class AnimationPlan:
    directive: Directive
    jobs: tuple[RenderJob, ...]  # one per variant


ReadsLookup = Callable[[str], "tuple[str, ...] | None"]


def plan_animations(posts: Iterable[Post], config: SiteConfig, memo: DigestMemo, preset: str = "publish",
                    reads: ReadsLookup = lambda base_key: None) -> tuple[list[AnimationPlan], list[Diagnostic]]:
    """Every animation's jobs under the encoder `preset`. `reads(base_key)` gives the files a script
    read when it last ran (the cache's dependency records), whose digests complete its key."""
    plans: list[AnimationPlan] = []
    problems: list[Diagnostic] = []
    posts = list(posts)
    if not any(post.animations for post in posts):
        return plans, problems
    versions, encoder_settings = encoder_facts(preset)
    reusable = {other: encoder_facts(other)[1] for other in PRESET_REUSES[preset]}
    for post in posts:
        post_dir = config.content_path / Path(post.source_rel).parent
        for directive in post.animations:
            try:
                plans.append(_plan_one(directive, post_dir, config, memo, versions,
                                       {preset: encoder_settings, **reusable}, preset, reads))
            except Diagnosed as exc:
                problems += exc.diagnostics
    return plans, problems


def encoder_facts(preset: str) -> tuple[dict[str, str], dict[str, object]]:
    """Versions and settings (under `preset`) that shape every rendered file: part of each cache key."""
    from sitegen.animation.encoders import FORMATS, encoder_settings
    from sitegen.animation.versions import library_versions

    return library_versions(), {fmt: encoder_settings(fmt, preset) for fmt in FORMATS}


def _plan_one(directive: Directive, post_dir: Path, config: SiteConfig, memo: DigestMemo,
              versions: dict[str, str], encoder_settings: dict[str, dict[str, Any]], preset: str,
              reads: ReadsLookup) -> AnimationPlan:
    """The directive's jobs under `preset`; `encoder_settings` holds that preset's settings and those of
    the presets whose files may serve for it (their keys become each job's alternates)."""
    refs = _resolve_all(directive, post_dir, config.root, config.limits)
    script = _resolve_file(directive, "script", post_dir, config.root) if directive.script else None
    audio = _resolve_file(directive, "audio", post_dir, config.root) if directive.options["audio"] else None
    _check_formats(directive, audio is not None)
    frames = _check_kind(directive, refs, config.limits)
    code = [script.path, *local_imports(script.path, config.root)] if script else []
    root = config.root.resolve()
    code_digests = [[site_rel(p, root), memo.digest(p)] for p in code]
    data_digests = [memo.digest(r.path) for _, r in refs]
    audio_digest = memo.digest(audio.path) if audio else None
    inputs = [InputFile(site_rel(r.path, root), d) for (_, r), d in zip(refs, data_digests)]
    inputs += [InputFile(rel, d) for rel, d in code_digests]
    inputs += [InputFile(site_rel(audio.path, root), audio_digest)] if audio else []
    options = directive.options
    size = options["size"]
    dpi = options["width"] / size[0] if options["width"] else float(options["dpi"])
    width, height = even_size(size[0] * dpi), even_size(size[1] * dpi)
    count = options["frames"] or (round(options["duration"] * options["fps"]) if options["duration"] else frames)
    styles = variant_styles(config.theme)
    jobs = []
    for variant in options["variants"]:
        style = styles[variant].rc() | (legible_fonts(width, dpi) if directive.kind else {})
        key_inputs = {
            "renderer": RENDERER_VERSION, "versions": versions,
            "kind": directive.kind, "params": dict(directive.params),
            "options": {k: v for k, v in options.items() if k not in _PAGE_ONLY and k != "data"},
            "data": [[name, r.pick, d] for (name, r), d in zip(refs, data_digests)],
            "script": code_digests,
            "audio": audio_digest,
            "style": style, "size": [width, height, dpi],
        }
        if script:
            key_inputs["script_engine"] = SCRIPT_ENGINE
        keys = {name: _keys({**key_inputs, "encoders": settings}, bool(script), reads, config.root, memo)
                for name, settings in encoder_settings.items()}
        key, base_key, recorded, extra_inputs = keys.pop(preset)
        alternates = tuple(other[0] for other in keys.values() if other[2] is not None)
        jobs.append(RenderJob(
            key=key, post=directive.post, line=directive.line, variant=variant, kind=directive.kind,
            script=site_rel(script.path, root) if script else None,
            data=tuple((name, site_rel(r.path, root), r.pick, r.written) for name, r in refs),
            params=tuple(sorted(directive.params.items())), style=tuple(sorted(style.items())),
            width=width, height=height, dpi=dpi, fps=float(options["fps"]), frames=count,
            formats=tuple(options["formats"]), poster_frame=options["poster_frame"], loop=options["loop"],
            audio=site_rel(audio.path, root) if audio else None, timeout=float(options["timeout"]),
            max_frames=max_frames(directive, config.limits), inputs=tuple(inputs + extra_inputs),
            versions=tuple(sorted(versions.items())),
            fixed_size=directive.kind is not None or "size" in directive.key_lines or "width" in directive.key_lines,
            script_params=tuple(sorted(options["params"].items())), preset=preset, alternates=alternates,
            base_key=base_key, reads_known=recorded is not None,
            private_dirs=tuple(site_rel(p, root) for p in (config.output_path, config.cache_path)
                               if p.resolve().is_relative_to(root)),
            fps_fixed=directive.kind is not None or "fps" in directive.key_lines or "duration" in directive.key_lines,
            dpi_fixed=directive.kind is not None or "dpi" in directive.key_lines,
            animation=options["animation"], memory=parse_bytes(options["memory"] or config.render.script_memory),
            max_frame_pixels=config.limits.max_frame_pixels,
        ))
    return AnimationPlan(directive, tuple(jobs))


def _keys(key_inputs: dict[str, Any], script: bool, reads: ReadsLookup, root: Path,
          memo: DigestMemo) -> tuple[str, str, tuple[str, ...] | None, list[InputFile]]:
    """(key, base key, the files a script read when it last ran under this base key or None, those
    files as inputs). A kind's key is its base key; a script's folds in what it read."""
    key = base_key = hashlib.sha256(json.dumps(key_inputs, sort_keys=True, default=str).encode()).hexdigest()
    if not script:
        return key, base_key, (), []
    recorded = reads(base_key)
    if recorded is None:
        return key, base_key, None, []
    key, extra_inputs = script_key(base_key, recorded, root, memo)
    return key, base_key, recorded, extra_inputs


def script_key(base_key: str, reads: Iterable[str], root: Path, memo: DigestMemo) -> tuple[str, list[InputFile]]:
    """A script's key: its base key and the digest of every file it read (site-relative; a file now
    missing counts as missing). Also those files as inputs."""
    digests, inputs = [], []
    for rel in sorted(set(reads)):
        path = root / rel
        try:
            digest = memo.digest(path)
            inputs.append(InputFile(rel, digest))
        except OSError:
            digest = "missing"
        digests.append([rel, digest])
    key = hashlib.sha256(json.dumps({"base": base_key, "reads": digests}).encode()).hexdigest()
    return key, inputs


def site_rel(path: Path, root: Path) -> str:
    """`path` relative to the (resolved) site folder, as a job names it."""
    return path.resolve().relative_to(root).as_posix()


def _check_formats(directive: Directive, audio: bool) -> None:
    """A format whose encoder is missing is an error naming it: never a silent fall-back."""
    from sitegen.animation.encoders import available_formats

    reasons = available_formats(audio=audio)
    missing = [(fmt, reasons.get(fmt)) for fmt in directive.options["formats"] if reasons.get(fmt)]
    if missing:
        raise Diagnosed([error(directive.post, directive.line_of("formats"), f"cannot make '{fmt}': {reason}",
                                f"remove '{fmt}' from 'formats', or install an ffmpeg that has it") for fmt, reason in missing])


def _resolve_all(directive: Directive, post_dir: Path, root: Path, limits: Limits) -> list[tuple[str, DataRef]]:
    """The data files, and every limit checked before they are loaded (all problems at once)."""
    refs, problems = [], []
    for name, written in directive.data:
        try:
            refs.append((name, resolve(written, post_dir, root)))
        except DataError as exc:
            problems.append(error(directive.post, directive.line_of("data"), exc.message, exc.hint))
    problems += check_before_loading(directive, refs, limits)
    if problems:
        raise Diagnosed(problems)
    return refs


def _resolve_file(directive: Directive, key: str, post_dir: Path, root: Path) -> DataRef:
    try:
        return resolve(directive.options[key] if key != "script" else directive.script, post_dir, root)
    except DataError as exc:
        message = exc.message.replace("data file", f"{key} file")
        raise Diagnosed([error(directive.post, directive.line_of(key), message, exc.hint)]) from None


def _check_kind(directive: Directive, refs: list[tuple[str, DataRef]], limits: Limits) -> int | None:
    """Load the data and let the kind check it; the animation's natural frame count (within the limit)."""
    if directive.kind is None:
        return None
    from sitegen.animation.kinds import KINDS

    kind = KINDS[directive.kind]
    try:
        data = load(refs)
    except DataError as exc:
        raise Diagnosed([error(directive.post, directive.line_of("data"), exc.message, exc.hint)]) from None
    if not refs:
        raise Diagnosed([error(directive.post, directive.line, f"the kind '{directive.kind}' needs 'data:'",
                                kind.data_layout.splitlines()[0] if kind.data_layout else "")])
    found = kind.check(data, dict(directive.params))
    if found:
        raise Diagnosed([error(directive.post, directive.line_of(p.key), p.message, p.hint) for p in found])
    natural = kind.frame_count(data, dict(directive.params))
    over = check_natural_frames(directive, natural, limits)
    if over:
        raise Diagnosed(over)
    return natural


def local_imports(script: Path, root: Path) -> list[Path]:
    """Python modules beside the script (or below the site folder) that it imports, transitively:
    editing one of them must re-render the animation."""
    import ast

    seen: set[Path] = set()
    todo = [script]
    while todo:
        current = todo.pop()
        try:
            tree = ast.parse(current.read_text(encoding="utf-8"))
        except (OSError, SyntaxError, UnicodeDecodeError):
            continue
        for node in ast.walk(tree):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module] if isinstance(node, ast.ImportFrom) and node.module and node.level <= 1 else []
            for name in names:
                candidate = _module_file(current.parent, name)
                if candidate and candidate not in seen and candidate.resolve().is_relative_to(root.resolve()):
                    seen.add(candidate)
                    todo.append(candidate)
    return sorted(seen)


def _module_file(folder: Path, dotted: str) -> Path | None:
    base = folder.joinpath(*dotted.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None
