//! libscap's capture files (`.scap`, what `falco -e`, `sysdig -r` and `sysdig -w` use): read,
//! printed as `sysdig -r` prints them, and written.
//!
//! - [`ScapFile`] reads one (gzip-compressed or not): the section header, the metadata blocks
//!   ([`meta`]), then events ([`reader::Event`]) one at a time.
//! - [`ScapSource`] replays one through the state and engine: the process and fd lists seed the
//!   state, the [`parser::Parser`] turns events into Saker's event model.
//! - [`print`] formats events as `sysdig -r` does; [`write`] writes a file sysdig and Falco read.

mod flags;
pub mod meta;
pub mod parser;
pub mod print;
pub mod reader;
pub mod table;
pub mod threads;
pub mod write;

use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use saker_event::SyscallEvent;
use saker_proc::users::NameTable;
use saker_state::{
    Capabilities, ContainerInfo, ContainerType, FdEntry, FdKind, ProcessEntry, StateOptions,
};

use crate::{Ended, Flow, NoCounters, Sink, Source, SourceError};
use meta::{FdInfo, Metadata, ThreadInfo};
use reader::{Block, BlockReader, Event, FormatError};

/// The first bytes of a `.scap` file (the section header block type) and of a gzip stream.
pub const SCAP_MAGIC: [u8; 4] = [0x0a, 0x0d, 0x0d, 0x0a];
const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

/// Whether the file at `path` starts like a `.scap` file (plain or gzip-compressed).
pub fn looks_like_scap(path: &Path) -> bool {
    let mut head = [0u8; 4];
    let Ok(mut f) = File::open(path) else {
        return false;
    };
    let n = f.read(&mut head).unwrap_or(0);
    head[..n].starts_with(&GZIP_MAGIC) && n >= 2 || (n == 4 && head == SCAP_MAGIC)
}

/// An open `.scap` file, positioned at its first event.
pub struct ScapFile {
    path: PathBuf,
    reader: BlockReader<Box<dyn Read>>,
    block: Block,
    /// The current block is an event block not handed out yet.
    pending: bool,
    pub metadata: Metadata,
    /// Events of types this reader does not know (a newer capture), skipped.
    pub unknown_events: u64,
    pub compressed: bool,
}

impl ScapFile {
    pub fn open(path: &Path) -> Result<ScapFile, SourceError> {
        let file = File::open(path).map_err(|source| SourceError::Open {
            path: path.to_path_buf(),
            source,
        })?;
        ScapFile::from_reader(Box::new(file), path)
    }

    /// Reads a `.scap` stream; `path` names it in errors.
    pub fn from_reader(input: Box<dyn Read>, path: &Path) -> Result<ScapFile, SourceError> {
        let mut input = BufReader::with_capacity(1 << 16, input);
        let head = {
            use std::io::BufRead;
            input.fill_buf().map_err(|source| SourceError::Open {
                path: path.to_path_buf(),
                source,
            })?
        };
        let compressed = head.starts_with(&GZIP_MAGIC);
        let input: Box<dyn Read> = if compressed {
            Box::new(BufReader::with_capacity(
                1 << 16,
                flate2::read::MultiGzDecoder::new(input),
            ))
        } else {
            Box::new(input)
        };
        let mut file = ScapFile {
            path: path.to_path_buf(),
            reader: BlockReader::new(input),
            block: Block::default(),
            pending: false,
            metadata: Metadata::default(),
            unknown_events: 0,
            compressed,
        };
        file.read_header()?;
        Ok(file)
    }

    fn error(&self, e: FormatError) -> SourceError {
        let message = if self.compressed {
            format!("{} (offset in the decompressed stream)", e.message)
        } else {
            e.message
        };
        SourceError::Scap {
            path: self.path.clone(),
            offset: e.offset,
            message,
        }
    }

