"""The ``.mo`` compiler: what msgfmt 0.21 writes, byte for byte.

The header without ``POT-Creation-Date`` (msgfmt drops it), fuzzy entries left out, a plural
entry kept when its first form is translated; c-format strings with ``<inttypes.h>`` macros
(``%<PRIu64>``) in the system-dependent tables of a revision-1 file, with the hash table glibc
needs to find them.  A file without such strings gets no hash table (glibc does not need one,
and hashing every msgid in Python would cost more than the rest of the compile): it is then
byte-identical to ``msgfmt --no-hash``'s output.
"""
from __future__ import annotations

import functools
import re
import sys
from array import array
from bisect import bisect_left
from itertools import accumulate, islice, repeat
from operator import eq, itemgetter

from .message import Catalog, without_gc

def _reproducible(header: str) -> str:
    """The header without its first ``POT-Creation-Date:`` line, which msgfmt drops (write-mo.c)."""
    lines = header.split("\n")
    for i, line in enumerate(lines):
        if line.startswith("POT-Creation-Date:"):
            return "\n".join(lines[:i] + lines[i + 1:])
    return header


# A C format directive whose conversion is an <inttypes.h> macro ("%<PRIu64>"), or (in a
# translation) has the I flag: the "system-dependent" strings msgfmt writes apart (format-c-parse.h).
@functools.cache
def _c_directive() -> re.Pattern:
    """Compiled on first use: most catalogs have no string that needs it."""
    return re.compile(rb"%(?:%|(?:[0-9]+\$)?([-+ #0'I]*)(?:[0-9]+|\*(?:[0-9]+\$)?)?"
                      rb"(?:\.(?:[0-9]+|\*(?:[0-9]+\$)?)?)?(<PRI[A-Za-z0-9_]+>)?)")


SEGMENTS_END = 0xFFFFFFFF


def _sysdep(text: bytes, translated: bool) -> list[tuple[int, int]]:
    """Positions of the system-dependent parts of a c-format string: ``<PRIx64>`` macros, and
    the ``I`` flag in a translation."""
    found = []
    for d in _c_directive().finditer(text):
        flags, macro = d.group(1), d.group(2)
        if translated and flags and b"I" in flags:
            start = d.start(1)
            found += [(start + i, start + i + 1) for i, c in enumerate(flags) if c == ord("I")]
        if macro is not None:
            found.append(d.span(2))
    return found


def _hash(key: bytes) -> int:
    """GNU's hash_string (PJW), the low 32 bits (all that reach the table)."""
    value = 0
    for byte in key:
        value = (value << 4) + byte
        if value > 0x0FFFFFFF:
            value = (value ^ ((value & 0xF0000000) >> 24)) & 0x0FFFFFFF
    return value


