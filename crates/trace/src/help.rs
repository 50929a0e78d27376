//! `saker trace --help`, and the `--tips` tip.

/// The help text: strace 6.1's options, grouped as strace groups them.
pub const HELP: &str = "\
Trace system calls and signals, with strace's options and output format.

Usage: saker trace [OPTIONS] PROG [ARGS]...
       saker trace [OPTIONS] -p PID...
Options stop at the first argument that is not an option (or after `--`); values may be
attached (-s300, -etrace=open) or separate (-s 300, -e trace=open); long options take
`--name=VALUE` or `--name VALUE` and may be abbreviated.

General:
  -e EXPR               qualifying expression: QUALIFIER=[!]all or QUALIFIER=[!]VAL1[,VAL2]...
                        qualifiers: trace, abbrev, verbose, raw, signal, read, write, fault,
                        inject, status, quiet, decode-fds, decode-pids (a bare SET is trace=)

Startup:
  -E, --env VAR=VAL     put VAR=VAL in the command's environment (-E VAR removes VAR)
  -p, --attach PID      trace process PID (repeatable; lists split by , space or newline)
  -u, --user USERNAME   run the command as USERNAME (root only)

Tracing:
  -b, --detach-on execve
                        let go of a process when it calls execve
  -f, --follow-forks    follow forks, vforks and clones (threads)
  -ff                   like -f, with -o FILE: one file per process (FILE.PID)
      --output-separately
                        one output file per process
  -I, --interruptible N when the tracer's fatal signals act: 1/anywhere, 2/waiting
                        (default), 3/never (default with -o FILE PROG), 4/never_tstp

Filtering:
  -e trace=SET, --trace=SET
                        trace only these calls: names, numbers, %class (%file %desc %net
                        %process %signal %ipc %memory %creds %clock %pure %stat %lstat
                        %fstat %%stat %statfs %fstatfs %%statfs), /regex, all, none;
                        ? before an element allows it to be unknown, @64/@32/@x32 picks
                        a personality
  -e signal=SET, --signal=SET
                        print only these signals
  -e status=SET, --status=SET
                        print only calls with these outcomes: successful, failed,
                        unfinished, unavailable, detached
  -P, --trace-path PATH trace only calls that access PATH (repeatable)
  -z, --successful-only print only calls that returned without an error
  -Z, --failed-only     print only calls that returned with an error

Output format:
  -a, --columns COLUMN  align results at COLUMN (default 40)
  -e abbrev=SET, --abbrev=SET
                        abbreviate structures and arrays of these calls (default all)
  -e verbose=SET, --verbose=SET
                        dereference structures of these calls (default all)
  -e raw=SET, --raw=SET print these calls' arguments and result undecoded, in hex
  -e read=SET, --read=SET
                        hex-dump the data read from these fds
  -e write=SET, --write=SET
                        hex-dump the data written to these fds
  -e quiet=SET, --quiet[=SET]
                        leave out messages: attach, exit, path-resolution, personality,
                        thread-execve (or all, none)
  -e decode-fds=SET, --decode-fds[=SET]
                        what to print after fds: path, socket, dev, pidfd (or all, none)
  -e kvm=vcpu, --kvm=vcpu
                        print the exit reason of each KVM_RUN
  -i, --instruction-pointer
                        print the instruction pointer at each call
  -k, --stack-traces    print the stack after each call
  -n, --syscall-number  print the syscall number
  -o, --output FILE     write the trace to FILE; '|CMD' or '!CMD' pipes it into CMD
  -A, --output-append-mode
                        append to the -o file
  -q, --quiet[=SET]     -q: no attach/detach messages; -qq: no exit lines either;
                        -qqq: nothing that can be left out
  -r, --relative-timestamps[=PRECISION]
                        print the time since the previous line (s, ms, us (default), ns)
  -s, --string-limit SIZE
                        print at most SIZE bytes of strings (default 32)
  -t, --absolute-timestamps[=[format:]FORMAT[,[precision:]PRECISION]]
                        print the time of day: -t seconds, -tt microseconds, -ttt Unix
                        time; FORMAT none, time or unix; PRECISION s, ms, us or ns
      --timestamps[=...]
                        the same as --absolute-timestamps
  -T, --syscall-times[=PRECISION]
                        print the time spent in each call (s, ms, us (default), ns)
  -v, --no-abbrev       print structures, arrays and environments in full
  -x, --strings-in-hex[=non-ascii|non-ascii-chars|all|none]
                        -x: non-ASCII strings in hex; -xx: all strings in hex
  -X, --const-print-style FORMAT
                        named constants and flags: raw, abbrev (default) or verbose
  -y, --decode-fds[=path]
                        print the paths of fds; -yy: also socket and device details
  -Y, --decode-pids=comm
                        print command names after pids
      --decode-pids=pidns, --pidns-translation
                        print pids in the tracer's pid namespace too

Statistics:
  -c, --summary-only    count time, calls and errors per call and print a table
  -C, --summary         like -c, but print the trace too
  -O, --summary-syscall-overhead OVERHEAD[s|ms|us|ns]
                        take OVERHEAD off each call's time
  -S, --summary-sort-by SORTBY
                        sort by time (default), min-time, max-time, avg-time, calls,
                        errors, name or nothing
  -U, --summary-columns COLUMNS
                        columns: time-percent, total-time, min-time, max-time, avg-time,
                        calls, errors, name
  -w, --summary-wall-clock
                        count wall-clock latency instead of system CPU time
                        (--ebpf: every call timed; -c alone estimates)

Tampering (ptrace only):
  -e inject=SET..., --inject=SET[:error=ERRNO|:retval=VALUE][:signal=SIG][:syscall=SYSCALL]
            [:delay_enter=DELAY][:delay_exit=DELAY][:poke_enter=@argN=HEX,...]
            [:poke_exit=@argN=HEX,...][:when=FIRST[..LAST][+[STEP]]]
                        tamper with these calls (DELAY: microseconds or N{s,ms,us,ns})
  -e fault=SET..., --fault=SET[:error=ERRNO][:when=WHEN]
                        like inject, failing with ENOSYS unless told otherwise

Saker:
      --ebpf            trace with eBPF instead of ptrace: the program is never stopped
                        (not with inject/fault, -k, -i, -b, -u)
      --json            one JSON object per call, signal and exit (docs/trace-json.md)
      --seccomp-bpf     stop only at traced calls (with -f, not with -p)

Miscellaneous:
  -h, --help            print this help
  -V, --version         print the version
      --tips[=...]      print a tip at the end

Not supported yet (refused with a message): -d/--debug, -D/--daemonize, --secontext.

Examples:
  saker trace ls /
  saker trace -cw ls /
  saker trace -f -e trace=%file,%process -o out.txt -- make
  saker trace -p 7252 -f -cw
  saker trace -e inject=openat:error=ENOENT:when=3 cat /etc/hostname
";

/// `--tips`: one piece of advice, printed when the trace ends.
pub fn tip() -> &'static str {
    "saker trace tip: -e inject=NAME:error=ERRNO makes a call fail without touching the \
     program, to see how it copes (see `saker trace --help`, Tampering).\n"
}
