//! The ioctl families with big argument structures (V4L2, ...): cases ported from strace
//! 6.1's own tests, each named after its source file.

use super::*;

/// A struct image built field by field (little-endian, as on x86_64).
struct Image(Vec<u8>);

impl Image {
    fn new(size: usize) -> Self {
        Image(vec![0; size])
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
