//! Video4Linux2 requests (`'V'`, linux/videodev2.h) as strace 6.1's v4l2.c prints them:
//! formats, buffers, controls, tuners, frame sizes and intervals.
//!
//! Layouts are x86_64's (a 64-bit tracee; `struct v4l2_format`'s union is 8-aligned because
//! `struct v4l2_window` holds pointers).

use std::fmt::Write;

use super::super::Ctx;
use super::super::XlatStyle;
use super::super::print::{self, write_named, xlat_style};
use super::super::structs::{
    local_array, read_sized, read_struct, u16_at, u32_at, u64_at, write_seconds_and,
};
use super::{Phase, char_array, ior, iow, iowr};
use crate::xlat::{self, Xlat};

const VIDIOC_QUERYCAP: u32 = ior(b'V', 0, 104);
const VIDIOC_ENUM_FMT: u32 = iowr(b'V', 2, 64);
const VIDIOC_G_FMT: u32 = iowr(b'V', 4, FORMAT_SIZE as u32);
const VIDIOC_S_FMT: u32 = iowr(b'V', 5, FORMAT_SIZE as u32);
const VIDIOC_REQBUFS: u32 = iowr(b'V', 8, 20);
const VIDIOC_QUERYBUF: u32 = iowr(b'V', 9, 88);
const VIDIOC_G_FBUF: u32 = ior(b'V', 10, 48);
const VIDIOC_S_FBUF: u32 = iow(b'V', 11, 48);
const VIDIOC_QBUF: u32 = iowr(b'V', 15, 88);
const VIDIOC_DQBUF: u32 = iowr(b'V', 17, 88);
const VIDIOC_STREAMON: u32 = iow(b'V', 18, 4);
const VIDIOC_STREAMOFF: u32 = iow(b'V', 19, 4);
const VIDIOC_G_PARM: u32 = iowr(b'V', 21, 204);
const VIDIOC_S_PARM: u32 = iowr(b'V', 22, 204);
const VIDIOC_G_STD: u32 = ior(b'V', 23, 8);
const VIDIOC_S_STD: u32 = iow(b'V', 24, 8);
const VIDIOC_ENUMSTD: u32 = iowr(b'V', 25, 72);
const VIDIOC_ENUMINPUT: u32 = iowr(b'V', 26, 80);
const VIDIOC_G_CTRL: u32 = iowr(b'V', 27, 8);
const VIDIOC_S_CTRL: u32 = iowr(b'V', 28, 8);
const VIDIOC_G_TUNER: u32 = iowr(b'V', 29, 84);
const VIDIOC_S_TUNER: u32 = iow(b'V', 30, 84);
const VIDIOC_QUERYCTRL: u32 = iowr(b'V', 36, 68);
const VIDIOC_G_INPUT: u32 = ior(b'V', 38, 4);
const VIDIOC_S_INPUT: u32 = iowr(b'V', 39, 4);
const VIDIOC_CROPCAP: u32 = iowr(b'V', 58, 44);
const VIDIOC_G_CROP: u32 = iowr(b'V', 59, 20);
const VIDIOC_S_CROP: u32 = iow(b'V', 60, 20);
const VIDIOC_TRY_FMT: u32 = iowr(b'V', 64, FORMAT_SIZE as u32);
const VIDIOC_G_EXT_CTRLS: u32 = iowr(b'V', 71, 32);
const VIDIOC_S_EXT_CTRLS: u32 = iowr(b'V', 72, 32);
const VIDIOC_TRY_EXT_CTRLS: u32 = iowr(b'V', 73, 32);
const VIDIOC_ENUM_FRAMESIZES: u32 = iowr(b'V', 74, 44);
const VIDIOC_ENUM_FRAMEINTERVALS: u32 = iowr(b'V', 75, 52);
const VIDIOC_CREATE_BUFS: u32 = iowr(b'V', 92, 256);
const VIDIOC_QUERY_EXT_CTRL: u32 = iowr(b'V', 103, 232);

/// struct v4l2_format: `type`, then the 200-byte union at offset 8.
const FORMAT_SIZE: usize = 208;
const FMT: usize = 8;

const BUF_TYPE_VIDEO_CAPTURE: u32 = 1;
const BUF_TYPE_VIDEO_OUTPUT: u32 = 2;
const MEMORY_MMAP: u32 = 1;
const MEMORY_USERPTR: u32 = 2;
const BUF_FLAG_TIMESTAMP_MASK: u32 = 0xe000;
const BUF_FLAG_TSTAMP_SRC_MASK: u32 = 0x70000;

/// Every request of linux/videodev2.h, for the ioctl name table (strace 6.1's x86_64
/// ioctl list).
pub(super) static NAMES: &[(u32, &str)] = &[
    (0x5646, "VIDIOC_LOG_STATUS"),
    (0x4004560e, "VIDIOC_OVERLAY"),
    (0x40045612, "VIDIOC_STREAMON"),
    (0x40045613, "VIDIOC_STREAMOFF"),
    (0x40045644, "VIDIOC_S_PRIORITY"),
    (0x40085618, "VIDIOC_S_STD"),
    (0x4014563c, "VIDIOC_S_CROP"),
    (0x4020565a, "VIDIOC_SUBSCRIBE_EVENT"),
    (0x4020565b, "VIDIOC_UNSUBSCRIBE_EVENT"),
    (0x402c5639, "VIDIOC_S_FREQUENCY"),
    (0x4030560b, "VIDIOC_S_FBUF"),
    (0x40305652, "VIDIOC_S_HW_FREQ_SEEK"),
    (0x40345622, "VIDIOC_S_AUDIO"),
    (0x40345632, "VIDIOC_S_AUDOUT"),
    (0x4038564f, "VIDIOC_DBG_S_REGISTER"),
    (0x40445637, "VIDIOC_S_MODULATOR"),
    (0x4054561e, "VIDIOC_S_TUNER"),
    (0x408c563e, "VIDIOC_S_JPEGCOMP"),
    (0x80045626, "VIDIOC_G_INPUT"),
    (0x8004562e, "VIDIOC_G_OUTPUT"),
    (0x80045643, "VIDIOC_G_PRIORITY"),
    (0x80085617, "VIDIOC_G_STD"),
    (0x8008563f, "VIDIOC_QUERYSTD"),
    (0x8030560a, "VIDIOC_G_FBUF"),
    (0x80345621, "VIDIOC_G_AUDIO"),
    (0x80345631, "VIDIOC_G_AUDOUT"),
    (0x80685600, "VIDIOC_QUERYCAP"),
    (0x80845663, "VIDIOC_QUERY_DV_TIMINGS"),
    (0x80885659, "VIDIOC_DQEVENT"),
    (0x808c563d, "VIDIOC_G_JPEGCOMP"),
    (0x8818564c, "VIDIOC_G_ENC_INDEX"),
    (0xc0045627, "VIDIOC_S_INPUT"),
    (0xc004562f, "VIDIOC_S_OUTPUT"),
    (0xc008561b, "VIDIOC_G_CTRL"),
    (0xc008561c, "VIDIOC_S_CTRL"),
    (0xc0145608, "VIDIOC_REQBUFS"),
    (0xc014563b, "VIDIOC_G_CROP"),
    (0xc0205647, "VIDIOC_G_EXT_CTRLS"),
    (0xc0205648, "VIDIOC_S_EXT_CTRLS"),
    (0xc0205649, "VIDIOC_TRY_EXT_CTRLS"),
    (0xc0285628, "VIDIOC_G_EDID"),
    (0xc0285629, "VIDIOC_S_EDID"),
    (0xc028564d, "VIDIOC_ENCODER_CMD"),
    (0xc028564e, "VIDIOC_TRY_ENCODER_CMD"),
    (0xc02c5625, "VIDIOC_QUERYMENU"),
    (0xc02c5638, "VIDIOC_G_FREQUENCY"),
    (0xc02c563a, "VIDIOC_CROPCAP"),
    (0xc02c564a, "VIDIOC_ENUM_FRAMESIZES"),
    (0xc0345641, "VIDIOC_ENUMAUDIO"),
    (0xc0345642, "VIDIOC_ENUMAUDOUT"),
    (0xc034564b, "VIDIOC_ENUM_FRAMEINTERVALS"),
    (0xc0385650, "VIDIOC_DBG_G_REGISTER"),
    (0xc0405602, "VIDIOC_ENUM_FMT"),
    (0xc0405610, "VIDIOC_EXPBUF"),
    (0xc040565e, "VIDIOC_G_SELECTION"),
    (0xc040565f, "VIDIOC_S_SELECTION"),
    (0xc0405665, "VIDIOC_ENUM_FREQ_BANDS"),
    (0xc0445624, "VIDIOC_QUERYCTRL"),
    (0xc0445636, "VIDIOC_G_MODULATOR"),
    (0xc0485619, "VIDIOC_ENUMSTD"),
    (0xc0485630, "VIDIOC_ENUMOUTPUT"),
    (0xc0485660, "VIDIOC_DECODER_CMD"),
    (0xc0485661, "VIDIOC_TRY_DECODER_CMD"),
    (0xc050561a, "VIDIOC_ENUMINPUT"),
    (0xc054561d, "VIDIOC_G_TUNER"),
    (0xc0585609, "VIDIOC_QUERYBUF"),
    (0xc058560f, "VIDIOC_QBUF"),
    (0xc0585611, "VIDIOC_DQBUF"),
    (0xc058565d, "VIDIOC_PREPARE_BUF"),
    (0xc0745645, "VIDIOC_G_SLICED_VBI_CAP"),
    (0xc0845657, "VIDIOC_S_DV_TIMINGS"),
    (0xc0845658, "VIDIOC_G_DV_TIMINGS"),
    (0xc0905664, "VIDIOC_DV_TIMINGS_CAP"),
    (0xc0945662, "VIDIOC_ENUM_DV_TIMINGS"),
    (0xc0c85666, "VIDIOC_DBG_G_CHIP_INFO"),
    (0xc0cc5615, "VIDIOC_G_PARM"),
    (0xc0cc5616, "VIDIOC_S_PARM"),
    (0xc0d05604, "VIDIOC_G_FMT"),
    (0xc0d05605, "VIDIOC_S_FMT"),
    (0xc0d05640, "VIDIOC_TRY_FMT"),
    (0xc0e85667, "VIDIOC_QUERY_EXT_CTRL"),
    (0xc100565c, "VIDIOC_CREATE_BUFS"),
];

/// strace's v4l2_ioctl.
pub(super) fn v4l2(c: &mut Ctx, code: u32, arg: u64) -> Phase {
    // `-e verbose=` leaving ioctl out: every argument as a number.
    if !c.style.dereference {
        return Phase::Generic;
    }
    let entering = c.entering();
    match code {
        VIDIOC_QUERYCAP => capability(c, arg),
        VIDIOC_ENUM_FMT => fmtdesc(c, arg),
        VIDIOC_G_FMT | VIDIOC_S_FMT | VIDIOC_TRY_FMT => format(c, arg, code == VIDIOC_G_FMT),
        VIDIOC_REQBUFS => request_buffers(c, arg),
        VIDIOC_QUERYBUF | VIDIOC_QBUF | VIDIOC_DQBUF => buffer(c, arg, code == VIDIOC_DQBUF),
        VIDIOC_G_FBUF if entering => Phase::Later,
        VIDIOC_G_FBUF | VIDIOC_S_FBUF => framebuffer(c, arg),
        VIDIOC_STREAMON | VIDIOC_STREAMOFF => {
            c.next();
            if let Some(b) = read_struct::<4>(c, arg, false) {
                c.s("[");
                c.xval(u64::from(u32_at(&b, 0)), &BUF_TYPES);
                c.s("]");
            }
            Phase::Done
        }
        VIDIOC_G_PARM | VIDIOC_S_PARM => stream_parm(c, arg, code == VIDIOC_G_PARM),
        VIDIOC_G_STD if entering => Phase::Later,
        VIDIOC_G_STD | VIDIOC_S_STD => {
            c.next();
            if let Some(b) = read_struct::<8>(c, arg, !entering) {
                c.s("[");
                c.hex(u64_at(&b, 0));
                c.s("]");
            }
            Phase::Done
        }
        VIDIOC_ENUMSTD => standard(c, arg),
        VIDIOC_ENUMINPUT => input(c, arg),
        VIDIOC_G_CTRL | VIDIOC_S_CTRL => control(c, arg, code == VIDIOC_G_CTRL),
        VIDIOC_G_TUNER | VIDIOC_S_TUNER => tuner(c, arg, code == VIDIOC_G_TUNER),
        VIDIOC_QUERYCTRL => query_ctrl(c, arg, false),
        VIDIOC_QUERY_EXT_CTRL => query_ctrl(c, arg, true),
        VIDIOC_G_INPUT if entering => Phase::Later,
        VIDIOC_G_INPUT | VIDIOC_S_INPUT => {
            c.next();
            if let Some(b) = read_struct::<4>(c, arg, !entering) {
                let _ = write!(c.out, "[{}]", u32_at(&b, 0));
            }
            Phase::Done
        }
        VIDIOC_CROPCAP => cropcap(c, arg),
        VIDIOC_G_CROP | VIDIOC_S_CROP => crop(c, arg, code == VIDIOC_G_CROP),
        VIDIOC_S_EXT_CTRLS | VIDIOC_TRY_EXT_CTRLS | VIDIOC_G_EXT_CTRLS => {
            ext_controls(c, arg, code == VIDIOC_G_EXT_CTRLS)
        }
        VIDIOC_ENUM_FRAMESIZES => frame_sizes(c, arg),
        VIDIOC_ENUM_FRAMEINTERVALS => frame_intervals(c, arg),
        VIDIOC_CREATE_BUFS => create_buffers(c, arg),
        _ => Phase::Generic,
    }
}

