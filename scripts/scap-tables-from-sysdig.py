#!/usr/bin/env python3
"""Writes crates/source/src/scap/flags.txt: the names sysdig prints for the values of each
flags parameter of the .scap event table, asked of sysdig itself; with --syscall-codes,
crates/source/src/scap/ppm_sc.txt: the syscall each code of a generic event names.

Every table named in events.txt (a parameter typed `fN=TABLE` or `mode=TABLE`) is probed
through the first parameter that uses it: a capture holding one event per candidate value
(0..255 and every single bit) is read with `sysdig -r -p '%evt.num %evt.info'`, and the
names sysdig prints give the table's entries; a second capture holding every pair of entries
gives the order in which sysdig tries them (the order matters for values that match several).
crates/cli/tests/capture_scap.rs checks the result against sysdig for every parameter.

Needs Debian's sysdig (0.29). Usage:
  scripts/scap-tables-from-sysdig.py > crates/source/src/scap/flags.txt
  scripts/scap-tables-from-sysdig.py --syscall-codes > crates/source/src/scap/ppm_sc.txt
"""
import itertools
import os
import re
import struct
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
EVENTS = os.path.join(HERE, '..', 'crates', 'source', 'src', 'scap', 'events.txt')


def read_events():
    """Event number -> (name, flags, [(param name, type)]), as events.txt lists them."""
    events = {}
    with open(EVENTS) as f:
        for line in f:
            if line.startswith('#') or not line.strip():
                continue
            words = line.split()
            params = [tuple(p.split(':', 1)) for p in words[4:]]
            events[int(words[0])] = (words[1], words[3], params)
    return events


def width(ty):
    """Bytes of a flags or mode parameter."""
    if ty.startswith('mode'):
        return 4
    return int(re.match(r'f(\d+)', ty).group(1)) // 8


