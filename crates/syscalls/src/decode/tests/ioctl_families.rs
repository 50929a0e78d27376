//! The ioctl families with big argument structures (V4L2, btrfs, device mapper, SG_IO, KVM, TEE): cases ported from strace
//! 6.1's own tests, each named after its source file.

use super::*;

/// A struct image built field by field (little-endian, as on x86_64).
struct Image(Vec<u8>);

impl Image {
    fn new(size: usize) -> Self {
        Image(vec![0; size])
    }
    fn u16(mut self, at: usize, v: u16) -> Self {
        self.0[at..at + 2].copy_from_slice(&v.to_le_bytes());
        self
    }
    fn u32(mut self, at: usize, v: u32) -> Self {
        self.0[at..at + 4].copy_from_slice(&v.to_le_bytes());
        self
    }
    fn u64(mut self, at: usize, v: u64) -> Self {
        self.0[at..at + 8].copy_from_slice(&v.to_le_bytes());
        self
    }
    fn bytes(mut self, at: usize, v: &[u8]) -> Self {
        self.0[at..at + v.len()].copy_from_slice(v);
        self
    }
}

const BADF: &str = " = -1 EBADF (Bad file descriptor)";

fn ioctl(code: u32, arg: u64) -> [u64; 6] {
    [NEG(-1), u64::from(code), arg, 0, 0, 0]
}

/// Each (request, argument, text) fails with EBADF on fd -1.
fn check_failing(m: &mut Fixture, cases: &[(u32, u64, &str)]) {
    for &(code, arg, call) in cases {
        check(
            "ioctl",
            ioctl(code, arg),
            m,
            -9,
            &format!("ioctl(-1, {call}){BADF}"),
        );
    }
}

fn style(verbose: bool, xlat: XlatStyle) -> Style {
    Style {
        verbose,
        xlat,
        ..Style::default()
    }
}

/// strace 6.1's tests/ioctl_v4l2.c (failing calls: only what goes in is shown).
#[test]
fn v4l2_requests_that_fail() {
    let pix = Image::new(208)
        .u32(0, 2)
        .u32(8, 0x657b8160)
        .u32(12, 0x951c0047)
        .bytes(16, b"S508")
        .u32(20, 1)
        .u32(24, 0xdf20d185)
        .u32(28, 0x0cf7be41)
        .u32(32, 7);
    let clips = Image::new(48)
        .u32(0, 0x3313d36e)
        .u32(4, 0xcdffe510)
        .u32(8, 0x2064f3a8)
        .u32(12, 0xd06d314a)
        .u32(24, 0xd8c8a83f)
        .u32(28, 0x336e87ba)
        .u32(32, 0x9e3a6fb3)
        .u32(36, 0x05617b76);
    let win = Image::new(208)
        .u32(0, 8)
        .u32(8, 0xe8373662)
        .u32(12, 0x0336d283)
        .u32(16, 0x9235fe72)
        .u32(20, 0xbbd886c8)
        .u32(24, 0)
        .u32(28, 0xdb1f991f)
        .u64(32, 0x3000)
        .u32(40, 2)
        .u64(48, -2i64 as u64)
        .bytes(56, &[0xce]);
    let m = &mut Fixture::default()
        .with(0x1000, &pix.0)
        .with(0x2000, &win.0)
        .with(0x3000, &clips.0)
        .with(0x4000, &Image::new(8).u32(0, 0x980000).0)
        .with(
            0x5000,
            &Image::new(8).u32(0, 0xfbfaf9f8).u32(4, 0xfffefdfc).0,
        )
        .with(0x6000, &Image::new(32).u32(0, 0x980000).0);
    let cases: &[(u32, u64, &str)] = &[
        (
            0xc0d05605,
            0x1000,
            "VIDIOC_S_FMT, {type=V4L2_BUF_TYPE_VIDEO_OUTPUT, fmt.pix={width=1702592864, \
             height=2501640263, pixelformat=v4l2_fourcc('S', '5', '0', '8') /* \
             V4L2_PIX_FMT_SPCA508 */, field=V4L2_FIELD_NONE, bytesperline=3743469957, \
             sizeimage=217562689, colorspace=V4L2_COLORSPACE_JPEG}}",
        ),
        (
            0xc0d05605,
            0x2000,
            "VIDIOC_S_FMT, {type=V4L2_BUF_TYPE_VIDEO_OUTPUT_OVERLAY, fmt.win={w={left=-399034782, \
             top=53924483, width=2453012082, height=3151529672}, field=V4L2_FIELD_ANY, \
             chromakey=0xdb1f991f, clips=[{c={left=856937326, top=-838867696, width=543486888, \
             height=3496816970}}, {c={left=-657938369, top=862881722, width=2654629811, \
             height=90274678}}], clipcount=2, bitmap=0xfffffffffffffffe, global_alpha=0xce}}",
        ),
        (
            0xc008561b,
            0x4000,
            "VIDIOC_G_CTRL, {id=V4L2_CTRL_CLASS_USER+0}",
        ),
        (
            0xc008561c,
            0x5000,
            "VIDIOC_S_CTRL, {id=0xfbfaf9f8 /* V4L2_CID_??? */, value=-66052}",
        ),
        (0xc008561c, 0, "VIDIOC_S_CTRL, NULL"),
        (
            0xc0205648,
            0x6000,
            "VIDIOC_S_EXT_CTRLS, {ctrl_class=V4L2_CTRL_CLASS_USER, count=0}",
        ),
        (0x40045612, 0, "VIDIOC_STREAMON, NULL"),
    ];
    check_failing(m, cases);
}