/// The requests' common shape: at entry what goes in (`{index=0`), at exit, when the call
/// succeeded, what came out (`, name="..."`), then the closing brace.
fn in_out<const N: usize>(
    c: &mut Ctx,
    arg: u64,
    entry: impl FnOnce(&mut Ctx, &[u8]),
    exit: impl FnOnce(&mut Ctx, &[u8]),
) -> Phase {
    if c.entering() {
        let Some(b) = at_entry::<N>(c, arg) else {
            return Phase::Done;
        };
        entry(c, &b[..]);
        return Phase::Later;
    }
    if let Some(b) = at_exit::<N>(c, arg) {
        exit(c, &b[..]);
    }
    c.s("}");
    Phase::Done
}

/// The struct at exit, when the call succeeded and it can be read (strace's
/// `!syserror(tcp) && !umove(tcp, arg, &s)`).
fn at_exit<const N: usize>(c: &mut Ctx, arg: u64) -> Option<[u8; N]> {
    let mut b = [0u8; N];
    (c.ok() && c.read_exact(arg, &mut b)).then_some(b)
}

/// The struct at entry: `None` (and its address or NULL printed) if it cannot be read.
fn at_entry<const N: usize>(c: &mut Ctx, arg: u64) -> Option<[u8; N]> {
    c.next();
    read_struct::<N>(c, arg, false)
}

fn capability(c: &mut Ctx, arg: u64) -> Phase {
    if c.entering() {
        return Phase::Later;
    }
    c.next();
    let Some(b) = read_struct::<104>(c, arg, true) else {
        return Phase::Done;
    };
    c.s("{driver=");
    char_array(c, &b[..16]);
    c.s(", card=");
    char_array(c, &b[16..48]);
    c.s(", bus_info=");
    char_array(c, &b[48..80]);
    c.s(", version=");
    print::write_kernel_version(c.out, u32_at(&b, 80));
    c.s(", capabilities=");
    c.flags(u64::from(u32_at(&b, 84)), &CAPS);
    let device_caps = u32_at(&b, 88);
    if device_caps != 0 {
        c.s(", device_caps=");
        c.flags(u64::from(device_caps), &CAPS);
    }
    c.s("}");
    Phase::Done
}

fn fmtdesc(c: &mut Ctx, arg: u64) -> Phase {
    in_out::<64>(
        c,
        arg,
        |c, b| {
            let _ = write!(c.out, "{{index={}, type=", u32_at(b, 0));
            c.xval(u64::from(u32_at(b, 4)), &BUF_TYPES);
        },
        |c, b| {
            c.s(", flags=");
            c.flags(u64::from(u32_at(b, 8)), &FMT_FLAGS);
            c.s(", description=");
            char_array(c, &b[12..44]);
            c.s(", pixelformat=");
            fourcc(c, u32_at(b, 44), Some(&PIX_FMTS));
        },
    )
}

/// What goes before the union of a struct printed again at exit: `, ` when only the entry's
/// part was shown, `} => {` when the whole struct was (strace's value-changed form).
const NEXT: &str = ", ";
const CHANGED: &str = "} => {";

fn format(c: &mut Ctx, arg: u64, is_get: bool) -> Phase {
    if c.entering() {
        let Some(b) = at_entry::<FORMAT_SIZE>(c, arg) else {
            return Phase::Done;
        };
        c.s("{type=");
        c.xval(u64::from(u32_at(&b, 0)), &BUF_TYPES);
        if is_get {
            return Phase::Later;
        }
        if !format_union(c, u32_at(&b, 0), &b[FMT..], NEXT) {
            c.s("}");
            return Phase::Done;
        }
        return Phase::Later;
    }
    if let Some(b) = at_exit::<FORMAT_SIZE>(c, arg) {
        let prefix = if is_get { NEXT } else { CHANGED };
        format_union(c, u32_at(&b, 0), &b[FMT..], prefix);
    }
    c.s("}");
    Phase::Done
}

/// `fmt.pix={...}` and the other members of struct v4l2_format's union, by buffer type.
/// False for an unknown type, or when the overlay's clips could not be shown whole (strace
/// then does not decode the struct again at exit).
fn format_union(c: &mut Ctx, kind: u32, f: &[u8], prefix: &str) -> bool {
    let u = |o: usize| u32_at(f, o);
    match kind {
        // VIDEO_CAPTURE, VIDEO_OUTPUT
        1 | 2 => {
            let _ = write!(
                c.out,
                "{prefix}fmt.pix={{width={}, height={}, pixelformat=",
                u(0),
                u(4)
            );
            fourcc(c, u(8), Some(&PIX_FMTS));
            c.s(", field=");
            c.xval(u64::from(u(12)), &FIELDS);
            let _ = write!(
                c.out,
                ", bytesperline={}, sizeimage={}, colorspace=",
                u(16),
                u(20)
            );
            c.xval(u64::from(u(24)), &COLORSPACES);
            c.s("}");
        }
        // VIDEO_CAPTURE_MPLANE, VIDEO_OUTPUT_MPLANE
        9 | 10 => {
            let _ = write!(
                c.out,
                "{prefix}fmt.pix_mp={{width={}, height={}, pixelformat=",
                u(0),
                u(4)
            );
            fourcc(c, u(8), Some(&PIX_FMTS));
            c.s(", field=");
            c.xval(u64::from(u(12)), &FIELDS);
            c.s(", colorspace=");
            c.xval(u64::from(u(16)), &COLORSPACES);
            c.s(", plane_fmt=");
            let planes = f[180];
            local_array(c, 8, u32::from(planes), |c, i| {
                let at = 20 + i * 20;
                let _ = write!(c.out, "{{sizeimage={}, bytesperline={}}}", u(at), u(at + 4));
            });
            let _ = write!(c.out, ", num_planes={planes}}}");
        }
        // VIDEO_OVERLAY, VIDEO_OUTPUT_OVERLAY
        3 | 8 => {
            let _ = write!(c.out, "{prefix}fmt.win={{w=");
            rect(c, &f[..16]);
            c.s(", field=");
            c.xval(u64::from(u(16)), &FIELDS);
            c.s(", chromakey=");
            c.hex(u64::from(u(20)));
            c.s(", clips=");
            let whole = c.array_walked(u64_at(f, 24), u64::from(u(32)), 24, |c, clip| {
                c.s("{c=");
                rect(c, &clip[..16]);
                c.s("}");
                true
            });
            let _ = write!(c.out, ", clipcount={}, bitmap=", u(32));
            c.ptr(u64_at(f, 40));
            if f[48] != 0 {
                let _ = write!(c.out, ", global_alpha={:#x}", f[48]);
            }
            c.s("}");
            return whole;
        }
        // VBI_CAPTURE, VBI_OUTPUT
        4 | 5 => {
            let _ = write!(
                c.out,
                "{prefix}fmt.vbi={{sampling_rate={}, offset={}, samples_per_line={}, sample_format=",
                u(0),
                u(4),
                u(8)
            );
            fourcc(c, u(12), Some(&PIX_FMTS));
            let _ = write!(
                c.out,
                ", start=[{}, {}], count=[{}, {}], flags=",
                u(16) as i32,
                u(20) as i32,
                u(24),
                u(28)
            );
            c.flags(u64::from(u(32)), &VBI_FLAGS);
            c.s("}");
        }
        // SLICED_VBI_CAPTURE, SLICED_VBI_OUTPUT
        6 | 7 => {
            let _ = write!(c.out, "{prefix}fmt.sliced={{service_set=");
            c.flags(u64::from(u16_at(f, 0)), &SLICED_FLAGS);
            c.s(", service_lines=");
            local_array(c, 2, 2, |c, field| {
                local_array(c, 24, 24, |c, i| {
                    c.hex(u64::from(u16_at(f, 2 + (field * 24 + i) * 2)));
                });
            });
            let _ = write!(c.out, ", io_size={}}}", u(100));
        }
        // SDR_CAPTURE, SDR_OUTPUT
        11 | 12 => {
            let _ = write!(c.out, "{prefix}fmt.sdr={{pixelformat=");
            fourcc(c, u(0), Some(&SDR_FMTS));
            if u(4) != 0 {
                let _ = write!(c.out, ", buffersize={}", u(4));
            }
            c.s("}");
        }
        // META_CAPTURE, META_OUTPUT
        13 | 14 => {
            let _ = write!(c.out, "{prefix}fmt.meta={{dataformat=");
            fourcc(c, u(0), Some(&META_FMTS));
            let _ = write!(c.out, ", buffersize={}}}", u(4));
        }
        _ => return false,
    }
    true
}

fn request_buffers(c: &mut Ctx, arg: u64) -> Phase {
    in_out::<20>(
        c,
        arg,
        |c, b| {
            c.s("{type=");
            c.xval(u64::from(u32_at(b, 4)), &BUF_TYPES);
            c.s(", memory=");
            c.xval(u64::from(u32_at(b, 8)), &MEMORIES);
            let _ = write!(c.out, ", count={}", u32_at(b, 0));
        },
        |c, b| {
            let _ = write!(c.out, " => {}", u32_at(b, 0));
        },
    )
}

/// struct v4l2_buffer: index, type, bytesused, flags, field, timestamp (16 bytes at 24),
/// timecode, sequence, memory (60), the offset/userptr union (64), length (72).
fn buffer(c: &mut Ctx, arg: u64, dequeue: bool) -> Phase {
    in_out::<88>(
        c,
        arg,
        |c, b| {
            c.s("{type=");
            c.xval(u64::from(u32_at(b, 4)), &BUF_TYPES);
            if !dequeue {
                let _ = write!(c.out, ", index={}", u32_at(b, 0));
            }
        },
        |c, b| {
            if dequeue {
                let _ = write!(c.out, ", index={}", u32_at(b, 0));
            }
            c.s(", memory=");
            let memory = u32_at(b, 60);
            c.xval(u64::from(memory), &MEMORIES);
            if memory == MEMORY_MMAP {
                c.s(", m.offset=");
                c.hex(u64::from(u32_at(b, 64)));
            } else if memory == MEMORY_USERPTR {
                c.s(", m.userptr=");
                c.ptr(u64_at(b, 64));
            }
            let _ = write!(
                c.out,
                ", length={}, bytesused={}, flags=",
                u32_at(b, 72),
                u32_at(b, 8)
            );
            buffer_flags(c, u32_at(b, 12));
            if dequeue {
                c.s(", timestamp=");
                write_seconds_and(c.out, &b[24..40], "tv_usec");
            }
            c.s(", ...");
        },
    )
}

/// `V4L2_BUF_FLAG_MAPPED|V4L2_BUF_FLAG_TIMESTAMP_COPY|V4L2_BUF_FLAG_TSTAMP_SRC_EOF`: the
/// flags, then the timestamp type and source fields, which are always shown.
fn buffer_flags(c: &mut Ctx, v: u32) {
    if xlat_style() == XlatStyle::Raw {
        c.hex(u64::from(v));
        return;
    }
    let ts_type = v & BUF_FLAG_TIMESTAMP_MASK;
    let ts_src = v & BUF_FLAG_TSTAMP_SRC_MASK;
    let flags = v & !ts_type & !ts_src;
    if flags != 0 {
        c.flags(u64::from(flags), &BUF_FLAGS);
        c.s("|");
    }
    c.xval(u64::from(ts_type), &BUF_TS_TYPES);
    c.s("|");
    c.xval(u64::from(ts_src), &BUF_TS_SRCS);
}

fn framebuffer(c: &mut Ctx, arg: u64) -> Phase {
    c.next();
    if let Some(b) = read_struct::<48>(c, arg, !c.entering()) {
        c.s("{capability=");
        c.hex(u64::from(u32_at(&b, 0)));
        c.s(", flags=");
        c.hex(u64::from(u32_at(&b, 4)));
        c.s(", base=");
        c.ptr(u64_at(&b, 8));
        c.s("}");
    }
    Phase::Done
}

/// struct v4l2_streamparm: type, then struct v4l2_captureparm or v4l2_outputparm at 4.
fn stream_parm(c: &mut Ctx, arg: u64, is_get: bool) -> Phase {
    let b = if c.entering() {
        let Some(b) = at_entry::<204>(c, arg) else {
            return Phase::Done;
        };
        c.s("{type=");
        let kind = u32_at(&b, 0);
        c.xval(u64::from(kind), &BUF_TYPES);
        if !matches!(kind, BUF_TYPE_VIDEO_CAPTURE | BUF_TYPE_VIDEO_OUTPUT) {
            c.s("}");
            return Phase::Done;
        }
        if is_get {
            return Phase::Later;
        }
        c.s(NEXT);
        b
    } else {
        let Some(b) = at_exit::<204>(c, arg) else {
            c.s("}");
            return Phase::Done;
        };
        c.s(if is_get { NEXT } else { CHANGED });
        b
    };
    let (name, mode, buffers) = if u32_at(&b, 0) == BUF_TYPE_VIDEO_CAPTURE {
        ("capture", "capturemode", "readbuffers")
    } else {
        ("output", "outputmode", "writebuffers")
    };
    let _ = write!(c.out, "parm.{name}={{capability=");
    c.flags(u64::from(u32_at(&b, 4)), &STREAMING_CAPS);
    let _ = write!(c.out, ", {mode}=");
    c.flags(u64::from(u32_at(&b, 8)), &CAPTURE_MODES);
    c.s(", timeperframe=");
    fract(c, &b[12..20]);
    c.s(", extendedmode=");
    c.hex(u64::from(u32_at(&b, 20)));
    let _ = write!(c.out, ", {buffers}={}}}", u32_at(&b, 24));
    if c.entering() {
        return Phase::Later;
    }
    c.s("}");
    Phase::Done
}

fn standard(c: &mut Ctx, arg: u64) -> Phase {
    in_out::<72>(c, arg, index, |c, b| {
        c.s(", name=");
        char_array(c, &b[16..40]);
        c.s(", frameperiod=");
        fract(c, &b[40..48]);
        let _ = write!(c.out, ", framelines={}", u32_at(b, 48));
    })
}

fn input(c: &mut Ctx, arg: u64) -> Phase {
    in_out::<80>(c, arg, index, |c, b| {
        c.s(", name=");
        char_array(c, &b[4..36]);
        c.s(", type=");
        c.xval(u64::from(u32_at(b, 36)), &INPUT_TYPES);
    })
}