def sample(ty):
    """A valid value of any parameter type, for the parameters not being probed."""
    fixed = {
        'fd': struct.pack('<q', 3), 'pid': struct.pack('<q', 4242),
        'errno': struct.pack('<q', -2), 'fspath': b'/probe\0', 'charbuf': b'/probe\0',
        'bytebuf': b'ab', 'sockaddr': b'\x01/s\0',
        'socktuple': b'\x01' + struct.pack('<QQ', 16, 32) + b'/s\0',
        'fdlist': struct.pack('<HQH', 1, 3, 1), 'syscallid': struct.pack('<H', 75),
        'sigtype': b'\x09', 'sigset': struct.pack('<I', 1),
        'reltime': struct.pack('<Q', 10**9), 'abstime': struct.pack('<Q', 10**9),
        'uid': struct.pack('<I', 1000), 'gid': struct.pack('<I', 1000), 'dyn': b'\x00',
        'charbufarray': b'a\0b\0', 'pairarray': b'a\0b\0',
    }
    if ty in fixed:
        return fixed[ty]
    if ty.startswith('rel@'):
        return b'probe\0'
    if ty.startswith('mode'):
        return struct.pack('<I', 0o644)
    bits = re.match(r'[uif](\d+)', ty)
    return (1 if ty.startswith('f') else 42).to_bytes(int(bits.group(1)) // 8, 'little')


def block(kind, body):
    pad = (4 - len(body) % 4) % 4
    total = 12 + len(body) + pad
    return struct.pack('<II', kind, total) + body + b'\0' * pad + struct.pack('<I', total)


def capture(events):
    """A .scap file: section header, machine info, then version-2 event blocks."""
    out = block(0x0A0D0D0A, struct.pack('<IHHq', 0x1A2B3C4D, 1, 2, -1))
    out += block(0x201, struct.pack('<IQQ', 2, 0, 0) + b'probe'.ljust(128, b'\0') + b'\0' * 32)
    for i, (kind, values) in enumerate(events):
        size = 26 + 2 * len(values) + sum(map(len, values))
        body = struct.pack('<HQQIHI', 0, 1_700_000_000_000_000_000 + i * 1000, 20000 + i, size,
                           kind, len(values))
        body += b''.join(struct.pack('<H', len(v)) for v in values) + b''.join(values)
        out += block(0x216, body)
    return out


def printed_names(events, kind, idx, values):
    """For each value, the names sysdig prints in parentheses after it."""
    _, _, params = events[kind]
    base = [sample(ty) for _, ty in params]
    probes = []
    for v in values:
        vals = list(base)
        vals[idx] = v.to_bytes(width(params[idx][1]), 'little')
        probes.append((kind, vals))
    with tempfile.NamedTemporaryFile(suffix='.scap') as f:
        f.write(capture(probes))
        f.flush()
        out = subprocess.run(['sysdig', '-r', f.name, '-p', '%evt.num %evt.info'],
                             capture_output=True, text=True, check=True).stdout
    pattern = re.compile(r'(?:^| )' + re.escape(params[idx][0]) + r'=(\d+)\(([^)]*)\)')
    names = {}
    for line in out.splitlines():
        num, _, info = line.partition(' ')
        m = pattern.search(info)
        if m:
            names[values[int(num) - 1]] = m.group(2)
    return names


def table_of(events, kind, idx):
    """(name, value) entries in the order sysdig tries them."""
    bits = width(events[kind][2][idx][1]) * 8
    values = sorted(set(range(256)) | {1 << b for b in range(bits)})
    seen = printed_names(events, kind, idx, values)
    value_of = {}
    for v in values:  # an entry's value: the smallest value printing its name alone
        out = seen.get(v, '')
        if out and '|' not in out:
            value_of.setdefault(out, v)
    pairs = sorted({a | b for a, b in itertools.combinations(sorted(value_of.values()), 2)})
    seen_pairs = printed_names(events, kind, idx, pairs) if pairs else {}
    before = set()
    for out in list(seen.values()) + list(seen_pairs.values()):
        parts = out.split('|')
        before.update(itertools.combinations(parts, 2))
    remaining = sorted(value_of, key=lambda n: -value_of[n])
    order = []
    while remaining:
        free = [n for n in remaining if not any((m, n) in before for m in remaining if m != n)]
        n = free[0] if free else remaining[0]
        order.append(n)
        remaining.remove(n)
    entries = [(n, value_of[n]) for n in order]
    # A name printed only after others: an entry equal to the whole value, met late.
    for v in sorted(seen):
        last = seen[v].split('|')[-1]
        if last and last not in value_of:
            value_of[last] = v
            entries.append((last, v))
    return entries


def syscall_codes():
    """Prints the name sysdig gives each syscall code of the generic event (event type 0:
    ID, nativeID), code 0 first, up to the last code sysdig knows (sysdig 0.29 crashes on
    the first code past its table, so its output ends there)."""
    probes = [(0, [struct.pack('<H', code), struct.pack('<H', 0)]) for code in range(1024)]
    with tempfile.NamedTemporaryFile(suffix='.scap') as f:
        f.write(capture(probes))
        f.flush()
        out = subprocess.run(['sysdig', '-r', f.name, '-p', '%evt.num %evt.type'],
                             capture_output=True, text=True).stdout
    names = {}
    for line in out.splitlines():
        num, _, name = line.partition(' ')
        names[int(num) - 1] = name
    count = max(names) + 1
    assert sorted(names) == list(range(count)), 'sysdig skipped a code below its last'
    print('# The syscall each code of a generic `syscall` event names, as Debian\'s sysdig 0.29')
    print('# prints it: written by scripts/scap-tables-from-sysdig.py --syscall-codes (which asks')
    print('# sysdig), checked by crates/cli/tests/capture_scap.rs. The Nth name has code N.')
    line = ''
    for code in range(count):
        if len(line) + 1 + len(names[code]) > 95:
            print(line)
            line = ''
        line = f'{line} {names[code]}' if line else names[code]
    print(line)


def main():
    if sys.argv[1:] == ['--syscall-codes']:
        syscall_codes()
        return 0
    events = read_events()
    first_use = {}
    for kind in sorted(events):
        _, flags, params = events[kind]
        if flags == 'unused':
            continue
        for idx, (_, ty) in enumerate(params):
            if '=' in ty:
                first_use.setdefault(ty.split('=', 1)[1], (kind, idx))
    print('# Flag names of .scap event parameters, as Debian\'s sysdig 0.29 prints them: written by')
    print('# scripts/scap-tables-from-sysdig.py (which asks sysdig), checked by')
    print('# crates/cli/tests/capture_scap.rs. "[table]" then one "NAME VALUE" a line, in the order')
    print('# sysdig tries the names.')
    for name, (kind, idx) in sorted(first_use.items()):
        print(f'[{name}]')
        for entry, value in table_of(events, kind, idx):
            print(f'{entry} {value:#x}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
