"""The hash table's hashes, many keys at once, against GNU's hash_string one key at a time."""
from storyloc.po.mo import _hash, _hash_table, _hashes


def test_keys_that_carry_out_of_every_lane_and_end_at_every_step():
    """0xFF bytes carry into bit 32 at every step; a key of each length ends at each of the five
    steps whose bytes come in one conversion."""
    keys = [b"\xff" * n for n in range(64)] + [bytes(range(200, 200 + n % 56)) for n in range(64)]
    assert _hashes(keys) == [_hash(k) for k in keys]


def test_table_slots_hold_one_based_indexes_in_probe_order():
    keys = [f"key {i}".encode() for i in range(40)]
    table = _hash_table(keys, 59)
    assert sorted(v for v in table if v) == list(range(1, 41))
    for index, key in enumerate(keys, 1):     # each key is found by msgfmt's probe sequence
        value = _hash(key)
        slot, step = value % 59, 1 + value % 57
        while table[slot] != index:
            assert table[slot] != 0
            slot = (slot + step) % 59