/// strace 6.1's tests/ioctl_v4l2-success.c (`-e inject=ioctl:retval=42`: what the kernel
/// would have filled in is shown at exit).
#[test]
fn v4l2_requests_that_succeed() {
    let dqbuf = Image::new(88)
        .u32(0, 0xdeadc0de)
        .u32(4, 4)
        .u32(8, 0xdecaffee)
        .u32(12, 0x00228040)
        .u64(24, 0x1e55c0de)
        .u64(32, 999999)
        .u32(60, 2)
        .u64(64, 0xdefaced0dec0ded1)
        .u32(72, 0xcafed0d5);
    let mut query = Image::new(68)
        .u32(0, 0xdeadc0de)
        .u32(4, 6)
        .u32(40, 0xfffffffe)
        .u32(56, 0x3);
    for i in 0..32 {
        query.0[8 + i] = b'h' + i as u8;
    }
    let create = Image::new(256)
        .u32(0, 0x80a0c0e0)
        .u32(4, 0x80a0c0e1)
        .u32(8, 1)
        .u32(16, 1)
        .bytes(32, b"XR1\xb5")
        .u32(36, 7);
    let m = &mut Fixture::default()
        .with(0x1000, &dqbuf.0)
        .with(0x2000, &query.0)
        .with(0x3000, &create.0);
    check(
        "ioctl",
        ioctl(0xc0585611, 0x1000),
        m,
        42,
        "ioctl(-1, VIDIOC_DQBUF, {type=V4L2_BUF_TYPE_VBI_CAPTURE, index=3735929054, \
         memory=V4L2_MEMORY_USERPTR, m.userptr=0xdefaced0dec0ded1, length=3405697237, \
         bytesused=3737845742, flags=V4L2_BUF_FLAG_ERROR|0x200000|0x8000 /* \
         V4L2_BUF_FLAG_TIMESTAMP_??? */|0x20000 /* V4L2_BUF_FLAG_TSTAMP_SRC_??? */, \
         timestamp={tv_sec=508936414, tv_usec=999999}, ...}) = 42",
    );
    let queryctrl = "ioctl(-1, VIDIOC_QUERYCTRL, {id=V4L2_CTRL_FLAG_NEXT_CTRL|\
                     V4L2_CTRL_FLAG_NEXT_COMPOUND|0x1eadc0de /* V4L2_CID_??? */, \
                     type=V4L2_CTRL_TYPE_CTRL_CLASS, name=\"hijklmnopqrstuvwxyz{|}~\\177\
                     \\200\\201\\202\\203\\204\\205\\206\"...";
    check(
        "ioctl",
        ioctl(0xc0445624, 0x2000),
        m,
        42,
        &format!("{queryctrl}, ...}}) = 42"),
    );
    check_style(
        "ioctl",
        ioctl(0xc0445624, 0x2000),
        m,
        42,
        &style(true, XlatStyle::Abbrev),
        &format!(
            "{queryctrl}, minimum=-2, maximum=0, step=0, default_value=0, \
             flags=V4L2_CTRL_FLAG_DISABLED|V4L2_CTRL_FLAG_GRABBED}}) = 42"
        ),
    );
    check(
        "ioctl",
        ioctl(0xc100565c, 0x3000),
        m,
        42,
        "ioctl(-1, VIDIOC_CREATE_BUFS, {count=2158018785, memory=V4L2_MEMORY_MMAP, \
         format={type=V4L2_BUF_TYPE_VIDEO_CAPTURE, fmt.pix={width=0, height=0, \
         pixelformat=v4l2_fourcc('X', 'R', '1', '\\xb5') /* V4L2_PIX_FMT_XRGB555X */, \
         field=V4L2_FIELD_ALTERNATE, bytesperline=0, sizeimage=0, \
         colorspace=V4L2_COLORSPACE_DEFAULT}}}) = 42 ({index=2158018784, count=2158018785})",
    );
    // -X raw: four-character codes, flags and control ids as numbers.
    check_style(
        "ioctl",
        ioctl(0xc100565c, 0x3000),
        m,
        42,
        &style(false, XlatStyle::Raw),
        "ioctl(-1, 0xc100565c, {count=2158018785, memory=0x1, format={type=0x1, \
         fmt.pix={width=0, height=0, pixelformat=0xb5315258, field=0x7, bytesperline=0, \
         sizeimage=0, colorspace=0}}}) = 42 ({index=2158018784, count=2158018785})",
    );
}