/// `{index=0`: what goes in of the enumerating requests.
fn index(c: &mut Ctx, b: &[u8]) {
    let _ = write!(c.out, "{{index={}", u32_at(b, 0));
}

fn control(c: &mut Ctx, arg: u64, is_get: bool) -> Phase {
    in_out::<8>(
        c,
        arg,
        |c, b| {
            c.s("{id=");
            cid(c, u32_at(b, 0), false);
            if !is_get {
                let _ = write!(c.out, ", value={}", u32_at(b, 4) as i32);
            }
        },
        |c, b| {
            let value = u32_at(b, 4) as i32;
            if is_get {
                let _ = write!(c.out, ", value={value}");
            } else {
                let _ = write!(c.out, " => {value}");
            }
        },
    )
}

fn tuner(c: &mut Ctx, arg: u64, is_get: bool) -> Phase {
    let b = if c.entering() {
        let Some(b) = at_entry::<84>(c, arg) else {
            return Phase::Done;
        };
        let _ = write!(c.out, "{{index={}", u32_at(&b, 0));
        if is_get {
            return Phase::Later;
        }
        c.s(NEXT);
        b
    } else {
        let Some(b) = at_exit::<84>(c, arg) else {
            c.s("}");
            return Phase::Done;
        };
        c.s(if is_get { NEXT } else { CHANGED });
        b
    };
    c.s("name=");
    char_array(c, &b[4..36]);
    c.s(", type=");
    c.xval(u64::from(u32_at(&b, 36)), &TUNER_TYPES);
    c.s(", capability=");
    c.flags(u64::from(u32_at(&b, 40)), &TUNER_CAPS);
    let _ = write!(
        c.out,
        ", rangelow={}, rangehigh={}, rxsubchans=",
        u32_at(&b, 44),
        u32_at(&b, 48)
    );
    c.flags(u64::from(u32_at(&b, 52)), &TUNER_RXSUBCHANS);
    c.s(", audmode=");
    c.xval(u64::from(u32_at(&b, 56)), &TUNER_AUDMODES);
    let _ = write!(
        c.out,
        ", signal={}, afc={}",
        u32_at(&b, 60) as i32,
        u32_at(&b, 64) as i32
    );
    if c.entering() {
        return Phase::Later;
    }
    c.s("}");
    Phase::Done
}

/// VIDIOC_QUERYCTRL (struct v4l2_queryctrl, 68 bytes) and VIDIOC_QUERY_EXT_CTRL (struct
/// v4l2_query_ext_ctrl, 232 bytes, with 64-bit limits and dimensions).
fn query_ctrl(c: &mut Ctx, arg: u64, ext: bool) -> Phase {
    const EXT_SIZE: usize = 232;
    let size = if ext { EXT_SIZE } else { 68 };
    if c.entering() {
        c.next();
        let mut b = [0u8; EXT_SIZE];
        if !read_sized(c, arg, &mut b[..size]) {
            return Phase::Done;
        }
        let id = u32_at(&b, 0);
        c.saved[1] = u64::from(id);
        c.s("{id=");
        cid(c, id, true);
        return Phase::Later;
    }
    let mut b = [0u8; EXT_SIZE];
    if !(c.ok() && c.read_exact(arg, &mut b[..size])) {
        c.s("}");
        return Phase::Done;
    }
    let id = u32_at(&b, 0);
    if u64::from(id) != c.saved[1] {
        c.s(" => ");
        cid(c, id, false);
    }
    c.s(", type=");
    c.xval(u64::from(u32_at(&b, 4)), &CONTROL_TYPES);
    c.s(", name=");
    char_array(c, &b[8..40]);
    if !c.style.verbose {
        c.s(", ...}");
        return Phase::Done;
    }
    let reserved = if ext {
        let _ = write!(
            c.out,
            ", minimum={}, maximum={}, step={}, default_value={}, flags=",
            u64_at(&b, 40) as i64,
            u64_at(&b, 48) as i64,
            u64_at(&b, 56),
            u64_at(&b, 64) as i64
        );
        c.flags(u64::from(u32_at(&b, 72)), &CONTROL_FLAGS);
        let dims = u32_at(&b, 84);
        let _ = write!(
            c.out,
            ", elem_size={}, elems={}, nr_of_dims={dims}, dims=",
            u32_at(&b, 76),
            u32_at(&b, 80)
        );
        local_array(c, 4, dims, |c, i| {
            let _ = write!(c.out, "{}", u32_at(&b, 88 + i * 4));
        });
        &b[104..EXT_SIZE]
    } else {
        let d = |o: usize| u32_at(&b, o) as i32;
        let _ = write!(
            c.out,
            ", minimum={}, maximum={}, step={}, default_value={}, flags=",
            d(40),
            d(44),
            d(48),
            d(52)
        );
        c.flags(u64::from(u32_at(&b, 56)), &CONTROL_FLAGS);
        &b[60..68]
    };
    if reserved.iter().any(|&x| x != 0) {
        c.s(", reserved=");
        let n = reserved.len() / 4;
        local_array(c, n, n as u32, |c, i| {
            c.hex(u64::from(u32_at(reserved, i * 4)))
        });
    }
    c.s("}");
    Phase::Done
}

fn cropcap(c: &mut Ctx, arg: u64) -> Phase {
    in_out::<44>(
        c,
        arg,
        |c, b| {
            c.s("{type=");
            c.xval(u64::from(u32_at(b, 0)), &BUF_TYPES);
        },
        |c, b| {
            c.s(", bounds=");
            rect(c, &b[4..20]);
            c.s(", defrect=");
            rect(c, &b[20..36]);
            c.s(", pixelaspect=");
            fract(c, &b[36..44]);
        },
    )
}

fn crop(c: &mut Ctx, arg: u64, is_get: bool) -> Phase {
    if c.entering() {
        let Some(b) = at_entry::<20>(c, arg) else {
            return Phase::Done;
        };
        c.s("{type=");
        c.xval(u64::from(u32_at(&b, 0)), &BUF_TYPES);
        if is_get {
            return Phase::Later;
        }
        c.s(", c=");
        rect(c, &b[4..20]);
    } else if let Some(b) = at_exit::<20>(c, arg) {
        c.s(", c=");
        rect(c, &b[4..20]);
    }
    c.s("}");
    Phase::Done
}

/// struct v4l2_ext_controls: which, count, error_idx, request_fd, reserved, controls (24).
fn ext_controls(c: &mut Ctx, arg: u64, is_get: bool) -> Phase {
    let b = if c.entering() {
        let Some(b) = at_entry::<32>(c, arg) else {
            return Phase::Done;
        };
        c.s("{ctrl_class=");
        c.xval(u64::from(u32_at(&b, 0)), &CONTROL_CLASSES);
        let _ = write!(c.out, ", count={}", u32_at(&b, 4));
        if u32_at(&b, 4) == 0 {
            c.s("}");
            return Phase::Done;
        }
        if is_get {
            return Phase::Later;
        }
        c.s(NEXT);
        b
    } else {
        // strace reads the controls back even when the call failed (error_idx says which).
        let mut b = [0u8; 32];
        if !c.read_exact(arg, &mut b) {
            c.s("}");
            return Phase::Done;
        }
        c.s(if is_get { NEXT } else { CHANGED });
        b
    };
    c.s("controls=");
    let whole = c.array_walked(u64_at(&b, 24), u64::from(u32_at(&b, 4)), 20, |c, e| {
        c.s("{id=");
        c.xval(u64::from(u32_at(e, 0)), &CONTROL_IDS);
        let size = u32_at(e, 4);
        let _ = write!(c.out, ", size={size}");
        if size > 0 {
            c.s(", string=");
            c.buf(u64_at(e, 12), u64::from(size));
        } else {
            let _ = write!(
                c.out,
                ", value={}, value64={}",
                u32_at(e, 12) as i32,
                u64_at(e, 12) as i64
            );
        }
        c.s("}");
        true
    });
    let entering = c.entering();
    if !entering && c.failed {
        let _ = write!(c.out, ", error_idx={}", u32_at(&b, 8));
    }
    if !entering || !whole {
        c.s("}");
        return Phase::Done;
    }
    Phase::Later
}

fn frame_sizes(c: &mut Ctx, arg: u64) -> Phase {
    in_out::<44>(
        c,
        arg,
        |c, b| {
            let _ = write!(c.out, "{{index={}, pixel_format=", u32_at(b, 0));
            fourcc(c, u32_at(b, 4), Some(&PIX_FMTS));
        },
        |c, b| {
            let u = |o: usize| u32_at(b, o);
            c.s(", type=");
            c.xval(u64::from(u(8)), &FRAMESIZE_TYPES);
            match u(8) {
                1 => {
                    let _ = write!(c.out, ", discrete={{width={}, height={}}}", u(12), u(16));
                }
                3 => {
                    let _ = write!(
                        c.out,
                        ", stepwise={{min_width={}, max_width={}, step_width={}, \
                         min_height={}, max_height={}, step_height={}}}",
                        u(12),
                        u(16),
                        u(20),
                        u(24),
                        u(28),
                        u(32)
                    );
                }
                _ => {}
            }
        },
    )
}

fn frame_intervals(c: &mut Ctx, arg: u64) -> Phase {
    in_out::<52>(
        c,
        arg,
        |c, b| {
            let _ = write!(c.out, "{{index={}, pixel_format=", u32_at(b, 0));
            fourcc(c, u32_at(b, 4), Some(&PIX_FMTS));
            let _ = write!(c.out, ", width={}, height={}", u32_at(b, 8), u32_at(b, 12));
        },
        |c, b| {
            c.s(", type=");
            c.xval(u64::from(u32_at(b, 16)), &FRAMEINTERVAL_TYPES);
            match u32_at(b, 16) {
                1 => {
                    c.s(", discrete=");
                    fract(c, &b[20..28]);
                }
                // STEPWISE, and CONTINUOUS (strace names it by the frame size constant).
                2 | 3 => {
                    c.s(", stepwise={min=");
                    fract(c, &b[20..28]);
                    c.s(", max=");
                    fract(c, &b[28..36]);
                    c.s(", step=");
                    fract(c, &b[36..44]);
                    c.s("}");
                }
                _ => {}
            }
        },
    )
}

/// struct v4l2_create_buffers: index, count, memory, then a struct v4l2_format at 16. What
/// the kernel filled in shows after the return value: `= 0 ({index=1, count=2})`.
fn create_buffers(c: &mut Ctx, arg: u64) -> Phase {
    const SIZE: usize = 256;
    if c.entering() {
        let Some(b) = at_entry::<SIZE>(c, arg) else {
            return Phase::Done;
        };
        let _ = write!(c.out, "{{count={}, memory=", u32_at(&b, 4));
        c.xval(u64::from(u32_at(&b, 8)), &MEMORIES);
        c.s(", format={type=");
        c.xval(u64::from(u32_at(&b, 16)), &BUF_TYPES);
        format_union(c, u32_at(&b, 16), &b[16 + FMT..], NEXT);
        c.s("}}");
        return Phase::Later;
    }
    if let Some(b) = at_exit::<SIZE>(c, arg) {
        c.aux = format!("({{index={}, count={}}})", u32_at(&b, 0), u32_at(&b, 4));
    }
    Phase::Done
}

/// struct v4l2_rect: `{left=-1, top=0, width=640, height=480}`.
fn rect(c: &mut Ctx, b: &[u8]) {
    let _ = write!(
        c.out,
        "{{left={}, top={}, width={}, height={}}}",
        u32_at(b, 0) as i32,
        u32_at(b, 4) as i32,
        u32_at(b, 8),
        u32_at(b, 12)
    );
}

/// struct v4l2_fract: `1/30`.
fn fract(c: &mut Ctx, b: &[u8]) {
    let _ = write!(c.out, "{}/{}", u32_at(b, 0), u32_at(b, 4));
}

/// A four-character code: `v4l2_fourcc('Y', 'U', 'Y', 'V') /* V4L2_PIX_FMT_YUYV */`, the
/// number with `-X raw`.
fn fourcc(c: &mut Ctx, v: u32, names: Option<&Xlat>) {
    if xlat_style() == XlatStyle::Raw {
        c.hex(u64::from(v));
        return;
    }
    c.s("v4l2_fourcc(");
    for (i, ch) in v.to_le_bytes().into_iter().enumerate() {
        if i > 0 {
            c.s(", ");
        }
        super::kd::char_lit(c, ch, false);
    }
    c.s(")");
    if let Some(name) = names.and_then(|x| x.entries.iter().find(|e| e.0 == u64::from(v))) {
        let _ = write!(c.out, " /* {} */", name.1);
    }
}

/// A control id: its name, `V4L2_CTRL_CLASS_USER+0x42` for an unnamed one of a known class,
/// else `0x... /* V4L2_CID_??? */`; for the query requests, the `V4L2_CTRL_FLAG_NEXT_*`
/// bits first.
fn cid(c: &mut Ctx, mut id: u32, next_flags: bool) {
    if xlat_style() == XlatStyle::Raw {
        c.hex(u64::from(id));
        return;
    }
    if next_flags {
        let flags = id & 0xc000_0000;
        if flags != 0 {
            c.flags(u64::from(flags), &CONTROL_QUERY_FLAGS);
            c.s("|");
            id &= !flags;
        }
    }
    let v = u64::from(id);
    let hex = |out: &mut String| print::write_hex(out, v);
    if let Some(name) = CONTROL_IDS.entries.iter().find(|e| e.0 == v) {
        write_named(c.out, Some(name.1), &CONTROL_IDS, hex);
        return;
    }
    let class = CONTROL_CLASSES
        .entries
        .iter()
        .filter(|e| e.0 <= v)
        .max_by_key(|e| e.0);
    match class {
        Some(&(base, name)) if v - base < 0x10000 => {
            let mut text = format!("{name}+");
            print::write_hex(&mut text, v - base);
            write_named(c.out, Some(&text), &CONTROL_IDS, hex);
        }
        _ => write_named(c.out, None, &CONTROL_IDS, hex),
    }
}