    fn read_header(&mut self) -> Result<(), SourceError> {
        match self.reader.next_into(&mut self.block) {
            Ok(true) => {}
            Ok(false) => {
                return Err(self.error(FormatError {
                    offset: 0,
                    message: "empty file (no section header)".into(),
                }));
            }
            Err(e) => return Err(self.error(e)),
        }
        reader::section_header(&self.block).map_err(|e| self.error(e))?;
        loop {
            match self.reader.next_into(&mut self.block) {
                Ok(true) => {}
                Ok(false) => return Ok(()),
                Err(e) => return Err(self.error(e)),
            }
            let taken = self.metadata.read(&self.block).map_err(|e| self.error(e))?;
            if !taken {
                self.pending = true;
                return Ok(());
            }
        }
    }

    /// Byte offset reached (in the decompressed stream).
    pub fn offset(&self) -> u64 {
        self.reader.offset()
    }

    /// The next event, `None` at the end of the file.
    pub fn next_event(&mut self) -> Result<Option<Event<'_>>, SourceError> {
        loop {
            if !self.pending {
                match self.reader.next_into(&mut self.block) {
                    Ok(true) => {}
                    Ok(false) => return Ok(None),
                    Err(e) => return Err(self.error(e)),
                }
            }
            self.pending = false;
            if !reader::is_event_block(self.block.kind) {
                // Metadata between events (a process list written on a reopened file):
                // taken in, unknown ones counted.
                self.metadata.read(&self.block).map_err(|e| self.error(e))?;
                continue;
            }
            // Events of types past the table are skipped (counted) before parsing, so that the
            // one parse below hands out the event.
            match reader::peek_kind(&self.block) {
                Some(kind) if table::info(kind).is_none() => self.unknown_events += 1,
                _ => break,
            }
        }
        match reader::parse_event(&self.block) {
            Ok(event) => Ok(event),
            Err(e) => Err(self.error(e)),
        }
    }
}

/// The replay of a `.scap` file through the state and engine.
pub struct ScapSource {
    pub path: PathBuf,
}

impl Source for ScapSource {
    fn state_options(&self) -> StateOptions {
        crate::replay_state_options()
    }

    fn run(&mut self, sink: &mut dyn Sink) -> Result<Ended, SourceError> {
        let mut file = ScapFile::open(&self.path)?;
        let metadata = std::mem::take(&mut file.metadata);
        let mut parser = parser::Parser::new(true);
        let mut seeded = false;
        let mut learned: HashSet<u64> = HashSet::new();
        let mut out: Vec<SyscallEvent> = Vec::with_capacity(4);
        let mut events = 0u64;
        let result = loop {
            let event = match file.next_event() {
                Ok(Some(event)) => event,
                Ok(None) => break Ok(()),
                Err(e) => break Err(e),
            };
            // The container events at the start describe the containers of the process list:
            // the state is seeded after them.
            if !seeded && !is_container_event(event.kind) {
                seed(&metadata, &mut parser, sink);
                sink.ready();
                seeded = true;
            }
            out.clear();
            parser.parse(&event, &mut out);
            let mut flow = Flow::Continue;
            for e in &out {
                let id = e.header.cgroup_id;
                if id != 0 && learned.insert(id) {
                    learn_container(&parser, e.header.tid, id, sink);
                }
                events += 1;
                flow = sink.event(e);
                if flow != Flow::Continue {
                    break;
                }
                if events.is_multiple_of(crate::jsonl::TICK_EVERY) {
                    flow = sink.tick(&mut NoCounters);
                }
            }
            if flow != Flow::Continue {
                break Ok(());
            }
        };
        if !seeded {
            seed(&metadata, &mut parser, sink);
            sink.ready();
        }
        sink.tick(&mut NoCounters);
        // What was read before a corrupt block has gone through: the error says where.
        result?;
        Ok(Ended {
            unknown_blocks: metadata.unknown_blocks
                + file.metadata.unknown_blocks
                + file.unknown_events,
            ..Ended::default()
        })
    }
}