/// strace 6.1's tests/btrfs.c (requests that fail: what goes in).
#[test]
fn btrfs_requests_that_fail() {
    let defrag = Image::new(48)
        .u64(8, u64::MAX)
        .u64(16, 7)
        .u32(24, 131072)
        .u32(28, 2);
    let key = Image::new(112)
        .u64(0, 5)
        .u64(8, 256)
        .u64(16, -256i64 as u64)
        .u64(32, u64::MAX)
        .u64(48, u64::MAX)
        .u32(60, u32::MAX)
        .u32(64, 10)
        .u64(104, 4096);
    let mut vol = Image::new(4096).u64(0, 2);
    vol.0[8..19].copy_from_slice(b"subvol-name");
    let m = &mut Fixture::default()
        .with(0x1000, &defrag.0)
        .with(0x2000, &key.0)
        .with(0x3000, &vol.0);
    let cases: &[(u32, u64, &str)] = &[
        (0x40049409, 4, "BTRFS_IOC_CLONE or FICLONE, 4"),
        (0x9406, 0, "BTRFS_IOC_TRANS_START"),
        (
            0x40309410,
            0x1000,
            "BTRFS_IOC_DEFRAG_RANGE, {start=0, len=UINT64_MAX, \
             flags=BTRFS_DEFRAG_RANGE_COMPRESS|BTRFS_DEFRAG_RANGE_START_IO|0x4, \
             extent_thresh=131072, compress_type=BTRFS_COMPRESS_LZO}",
        ),
        (
            0xc0709411,
            0x2000,
            "BTRFS_IOC_TREE_SEARCH_V2, {key={tree_id=BTRFS_FS_TREE_OBJECTID, min_offset=0, \
             max_offset=UINT64_MAX, min_transid=0, max_transid=UINT64_MAX, min_type=0, \
             max_type=UINT32_MAX, nr_items=10}, buf_size=4096}",
        ),
        (
            0x5000940e,
            0x3000,
            "BTRFS_IOC_SUBVOL_CREATE, {fd=2, name=\"subvol-name\"}",
        ),
        (0x84009422, 0, "BTRFS_IOC_BALANCE_PROGRESS, NULL"),
    ];
    check_failing(m, cases);
}

