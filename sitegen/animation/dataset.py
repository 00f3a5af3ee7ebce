"""The arrays an animation directive's `data:` names, as a kind receives them."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator, Mapping

import numpy as np


@dataclass(frozen=True)
class DataSet(Mapping[str, np.ndarray]):
    """Named arrays loaded from .npy / .npz / .csv files (read-only arrays).

    How names arise:
    - `data: {positions: pos.npy, values: eeg.npz#coef}` -> names 'positions', 'values';
    - `data: run.npz` -> one name per array in the archive ('frames', 'labels', …);
    - `data: run.npz#frames` or `data: frames.npy` -> that one array, named after the pick or the file stem;
    - `data: spikes.csv` -> one 1-D float array per column, named by the header row, and the whole
      numeric table as 'table' (rows × columns), column names in `columns`.
    `primary` is the array to use when a kind's own input name is absent: the only array, or the table.
    """

    arrays: Mapping[str, np.ndarray]
    primary_name: str | None = None
    columns: tuple[str, ...] = ()
    sources: Mapping[str, str] | None = None  # name -> the path as the directive wrote it, for messages

    def __getitem__(self, name: str) -> np.ndarray:
        return self.arrays[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self.arrays)

    def __len__(self) -> int:
        return len(self.arrays)

    @property
    def primary(self) -> np.ndarray | None:
        if self.primary_name is not None:
            return self.arrays[self.primary_name]
        if len(self.arrays) == 1:
            return next(iter(self.arrays.values()))
        return None

    def get_array(self, *names: str) -> tuple[str, np.ndarray] | None:
        """The first of `names` present, else the primary array (named '<data>'), else None."""
        for name in names:
            if name in self.arrays:
                return name, self.arrays[name]
        primary = self.primary
        return ("<data>", primary) if primary is not None else None

    def where(self, name: str) -> str:
        """Where an array came from, for messages."""
        return (self.sources or {}).get(name, name)
