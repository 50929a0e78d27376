#!/usr/bin/env python3
"""Prints the Rust tables of the ioctl family decoders (crates/syscalls/src/decode/ioctl/):
request names from strace 6.1's x86_64 ioctl list, and xlat tables from its src/xlat/*.in
files with the values the kernel headers (or strace's fallbacks) give them.

strace's own build generates src/xlat/NAME.h from NAME.in; this script compiles a small C
program that includes the kernel headers and that generated header (its fallback #defines
only), and prints each entry's value, in the .in file's order. Needs gcc and a configured
strace 6.1 tree (STRACE_SRC, default /work/strace-suite/src).

Usage:
  scripts/ioctl-tables-from-strace.py names linux/videodev2.h
  scripts/ioctl-tables-from-strace.py xlat 'linux/videodev2.h' \\
      v4l2_buf_types:V4L2_BUF_TYPE_???:BUF_TYPES v4l2_pix_fmts::PIX_FMTS
  (an xlat argument is NAME:UNKNOWN:RUST_NAME; an empty UNKNOWN is strace's NULL default;
  a header argument starting with / is included by path: strace's own fallbacks such as
  src/kernel_v4l2_types.h, or a file defining what a strace .c file defines itself, such as
  dm.c's DM_EXISTS_FLAG or tee.c's TEE_IOCTL_PARAM_ATTR_META)
"""
import os
import re
import subprocess
import sys
import tempfile

SRC = os.environ.get('STRACE_SRC', '/work/strace-suite/src')
XLAT = os.path.join(SRC, 'src', 'xlat')
IOCTL_LISTS = [
    os.path.join(SRC, 'src', 'linux', '64', 'ioctls_inc.h'),
    os.path.join(SRC, 'src', 'linux', 'x86_64', 'ioctls_arch0.h'),
]
INCLUDES = [
    os.path.join(SRC, 'bundled', 'linux', 'include', 'uapi'),
    os.path.join(SRC, 'src'),
    os.path.join(SRC, 'src', 'linux', 'x86_64'),
    os.path.join(SRC, 'src', 'linux', 'generic'),
    SRC,
]
# What the generated headers need from strace's gcc_compat.h and static_assert.h.
STUBS = {
    'gcc_compat.h': '#define ATTRIBUTE_ALIGNED(x) __attribute__((aligned(x)))\n'
    + ''.join(f'#define DIAG_{w}_IGNORE_TAUTOLOGICAL_{c}COMPARE\n'
              for w in ('PUSH', 'POP') for c in ('', 'CONSTANT_')),
    'static_assert.h': '#include <assert.h>\n',
}
DIRECTIONS = {'_IOC_NONE': 0, '_IOC_WRITE': 1, '_IOC_READ': 2}


def names(header):
    """`pub(super) static NAMES` with every request strace lists for `header`."""
    rows = []
    entry = re.compile(r'\{ "([^"]+)", "([^"]+)", ([^,]+), (0x[0-9a-f]+), (0x[0-9a-f]+) \}')
    for path in IOCTL_LISTS:
        for line in open(path):
            m = entry.match(line)
            if not m or m.group(1) != header:
                continue
            direction = sum(DIRECTIONS[d.strip()] for d in m.group(3).split('|'))
            code = direction << 30 | int(m.group(5), 16) << 16 | int(m.group(4), 16)
            rows.append((code, m.group(2)))
    print('pub(super) static NAMES: &[(u32, &str)] = &[')
    for code, name in sorted(rows):
        print(f'    ({code:#x}, "{name}"),')
    print('];')


def values(headers, name, stubs):
    """(value, name) of each entry of src/xlat/NAME, in its order."""
    text = open(os.path.join(XLAT, name + '.h')).read()
    entries = re.findall(
        r'^\s+(?:\[[^\]]*\] = )?XLAT(?:_TYPE\([^,]+, *|\()(\w+)\)', text, re.M)
    program = '#include <stdio.h>\n#include <stdint.h>\n#include <sys/types.h>\n'
    for h in headers:
        program += f'#include "{h}"\n' if h.startswith('/') else f'#include <{h}>\n'
    program += f'#define XLAT_MACROS_ONLY 1\n#include "{os.path.join(XLAT, name)}.h"\n'
    program += 'int main(void) {\n' + ''.join(
        f'printf("%llu {e}\\n", (unsigned long long) ({e}));\n' for e in entries) + '}\n'
    with tempfile.TemporaryDirectory() as tmp:
        src, exe = os.path.join(tmp, 't.c'), os.path.join(tmp, 't')
        open(src, 'w').write(program)
        flags = [f'-I{d}' for d in [stubs] + INCLUDES]
        subprocess.run(['gcc', '-w', *flags, '-o', exe, src], check=True)
        out = subprocess.run([exe], capture_output=True, text=True, check=True).stdout
    return [(int(v), n) for v, n in (line.split() for line in out.splitlines())]


def xlat(headers, specs):
    """One `xlat::xlat!` table for each NAME:UNKNOWN:RUST_NAME."""
    with tempfile.TemporaryDirectory() as stubs:
        for file, text in STUBS.items():
            open(os.path.join(stubs, file), 'w').write(text)
        for spec in specs:
            name, unknown, rust = spec.split(':')
            print(f"// strace 6.1's src/xlat/{name}.in.")
            print(f'xlat::xlat!({rust}, "{unknown}", [')
            line = '   '
            for value, entry in values(headers, name, stubs):
                suffix = 'u64' if value >= 1 << 31 else ''
                piece = f' {value:#x}{suffix} => "{entry}",'.replace(' 0x0 ', ' 0 ')
                if len(line) + len(piece) > 99:
                    print(line)
                    line = '   '
                line += piece
            print(line)
            print(']);\n')


if __name__ == '__main__':
    if len(sys.argv) == 3 and sys.argv[1] == 'names':
        names(sys.argv[2])
    elif len(sys.argv) >= 4 and sys.argv[1] == 'xlat':
        xlat(sys.argv[2].split(), sys.argv[3:])
    else:
        sys.exit(__doc__)