/// What the kernel fills in, shown after ` => ` (strace 6.1 with
/// `-e inject=ioctl:retval=0` on a program calling the requests with these structures).
#[test]
fn btrfs_requests_that_succeed() {
    let stats = Image::new(1032)
        .u64(8, 7)
        .u64(16, 1)
        .u64(32, 100)
        .u64(40, 200)
        .u64(48, 300)
        .u64(56, 400);
    let replace = Image::new(2600)
        .u64(0, 1)
        .u64(16, 1)
        .u64(24, 555)
        .u64(32, 1463193386)
        .u64(48, 4);
    let dedupe = Image::new(24 + 3 * 32)
        .u16(16, 3)
        .u64(24 + 16, 5)
        .u32(24 + 32 + 24, u32::MAX);
    let m = &mut Fixture::default()
        .with(0x1000, &stats.0)
        .with(0x4000, &replace.0)
        .with(0x8000, &dedupe.0);
    check(
        "ioctl",
        ioctl(0xc4089434, 0x1000),
        m,
        0,
        "ioctl(-1, BTRFS_IOC_GET_DEV_STATS, {devid=makedev(0, 0), nr_items=7, \
         flags=BTRFS_DEV_STATS_RESET} => {nr_items=7, flags=BTRFS_DEV_STATS_RESET, \
         [[BTRFS_DEV_STAT_WRITE_ERRS]=0, [BTRFS_DEV_STAT_READ_ERRS]=100, \
         [BTRFS_DEV_STAT_FLUSH_ERRS]=200, [BTRFS_DEV_STAT_CORRUPTION_ERRS]=300, \
         [BTRFS_DEV_STAT_GENERATION_ERRS]=400, ...]}) = 0",
    );
    check(
        "ioctl",
        ioctl(0xca289435, 0x4000),
        m,
        0,
        "ioctl(-1, BTRFS_IOC_DEV_REPLACE, {cmd=BTRFS_IOCTL_DEV_REPLACE_CMD_STATUS} => \
         {result=BTRFS_IOCTL_DEV_REPLACE_RESULT_NO_ERROR, \
         status={replace_state=BTRFS_IOCTL_DEV_REPLACE_STATE_STARTED, progress_1000=555 /* \
         55.5% */, time_started=1463193386 /* 2016-05-14T02:36:26+0000 */, time_stopped=0, \
         num_write_errors=4, num_uncorrectable_read_errors=0}}) = 0",
    );
    check(
        "ioctl",
        ioctl(0xc0189436, 0x8000),
        m,
        0,
        "ioctl(-1, BTRFS_IOC_FILE_EXTENT_SAME or FIDEDUPERANGE, {src_offset=0, src_length=0, \
         dest_count=3, info=[{dest_fd=0, dest_offset=0}, {dest_fd=0, dest_offset=0}, ...]} => \
         {info=[{bytes_deduped=5, status=0}, {bytes_deduped=0, status=-1}, ...]}) = 0",
    );
}

/// A struct dm_ioctl header of DM 4.`minor`: data_size, data_start, dev 0x1234, name "nm".
fn dm_header(minor: u32, name: &[u8]) -> Image {
    Image::new(512)
        .u32(0, 4)
        .u32(4, minor)
        .u32(12, 512)
        .u32(16, 312)
        .u64(40, 0x1234)
        .bytes(48, name)
}