def _hashes(keys: list[bytes]) -> list[int]:
    """:func:`_hash` of every key, several times faster: keys of similar length are the 40-bit
    lanes of one big integer, stepped a byte at a time together, so the loop over keys runs in
    C.  (A lane holds the 28-bit state shifted by 4 plus a byte: at most 33 bits.)  Keys are
    taken longest first, so the lanes still stepping are always the low ones; a finished lane
    is set aside once, when its key ends.  Five steps' bytes come in one conversion to an integer
    (a byte in each byte of a lane), shifted down a byte a step.  Sorting, bucketing and padding
    the keys run in C; the one Python loop over them puts each hash back in its key's place."""
    count = len(keys)
    lengths = list(map(len, keys))
    order = sorted(range(count), key=lengths.__getitem__, reverse=True)
    ordered = list(map(keys.__getitem__, order))
    sizes = list(map(lengths.__getitem__, order))
    shorter = [-size for size in sizes]             # ascending, for bisect
    found: list[int] = []                           # the hashes in ``order``
    start = 0
    while start < count and sizes[start]:
        width = sizes[start]
        end = bisect_left(shorter, -(width // 4), start)     # keys more than a quarter as long
        bucket = ordered[start:end]
        start = end
        if len(bucket) < 8:                       # a few long keys: one at a time is cheaper
            found += map(_hash, bucket)
            continue
        found += _lanes(bucket, sizes[end - len(bucket):end], width)
    found += [0] * (count - len(found))             # empty keys
    result = [0] * count
    for i, value in zip(order, found):
        result[i] = value
    return result


def _lanes(bucket: list[bytes], lengths: list[int], width: int) -> array:
    """:func:`_hash` of keys as long as ``width`` or shorter, longest first (see :func:`_hashes`)."""
    n = len(bucket)
    blob = b"".join(map(bytes.ljust, bucket, repeat(width, n), repeat(b"\0", n)))
    high = int.from_bytes(b"\0\0\0\xf0\0" * n, "little")
    low28 = int.from_bytes(b"\xff\xff\xff\x0f\0" * n, "little")
    low8 = int.from_bytes(b"\xff\0\0\0\0" * n, "little")
    state, done, active = 0, 0, n
    columns = 0
    for step in range(width):
        if lengths[active - 1] <= step:
            while lengths[active - 1] <= step:
                active -= 1
            bits = 40 * active
            done |= (state >> bits) << bits
            state &= (1 << bits) - 1
        if step % 5 == 0:                         # the next five steps' bytes, one in each byte of a lane
            lanes = bytearray(5 * active)
            for ahead in range(min(5, width - step)):
                lanes[ahead::5] = blob[step + ahead:step + ahead + width * active:width]
            columns = int.from_bytes(lanes, "little")
        else:
            columns >>= 8
        state = (state << 4) + (columns & low8)
        state = (state ^ ((state & high) >> 24)) & low28
    packed = (done | state).to_bytes(5 * n, "little")
    wide = bytearray(8 * n)
    for byte in range(5):
        wide[byte::8] = packed[byte::5]
    values = array("Q", wide)
    if sys.byteorder != "little":
        values.byteswap()
    return values


def _next_prime(seed: int) -> int:
    """mem-hash-map.c's next_prime: the smallest odd "prime" >= seed, by its own test."""
    seed |= 1
    while True:
        divisor, square = 3, 9
        while square < seed and seed % divisor:
            divisor += 1
            square += 4 * divisor
            divisor += 1
        if seed % divisor:
            return seed
        seed += 2


def compile_mo(catalog: Catalog) -> bytes:
    """GNU ``.mo`` bytes, as msgfmt 0.21 writes them: the header (even a fuzzy one, without
    POT-Creation-Date) and every message with a first translation that is not fuzzy, sorted,
    in the catalog's own charset.  c-format strings with ``<inttypes.h>`` macros go in the
    system-dependent tables of a revision-1 file, with msgfmt's hash table (byte-identical to
    msgfmt's output); other files have no hash table (byte-identical to ``msgfmt --no-hash``)."""
    return without_gc(_compile, catalog)


def _compile(catalog: Catalog) -> bytes:
    static, sysdep = _entries(catalog)
    count = len(static)
    revision1 = bool(sysdep)
    # glibc needs the hash table only to find system-dependent strings; elsewhere it is left
    # out, as ``msgfmt --no-hash`` does (hashing every msgid in Python costs more than the rest).
    hash_size = max(_next_prime(((count + len(sysdep)) * 4) // 3), 3) if revision1 else 0
    segments, layouts = _sysdep_layouts(sysdep)
    words = 12 if revision1 else 7
    orig_at = words * 4
    trans_at = orig_at + count * 8
    hash_at = trans_at + count * 8
    offset = hash_at + hash_size * 4
    table = array("I")
    if revision1:
        segments_at = offset
        orig_sysdep_at = segments_at + len(segments) * 8
        trans_sysdep_at = orig_sysdep_at + len(sysdep) * 4
        structs_at = trans_sysdep_at + len(sysdep) * 4
        offset = structs_at + sum(4 + 8 * len(pairs) for _, pairs in layouts)
        major = 1 if b"I" in segments else 0    # older gettext() crashes on the I segment
        table.extend([0x950412DE, (major << 16) + 1, count, orig_at, trans_at, hash_size, hash_at,
                      len(segments), segments_at, len(sysdep), orig_sysdep_at, trans_sysdep_at])
    else:
        table.extend([0x950412DE, 0, count, orig_at, trans_at, hash_size, hash_at])
    # The strings from ``offset`` on, each ending in NUL: msgids (and plurals), then translations.
    # (Each list is made by one call over the entries, in C.)
    keys, originals, values = zip(*static) if static else ((), (), ())
    if any(map(eq, keys, islice(keys, 1, None))):       # sorted: a message twice is side by side
        twice = next(a for a, b in zip(keys, keys[1:]) if a == b)
        raise ValueError(f"two messages translate {twice.decode(catalog.encoding, 'replace')!r}: the catalog "
                         f"was not validated (storyloc.po.validate names the line; msgfmt refuses it too)")
    table += _descriptors(originals, offset)
    data = offset + sum(map(len, originals)) + count
    table += _descriptors(values, data)
    data += sum(map(len, values)) + count
    table += _hash_table(keys, hash_size)
    if revision1:
        table.extend(_sysdep_tables(segments, layouts, structs_at, data))
    if sys.byteorder != "little":
        table.byteswap()
    blob = [table.tobytes()]
    if static:
        blob += [b"\0".join(originals), b"\0", b"\0".join(values), b"\0"]
    if revision1:
        blob += [name + b"\0" for name in segments]
        blob += [b"".join(pieces) for pieces, _ in layouts]
    return b"".join(blob)


def _descriptors(strings: tuple[bytes, ...], offset: int) -> array:
    """The (size, offset) pairs of these strings stored one after another from ``offset``, each
    with a NUL after it: one array operation each, not two calls a string."""
    pairs = array("I", bytes(8 * len(strings)))
    if strings:
        sizes = list(map(len, strings))
        pairs[0::2] = array("I", sizes)
        pairs[1::2] = array("I", accumulate([size + 1 for size in sizes[:-1]], initial=offset))
    return pairs


def _entries(catalog: Catalog) -> tuple[list, list]:
    """What goes in the file, encoded: static entries ``(msgctxt+msgid, the same with NUL and
    msgid_plural after it if any, msgstr)``, sorted, and system-dependent ones ``(msgctxt+msgid,
    NUL-ended msgid_plural or b"", NUL-ended msgstr)`` with the spans of their macros in each."""
    encoding = catalog.encoding
    static: list[tuple[bytes, bytes, bytes]] = []
    sysdep: list[tuple[bytes, bytes, bytes, list, list]] = []
    fields = catalog.fields()
    header = next((f for f in fields if f[1] == "" and f[0] is None and not f[4]), None)
    for entry in fields:
        msgctxt, msgid, msgid_plural, msgstr, obsolete, flags = entry
        if not msgstr or not msgstr[0] or obsolete or ("fuzzy" in flags and entry is not header):
            continue
        if msgid == "" and msgctxt is None and entry is not header:
            continue
        key = msgid if msgctxt is None else f"{msgctxt}\x04{msgid}"
        value = msgstr[0] if len(msgstr) == 1 else "\x00".join(msgstr)
        if entry is header:
            value = _reproducible(value)
        key = key.encode(encoding)
        value = value.encode(encoding)
        if ("c-format" in flags or "possible-c-format" in flags) and (b"%" in key or b"%" in value):
            skip = 0 if msgctxt is None else len(msgctxt.encode(encoding)) + 1
            in_id = [(a + skip, b + skip) for a, b in _sysdep(key[skip:], False)] if b"<" in key else []
            in_str = _sysdep(value, True) if b"<" in value or b"I" in value else []
            if in_id or in_str:
                plural = b"" if msgid_plural is None else msgid_plural.encode(encoding) + b"\0"
                sysdep.append((key, plural, value + b"\0", in_id, in_str))
                continue
        static.append((key, key if msgid_plural is None else key + b"\0" + msgid_plural.encode(encoding), value))
    static.sort(key=itemgetter(0))     # by msgid alone (a tuple compares its items one by one)
    return static, sysdep


def _sysdep_layouts(sysdep: list) -> tuple[list[bytes], list]:
    """The names of the system-dependent segments ("PRIu64", "I"), and for each msgid, then each
    msgstr, of the system-dependent entries: its pieces and ``[(size, segment index)]``."""
    segments: list[bytes] = []
    layouts = []
    for which in (0, 1):
        for key, plural, value, in_id, in_str in sysdep:
            text, spans = (key + b"\0", in_id) if which == 0 else (value, in_str)
            pairs, pieces, last = [], [], 0
            for start, end in spans:
                name = text[start:end]
                if len(name) >= 2 and name[:1] == b"<" and name[-1:] == b">":
                    name = name[1:-1]
                if name not in segments:
                    segments.append(name)
                pieces.append(text[last:start])
                pairs.append((start - last, segments.index(name)))
                last = end
            tail = text[last:] + (plural if which == 0 else b"")
            pieces.append(tail)
            pairs.append((len(tail), SEGMENTS_END))
            layouts.append((pieces, pairs))
    return segments, layouts


def _sysdep_tables(segments: list[bytes], layouts: list, structs_at: int, data: int) -> list[int]:
    """The words after the hash table of a revision-1 file: the segment names' descriptors, the
    offsets of the system-dependent strings' structures, then those structures (``data`` is
    where the segment names' bytes begin)."""
    words: list[int] = []
    for name in segments:
        words += (len(name) + 1, data)
        data += len(name) + 1
    at = structs_at
    for _, pairs in layouts:
        words.append(at)
        at += 4 + 8 * len(pairs)
    for pieces, pairs in layouts:
        words.append(data)
        for size, segment in pairs:
            words += (size, segment)
        data += sum(len(piece) for piece in pieces)
    return words


def _hash_table(keys: list[bytes], size: int) -> array:
    """msgfmt's open-addressing hash table of ``size`` slots (none when size is 0)."""
    slots = [0] * size
    for index, value in enumerate(_hashes(keys) if size else (), 1):
        slot = value % size
        if slots[slot]:
            step = 1 + value % (size - 2)
            while slots[slot]:
                slot = slot - (size - step) if slot >= size - step else slot + step
        slots[slot] = index
    return array("I", slots)
