"""Dense integer codes for text labels (entities, developers, countries) that persist across reads.

A market table names its entities by text (``"org/model"``); counting,
differencing and grouping need small integers. :class:`Vocabulary` gives each
distinct label a code in order of first appearance and keeps it for every
later read of the growing file. The labels are hashed straight from the
Arrow buffers by a numba kernel (an open-addressing table; equal hashes are
confirmed byte by byte), so a million models over a few hundred weeks are
coded in about a second instead of the many seconds a Python dictionary or
a hash join takes.
"""
from __future__ import annotations

import numba
import numpy as np
import pyarrow as pa

from ..jit import CACHED_JIT

__all__ = ["Vocabulary"]

_EMPTY = -1
_FNV_OFFSET = np.uint64(0xCBF29CE484222325)
_FNV_PRIME = np.uint64(0x100000001B3)


@numba.njit(**CACHED_JIT)
def _hash(data: np.ndarray, start: int, stop: int) -> np.uint64:
    h = _FNV_OFFSET
    for j in range(start, stop):
        h = (h ^ np.uint64(data[j])) * _FNV_PRIME
    h ^= h >> np.uint64(33)  # spread the high bits into the low ones the table uses
    h *= np.uint64(0xFF51AFD7ED558CCD)
    return h ^ (h >> np.uint64(33))


@numba.njit(**CACHED_JIT)
def _same(data, start, stop, label_data, label_start) -> bool:
    for j in range(stop - start):
        if data[start + j] != label_data[label_start + j]:
            return False
    return True


@numba.njit(**CACHED_JIT)
def _encode(offsets, data, slots, hashes, label_offsets, label_data, count, codes) -> int:
    """Code every string of (offsets, data) into ``codes``, adding new labels; returns the new count.

    A slot holds (hash, code, start, length) of its label side by side, so a
    probe reads one cache line before the bytes are compared."""
    mask = np.uint64(slots.shape[0] - 1)
    for i in range(offsets.size - 1):
        start, stop = offsets[i], offsets[i + 1]
        h = _hash(data, start, stop)
        key = np.int64(h)
        slot = h & mask
        while True:
            code = slots[slot, 1]
            if code == _EMPTY:
                used = label_offsets[count]
                label_data[used:used + stop - start] = data[start:stop]
                label_offsets[count + 1] = used + stop - start
                slots[slot, 0] = key
                slots[slot, 1] = count
                slots[slot, 2] = used
                slots[slot, 3] = stop - start
                hashes[count] = h
                codes[i] = count
                count += 1
                break
            if slots[slot, 0] == key and slots[slot, 3] == stop - start and _same(data, start, stop, label_data, slots[slot, 2]):
                codes[i] = code
                break
            slot = (slot + np.uint64(1)) & mask
    return count


@numba.njit(**CACHED_JIT)
def _rehash(slots, hashes, label_offsets, count) -> None:
    mask = np.uint64(slots.shape[0] - 1)
    slots[:, 1] = _EMPTY
    for code in range(count):
        slot = hashes[code] & mask
        while slots[slot, 1] != _EMPTY:
            slot = (slot + np.uint64(1)) & mask
        slots[slot, 0] = np.int64(hashes[code])
        slots[slot, 1] = code
        slots[slot, 2] = label_offsets[code]
        slots[slot, 3] = label_offsets[code + 1] - label_offsets[code]


def _grown(array: np.ndarray, size: int, fill=0) -> np.ndarray:
    if size <= array.size:
        return array
    grown = np.full(max(size, 2 * array.size), fill, dtype=array.dtype)
    grown[: array.size] = array
    return grown


class Vocabulary:
    """Labels and their codes ``0, 1, 2, ...`` in order of first appearance."""

    def __init__(self) -> None:
        self._slots = np.full((1024, 4), _EMPTY, dtype=np.int64)
        self._hashes = np.zeros(512, dtype=np.uint64)
        self._offsets = np.zeros(513, dtype=np.int64)
        self._data = np.zeros(4096, dtype=np.uint8)
        self._count = 0

    def __len__(self) -> int:
        return self._count

    def encode(self, labels: pa.Array | pa.ChunkedArray) -> np.ndarray:
        """Codes (int64) of ``labels`` (Arrow strings, no nulls), new labels coded as they first appear."""
        chunks = labels.chunks if isinstance(labels, pa.ChunkedArray) else [labels]
        parts = [self._encode_chunk(chunk) for chunk in chunks if len(chunk)]
        return np.concatenate(parts) if parts else np.empty(0, dtype=np.int64)

    def _encode_chunk(self, chunk: pa.Array) -> np.ndarray:
        if chunk.null_count:
            raise ValueError("labels must not be missing")
        if not (pa.types.is_string(chunk.type) or pa.types.is_large_string(chunk.type)):
            chunk = chunk.cast(pa.string())
        _, offset_buffer, data_buffer = chunk.buffers()
        offset_type = np.int64 if pa.types.is_large_string(chunk.type) else np.int32
        offsets = np.frombuffer(offset_buffer, dtype=offset_type)[chunk.offset : chunk.offset + len(chunk) + 1].astype(np.int64)
        data = np.frombuffer(data_buffer, dtype=np.uint8) if data_buffer is not None else np.zeros(0, np.uint8)
        n = len(chunk)
        self._reserve(n, int(offsets[-1] - offsets[0]))
        codes = np.empty(n, dtype=np.int64)
        self._count = _encode(offsets, data, self._slots, self._hashes, self._offsets, self._data, self._count, codes)
        return codes

    def _reserve(self, labels: int, nbytes: int) -> None:
        most = self._count + labels
        self._hashes = _grown(self._hashes, most)
        self._offsets = _grown(self._offsets, most + 1)
        self._data = _grown(self._data, int(self._offsets[self._count]) + nbytes)
        if 2 * most > len(self._slots):
            size = len(self._slots)
            while 2 * most > size:
                size *= 2
            self._slots = np.empty((size, 4), dtype=np.int64)
            _rehash(self._slots, self._hashes, self._offsets, self._count)

    def label(self, code: int) -> str:
        """The label of ``code``."""
        if not 0 <= code < self._count:
            raise IndexError(f"no label has code {code}")
        return bytes(self._data[self._offsets[code] : self._offsets[code + 1]]).decode("utf-8")

    def labels(self) -> list[str]:
        """Every label, in code order."""
        return [self.label(code) for code in range(self._count)]