fn is_container_event(kind: u16) -> bool {
    table::info(kind).is_some_and(|i| i.name == "container")
}

/// The container of a made-up cgroup id, into the state (as a live run learns a cgroup's
/// container from /proc).
fn learn_container(parser: &parser::Parser, tid: u32, cgroup_id: u64, sink: &mut dyn Sink) {
    let Some(id) = parser
        .threads
        .get(u64::from(tid))
        .and_then(|t| t.container_id.clone())
    else {
        return;
    };
    let runtime = parser
        .threads
        .get(u64::from(tid))
        .and_then(|t| container_of(&t.cgroups))
        .map_or(ContainerType::Docker, |c| c.runtime);
    let info = container_info(&id, runtime, parser);
    let state = sink.state();
    let info = state.insert_container(info);
    state.learn_cgroup(cgroup_id, Some(info));
}

/// What the file said of a container (its container event), or its id alone.
fn container_info(id: &str, runtime: ContainerType, parser: &parser::Parser) -> ContainerInfo {
    let described = parser.containers.get(id).or_else(|| {
        parser
            .containers
            .values()
            .find(|c| id.starts_with(&c.id) && c.id.len() >= 12)
    });
    match described.and_then(ContainerInfo::meta) {
        Some(meta) => ContainerInfo::with_meta(saker_state::ContainerMeta {
            id: id.to_string(),
            ..(*meta).clone()
        }),
        None => ContainerInfo::new(id, runtime),
    }
}

