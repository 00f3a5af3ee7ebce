"""Data files an animation reads: where they are (never outside the site folder), how much memory
their arrays take (from headers, before loading) and the arrays themselves (.npy, .npz, .npz#name,
.csv). Nothing is ever unpickled."""
from __future__ import annotations

import codecs
import csv
import math
import zipfile
import zlib
from array import array
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import BinaryIO

import numpy as np

from sitegen.animation.dataset import DataSet
from sitegen.errors import DataError

SUFFIXES = (".npy", ".npz", ".csv")
_CHUNK = 1 << 20


@dataclass(frozen=True, slots=True)
class DataRef:
    """A resolved reference: the file on disk, the array picked by '#name', and the text as written."""

    written: str
    path: Path
    pick: str | None
    rel: str  # relative to the site root, POSIX: part of the cache key (never an absolute path)


def resolve(written: str, post_dir: Path, site_root: Path) -> DataRef:
    """Find `written` next to the post, then from the site root. Paths may not leave the site folder:
    absolute paths, '..' that climbs out, and symlinks that point outside are refused."""
    text, _, pick = written.partition("#")
    pure = PurePosixPath(text.replace("\\", "/"))
    if not text or pure.is_absolute() or text.startswith("~") or (len(text) > 1 and text[1] == ":"):
        raise DataError(f"'{written}' must be a path relative to the post or the site folder",
                        "e.g. 'data/cortex_wave.npz'")
    root = site_root.resolve()
    for base in (post_dir, site_root):
        candidate = (base / pure)
        if not (candidate.exists() or candidate.is_symlink()):
            continue
        real = candidate.resolve()
        if not real.is_relative_to(root):
            raise DataError(f"'{written}' points outside the site folder", "keep data files inside the site folder")
        if not real.is_file():
            raise DataError(f"'{written}' is not a file")
        return DataRef(written, real, pick or None, real.relative_to(root).as_posix())
    climbs = any(part == ".." for part in pure.parts)
    if climbs and not (post_dir / pure).resolve().is_relative_to(root):
        raise DataError(f"'{written}' points outside the site folder", "keep data files inside the site folder")
    near = post_dir.relative_to(site_root).as_posix() if post_dir.is_relative_to(site_root) else post_dir
    raise DataError(f"data file '{text}' not found", f"looked in {near}/ and in the site folder")


def load(refs: list[tuple[str, DataRef]]) -> DataSet:
    """Arrays from every (name, reference): see DataSet for how names arise."""
    arrays: dict[str, np.ndarray] = {}
    sources: dict[str, str] = {}
    columns: tuple[str, ...] = ()
    primary: str | None = None
    for name, ref in refs:
        loaded, ref_columns = _read(ref)
        if name:
            if len(loaded) != 1:
                raise DataError(f"'{ref.written}' holds {len(loaded)} arrays ({', '.join(loaded)}); "
                                f"pick one for '{name}'", f"write '{ref.path.name}#{next(iter(loaded))}'")
            loaded = {name: next(iter(loaded.values()))}
        for key, value in loaded.items():
            value.setflags(write=False)
            arrays[key] = value
            sources[key] = ref.written
        if ref_columns:
            columns, primary = ref_columns, "table"
    return DataSet(arrays=arrays, primary_name=primary, columns=columns, sources=sources)


def decoded_size(ref: DataRef) -> int:
    """Bytes the arrays `ref` names take once loaded, from the .npy headers (an .npz member's header
    is the start of its stream: only that much is decompressed) or by counting a CSV's cells. Cheap
    enough for every build; nothing large is read into memory."""
    suffix = ref.path.suffix.lower()
    try:
        if suffix == ".npy":
            with ref.path.open("rb") as handle:
                return _array_bytes(handle, ref)
        if suffix == ".npz":
            return _npz_size(ref)
        if suffix == ".csv":
            return _csv_size(ref)
    except OSError as exc:
        raise DataError(f"'{ref.written}' cannot be read: {exc}") from None
    raise DataError(f"'{ref.written}': sitegen reads {', '.join(SUFFIXES)} files, not '{suffix or 'no suffix'}'")