/// strace 6.1's tests/ioctl_dm.c (failing requests: the header and what goes in).
#[test]
fn dm_requests_that_fail() {
    let old = Image::new(312)
        .u32(0, 0xbadc0ded)
        .u32(4, 0xbadc0dee)
        .u32(8, 0xbadc0def)
        .u32(12, 312);
    let small = Image::new(312).u32(0, 4).u32(4, 1).u32(8, 2).u32(12, 14);
    let suspend = dm_header(1, b"nnn").u32(28, 0).u32(32, 0xbadc0ded);
    let m = &mut Fixture::default()
        .with(0x1000, &old.0)
        .with(0x2000, &small.0)
        .with(0x3000, &suspend.0);
    check_failing(
        m,
        &[
            (
                0xc138fd00,
                0x1000,
                "DM_VERSION, [{version=[3134983661, 3134983662, 3134983663] /* unsupported \
                 device mapper ABI version */}]",
            ),
            (
                0xc138fd00,
                0x2000,
                "DM_VERSION, [{version=[4, 1, 2], data_size=14 /* data_size too small */}]",
            ),
            (
                0xc138fd06,
                0x3000,
                "DM_DEV_SUSPEND, [{version=[4, 1, 0], data_size=512, dev=makedev(0x12, 0x34), \
                 name=\"nnn\", event_nr=3134983661, flags=0}]",
            ),
            (0xc138fd00, 0x9000, "DM_VERSION, 0x9000"),
        ],
    );
}

/// The payloads the kernel writes after the header (strace 6.1 with -v and
/// `-e inject=ioctl:retval=0` on a program filling them in).
#[test]
fn dm_requests_that_succeed() {
    let devices = dm_header(37, b"")
        .u64(312, 0x801)
        .u32(320, 32)
        .bytes(324, b"dev0\0")
        .u64(344, 0x802)
        .bytes(356, b"dev1\0");
    let deps = dm_header(37, b"nm\0")
        .u32(312, 2)
        .u64(320, 0x801)
        .u64(328, 0x10000802);
    let m = &mut Fixture::default()
        .with(0x1000, &devices.0)
        .with(0x2000, &deps.0);
    let verbose = style(true, XlatStyle::Abbrev);
    check_style(
        "ioctl",
        ioctl(0xc138fd02, 0x1000),
        m,
        0,
        &verbose,
        "ioctl(-1, DM_LIST_DEVICES, [{version=[4, 37, 0], data_size=512, data_start=312, \
         flags=0}] => [{version=[4, 37, 0], data_size=512, data_start=312, flags=0}, \
         {dev=makedev(0x8, 0x1), name=\"dev0\", event_nr=0}, {dev=makedev(0x8, 0x2), \
         name=\"dev1\"}]) = 0",
    );
    check_style(
        "ioctl",
        ioctl(0xc138fd0b, 0x2000),
        m,
        0,
        &verbose,
        "ioctl(-1, DM_TABLE_DEPS, [{version=[4, 37, 0], data_size=512, data_start=312, \
         dev=makedev(0x12, 0x34), name=\"nm\", flags=0}] => [{version=[4, 37, 0], \
         data_size=512, data_start=312, dev=makedev(0x12, 0x34), name=\"nm\", target_count=0, \
         open_count=0, event_nr=0, flags=0}, {count=2, deps=[makedev(0x8, 0x1), \
         makedev(0x8, 0x10002)]}]) = 0",
    );
}