// strace 6.1's src/xlat/v4l2_device_capabilities_flags.in.
xlat::xlat!(CAPS, "V4L2_CAP_???", [
    0x1 => "V4L2_CAP_VIDEO_CAPTURE", 0x2 => "V4L2_CAP_VIDEO_OUTPUT",
    0x4 => "V4L2_CAP_VIDEO_OVERLAY", 0x10 => "V4L2_CAP_VBI_CAPTURE", 0x20 => "V4L2_CAP_VBI_OUTPUT",
    0x40 => "V4L2_CAP_SLICED_VBI_CAPTURE", 0x80 => "V4L2_CAP_SLICED_VBI_OUTPUT",
    0x100 => "V4L2_CAP_RDS_CAPTURE", 0x200 => "V4L2_CAP_VIDEO_OUTPUT_OVERLAY",
    0x400 => "V4L2_CAP_HW_FREQ_SEEK", 0x800 => "V4L2_CAP_RDS_OUTPUT",
    0x1000 => "V4L2_CAP_VIDEO_CAPTURE_MPLANE", 0x2000 => "V4L2_CAP_VIDEO_OUTPUT_MPLANE",
    0x4000 => "V4L2_CAP_VIDEO_M2M_MPLANE", 0x8000 => "V4L2_CAP_VIDEO_M2M",
    0x10000 => "V4L2_CAP_TUNER", 0x20000 => "V4L2_CAP_AUDIO", 0x40000 => "V4L2_CAP_RADIO",
    0x80000 => "V4L2_CAP_MODULATOR", 0x100000 => "V4L2_CAP_SDR_CAPTURE",
    0x200000 => "V4L2_CAP_EXT_PIX_FORMAT", 0x400000 => "V4L2_CAP_SDR_OUTPUT",
    0x800000 => "V4L2_CAP_META_CAPTURE", 0x1000000 => "V4L2_CAP_READWRITE",
    0x2000000 => "V4L2_CAP_ASYNCIO", 0x4000000 => "V4L2_CAP_STREAMING",
    0x8000000 => "V4L2_CAP_META_OUTPUT", 0x10000000 => "V4L2_CAP_TOUCH",
    0x80000000u64 => "V4L2_CAP_DEVICE_CAPS",
]);

// strace 6.1's src/xlat/v4l2_buf_types.in.
xlat::xlat!(BUF_TYPES, "V4L2_BUF_TYPE_???", [
    0x1 => "V4L2_BUF_TYPE_VIDEO_CAPTURE", 0x2 => "V4L2_BUF_TYPE_VIDEO_OUTPUT",
    0x3 => "V4L2_BUF_TYPE_VIDEO_OVERLAY", 0x4 => "V4L2_BUF_TYPE_VBI_CAPTURE",
    0x5 => "V4L2_BUF_TYPE_VBI_OUTPUT", 0x6 => "V4L2_BUF_TYPE_SLICED_VBI_CAPTURE",
    0x7 => "V4L2_BUF_TYPE_SLICED_VBI_OUTPUT", 0x8 => "V4L2_BUF_TYPE_VIDEO_OUTPUT_OVERLAY",
    0x9 => "V4L2_BUF_TYPE_VIDEO_CAPTURE_MPLANE", 0xa => "V4L2_BUF_TYPE_VIDEO_OUTPUT_MPLANE",
    0xb => "V4L2_BUF_TYPE_SDR_CAPTURE", 0xc => "V4L2_BUF_TYPE_SDR_OUTPUT",
    0xd => "V4L2_BUF_TYPE_META_CAPTURE", 0xe => "V4L2_BUF_TYPE_META_OUTPUT",
]);

// strace 6.1's src/xlat/v4l2_format_description_flags.in.
xlat::xlat!(FMT_FLAGS, "V4L2_FMT_FLAG_???", [
    0x1 => "V4L2_FMT_FLAG_COMPRESSED", 0x2 => "V4L2_FMT_FLAG_EMULATED",
    0x4 => "V4L2_FMT_FLAG_CONTINUOUS_BYTESTREAM", 0x8 => "V4L2_FMT_FLAG_DYN_RESOLUTION",
    0x10 => "V4L2_FMT_FLAG_ENC_CAP_FRAME_INTERVAL", 0x20 => "V4L2_FMT_FLAG_CSC_COLORSPACE",
    0x40 => "V4L2_FMT_FLAG_CSC_XFER_FUNC", 0x80 => "V4L2_FMT_FLAG_CSC_YCBCR_ENC",
    0x100 => "V4L2_FMT_FLAG_CSC_QUANTIZATION",
]);

// strace 6.1's src/xlat/v4l2_fields.in.
xlat::xlat!(FIELDS, "V4L2_FIELD_???", [
    0 => "V4L2_FIELD_ANY", 0x1 => "V4L2_FIELD_NONE", 0x2 => "V4L2_FIELD_TOP",
    0x3 => "V4L2_FIELD_BOTTOM", 0x4 => "V4L2_FIELD_INTERLACED", 0x5 => "V4L2_FIELD_SEQ_TB",
    0x6 => "V4L2_FIELD_SEQ_BT", 0x7 => "V4L2_FIELD_ALTERNATE", 0x8 => "V4L2_FIELD_INTERLACED_TB",
    0x9 => "V4L2_FIELD_INTERLACED_BT",
]);

// strace 6.1's src/xlat/v4l2_colorspaces.in.
xlat::xlat!(COLORSPACES, "V4L2_COLORSPACE_???", [
    0 => "V4L2_COLORSPACE_DEFAULT", 0x1 => "V4L2_COLORSPACE_SMPTE170M",
    0x2 => "V4L2_COLORSPACE_SMPTE240M", 0x3 => "V4L2_COLORSPACE_REC709",
    0x4 => "V4L2_COLORSPACE_BT878", 0x5 => "V4L2_COLORSPACE_470_SYSTEM_M",
    0x6 => "V4L2_COLORSPACE_470_SYSTEM_BG", 0x7 => "V4L2_COLORSPACE_JPEG",
    0x8 => "V4L2_COLORSPACE_SRGB", 0x9 => "V4L2_COLORSPACE_OPRGB", 0xa => "V4L2_COLORSPACE_BT2020",
    0xb => "V4L2_COLORSPACE_RAW", 0xc => "V4L2_COLORSPACE_DCI_P3",
]);

// strace 6.1's src/xlat/v4l2_vbi_flags.in.
xlat::xlat!(VBI_FLAGS, "V4L2_VBI_???", [
    0x1 => "V4L2_VBI_UNSYNC", 0x2 => "V4L2_VBI_INTERLACED",
]);

// strace 6.1's src/xlat/v4l2_sliced_flags.in.
xlat::xlat!(SLICED_FLAGS, "V4L2_SLICED_???", [
    0x4401 => "V4L2_SLICED_VBI_625", 0x1 => "V4L2_SLICED_TELETEXT_B", 0x400 => "V4L2_SLICED_VPS",
    0x1000 => "V4L2_SLICED_CAPTION_525", 0x4000 => "V4L2_SLICED_WSS_625",
]);

// strace 6.1's src/xlat/v4l2_memories.in.
xlat::xlat!(MEMORIES, "V4L2_MEMORY_???", [
    0x1 => "V4L2_MEMORY_MMAP", 0x2 => "V4L2_MEMORY_USERPTR", 0x3 => "V4L2_MEMORY_OVERLAY",
    0x4 => "V4L2_MEMORY_DMABUF",
]);

// strace 6.1's src/xlat/v4l2_buf_flags.in.
xlat::xlat!(BUF_FLAGS, "V4L2_BUF_FLAG_???", [
    0x1 => "V4L2_BUF_FLAG_MAPPED", 0x2 => "V4L2_BUF_FLAG_QUEUED", 0x4 => "V4L2_BUF_FLAG_DONE",
    0x8 => "V4L2_BUF_FLAG_KEYFRAME", 0x10 => "V4L2_BUF_FLAG_PFRAME",
    0x20 => "V4L2_BUF_FLAG_BFRAME", 0x40 => "V4L2_BUF_FLAG_ERROR",
    0x80 => "V4L2_BUF_FLAG_IN_REQUEST", 0x100 => "V4L2_BUF_FLAG_TIMECODE",
    0x200 => "V4L2_BUF_FLAG_INPUT", 0x400 => "V4L2_BUF_FLAG_PREPARED",
    0x800 => "V4L2_BUF_FLAG_NO_CACHE_INVALIDATE", 0x1000 => "V4L2_BUF_FLAG_NO_CACHE_CLEAN",
    0x100000 => "V4L2_BUF_FLAG_LAST", 0x800000 => "V4L2_BUF_FLAG_REQUEST_FD",
]);

// strace 6.1's src/xlat/v4l2_buf_flags_ts_type.in.
xlat::xlat!(BUF_TS_TYPES, "V4L2_BUF_FLAG_TIMESTAMP_???", [
    0 => "V4L2_BUF_FLAG_TIMESTAMP_UNKNOWN", 0x2000 => "V4L2_BUF_FLAG_TIMESTAMP_MONOTONIC",
    0x4000 => "V4L2_BUF_FLAG_TIMESTAMP_COPY",
]);

// strace 6.1's src/xlat/v4l2_buf_flags_ts_src.in.
xlat::xlat!(BUF_TS_SRCS, "V4L2_BUF_FLAG_TSTAMP_SRC_???", [
    0 => "V4L2_BUF_FLAG_TSTAMP_SRC_EOF", 0x10000 => "V4L2_BUF_FLAG_TSTAMP_SRC_SOE",
]);

// strace 6.1's src/xlat/v4l2_streaming_capabilities.in.
xlat::xlat!(STREAMING_CAPS, "V4L2_CAP_???", [
    0x1000 => "V4L2_CAP_TIMEPERFRAME",
]);

// strace 6.1's src/xlat/v4l2_capture_modes.in.
xlat::xlat!(CAPTURE_MODES, "V4L2_MODE_???", [
    0x1 => "V4L2_MODE_HIGHQUALITY",
]);

// strace 6.1's src/xlat/v4l2_input_types.in.
xlat::xlat!(INPUT_TYPES, "V4L2_INPUT_TYPE_???", [
    0x1 => "V4L2_INPUT_TYPE_TUNER", 0x2 => "V4L2_INPUT_TYPE_CAMERA",
    0x3 => "V4L2_INPUT_TYPE_TOUCH",
]);

// strace 6.1's src/xlat/v4l2_control_classes.in.
xlat::xlat!(CONTROL_CLASSES, "V4L2_CTRL_CLASS_???", [
    0x980000 => "V4L2_CTRL_CLASS_USER", 0x990000 => "V4L2_CTRL_CLASS_CODEC",
    0x9a0000 => "V4L2_CTRL_CLASS_CAMERA", 0x9b0000 => "V4L2_CTRL_CLASS_FM_TX",
    0x9c0000 => "V4L2_CTRL_CLASS_FLASH", 0x9d0000 => "V4L2_CTRL_CLASS_JPEG",
    0x9e0000 => "V4L2_CTRL_CLASS_IMAGE_SOURCE", 0x9f0000 => "V4L2_CTRL_CLASS_IMAGE_PROC",
    0xa00000 => "V4L2_CTRL_CLASS_DV", 0xa10000 => "V4L2_CTRL_CLASS_FM_RX",
    0xa20000 => "V4L2_CTRL_CLASS_RF_TUNER", 0xa30000 => "V4L2_CTRL_CLASS_DETECT",
    0xa40000 => "V4L2_CTRL_CLASS_CODEC_STATELESS", 0xa50000 => "V4L2_CTRL_CLASS_COLORIMETRY",
]);

// strace 6.1's src/xlat/v4l2_control_query_flags.in.
xlat::xlat!(CONTROL_QUERY_FLAGS, "V4L2_CTRL_FLAG_NEXT_???", [
    0x80000000u64 => "V4L2_CTRL_FLAG_NEXT_CTRL", 0x40000000 => "V4L2_CTRL_FLAG_NEXT_COMPOUND",
]);

// strace 6.1's src/xlat/v4l2_tuner_types.in.
xlat::xlat!(TUNER_TYPES, "V4L2_TUNER_???", [
    0x1 => "V4L2_TUNER_RADIO", 0x2 => "V4L2_TUNER_ANALOG_TV", 0x3 => "V4L2_TUNER_DIGITAL_TV",
    0x4 => "V4L2_TUNER_SDR", 0x5 => "V4L2_TUNER_RF",
]);

// strace 6.1's src/xlat/v4l2_tuner_capabilities.in.
xlat::xlat!(TUNER_CAPS, "V4L2_TUNER_CAP_???", [
    0x1 => "V4L2_TUNER_CAP_LOW", 0x2 => "V4L2_TUNER_CAP_NORM",
    0x4 => "V4L2_TUNER_CAP_HWSEEK_BOUNDED", 0x8 => "V4L2_TUNER_CAP_HWSEEK_WRAP",
    0x10 => "V4L2_TUNER_CAP_STEREO", 0x20 => "V4L2_TUNER_CAP_LANG2",
    0x40 => "V4L2_TUNER_CAP_LANG1", 0x80 => "V4L2_TUNER_CAP_RDS",
    0x100 => "V4L2_TUNER_CAP_RDS_BLOCK_IO", 0x200 => "V4L2_TUNER_CAP_RDS_CONTROLS",
    0x400 => "V4L2_TUNER_CAP_FREQ_BANDS", 0x800 => "V4L2_TUNER_CAP_HWSEEK_PROG_LIM",
    0x1000 => "V4L2_TUNER_CAP_1HZ",
]);

// strace 6.1's src/xlat/v4l2_tuner_rxsubchanses.in.
xlat::xlat!(TUNER_RXSUBCHANS, "V4L2_TUNER_SUB_???", [
    0x1 => "V4L2_TUNER_SUB_MONO", 0x2 => "V4L2_TUNER_SUB_STEREO", 0x4 => "V4L2_TUNER_SUB_LANG2",
    0x8 => "V4L2_TUNER_SUB_LANG1", 0x10 => "V4L2_TUNER_SUB_RDS",
]);