_HEADER_READERS = {(1, 0): np.lib.format.read_array_header_1_0, (2, 0): np.lib.format.read_array_header_2_0}


def _array_bytes(handle: BinaryIO, ref: DataRef) -> int:
    try:
        version = np.lib.format.read_magic(handle)
        if version not in _HEADER_READERS:
            raise ValueError(f".npy format version {version[0]}.{version[1]} is not one sitegen reads")
        shape, _, dtype = _HEADER_READERS[version](handle)
    except ValueError as exc:
        raise DataError(f"'{ref.written}' is not a readable {ref.path.suffix.lower()} file: {exc}") from None
    if dtype.hasobject:
        raise _pickled(ref)
    return math.prod(shape) * dtype.itemsize


def _npz_size(ref: DataRef) -> int:
    try:
        with zipfile.ZipFile(ref.path) as archive:
            members = {_array_name(info.filename): info for info in archive.infolist() if not info.is_dir()}
            return sum(_member_size(archive, members[name], ref) for name in _wanted(ref, list(members)))
    except (zipfile.BadZipFile, zlib.error, EOFError, RuntimeError, NotImplementedError) as exc:
        raise DataError(f"'{ref.written}' is not a readable .npz file: {exc}") from None


def _array_name(member: str) -> str:
    return member.removesuffix(".npy")  # as numpy names an archive's arrays


def _member_size(archive: zipfile.ZipFile, info: zipfile.ZipInfo, ref: DataRef) -> int:
    """The larger of what the array's header and what the zip directory say it holds."""
    with archive.open(info) as member:
        if member.read(len(np.lib.format.MAGIC_PREFIX)) != np.lib.format.MAGIC_PREFIX:
            raise DataError(f"'{ref.written}': '{info.filename}' in the archive is not a NumPy array",
                            "an .npz for sitegen holds arrays only, as np.savez writes them")
        member.seek(0)
        return max(_array_bytes(member, ref), info.file_size)


def _csv_size(ref: DataRef) -> int:
    """Eight bytes per cell; cells counted as separators and line ends (quoted commas count too, so
    this never underestimates). Checks the text is UTF-8 on the way."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    cells = 1
    with ref.path.open("rb") as handle:
        try:
            while chunk := handle.read(_CHUNK):
                decoder.decode(chunk)
                cells += chunk.count(b",") + chunk.count(b"\n")
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            raise _not_utf8(ref) from None
    return cells * 8


def _pickled(ref: DataRef) -> DataError:
    return DataError(f"'{ref.written}' holds Python objects (a pickled array), which sitegen never loads",
                     "save plain numeric arrays, e.g. np.save(path, np.asarray(x, dtype=float))")


def _wanted(ref: DataRef, names: list[str]) -> list[str]:
    """The arrays of an archive that `ref` asks for: its '#name', else all."""
    wanted = [ref.pick] if ref.pick else names
    missing = [n for n in wanted if n not in names]
    if missing:
        raise DataError(f"'{ref.written}': no array '{missing[0]}' in the archive",
                        f"it holds: {', '.join(names) or 'nothing'}")
    return wanted


def _read(ref: DataRef) -> tuple[dict[str, np.ndarray], tuple[str, ...]]:
    suffix = ref.path.suffix.lower()
    if suffix == ".npy":
        return {ref.pick or ref.path.stem: _npy(ref)}, ()
    if suffix == ".npz":
        return _npz(ref), ()
    if suffix == ".csv":
        return _csv(ref)
    raise DataError(f"'{ref.written}': sitegen reads {', '.join(SUFFIXES)} files, not '{suffix or 'no suffix'}'")


def _npy(ref: DataRef) -> np.ndarray:
    try:
        return np.load(ref.path, allow_pickle=False)
    except ValueError as exc:
        if "pickle" in str(exc).lower():
            raise _pickled(ref) from None
        raise DataError(f"'{ref.written}' is not a readable .npy file: {exc}") from None
    except OSError as exc:
        raise DataError(f"'{ref.written}' is not a readable .npy file: {exc}") from None


def _npz(ref: DataRef) -> dict[str, np.ndarray]:
    try:
        with np.load(ref.path, allow_pickle=False) as archive:
            arrays = {name: archive[name] for name in _wanted(ref, list(archive.files))}
    except ValueError as exc:
        if "pickle" in str(exc).lower():
            raise _pickled(ref) from None
        raise DataError(f"'{ref.written}' is not a readable .npz file: {exc}") from None
    except (OSError, zipfile.BadZipFile, zlib.error, EOFError, RuntimeError, NotImplementedError) as exc:
        raise DataError(f"'{ref.written}' is not a readable .npz file: {exc}") from None
    for name, value in arrays.items():
        if not isinstance(value, np.ndarray):  # numpy hands back the bytes of a member that is no array
            raise DataError(f"'{ref.written}': '{name}' in the archive is not a NumPy array",
                            "an .npz for sitegen holds arrays only, as np.savez writes them")
    return arrays


def _csv(ref: DataRef) -> tuple[dict[str, np.ndarray], tuple[str, ...]]:
    """Header row = column names; every other cell a number (empty = NaN). Blank lines are skipped,
    but every message names the row's own line in the file."""
    header, values, rows = _csv_cells(ref)
    table = np.frombuffer(values, dtype=np.float64).reshape(rows, len(header))
    arrays = {name: table[:, i] for i, name in enumerate(header)}  # views: the numbers are held once
    arrays["table"] = table
    if ref.pick:
        if ref.pick not in arrays:
            raise DataError(f"'{ref.written}': no column '{ref.pick}'", f"the columns are: {', '.join(header)}")
        return {ref.pick: arrays[ref.pick]}, ()
    return arrays, header