/// strace 6.1's tests/ioctl_sg_io_v3.c and ioctl_sg_io_v4.c: the request at entry, what
/// the device returned at exit even when the call failed.
#[test]
fn sg_io_requests() {
    let v3 = Image::new(88)
        .u32(0, u32::from(b'S'))
        .u32(4, -3i32 as u32)
        .bytes(8, &[136, 137])
        .u32(12, 5)
        .u64(16, 0x5000)
        .u64(24, 0xfacefeedfffffff2)
        .u64(32, 0xfacefeedfffffff3)
        .u32(40, 2880088488)
        .u32(44, 0x10000)
        .bytes(64, &[0xc0, 0xc1, 0xc2, 195, 0xc4, 0xc5, 0xc6, 0xc7])
        .u32(72, 1)
        .u32(76, 3486436812)
        .u32(80, 0xdeadbeef);
    let m = &mut Fixture::default()
        .with(0x1000, &v3.0)
        .with(0x5000, &[0xd4, 0xd5, 0xd6, 0xd7, 0xd8])
        .with(0x2000, &u32::from(b'Q').to_le_bytes())
        .with(0x3000, &7u32.to_le_bytes());
    check_failing(
        m,
        &[
            (
                0x2285,
                0x1000,
                "SG_IO, {interface_id='S', dxfer_direction=SG_DXFER_FROM_DEV, cmd_len=136, \
                 cmdp=0xfacefeedfffffff2, mx_sb_len=137, iovec_count=0, dxfer_len=5, \
                 timeout=2880088488, flags=SG_FLAG_NO_DXFER, dxferp=\"\\xd4\\xd5\\xd6\\xd7\", \
                 status=0xc0, masked_status=0xc1, msg_status=0xc2, sb_len_wr=195, \
                 sbp=0xfacefeedfffffff3, host_status=0xc5c4, driver_status=0xc7c6, resid=1, \
                 duration=3486436812, \
                 info=SG_INFO_CHECK|SG_INFO_DIRECT_IO|SG_INFO_MIXED_IO|0xdeadbee8}",
            ),
            (0x2285, 0x2000, "SG_IO, {guard='Q', 0x2004}"),
            (0x2285, 0x3000, "SG_IO, [7]"),
            (0x2285, 0, "SG_IO, NULL"),
        ],
    );
}

/// strace 6.1's tests/ioctl_kvm_run.c and ioctl_kvm_run-v.c (a real VM's calls).
#[test]
fn kvm_requests() {
    let regs = Image::new(144)
        .u64(0, 2)
        .u64(8, 2)
        .u64(128, 0x1000)
        .u64(136, 2);
    let region = Image::new(32)
        .u64(8, 0x1000)
        .u64(16, 4096)
        .u64(24, 0x7f0b278d0000);
    let m = &mut Fixture::default()
        .with(0x1000, &regs.0)
        .with(0x2000, &region.0)
        .with(0x3000, &[0; 8]);
    let cases: &[(u32, u64, bool, &str)] = &[
        (
            0x4090ae82,
            0x1000,
            false,
            "KVM_SET_REGS, {rax=0x2, ..., rsp=0, rbp=0, ..., rip=0x1000, rflags=0x2}",
        ),
        (
            0x4090ae82,
            0x1000,
            true,
            "KVM_SET_REGS, {rax=0x2, rbx=0x2, rcx=0, rdx=0, rsi=0, rdi=0, rsp=0, rbp=0, r8=0, \
             r9=0, r10=0, r11=0, r12=0, r13=0, r14=0, r15=0, rip=0x1000, rflags=0x2}",
        ),
        (
            0x4020ae46,
            0x2000,
            false,
            "KVM_SET_USER_MEMORY_REGION, {slot=0, flags=0, guest_phys_addr=0x1000, \
             memory_size=4096, userspace_addr=0x7f0b278d0000}",
        ),
        (0xae03, 3, false, "KVM_CHECK_EXTENSION, KVM_CAP_USER_MEMORY"),
        (
            0x4008ae90,
            0x3000,
            true,
            "KVM_SET_CPUID2, {nent=0, entries=[]}",
        ),
        (0xae80, 0, false, "KVM_RUN, 0"),
    ];
    for &(code, arg, verbose, call) in cases {
        check_style(
            "ioctl",
            ioctl(code, arg),
            m,
            0,
            &style(verbose, XlatStyle::Abbrev),
            &format!("ioctl(-1, {call}) = 0"),
        );
    }
    // KVM_CREATE_VM returns a file descriptor (fd 4 of the fixture is a socket).
    let yy = Style {
        fd_decode: 1,
        ..Style::default()
    };
    check_style(
        "ioctl",
        ioctl(0xae01, 0),
        m,
        4,
        &yy,
        "ioctl(-1, KVM_CREATE_VM, 0) = 4<socket:[31337]>",
    );
}