// strace 6.1's src/xlat/v4l2_tuner_audmodes.in.
xlat::xlat!(TUNER_AUDMODES, "V4L2_TUNER_MODE_???", [
    0 => "V4L2_TUNER_MODE_MONO", 0x1 => "V4L2_TUNER_MODE_STEREO", 0x2 => "V4L2_TUNER_MODE_LANG2",
    0x3 => "V4L2_TUNER_MODE_LANG1", 0x4 => "V4L2_TUNER_MODE_LANG1_LANG2",
]);

// strace 6.1's src/xlat/v4l2_control_types.in.
xlat::xlat!(CONTROL_TYPES, "V4L2_CTRL_TYPE_???", [
    0x1 => "V4L2_CTRL_TYPE_INTEGER", 0x2 => "V4L2_CTRL_TYPE_BOOLEAN", 0x3 => "V4L2_CTRL_TYPE_MENU",
    0x4 => "V4L2_CTRL_TYPE_BUTTON", 0x5 => "V4L2_CTRL_TYPE_INTEGER64",
    0x6 => "V4L2_CTRL_TYPE_CTRL_CLASS", 0x7 => "V4L2_CTRL_TYPE_STRING",
    0x8 => "V4L2_CTRL_TYPE_BITMASK", 0x9 => "V4L2_CTRL_TYPE_INTEGER_MENU",
    0x100 => "V4L2_CTRL_TYPE_U8", 0x101 => "V4L2_CTRL_TYPE_U16", 0x102 => "V4L2_CTRL_TYPE_U32",
    0x106 => "V4L2_CTRL_TYPE_AREA", 0x110 => "V4L2_CTRL_TYPE_HDR10_CLL_INFO",
    0x111 => "V4L2_CTRL_TYPE_HDR10_MASTERING_DISPLAY", 0x200 => "V4L2_CTRL_TYPE_H264_SPS",
    0x201 => "V4L2_CTRL_TYPE_H264_PPS", 0x202 => "V4L2_CTRL_TYPE_H264_SCALING_MATRIX",
    0x203 => "V4L2_CTRL_TYPE_H264_SLICE_PARAMS", 0x204 => "V4L2_CTRL_TYPE_H264_DECODE_PARAMS",
    0x205 => "V4L2_CTRL_TYPE_H264_PRED_WEIGHTS", 0x220 => "V4L2_CTRL_TYPE_FWHT_PARAMS",
    0x240 => "V4L2_CTRL_TYPE_VP8_FRAME",
]);

// strace 6.1's src/xlat/v4l2_control_flags.in.
xlat::xlat!(CONTROL_FLAGS, "V4L2_CTRL_FLAG_???", [
    0x1 => "V4L2_CTRL_FLAG_DISABLED", 0x2 => "V4L2_CTRL_FLAG_GRABBED",
    0x4 => "V4L2_CTRL_FLAG_READ_ONLY", 0x8 => "V4L2_CTRL_FLAG_UPDATE",
    0x10 => "V4L2_CTRL_FLAG_INACTIVE", 0x20 => "V4L2_CTRL_FLAG_SLIDER",
    0x40 => "V4L2_CTRL_FLAG_WRITE_ONLY", 0x80 => "V4L2_CTRL_FLAG_VOLATILE",
    0x100 => "V4L2_CTRL_FLAG_HAS_PAYLOAD", 0x200 => "V4L2_CTRL_FLAG_EXECUTE_ON_WRITE",
    0x400 => "V4L2_CTRL_FLAG_MODIFY_LAYOUT",
]);

// strace 6.1's src/xlat/v4l2_framesize_types.in.
xlat::xlat!(FRAMESIZE_TYPES, "V4L2_FRMSIZE_TYPE_???", [
    0x1 => "V4L2_FRMSIZE_TYPE_DISCRETE", 0x2 => "V4L2_FRMSIZE_TYPE_CONTINUOUS",
    0x3 => "V4L2_FRMSIZE_TYPE_STEPWISE",
]);

// strace 6.1's src/xlat/v4l2_frameinterval_types.in.
xlat::xlat!(FRAMEINTERVAL_TYPES, "V4L2_FRMIVAL_TYPE_???", [
    0x1 => "V4L2_FRMIVAL_TYPE_DISCRETE", 0x2 => "V4L2_FRMIVAL_TYPE_CONTINUOUS",
    0x3 => "V4L2_FRMIVAL_TYPE_STEPWISE",
]);

// strace 6.1's src/xlat/v4l2_pix_fmts.in.
xlat::xlat!(PIX_FMTS, "", [
    0x20303159 => "V4L2_PIX_FMT_Y10", 0x20323159 => "V4L2_PIX_FMT_Y12",
    0x20343059 => "V4L2_PIX_FMT_Y4", 0x20343159 => "V4L2_PIX_FMT_Y14",
    0x20363059 => "V4L2_PIX_FMT_Y6", 0x20363159 => "V4L2_PIX_FMT_Y16",
    0x2036315a => "V4L2_PIX_FMT_Z16", 0x20385655 => "V4L2_PIX_FMT_UV8",
    0x20493859 => "V4L2_PIX_FMT_Y8I", 0x3031334d => "V4L2_PIX_FMT_MR97310A",
    0x30313953 => "V4L2_PIX_FMT_SN9C10X", 0x30314142 => "V4L2_PIX_FMT_SGRBG10",
    0x30314247 => "V4L2_PIX_FMT_SGBRG10", 0x30314442 => "V4L2_PIX_FMT_SGRBG10DPCM8",
    0x30314742 => "V4L2_PIX_FMT_SBGGR10", 0x30314752 => "V4L2_PIX_FMT_SRGGB10",
    0x3032344d => "V4L2_PIX_FMT_M420", 0x30323953 => "V4L2_PIX_FMT_SN9C20X_I420",
    0x30324c4a => "V4L2_PIX_FMT_JL2005BCD", 0x30364d54 => "V4L2_PIX_FMT_TM6000",
    0x30383653 => "V4L2_PIX_FMT_STV0680", 0x30385056 => "V4L2_PIX_FMT_VP8",
    0x30395056 => "V4L2_PIX_FMT_VP9", 0x31303453 => "V4L2_PIX_FMT_SE401",
    0x31303553 => "V4L2_PIX_FMT_SPCA501", 0x3131354f => "V4L2_PIX_FMT_OV511",
    0x31324d4d => "V4L2_PIX_FMT_MM21", 0x31324d4e => "V4L2_PIX_FMT_NV21M",
    0x31324d59 => "V4L2_PIX_FMT_YVU420M", 0x3132544d => "V4L2_PIX_FMT_MT21C",
    0x3132564e => "V4L2_PIX_FMT_NV21", 0x31363553 => "V4L2_PIX_FMT_SPCA561",
    0x31364d4e => "V4L2_PIX_FMT_NV61M", 0x31364d59 => "V4L2_PIX_FMT_YVU422M",
    0x3136564e => "V4L2_PIX_FMT_NV61", 0x31384142 => "V4L2_PIX_FMT_SBGGR8",
    0x31424752 => "V4L2_PIX_FMT_RGB332", 0x31435641 => "V4L2_PIX_FMT_H264_NO_SC",
    0x31435750 => "V4L2_PIX_FMT_PWC1", 0x3147504d => "V4L2_PIX_FMT_MPEG1",
    0x32314142 => "V4L2_PIX_FMT_SGRBG12", 0x32314147 => "V4L2_PIX_FMT_BGRA444",
    0x3231414e => "V4L2_PIX_FMT_NV12M_8L128", 0x32314152 => "V4L2_PIX_FMT_RGBA444",
    0x32314241 => "V4L2_PIX_FMT_ABGR444", 0x32314247 => "V4L2_PIX_FMT_SGBRG12",
    0x32314258 => "V4L2_PIX_FMT_XBGR444", 0x32314742 => "V4L2_PIX_FMT_SBGGR12",
    0x32314752 => "V4L2_PIX_FMT_SRGGB12", 0x32314d48 => "V4L2_PIX_FMT_NV12_16L16",
    0x32314d4e => "V4L2_PIX_FMT_NV12M", 0x32314d54 => "V4L2_PIX_FMT_NV12MT",
    0x32314d56 => "V4L2_PIX_FMT_NV12MT_16X16", 0x32314d59 => "V4L2_PIX_FMT_YUV420M",
    0x32315241 => "V4L2_PIX_FMT_ARGB444", 0x32315258 => "V4L2_PIX_FMT_XRGB444",
    0x32315453 => "V4L2_PIX_FMT_NV12_32L32", 0x32315456 => "V4L2_PIX_FMT_NV12_4L4",
    0x32315559 => "V4L2_PIX_FMT_YUV420", 0x3231564e => "V4L2_PIX_FMT_NV12",
    0x32315659 => "V4L2_PIX_FMT_YVU420", 0x32315842 => "V4L2_PIX_FMT_BGRX444",
    0x32315852 => "V4L2_PIX_FMT_RGBX444", 0x32344d59 => "V4L2_PIX_FMT_YVU444M",
    0x3234564e => "V4L2_PIX_FMT_NV42", 0x32435750 => "V4L2_PIX_FMT_PWC2",
    0x3247504d => "V4L2_PIX_FMT_MPEG2", 0x32525942 => "V4L2_PIX_FMT_SBGGR16",
    0x33363248 => "V4L2_PIX_FMT_H263", 0x33424752 => "V4L2_PIX_FMT_RGB24",
    0x33524742 => "V4L2_PIX_FMT_BGR24", 0x33565348 => "V4L2_PIX_FMT_HSV24",
    0x33565559 => "V4L2_PIX_FMT_YUV24", 0x34314247 => "V4L2_PIX_FMT_SGBRG14",
    0x34314742 => "V4L2_PIX_FMT_SBGGR14", 0x34314752 => "V4L2_PIX_FMT_SRGGB14",
    0x34315247 => "V4L2_PIX_FMT_SGRBG14", 0x34324142 => "V4L2_PIX_FMT_ARGB32",
    0x34324152 => "V4L2_PIX_FMT_BGRA32", 0x34324241 => "V4L2_PIX_FMT_RGBA32",
    0x34324258 => "V4L2_PIX_FMT_RGBX32", 0x34324948 => "V4L2_PIX_FMT_HI240",
    0x34324d59 => "V4L2_PIX_FMT_YUV444M", 0x34325241 => "V4L2_PIX_FMT_ABGR32",
    0x34325258 => "V4L2_PIX_FMT_XBGR32", 0x3432564e => "V4L2_PIX_FMT_NV24",
    0x34325842 => "V4L2_PIX_FMT_XRGB32", 0x34325852 => "V4L2_PIX_FMT_BGRX32",
    0x34343452 => "V4L2_PIX_FMT_RGB444", 0x34343459 => "V4L2_PIX_FMT_YUV444",
    0x34363248 => "V4L2_PIX_FMT_H264", 0x3436324d => "V4L2_PIX_FMT_H264_MVC",
    0x34363253 => "V4L2_PIX_FMT_H264_SLICE", 0x34424752 => "V4L2_PIX_FMT_RGB32",
    0x34464e43 => "V4L2_PIX_FMT_CNF4", 0x3447504d => "V4L2_PIX_FMT_MPEG4",
    0x34524742 => "V4L2_PIX_FMT_BGR32", 0x34565348 => "V4L2_PIX_FMT_HSV32",
    0x34565559 => "V4L2_PIX_FMT_YUV32", 0x35303553 => "V4L2_PIX_FMT_SPCA505",
    0x35314142 => "V4L2_PIX_FMT_BGRA555", 0x35314152 => "V4L2_PIX_FMT_RGBA555",
    0x35314241 => "V4L2_PIX_FMT_ABGR555", 0x35314258 => "V4L2_PIX_FMT_XBGR555",
    0x35315241 => "V4L2_PIX_FMT_ARGB555", 0x35315258 => "V4L2_PIX_FMT_XRGB555",
    0x35315842 => "V4L2_PIX_FMT_BGRX555", 0x35315852 => "V4L2_PIX_FMT_RGBX555",
    0x35323645 => "V4L2_PIX_FMT_ET61X251", 0x36314247 => "V4L2_PIX_FMT_SGBRG16",
    0x36314752 => "V4L2_PIX_FMT_SRGGB16", 0x36314d4e => "V4L2_PIX_FMT_NV16M",
    0x36314d59 => "V4L2_PIX_FMT_YUV422M", 0x36315247 => "V4L2_PIX_FMT_SGRBG16",
    0x3631564e => "V4L2_PIX_FMT_NV16", 0x37303250 => "V4L2_PIX_FMT_PAC207",
    0x38303553 => "V4L2_PIX_FMT_SPCA508", 0x3831354f => "V4L2_PIX_FMT_OV518",
    0x38414261 => "V4L2_PIX_FMT_SBGGR10ALAW8", 0x38414262 => "V4L2_PIX_FMT_SBGGR10DPCM8",
    0x38414761 => "V4L2_PIX_FMT_SGBRG10ALAW8", 0x38414762 => "V4L2_PIX_FMT_SGBRG10DPCM8",
    0x38415261 => "V4L2_PIX_FMT_SRGGB10ALAW8", 0x38415262 => "V4L2_PIX_FMT_SRGGB10DPCM8",
    0x38416761 => "V4L2_PIX_FMT_SGRBG10ALAW8", 0x384c4150 => "V4L2_PIX_FMT_PAL8",
    0x39555659 => "V4L2_PIX_FMT_YVU410", 0x39565559 => "V4L2_PIX_FMT_YUV410",
    0x41414270 => "V4L2_PIX_FMT_SBGGR10P", 0x41414770 => "V4L2_PIX_FMT_SGBRG10P",
    0x41415270 => "V4L2_PIX_FMT_SRGGB10P", 0x41416770 => "V4L2_PIX_FMT_SGRBG10P",
    0x41495043 => "V4L2_PIX_FMT_CPIA1", 0x41564e57 => "V4L2_PIX_FMT_WNVA",
    0x41595556 => "V4L2_PIX_FMT_VUYA32", 0x42303159 => "V4L2_PIX_FMT_Y10BPACK",
    0x42474752 => "V4L2_PIX_FMT_SRGGB8", 0x43303151 => "V4L2_PIX_FMT_QC10C",
    0x43353039 => "V4L2_PIX_FMT_SQ905C", 0x43383051 => "V4L2_PIX_FMT_QC08C",
    0x43434270 => "V4L2_PIX_FMT_SBGGR12P", 0x43434770 => "V4L2_PIX_FMT_SGBRG12P",
    0x43435270 => "V4L2_PIX_FMT_SRGGB12P", 0x43436770 => "V4L2_PIX_FMT_SGRBG12P",
    0x43564548 => "V4L2_PIX_FMT_HEVC", 0x44495658 => "V4L2_PIX_FMT_XVID",
    0x45454270 => "V4L2_PIX_FMT_SBGGR14P", 0x45454770 => "V4L2_PIX_FMT_SGBRG14P",
    0x45455270 => "V4L2_PIX_FMT_SRGGB14P", 0x45456770 => "V4L2_PIX_FMT_SGRBG14P",
    0x46385056 => "V4L2_PIX_FMT_VP8_FRAME", 0x46395056 => "V4L2_PIX_FMT_VP9_FRAME",
    0x47314356 => "V4L2_PIX_FMT_VC1_ANNEX_G", 0x47337069 => "V4L2_PIX_FMT_IPU3_SGRBG10",
    0x47425247 => "V4L2_PIX_FMT_SGRBG8", 0x4745504a => "V4L2_PIX_FMT_JPEG",
    0x4745504d => "V4L2_PIX_FMT_MPEG", 0x47504a4d => "V4L2_PIX_FMT_MJPEG",
    0x47504a50 => "V4L2_PIX_FMT_PJPG", 0x47524247 => "V4L2_PIX_FMT_SGBRG8",
    0x48524742 => "V4L2_PIX_FMT_BGR666", 0x48574653 => "V4L2_PIX_FMT_FWHT_STATELESS",
    0x49323159 => "V4L2_PIX_FMT_Y12I", 0x49433553 => "V4L2_PIX_FMT_S5C_UYVY_JPG",
    0x494e4f4b => "V4L2_PIX_FMT_KONICA420", 0x495a4e49 => "V4L2_PIX_FMT_INZI",
    0x4c314356 => "V4L2_PIX_FMT_VC1_ANNEX_L", 0x4c47504a => "V4L2_PIX_FMT_JPGL",
    0x4f424752 => "V4L2_PIX_FMT_RGB555", 0x4f565559 => "V4L2_PIX_FMT_YUV555",
    0x50303159 => "V4L2_PIX_FMT_Y10P", 0x50313134 => "V4L2_PIX_FMT_YUV411P",
    0x50313459 => "V4L2_PIX_FMT_Y41P", 0x50323234 => "V4L2_PIX_FMT_YUV422P",
    0x50424752 => "V4L2_PIX_FMT_RGB565", 0x50565559 => "V4L2_PIX_FMT_YUV565",
    0x51424752 => "V4L2_PIX_FMT_RGB555X", 0x52424752 => "V4L2_PIX_FMT_RGB565X",
    0x5332474d => "V4L2_PIX_FMT_MPEG2_SLICE", 0x54485746 => "V4L2_PIX_FMT_FWHT",
    0x55595659 => "V4L2_PIX_FMT_YVYU", 0x56544943 => "V4L2_PIX_FMT_CIT_YYVYUY",
    0x56555941 => "V4L2_PIX_FMT_AYUV32", 0x56555958 => "V4L2_PIX_FMT_XYUV32",
    0x56555959 => "V4L2_PIX_FMT_YYUV", 0x56595559 => "V4L2_PIX_FMT_YUYV",
    0x584e4f53 => "V4L2_PIX_FMT_SN9C2028", 0x58595556 => "V4L2_PIX_FMT_VUYX32",
    0x59455247 => "V4L2_PIX_FMT_GREY", 0x59555956 => "V4L2_PIX_FMT_VYUY",
    0x59565955 => "V4L2_PIX_FMT_UYVY", 0x62337069 => "V4L2_PIX_FMT_IPU3_SBGGR10",
    0x64737664 => "V4L2_PIX_FMT_DV", 0x67337069 => "V4L2_PIX_FMT_IPU3_SGBRG10",
    0x72337069 => "V4L2_PIX_FMT_IPU3_SRGGB10", 0x79337069 => "V4L2_PIX_FMT_IPU3_Y10",
    0xa0363159u64 => "V4L2_PIX_FMT_Y16_BE", 0xb231544eu64 => "V4L2_PIX_FMT_NV12M_10BE_8L128",
    0xb5315241u64 => "V4L2_PIX_FMT_ARGB555X", 0xb5315258u64 => "V4L2_PIX_FMT_XRGB555X",
]);