def _csv_cells(ref: DataRef) -> tuple[tuple[str, ...], array, int]:
    """The header and the numbers row by row (8 bytes each, not a Python object per cell)."""
    header: tuple[str, ...] | None = None
    values, rows = array("d"), 0
    with ref.path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        line = 1  # where the next row starts: a quoted cell may span lines
        try:
            for row in reader:
                if any(cell.strip() for cell in row):
                    if header is None:
                        header = tuple(cell.strip() for cell in row)
                    else:
                        values.extend(_csv_row(ref, row, header, line))
                        rows += 1
                line = reader.line_num + 1
        except UnicodeDecodeError:
            raise _not_utf8(ref) from None
        except csv.Error as exc:
            raise DataError(f"'{ref.written}' line {reader.line_num}: not readable as CSV: {exc}") from None
    if header is None or rows == 0:
        raise DataError(f"'{ref.written}' needs a header row of column names and at least one row of numbers")
    return header, values, rows


def _csv_row(ref: DataRef, row: list[str], header: tuple[str, ...], line: int) -> list[float]:
    if len(row) != len(header):
        raise DataError(f"'{ref.written}' line {line}: {len(row)} values, but the header names {len(header)} columns")
    numbers = []
    for column, cell in enumerate(row):
        try:
            numbers.append(float(cell) if cell.strip() else math.nan)
        except ValueError:
            raise DataError(f"'{ref.written}' line {line}: '{cell}' in column '{header[column]}' is not a number") from None
    return numbers


def _not_utf8(ref: DataRef) -> DataError:
    """Where the first byte that is not UTF-8 is, found by reading the file again in pieces."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    newlines = 0
    with ref.path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            pending = len(decoder.getstate()[0])
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as exc:
                line = newlines + chunk.count(b"\n", 0, max(0, exc.start - pending)) + 1
                return DataError(f"'{ref.written}' line {line}: byte 0x{exc.object[exc.start]:02x} is not UTF-8 text",
                                 "save the file as UTF-8 (in a spreadsheet: 'CSV UTF-8'; or iconv -f latin1 -t utf-8)")
            newlines += chunk.count(b"\n")
    return DataError(f"'{ref.written}' line {newlines + 1}: the file ends in the middle of a UTF-8 character",
                     "save the file as UTF-8")