/// strace 6.1's tests/ioctl_tee.c, and what TEE_IOC_SHM_ALLOC and TEE_IOC_INVOKE return
/// (strace 6.1 with `-e inject=ioctl:retval=0`).
#[test]
fn tee_requests() {
    let cancel = Image::new(8).u32(0, 0xdeadbeef).u32(4, 0xbadc0ded);
    let alloc = Image::new(16).u64(0, 0xcafef00ddeadbeef).u32(8, 0x83);
    let invoke = Image::new(24 + 32)
        .u32(0, 3)
        .u32(12, 9)
        .u32(16, 3)
        .u32(20, 1)
        .u64(24, 0x102)
        .u64(24 + 16, 5);
    let buf = Image::new(16).u64(0, 0x4000).u64(8, 56);
    let bad_len = Image::new(16).u64(0, 0x4000).u64(8, u64::MAX);
    let m = &mut Fixture::default()
        .with(0x1000, &cancel.0)
        .with(0x2000, &alloc.0)
        .with(0x3000, &buf.0)
        .with(0x4000, &invoke.0)
        .with(0x5000, &bad_len.0);
    check_failing(
        m,
        &[
            (
                0x8008a404,
                0x1000,
                "TEE_IOC_CANCEL, {cancel_id=3735928559, session=0xbadc0ded}",
            ),
            (
                0xc010a401,
                0x2000,
                "TEE_IOC_SHM_ALLOC, {size=0xcafef00ddeadbeef, \
                 flags=TEE_IOCTL_SHM_MAPPED|TEE_IOCTL_SHM_DMA_BUF|0x80}",
            ),
            (
                0x8010a403,
                0x5000,
                "TEE_IOC_INVOKE, {buf_len=18446744073709551615, buf_ptr=0x4000}",
            ),
            (0x800ca400, 0, "TEE_IOC_VERSION, NULL"),
        ],
    );
    check(
        "ioctl",
        ioctl(0xc010a401, 0x2000),
        m,
        0,
        "ioctl(-1, TEE_IOC_SHM_ALLOC, {size=0xcafef00ddeadbeef, \
         flags=TEE_IOCTL_SHM_MAPPED|TEE_IOCTL_SHM_DMA_BUF|0x80} => {size=0xcafef00ddeadbeef, \
         flags=TEE_IOCTL_SHM_MAPPED|TEE_IOCTL_SHM_DMA_BUF|0x80, id=0}) = 0",
    );
    check(
        "ioctl",
        ioctl(0x8010a403, 0x3000),
        m,
        0,
        "ioctl(-1, TEE_IOC_INVOKE, {buf_len=56, buf_ptr={func=3, session=0, cancel_id=0, \
         num_params=1, params=[{attr=TEE_IOCTL_PARAM_ATTR_TYPE_VALUE_OUTPUT|\
         TEE_IOCTL_PARAM_ATTR_META, a=0, b=0x5, c=0}]} => {ret=9, \
         ret_origin=TEEC_ORIGIN_TEE, params=[{attr=TEE_IOCTL_PARAM_ATTR_TYPE_VALUE_OUTPUT|\
         TEE_IOCTL_PARAM_ATTR_META, a=0, b=0x5, c=0}]}}) = 0",
    );
}