// strace 6.1's src/xlat/v4l2_sdr_fmts.in.
xlat::xlat!(SDR_FMTS, "", [
    0x30324350 => "V4L2_SDR_FMT_PCU20BE", 0x32315552 => "V4L2_SDR_FMT_RU12LE",
    0x34315343 => "V4L2_SDR_FMT_CS14LE", 0x36314350 => "V4L2_SDR_FMT_PCU16BE",
    0x36315543 => "V4L2_SDR_FMT_CU16LE", 0x38305343 => "V4L2_SDR_FMT_CS8",
    0x38305543 => "V4L2_SDR_FMT_CU8", 0x38314350 => "V4L2_SDR_FMT_PCU18BE",
]);

// strace 6.1's src/xlat/v4l2_meta_fmts.in.
xlat::xlat!(META_FMTS, "", [
    0x44564956 => "V4L2_META_FMT_VIVID", 0x48435655 => "V4L2_META_FMT_UVC",
    0x48505356 => "V4L2_META_FMT_VSP1_HGO", 0x50314b52 => "V4L2_META_FMT_RK_ISP1_PARAMS",
    0x53314b52 => "V4L2_META_FMT_RK_ISP1_STAT_3A", 0x54505356 => "V4L2_META_FMT_VSP1_HGT",
    0x58583444 => "V4L2_META_FMT_D4XX",
]);