/// Puts the file's process list, fd lists and users into the parser and the sink's state.
pub fn seed(metadata: &Metadata, parser: &mut parser::Parser, sink: &mut dyn Sink) {
    for t in &metadata.threads {
        parser.threads.seed(t);
    }
    for (tid, fd, info) in &metadata.fds {
        parser.threads.seed_fd(*tid, *fd, info);
    }
    let state = sink.state();
    if !metadata.users.users.is_empty() {
        let table = |list: &[(u32, String)]| {
            NameTable::parse(
                &list
                    .iter()
                    .map(|(id, name)| format!("{name}:x:{id}:\n"))
                    .collect::<String>(),
            )
        };
        state.set_name_tables(table(&metadata.users.users), table(&metadata.users.groups));
    }
    let mut containers: HashMap<String, Arc<ContainerInfo>> = HashMap::new();
    let mut processes: HashMap<u64, ProcessEntry> = HashMap::new();
    for t in &metadata.threads {
        if let Some(p) = processes.get_mut(&t.pid) {
            p.threads += 1;
            continue;
        }
        let mut entry = process_entry(t, &metadata.threads);
        entry.container = container_of(&t.cgroups).map(|c| {
            containers
                .entry(c.id.clone())
                .or_insert_with(|| {
                    let info = state.insert_container(container_info(&c.id, c.runtime, parser));
                    state.learn_cgroup(threads::cgroup_id_of(&c.id), Some(info.clone()));
                    info
                })
                .clone()
        });
        processes.insert(t.pid, entry);
    }
    for (tid, fd, info) in &metadata.fds {
        let pid = metadata
            .threads
            .iter()
            .find(|t| t.tid == *tid)
            .map_or(*tid, |t| t.pid);
        if let (Some(p), Ok(fd)) = (processes.get_mut(&pid), i32::try_from(*fd)) {
            p.fds.insert(fd, Arc::new(fd_entry(info)));
        }
    }
    for (_, p) in processes {
        state.insert_process(p);
    }
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn process_entry(t: &ThreadInfo, all: &[ThreadInfo]) -> ProcessEntry {
    let ppid = all
        .iter()
        .find(|p| p.tid == t.ptid)
        .map_or(t.ptid, |p| p.pid);
    ProcessEntry {
        pid: t.pid as u32,
        ppid: ppid as u32,
        vpid: if t.vpid >= 0 {
            t.vpid as u32
        } else {
            t.pid as u32
        },
        comm: text(&t.comm),
        exe: text(&t.exe),
        exepath: text(if t.exepath.is_empty() {
            &t.exe
        } else {
            &t.exepath
        }),
        args: split_args(&t.args),
        cwd: text(&t.cwd),
        uid: t.uid,
        gid: t.gid,
        euid: t.uid,
        egid: t.gid,
        loginuid: (t.loginuid != u32::MAX).then_some(t.loginuid),
        tty: t.tty,
        start_ns: 0,
        container: None,
        caps: (t.cap_permitted != 0 || t.cap_effective != 0).then_some(Capabilities {
            effective: t.cap_effective,
            permitted: t.cap_permitted,
            inheritable: t.cap_inheritable,
        }),
        exe_from_memfd: t.exe_from_memfd,
        exe_upper_layer: false,
        threads: 1,
        fds: Default::default(),
    }
}

/// NUL-separated arguments.
fn split_args(args: &[u8]) -> Vec<String> {
    let args = args.strip_suffix(&[0]).unwrap_or(args);
    if args.is_empty() {
        return Vec::new();
    }
    args.split(|&b| b == 0).map(text).collect()
}

/// The container a process list entry's cgroups put it in.
fn container_of(cgroups: &[u8]) -> Option<ContainerInfo> {
    let text = String::from_utf8_lossy(cgroups);
    text.split('\0')
        .filter_map(|entry| entry.split_once('=').map(|(_, path)| path))
        .find_map(saker_proc::cgroup::container_of_path)
        .map(|c| ContainerInfo::new(c.id, saker_state::container_type(c.runtime)))
}

fn fd_entry(info: &FdInfo) -> FdEntry {
    let mut entry = fd_entry_of(info);
    if let FdInfo::Ipv4 { l4, .. }
    | FdInfo::Ipv6 { l4, .. }
    | FdInfo::Ipv4Server { l4, .. }
    | FdInfo::Ipv6Server { l4, .. } = info
    {
        entry.l4proto = saker_state::L4Proto::from_scap(*l4);
    }
    entry
}

fn fd_entry_of(info: &FdInfo) -> FdEntry {
    let name = |b: &[u8]| text(b);
    match info {
        FdInfo::File { name: n, flags: f } => {
            FdEntry::file(name(n), flags::open_to_linux(*f), FdKind::File)
        }
        FdInfo::Directory { name: n } => FdEntry::file(name(n), 0, FdKind::Directory),
        FdInfo::Ipv4Server { ip, port, .. } => {
            let mut e = FdEntry::socket(FdKind::Ipv4);
            e.set_tuple(Some((std::net::IpAddr::V4(*ip), *port).into()), None, false);
            e
        }
        FdInfo::Ipv6Server { ip, port, .. } => {
            let mut e = FdEntry::socket(FdKind::Ipv6);
            e.set_tuple(Some((std::net::IpAddr::V6(*ip), *port).into()), None, false);
            e
        }
        FdInfo::Ipv4 { .. } | FdInfo::Ipv6 { .. } => {
            let kind = if matches!(info, FdInfo::Ipv4 { .. }) {
                FdKind::Ipv4
            } else {
                FdKind::Ipv6
            };
            let mut e = FdEntry::socket(kind);
            if let Some((sip, sport, dip, dport)) = info.tuple() {
                e.set_tuple(Some((sip, sport).into()), Some((dip, dport).into()), true);
            }
            e
        }
        FdInfo::Unix { name: n, .. } => {
            let mut e = FdEntry::socket(FdKind::Unix);
            e.name = name(n);
            e
        }
        FdInfo::Other { kind, name: n } => {
            let kind = match *kind {
                meta::FD_FIFO => FdKind::Pipe,
                meta::FD_NETLINK => FdKind::Netlink,
                meta::FD_MEMFD => FdKind::Memfd,
                _ => FdKind::Unknown,
            };
            FdEntry::file(name(n), 0, kind)
        }
    }
}