/// Tracee memory is the tracee's to fill: every named request of these families, on
/// pseudo-random memory, in the terse and the most verbose styles, at entry and at exit
/// (success, failure, EOVERFLOW), must decode without panicking, quickly, and to a bounded
/// line.
#[test]
fn family_requests_survive_garbage_memory() {
    let families = [0x22, 0x56, 0x94, 0xa4, 0xae, 0xfd];
    let styles = [
        Style::default(),
        Style {
            verbose: true,
            hex: 2,
            string_limit: 256,
            xlat: XlatStyle::Verbose,
            kvm_vcpu: true,
            ..Style::default()
        },
    ];
    let codes: Vec<u32> = super::super::ioctl::named_requests()
        .filter(|code| families.contains(&((code >> 8) & 0xff)))
        .collect();
    assert!(codes.len() > 300, "{}", codes.len());
    for style in &styles {
        for &code in &codes {
            let started = std::time::Instant::now();
            for seed in [1u64, 0xdead_beef] {
                let args = [3, u64::from(code), 0x7f00_0000_1000, 0, 0, 0];
                let mut mem = Noise(seed);
                let entry = decode_entry(number("ioctl").unwrap(), args, &mut mem, &mut Fds, style);
                for ret in [0, 16, -9, -75] {
                    let done = decode_exit(&entry, ret, &mut mem, &mut Fds, style);
                    // Arrays stop at the decoders' output budget (4 MiB) plus one element.
                    assert!(done.call.len() < 16 << 20, "{code:#x}: {}", done.call.len());
                }
            }
            let took = started.elapsed();
            assert!(took.as_secs() < 2, "{code:#x} is slow on garbage: {took:?}");
        }
    }
}

/// strace's v4l2_ioctl leaves every argument undecoded when `-e verbose=` leaves ioctl out.
#[test]
fn v4l2_without_verbose_prints_numbers() {
    let style = Style {
        dereference: false,
        ..Style::default()
    };
    let m = &mut Fixture::default().with(0x1000, &[0; 8]);
    check_style(
        "ioctl",
        ioctl(0xc008561b, 0x1000),
        m,
        -9,
        &style,
        &format!("ioctl(-1, VIDIOC_G_CTRL, 0x1000){BADF}"),
    );
}

/// A device mapper buffer claiming 4 GiB of data, all of it valid target version records
/// chained 32 bytes apart: with a huge `-s`, the walk still ends at the output budget.
struct EndlessVersions;

impl Memory for EndlessVersions {
    fn read(&mut self, addr: u64, buf: &mut [u8]) -> usize {
        const BASE: u64 = 0x10_0000;
        let header = dm_header(37, b"").u32(12, u32::MAX).0;
        for (i, b) in buf.iter_mut().enumerate() {
            let at = addr.wrapping_add(i as u64).wrapping_sub(BASE);
            *b = match at {
                0..312 => header[at as usize],
                // next=32, version=[1, 0, 0], name "" in each 32-byte record.
                _ => match (at - 312) % 32 {
                    0 => 32,
                    4 => 1,
                    _ => 0,
                },
            };
        }
        buf.len()
    }
    fn stack_pointer(&mut self) -> Option<u64> {
        None
    }
}

#[test]
fn dm_record_walks_stop_at_the_output_budget() {
    let style = Style {
        verbose: true,
        string_limit: usize::MAX / 4,
        ..Style::default()
    };
    let started = std::time::Instant::now();
    let args = ioctl(0xc138fd0d, 0x10_0000);
    let nr = number("ioctl").unwrap();
    let entry = decode_entry(nr, args, &mut EndlessVersions, &mut Fds, &style);
    let done = decode_exit(&entry, 0, &mut EndlessVersions, &mut Fds, &style);
    assert!(
        done.call.ends_with(", ...])"),
        "{}",
        &done.call[done.call.len() - 80..]
    );
    assert!(done.call.len() < 16 << 20);
    assert!(started.elapsed().as_secs() < 10);
}