// strace 6.1's src/xlat/v4l2_control_ids.in.
xlat::xlat!(CONTROL_IDS, "V4L2_CID_???", [
    0x980900 => "V4L2_CID_BRIGHTNESS", 0x980901 => "V4L2_CID_CONTRAST",
    0x980902 => "V4L2_CID_SATURATION", 0x980903 => "V4L2_CID_HUE",
    0x980905 => "V4L2_CID_AUDIO_VOLUME", 0x980906 => "V4L2_CID_AUDIO_BALANCE",
    0x980907 => "V4L2_CID_AUDIO_BASS", 0x980908 => "V4L2_CID_AUDIO_TREBLE",
    0x980909 => "V4L2_CID_AUDIO_MUTE", 0x98090a => "V4L2_CID_AUDIO_LOUDNESS",
    0x98090b => "V4L2_CID_BLACK_LEVEL", 0x98090c => "V4L2_CID_AUTO_WHITE_BALANCE",
    0x98090d => "V4L2_CID_DO_WHITE_BALANCE", 0x98090e => "V4L2_CID_RED_BALANCE",
    0x98090f => "V4L2_CID_BLUE_BALANCE", 0x980910 => "V4L2_CID_GAMMA",
    0x980911 => "V4L2_CID_EXPOSURE", 0x980912 => "V4L2_CID_AUTOGAIN", 0x980913 => "V4L2_CID_GAIN",
    0x980914 => "V4L2_CID_HFLIP", 0x980915 => "V4L2_CID_VFLIP", 0x980916 => "V4L2_CID_HCENTER",
    0x980917 => "V4L2_CID_VCENTER", 0x980918 => "V4L2_CID_POWER_LINE_FREQUENCY",
    0x980919 => "V4L2_CID_HUE_AUTO", 0x98091a => "V4L2_CID_WHITE_BALANCE_TEMPERATURE",
    0x98091b => "V4L2_CID_SHARPNESS", 0x98091c => "V4L2_CID_BACKLIGHT_COMPENSATION",
    0x98091d => "V4L2_CID_CHROMA_AGC", 0x98091e => "V4L2_CID_COLOR_KILLER",
    0x98091f => "V4L2_CID_COLORFX", 0x980920 => "V4L2_CID_AUTOBRIGHTNESS",
    0x980921 => "V4L2_CID_BAND_STOP_FILTER", 0x980922 => "V4L2_CID_ROTATE",
    0x980923 => "V4L2_CID_BG_COLOR", 0x980924 => "V4L2_CID_CHROMA_GAIN",
    0x980925 => "V4L2_CID_ILLUMINATORS_1", 0x980926 => "V4L2_CID_ILLUMINATORS_2",
    0x980927 => "V4L2_CID_MIN_BUFFERS_FOR_CAPTURE", 0x980928 => "V4L2_CID_MIN_BUFFERS_FOR_OUTPUT",
    0x980929 => "V4L2_CID_ALPHA_COMPONENT", 0x98092a => "V4L2_CID_COLORFX_CBCR",
    0x990900 => "V4L2_CID_MPEG_STREAM_TYPE", 0x990901 => "V4L2_CID_MPEG_STREAM_PID_PMT",
    0x990902 => "V4L2_CID_MPEG_STREAM_PID_AUDIO", 0x990903 => "V4L2_CID_MPEG_STREAM_PID_VIDEO",
    0x990904 => "V4L2_CID_MPEG_STREAM_PID_PCR", 0x990905 => "V4L2_CID_MPEG_STREAM_PES_ID_AUDIO",
    0x990906 => "V4L2_CID_MPEG_STREAM_PES_ID_VIDEO", 0x990907 => "V4L2_CID_MPEG_STREAM_VBI_FMT",
    0x990964 => "V4L2_CID_MPEG_AUDIO_SAMPLING_FREQ", 0x990965 => "V4L2_CID_MPEG_AUDIO_ENCODING",
    0x990966 => "V4L2_CID_MPEG_AUDIO_L1_BITRATE", 0x990967 => "V4L2_CID_MPEG_AUDIO_L2_BITRATE",
    0x990968 => "V4L2_CID_MPEG_AUDIO_L3_BITRATE", 0x990969 => "V4L2_CID_MPEG_AUDIO_MODE",
    0x99096a => "V4L2_CID_MPEG_AUDIO_MODE_EXTENSION", 0x99096b => "V4L2_CID_MPEG_AUDIO_EMPHASIS",
    0x99096c => "V4L2_CID_MPEG_AUDIO_CRC", 0x99096d => "V4L2_CID_MPEG_AUDIO_MUTE",
    0x99096e => "V4L2_CID_MPEG_AUDIO_AAC_BITRATE", 0x99096f => "V4L2_CID_MPEG_AUDIO_AC3_BITRATE",
    0x990970 => "V4L2_CID_MPEG_AUDIO_DEC_PLAYBACK",
    0x990971 => "V4L2_CID_MPEG_AUDIO_DEC_MULTILINGUAL_PLAYBACK",
    0x9909c8 => "V4L2_CID_MPEG_VIDEO_ENCODING", 0x9909c9 => "V4L2_CID_MPEG_VIDEO_ASPECT",
    0x9909ca => "V4L2_CID_MPEG_VIDEO_B_FRAMES", 0x9909cb => "V4L2_CID_MPEG_VIDEO_GOP_SIZE",
    0x9909cc => "V4L2_CID_MPEG_VIDEO_GOP_CLOSURE", 0x9909cd => "V4L2_CID_MPEG_VIDEO_PULLDOWN",
    0x9909ce => "V4L2_CID_MPEG_VIDEO_BITRATE_MODE", 0x9909cf => "V4L2_CID_MPEG_VIDEO_BITRATE",
    0x9909d0 => "V4L2_CID_MPEG_VIDEO_BITRATE_PEAK",
    0x9909d1 => "V4L2_CID_MPEG_VIDEO_TEMPORAL_DECIMATION", 0x9909d2 => "V4L2_CID_MPEG_VIDEO_MUTE",
    0x9909d3 => "V4L2_CID_MPEG_VIDEO_MUTE_YUV",
    0x9909d4 => "V4L2_CID_MPEG_VIDEO_DECODER_SLICE_INTERFACE",
    0x9909d5 => "V4L2_CID_MPEG_VIDEO_DECODER_MPEG4_DEBLOCK_FILTER",
    0x9909d6 => "V4L2_CID_MPEG_VIDEO_CYCLIC_INTRA_REFRESH_MB",
    0x9909d7 => "V4L2_CID_MPEG_VIDEO_FRAME_RC_ENABLE",
    0x9909d8 => "V4L2_CID_MPEG_VIDEO_HEADER_MODE", 0x9909d9 => "V4L2_CID_MPEG_VIDEO_MAX_REF_PIC",
    0x9909da => "V4L2_CID_MPEG_VIDEO_MB_RC_ENABLE",
    0x9909db => "V4L2_CID_MPEG_VIDEO_MULTI_SLICE_MAX_BYTES",
    0x9909dc => "V4L2_CID_MPEG_VIDEO_MULTI_SLICE_MAX_MB",
    0x9909dd => "V4L2_CID_MPEG_VIDEO_MULTI_SLICE_MODE", 0x9909de => "V4L2_CID_MPEG_VIDEO_VBV_SIZE",
    0x9909df => "V4L2_CID_MPEG_VIDEO_DEC_PTS", 0x9909e0 => "V4L2_CID_MPEG_VIDEO_DEC_FRAME",
    0x9909e1 => "V4L2_CID_MPEG_VIDEO_VBV_DELAY",
    0x9909e2 => "V4L2_CID_MPEG_VIDEO_REPEAT_SEQ_HEADER",
    0x9909e3 => "V4L2_CID_MPEG_VIDEO_MV_H_SEARCH_RANGE",
    0x9909e4 => "V4L2_CID_MPEG_VIDEO_MV_V_SEARCH_RANGE",
    0x9909e5 => "V4L2_CID_MPEG_VIDEO_FORCE_KEY_FRAME",
    0x9909e6 => "V4L2_CID_MPEG_VIDEO_BASELAYER_PRIORITY_ID",
    0x9909e7 => "V4L2_CID_MPEG_VIDEO_AU_DELIMITER", 0x9909e8 => "V4L2_CID_MPEG_VIDEO_LTR_COUNT",
    0x9909e9 => "V4L2_CID_MPEG_VIDEO_FRAME_LTR_INDEX",
    0x9909ea => "V4L2_CID_MPEG_VIDEO_USE_LTR_FRAMES",
    0x9909eb => "V4L2_CID_MPEG_VIDEO_DEC_CONCEAL_COLOR",
    0x9909ec => "V4L2_CID_MPEG_VIDEO_INTRA_REFRESH_PERIOD",
    0x9909ed => "V4L2_CID_MPEG_VIDEO_INTRA_REFRESH_PERIOD_TYPE",
    0x9909fa => "V4L2_CID_MPEG_VIDEO_MPEG2_SLICE_PARAMS",
    0x9909fb => "V4L2_CID_MPEG_VIDEO_MPEG2_QUANTIZATION", 0x990a22 => "V4L2_CID_FWHT_I_FRAME_QP",
    0x990a23 => "V4L2_CID_FWHT_P_FRAME_QP", 0x990a2c => "V4L2_CID_MPEG_VIDEO_H263_I_FRAME_QP",
    0x990a2d => "V4L2_CID_MPEG_VIDEO_H263_P_FRAME_QP",
    0x990a2e => "V4L2_CID_MPEG_VIDEO_H263_B_FRAME_QP",
    0x990a2f => "V4L2_CID_MPEG_VIDEO_H263_MIN_QP", 0x990a30 => "V4L2_CID_MPEG_VIDEO_H263_MAX_QP",
    0x990a5e => "V4L2_CID_MPEG_VIDEO_H264_I_FRAME_QP",
    0x990a5f => "V4L2_CID_MPEG_VIDEO_H264_P_FRAME_QP",
    0x990a60 => "V4L2_CID_MPEG_VIDEO_H264_B_FRAME_QP",
    0x990a61 => "V4L2_CID_MPEG_VIDEO_H264_MIN_QP", 0x990a62 => "V4L2_CID_MPEG_VIDEO_H264_MAX_QP",
    0x990a63 => "V4L2_CID_MPEG_VIDEO_H264_8X8_TRANSFORM",
    0x990a64 => "V4L2_CID_MPEG_VIDEO_H264_CPB_SIZE",
    0x990a65 => "V4L2_CID_MPEG_VIDEO_H264_ENTROPY_MODE",
    0x990a66 => "V4L2_CID_MPEG_VIDEO_H264_I_PERIOD", 0x990a67 => "V4L2_CID_MPEG_VIDEO_H264_LEVEL",
    0x990a68 => "V4L2_CID_MPEG_VIDEO_H264_LOOP_FILTER_ALPHA",
    0x990a69 => "V4L2_CID_MPEG_VIDEO_H264_LOOP_FILTER_BETA",
    0x990a6a => "V4L2_CID_MPEG_VIDEO_H264_LOOP_FILTER_MODE",
    0x990a6b => "V4L2_CID_MPEG_VIDEO_H264_PROFILE",
    0x990a6c => "V4L2_CID_MPEG_VIDEO_H264_VUI_EXT_SAR_HEIGHT",
    0x990a6d => "V4L2_CID_MPEG_VIDEO_H264_VUI_EXT_SAR_WIDTH",
    0x990a6e => "V4L2_CID_MPEG_VIDEO_H264_VUI_SAR_ENABLE",
    0x990a6f => "V4L2_CID_MPEG_VIDEO_H264_VUI_SAR_IDC",
    0x990a70 => "V4L2_CID_MPEG_VIDEO_H264_SEI_FRAME_PACKING",
    0x990a71 => "V4L2_CID_MPEG_VIDEO_H264_SEI_FP_CURRENT_FRAME_0",
    0x990a72 => "V4L2_CID_MPEG_VIDEO_H264_SEI_FP_ARRANGEMENT_TYPE",
    0x990a73 => "V4L2_CID_MPEG_VIDEO_H264_FMO",
    0x990a74 => "V4L2_CID_MPEG_VIDEO_H264_FMO_MAP_TYPE",
    0x990a75 => "V4L2_CID_MPEG_VIDEO_H264_FMO_SLICE_GROUP",
    0x990a76 => "V4L2_CID_MPEG_VIDEO_H264_FMO_CHANGE_DIRECTION",
    0x990a77 => "V4L2_CID_MPEG_VIDEO_H264_FMO_CHANGE_RATE",
    0x990a78 => "V4L2_CID_MPEG_VIDEO_H264_FMO_RUN_LENGTH",
    0x990a79 => "V4L2_CID_MPEG_VIDEO_H264_ASO",
    0x990a7a => "V4L2_CID_MPEG_VIDEO_H264_ASO_SLICE_ORDER",
    0x990a7b => "V4L2_CID_MPEG_VIDEO_H264_HIERARCHICAL_CODING",
    0x990a7c => "V4L2_CID_MPEG_VIDEO_H264_HIERARCHICAL_CODING_TYPE",
    0x990a7d => "V4L2_CID_MPEG_VIDEO_H264_HIERARCHICAL_CODING_LAYER",
    0x990a7e => "V4L2_CID_MPEG_VIDEO_H264_HIERARCHICAL_CODING_LAYER_QP",
    0x990a7f => "V4L2_CID_MPEG_VIDEO_H264_CONSTRAINED_INTRA_PREDICTION",
    0x990a80 => "V4L2_CID_MPEG_VIDEO_H264_CHROMA_QP_INDEX_OFFSET",
    0x990a81 => "V4L2_CID_MPEG_VIDEO_H264_I_FRAME_MIN_QP",
    0x990a82 => "V4L2_CID_MPEG_VIDEO_H264_I_FRAME_MAX_QP",
    0x990a83 => "V4L2_CID_MPEG_VIDEO_H264_P_FRAME_MIN_QP",
    0x990a84 => "V4L2_CID_MPEG_VIDEO_H264_P_FRAME_MAX_QP",
    0x990a85 => "V4L2_CID_MPEG_VIDEO_H264_B_FRAME_MIN_QP",
    0x990a86 => "V4L2_CID_MPEG_VIDEO_H264_B_FRAME_MAX_QP",
    0x990a87 => "V4L2_CID_MPEG_VIDEO_H264_HIER_CODING_L0_BR",
    0x990a88 => "V4L2_CID_MPEG_VIDEO_H264_HIER_CODING_L1_BR",
    0x990a89 => "V4L2_CID_MPEG_VIDEO_H264_HIER_CODING_L2_BR",
    0x990a8a => "V4L2_CID_MPEG_VIDEO_H264_HIER_CODING_L3_BR",
    0x990a8b => "V4L2_CID_MPEG_VIDEO_H264_HIER_CODING_L4_BR",
    0x990a8c => "V4L2_CID_MPEG_VIDEO_H264_HIER_CODING_L5_BR",
    0x990a8d => "V4L2_CID_MPEG_VIDEO_H264_HIER_CODING_L6_BR",
    0x990a90 => "V4L2_CID_MPEG_VIDEO_MPEG4_I_FRAME_QP",
    0x990a91 => "V4L2_CID_MPEG_VIDEO_MPEG4_P_FRAME_QP",
    0x990a92 => "V4L2_CID_MPEG_VIDEO_MPEG4_B_FRAME_QP",
    0x990a93 => "V4L2_CID_MPEG_VIDEO_MPEG4_MIN_QP", 0x990a94 => "V4L2_CID_MPEG_VIDEO_MPEG4_MAX_QP",
    0x990a95 => "V4L2_CID_MPEG_VIDEO_MPEG4_LEVEL", 0x990a96 => "V4L2_CID_MPEG_VIDEO_MPEG4_PROFILE",
    0x990a97 => "V4L2_CID_MPEG_VIDEO_MPEG4_QPEL",
    0x990af4 => "V4L2_CID_MPEG_VIDEO_VPX_NUM_PARTITIONS",
    0x990af5 => "V4L2_CID_MPEG_VIDEO_VPX_IMD_DISABLE_4X4",
    0x990af6 => "V4L2_CID_MPEG_VIDEO_VPX_NUM_REF_FRAMES",
    0x990af7 => "V4L2_CID_MPEG_VIDEO_VPX_FILTER_LEVEL",
    0x990af8 => "V4L2_CID_MPEG_VIDEO_VPX_FILTER_SHARPNESS",
    0x990af9 => "V4L2_CID_MPEG_VIDEO_VPX_GOLDEN_FRAME_REF_PERIOD",
    0x990afa => "V4L2_CID_MPEG_VIDEO_VPX_GOLDEN_FRAME_SEL",
    0x990afb => "V4L2_CID_MPEG_VIDEO_VPX_MIN_QP", 0x990afc => "V4L2_CID_MPEG_VIDEO_VPX_MAX_QP",
    0x990afd => "V4L2_CID_MPEG_VIDEO_VPX_I_FRAME_QP",
    0x990afe => "V4L2_CID_MPEG_VIDEO_VPX_P_FRAME_QP",
    0x990aff => "V4L2_CID_MPEG_VIDEO_VP8_PROFILE", 0x990b00 => "V4L2_CID_MPEG_VIDEO_VP9_PROFILE",
    0x990b58 => "V4L2_CID_MPEG_VIDEO_HEVC_MIN_QP", 0x990b59 => "V4L2_CID_MPEG_VIDEO_HEVC_MAX_QP",
    0x990b5a => "V4L2_CID_MPEG_VIDEO_HEVC_I_FRAME_QP",
    0x990b5b => "V4L2_CID_MPEG_VIDEO_HEVC_P_FRAME_QP",
    0x990b5c => "V4L2_CID_MPEG_VIDEO_HEVC_B_FRAME_QP",
    0x990b5d => "V4L2_CID_MPEG_VIDEO_HEVC_HIER_QP",
    0x990b5e => "V4L2_CID_MPEG_VIDEO_HEVC_HIER_CODING_TYPE",
    0x990b5f => "V4L2_CID_MPEG_VIDEO_HEVC_HIER_CODING_LAYER",
    0x990b60 => "V4L2_CID_MPEG_VIDEO_HEVC_HIER_CODING_L0_QP",
    0x990b61 => "V4L2_CID_MPEG_VIDEO_HEVC_HIER_CODING_L1_QP",
    0x990b62 => "V4L2_CID_MPEG_VIDEO_HEVC_HIER_CODING_L2_QP",
    0x990b63 => "V4L2_CID_MPEG_VIDEO_HEVC_HIER_CODING_L3_QP",
    0x990b64 => "V4L2_CID_MPEG_VIDEO_HEVC_HIER_CODING_L4_QP",
    0x990b65 => "V4L2_CID_MPEG_VIDEO_HEVC_HIER_CODING_L5_QP",
    0x990b66 => "V4L2_CID_MPEG_VIDEO_HEVC_HIER_CODING_L6_QP",
    0x990b67 => "V4L2_CID_MPEG_VIDEO_HEVC_PROFILE", 0x990b68 => "V4L2_CID_MPEG_VIDEO_HEVC_LEVEL",
    0x990b69 => "V4L2_CID_MPEG_VIDEO_HEVC_FRAME_RATE_RESOLUTION",
    0x990b6a => "V4L2_CID_MPEG_VIDEO_HEVC_TIER",
    0x990b6b => "V4L2_CID_MPEG_VIDEO_HEVC_MAX_PARTITION_DEPTH",
    0x990b6c => "V4L2_CID_MPEG_VIDEO_HEVC_LOOP_FILTER_MODE",
    0x990b6d => "V4L2_CID_MPEG_VIDEO_HEVC_LF_BETA_OFFSET_DIV2",
    0x990b6e => "V4L2_CID_MPEG_VIDEO_HEVC_LF_TC_OFFSET_DIV2",
    0x990b6f => "V4L2_CID_MPEG_VIDEO_HEVC_REFRESH_TYPE",
    0x990b70 => "V4L2_CID_MPEG_VIDEO_HEVC_REFRESH_PERIOD",
    0x990b71 => "V4L2_CID_MPEG_VIDEO_HEVC_LOSSLESS_CU",
    0x990b72 => "V4L2_CID_MPEG_VIDEO_HEVC_CONST_INTRA_PRED",
    0x990b73 => "V4L2_CID_MPEG_VIDEO_HEVC_WAVEFRONT",
    0x990b74 => "V4L2_CID_MPEG_VIDEO_HEVC_GENERAL_PB",
    0x990b75 => "V4L2_CID_MPEG_VIDEO_HEVC_TEMPORAL_ID",
    0x990b76 => "V4L2_CID_MPEG_VIDEO_HEVC_STRONG_SMOOTHING",
    0x990b77 => "V4L2_CID_MPEG_VIDEO_HEVC_MAX_NUM_MERGE_MV_MINUS1",
    0x990b78 => "V4L2_CID_MPEG_VIDEO_HEVC_INTRA_PU_SPLIT",
    0x990b79 => "V4L2_CID_MPEG_VIDEO_HEVC_TMV_PREDICTION",
    0x990b7a => "V4L2_CID_MPEG_VIDEO_HEVC_WITHOUT_STARTCODE",
    0x990b7b => "V4L2_CID_MPEG_VIDEO_HEVC_SIZE_OF_LENGTH_FIELD",
    0x990b7c => "V4L2_CID_MPEG_VIDEO_HEVC_HIER_CODING_L0_BR",
    0x990b7d => "V4L2_CID_MPEG_VIDEO_HEVC_HIER_CODING_L1_BR",
    0x990b7e => "V4L2_CID_MPEG_VIDEO_HEVC_HIER_CODING_L2_BR",
    0x990b7f => "V4L2_CID_MPEG_VIDEO_HEVC_HIER_CODING_L3_BR",
    0x990b80 => "V4L2_CID_MPEG_VIDEO_HEVC_HIER_CODING_L4_BR",
    0x990b81 => "V4L2_CID_MPEG_VIDEO_HEVC_HIER_CODING_L5_BR",
    0x990b82 => "V4L2_CID_MPEG_VIDEO_HEVC_HIER_CODING_L6_BR",
    0x990b83 => "V4L2_CID_MPEG_VIDEO_REF_NUMBER_FOR_PFRAMES",
    0x990b84 => "V4L2_CID_MPEG_VIDEO_PREPEND_SPSPPS_TO_IDR",
    0x990b85 => "V4L2_CID_MPEG_VIDEO_CONSTANT_QUALITY",
    0x990b86 => "V4L2_CID_MPEG_VIDEO_FRAME_SKIP_MODE",
    0x990b87 => "V4L2_CID_MPEG_VIDEO_HEVC_I_FRAME_MIN_QP",
    0x990b88 => "V4L2_CID_MPEG_VIDEO_HEVC_I_FRAME_MAX_QP",
    0x990b89 => "V4L2_CID_MPEG_VIDEO_HEVC_P_FRAME_MIN_QP",
    0x990b8a => "V4L2_CID_MPEG_VIDEO_HEVC_P_FRAME_MAX_QP",
    0x990b8b => "V4L2_CID_MPEG_VIDEO_HEVC_B_FRAME_MIN_QP",
    0x990b8c => "V4L2_CID_MPEG_VIDEO_HEVC_B_FRAME_MAX_QP",
    0x990b8d => "V4L2_CID_MPEG_VIDEO_DEC_DISPLAY_DELAY",
    0x990b8e => "V4L2_CID_MPEG_VIDEO_DEC_DISPLAY_DELAY_ENABLE",
    0x991000 => "V4L2_CID_MPEG_CX2341X_VIDEO_SPATIAL_FILTER_MODE",
    0x991001 => "V4L2_CID_MPEG_CX2341X_VIDEO_SPATIAL_FILTER",
    0x991002 => "V4L2_CID_MPEG_CX2341X_VIDEO_LUMA_SPATIAL_FILTER_TYPE",
    0x991003 => "V4L2_CID_MPEG_CX2341X_VIDEO_CHROMA_SPATIAL_FILTER_TYPE",
    0x991004 => "V4L2_CID_MPEG_CX2341X_VIDEO_TEMPORAL_FILTER_MODE",
    0x991005 => "V4L2_CID_MPEG_CX2341X_VIDEO_TEMPORAL_FILTER",
    0x991006 => "V4L2_CID_MPEG_CX2341X_VIDEO_MEDIAN_FILTER_TYPE",
    0x991007 => "V4L2_CID_MPEG_CX2341X_VIDEO_LUMA_MEDIAN_FILTER_BOTTOM",
    0x991008 => "V4L2_CID_MPEG_CX2341X_VIDEO_LUMA_MEDIAN_FILTER_TOP",
    0x991009 => "V4L2_CID_MPEG_CX2341X_VIDEO_CHROMA_MEDIAN_FILTER_BOTTOM",
    0x99100a => "V4L2_CID_MPEG_CX2341X_VIDEO_CHROMA_MEDIAN_FILTER_TOP",
    0x99100b => "V4L2_CID_MPEG_CX2341X_STREAM_INSERT_NAV_PACKETS",
    0x991100 => "V4L2_CID_MPEG_MFC51_VIDEO_DECODER_H264_DISPLAY_DELAY",
    0x991101 => "V4L2_CID_MPEG_MFC51_VIDEO_DECODER_H264_DISPLAY_DELAY_ENABLE",
    0x991102 => "V4L2_CID_MPEG_MFC51_VIDEO_FRAME_SKIP_MODE",
    0x991103 => "V4L2_CID_MPEG_MFC51_VIDEO_FORCE_FRAME_TYPE",
    0x991104 => "V4L2_CID_MPEG_MFC51_VIDEO_PADDING",
    0x991105 => "V4L2_CID_MPEG_MFC51_VIDEO_PADDING_YUV",
    0x991106 => "V4L2_CID_MPEG_MFC51_VIDEO_RC_FIXED_TARGET_BIT",
    0x991107 => "V4L2_CID_MPEG_MFC51_VIDEO_RC_REACTION_COEFF",
    0x991132 => "V4L2_CID_MPEG_MFC51_VIDEO_H264_ADAPTIVE_RC_ACTIVITY",
    0x991133 => "V4L2_CID_MPEG_MFC51_VIDEO_H264_ADAPTIVE_RC_DARK",
    0x991134 => "V4L2_CID_MPEG_MFC51_VIDEO_H264_ADAPTIVE_RC_SMOOTH",
    0x991135 => "V4L2_CID_MPEG_MFC51_VIDEO_H264_ADAPTIVE_RC_STATIC",
    0x991136 => "V4L2_CID_MPEG_MFC51_VIDEO_H264_NUM_REF_PIC_FOR_P",
    0x9a0901 => "V4L2_CID_EXPOSURE_AUTO", 0x9a0902 => "V4L2_CID_EXPOSURE_ABSOLUTE",
    0x9a0903 => "V4L2_CID_EXPOSURE_AUTO_PRIORITY", 0x9a0904 => "V4L2_CID_PAN_RELATIVE",
    0x9a0905 => "V4L2_CID_TILT_RELATIVE", 0x9a0906 => "V4L2_CID_PAN_RESET",
    0x9a0907 => "V4L2_CID_TILT_RESET", 0x9a0908 => "V4L2_CID_PAN_ABSOLUTE",
    0x9a0909 => "V4L2_CID_TILT_ABSOLUTE", 0x9a090a => "V4L2_CID_FOCUS_ABSOLUTE",
    0x9a090b => "V4L2_CID_FOCUS_RELATIVE", 0x9a090c => "V4L2_CID_FOCUS_AUTO",
    0x9a090d => "V4L2_CID_ZOOM_ABSOLUTE", 0x9a090e => "V4L2_CID_ZOOM_RELATIVE",
    0x9a090f => "V4L2_CID_ZOOM_CONTINUOUS", 0x9a0910 => "V4L2_CID_PRIVACY",
    0x9a0911 => "V4L2_CID_IRIS_ABSOLUTE", 0x9a0912 => "V4L2_CID_IRIS_RELATIVE",
    0x9a0913 => "V4L2_CID_AUTO_EXPOSURE_BIAS", 0x9a0914 => "V4L2_CID_AUTO_N_PRESET_WHITE_BALANCE",
    0x9a0915 => "V4L2_CID_WIDE_DYNAMIC_RANGE", 0x9a0916 => "V4L2_CID_IMAGE_STABILIZATION",
    0x9a0917 => "V4L2_CID_ISO_SENSITIVITY", 0x9a0918 => "V4L2_CID_ISO_SENSITIVITY_AUTO",
    0x9a0919 => "V4L2_CID_EXPOSURE_METERING", 0x9a091a => "V4L2_CID_SCENE_MODE",
    0x9a091b => "V4L2_CID_3A_LOCK", 0x9a091c => "V4L2_CID_AUTO_FOCUS_START",
    0x9a091d => "V4L2_CID_AUTO_FOCUS_STOP", 0x9a091e => "V4L2_CID_AUTO_FOCUS_STATUS",
    0x9a091f => "V4L2_CID_AUTO_FOCUS_RANGE", 0x9a0920 => "V4L2_CID_PAN_SPEED",
    0x9a0921 => "V4L2_CID_TILT_SPEED", 0x9b0901 => "V4L2_CID_RDS_TX_DEVIATION",
    0x9b0902 => "V4L2_CID_RDS_TX_PI", 0x9b0903 => "V4L2_CID_RDS_TX_PTY",
    0x9b0905 => "V4L2_CID_RDS_TX_PS_NAME", 0x9b0906 => "V4L2_CID_RDS_TX_RADIO_TEXT",
    0x9b0907 => "V4L2_CID_RDS_TX_MONO_STEREO", 0x9b0908 => "V4L2_CID_RDS_TX_ARTIFICIAL_HEAD",
    0x9b0909 => "V4L2_CID_RDS_TX_COMPRESSED", 0x9b090a => "V4L2_CID_RDS_TX_DYNAMIC_PTY",
    0x9b090b => "V4L2_CID_RDS_TX_TRAFFIC_ANNOUNCEMENT",
    0x9b090c => "V4L2_CID_RDS_TX_TRAFFIC_PROGRAM", 0x9b090d => "V4L2_CID_RDS_TX_MUSIC_SPEECH",
    0x9b090e => "V4L2_CID_RDS_TX_ALT_FREQS_ENABLE", 0x9b090f => "V4L2_CID_RDS_TX_ALT_FREQS",
    0x9b0940 => "V4L2_CID_AUDIO_LIMITER_ENABLED",
    0x9b0941 => "V4L2_CID_AUDIO_LIMITER_RELEASE_TIME",
    0x9b0942 => "V4L2_CID_AUDIO_LIMITER_DEVIATION",
    0x9b0950 => "V4L2_CID_AUDIO_COMPRESSION_ENABLED",
    0x9b0951 => "V4L2_CID_AUDIO_COMPRESSION_GAIN",
    0x9b0952 => "V4L2_CID_AUDIO_COMPRESSION_THRESHOLD",
    0x9b0953 => "V4L2_CID_AUDIO_COMPRESSION_ATTACK_TIME",
    0x9b0954 => "V4L2_CID_AUDIO_COMPRESSION_RELEASE_TIME",
    0x9b0960 => "V4L2_CID_PILOT_TONE_ENABLED", 0x9b0961 => "V4L2_CID_PILOT_TONE_DEVIATION",
    0x9b0962 => "V4L2_CID_PILOT_TONE_FREQUENCY", 0x9b0970 => "V4L2_CID_TUNE_PREEMPHASIS",
    0x9b0971 => "V4L2_CID_TUNE_POWER_LEVEL", 0x9b0972 => "V4L2_CID_TUNE_ANTENNA_CAPACITOR",
    0x9c0901 => "V4L2_CID_FLASH_LED_MODE", 0x9c0902 => "V4L2_CID_FLASH_STROBE_SOURCE",
    0x9c0903 => "V4L2_CID_FLASH_STROBE", 0x9c0904 => "V4L2_CID_FLASH_STROBE_STOP",
    0x9c0905 => "V4L2_CID_FLASH_STROBE_STATUS", 0x9c0906 => "V4L2_CID_FLASH_TIMEOUT",
    0x9c0907 => "V4L2_CID_FLASH_INTENSITY", 0x9c0908 => "V4L2_CID_FLASH_TORCH_INTENSITY",
    0x9c0909 => "V4L2_CID_FLASH_INDICATOR_INTENSITY", 0x9c090a => "V4L2_CID_FLASH_FAULT",
    0x9c090b => "V4L2_CID_FLASH_CHARGE", 0x9c090c => "V4L2_CID_FLASH_READY",
    0x9e0901 => "V4L2_CID_VBLANK", 0x9e0902 => "V4L2_CID_HBLANK",
    0x9e0903 => "V4L2_CID_ANALOGUE_GAIN", 0x9e0904 => "V4L2_CID_TEST_PATTERN_RED",
    0x9e0905 => "V4L2_CID_TEST_PATTERN_GREENR", 0x9e0906 => "V4L2_CID_TEST_PATTERN_BLUE",
    0x9e0907 => "V4L2_CID_TEST_PATTERN_GREENB", 0x9e0908 => "V4L2_CID_UNIT_CELL_SIZE",
    0x9e0909 => "V4L2_CID_NOTIFY_GAINS", 0x9f0901 => "V4L2_CID_LINK_FREQ",
    0x9f0902 => "V4L2_CID_PIXEL_RATE", 0x9f0903 => "V4L2_CID_TEST_PATTERN",
    0x9f0904 => "V4L2_CID_DEINTERLACING_MODE", 0x9f0905 => "V4L2_CID_DIGITAL_GAIN",
    0xa00905 => "V4L2_CID_DV_TX_RGB_RANGE", 0xa00906 => "V4L2_CID_DV_TX_IT_CONTENT_TYPE",
    0xa00965 => "V4L2_CID_DV_RX_RGB_RANGE", 0xa00966 => "V4L2_CID_DV_RX_IT_CONTENT_TYPE",
    0xa10901 => "V4L2_CID_TUNE_DEEMPHASIS", 0xa10902 => "V4L2_CID_RDS_RECEPTION",
    0xa10903 => "V4L2_CID_RDS_RX_PTY", 0xa10904 => "V4L2_CID_RDS_RX_PS_NAME",
    0xa10905 => "V4L2_CID_RDS_RX_RADIO_TEXT", 0xa10906 => "V4L2_CID_RDS_RX_TRAFFIC_ANNOUNCEMENT",
    0xa10907 => "V4L2_CID_RDS_RX_TRAFFIC_PROGRAM", 0xa10908 => "V4L2_CID_RDS_RX_MUSIC_SPEECH",
    0xa2090b => "V4L2_CID_RF_TUNER_BANDWIDTH_AUTO", 0xa2090c => "V4L2_CID_RF_TUNER_BANDWIDTH",
    0xa20920 => "V4L2_CID_RF_TUNER_RF_GAIN", 0xa20929 => "V4L2_CID_RF_TUNER_LNA_GAIN_AUTO",
    0xa2092a => "V4L2_CID_RF_TUNER_LNA_GAIN", 0xa20933 => "V4L2_CID_RF_TUNER_MIXER_GAIN_AUTO",
    0xa20934 => "V4L2_CID_RF_TUNER_MIXER_GAIN", 0xa2093d => "V4L2_CID_RF_TUNER_IF_GAIN_AUTO",
    0xa2093e => "V4L2_CID_RF_TUNER_IF_GAIN", 0xa2095b => "V4L2_CID_RF_TUNER_PLL_LOCK",
    0xa30901 => "V4L2_CID_DETECT_MD_MODE", 0xa30902 => "V4L2_CID_DETECT_MD_GLOBAL_THRESHOLD",
    0xa30903 => "V4L2_CID_DETECT_MD_THRESHOLD_GRID", 0xa30904 => "V4L2_CID_DETECT_MD_REGION_GRID",
]);
