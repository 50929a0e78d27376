//! TEE requests (type 0xa4, linux/tee.h) as strace 6.1's tee.c prints them. The session
//! requests pass a struct tee_ioctl_buf_data pointing at their real argument, followed by
//! `num_params` struct tee_ioctl_param; both are shown only when the sizes agree, as the
//! kernel would accept them.

use std::fmt::Write;

use super::super::Ctx;
use super::super::print::CHex;
use super::super::structs::{local_array, read_sized, read_struct, u32_at, u64_at, write_uuid};
use super::{Phase, ior, iowr, rw_prefix};
use crate::xlat;

const TEE_IOC_VERSION: u32 = ior(0xa4, 0, 12);
const TEE_IOC_SHM_ALLOC: u32 = iowr(0xa4, 1, 16);
const TEE_IOC_OPEN_SESSION: u32 = ior(0xa4, 2, 16);
const TEE_IOC_INVOKE: u32 = ior(0xa4, 3, 16);
const TEE_IOC_CANCEL: u32 = ior(0xa4, 4, 8);
const TEE_IOC_CLOSE_SESSION: u32 = ior(0xa4, 5, 4);
const TEE_IOC_SUPPL_RECV: u32 = ior(0xa4, 6, 16);
const TEE_IOC_SUPPL_SEND: u32 = ior(0xa4, 7, 16);
/// Not in the kernel's headers (a vendor extension strace decodes).
const TEE_IOC_SHM_REGISTER_FD: u32 = iowr(0xa4, 8, 32);
const TEE_IOC_SHM_REGISTER: u32 = iowr(0xa4, 9, 24);

/// TEE_MAX_ARG_SIZE: the largest argument the kernel takes.
const MAX_ARG_SIZE: u64 = 1024;
/// struct tee_ioctl_param: attr, a, b, c.
const PARAM_SIZE: u64 = 32;
const PARAM_ATTR_META: u64 = 0x100;
const IMPL_ID_OPTEE: u32 = 1;

/// linux/tee.h's requests, for the ioctl name table (strace 6.1's x86_64 list).
pub(super) static NAMES: &[(u32, &str)] = &[
    (0x8004a405, "TEE_IOC_CLOSE_SESSION"),
    (0x8008a404, "TEE_IOC_CANCEL"),
    (0x800ca400, "TEE_IOC_VERSION"),
    (0x8010a402, "TEE_IOC_OPEN_SESSION"),
    (0x8010a403, "TEE_IOC_INVOKE"),
    (0x8010a406, "TEE_IOC_SUPPL_RECV"),
    (0x8010a407, "TEE_IOC_SUPPL_SEND"),
    (0xc010a401, "TEE_IOC_SHM_ALLOC"),
    (0xc018a409, "TEE_IOC_SHM_REGISTER"),
];

/// strace's tee_ioctl.
pub(super) fn tee(c: &mut Ctx, code: u32, arg: u64) -> Phase {
    let entering = c.entering();
    match code {
        TEE_IOC_VERSION if entering => {
            c.next();
            Phase::Later
        }
        TEE_IOC_VERSION => {
            if let Some(b) = read_struct::<12>(c, arg, true) {
                let impl_id = u32_at(&b, 0);
                c.s("{impl_id=");
                c.xval(u64::from(impl_id), &IMPL_IDS);
                c.s(", gen_caps=");
                c.flags(u64::from(u32_at(&b, 8)), &GEN_CAPS);
                c.s(", impl_caps=");
                if impl_id == IMPL_ID_OPTEE {
                    c.flags(u64::from(u32_at(&b, 4)), &OPTEE_CAPS);
                } else {
                    c.hex(u64::from(u32_at(&b, 4)));
                }
                c.s("}");
            }
            Phase::Done
        }
        TEE_IOC_OPEN_SESSION | TEE_IOC_INVOKE | TEE_IOC_SUPPL_RECV | TEE_IOC_SUPPL_SEND => {
            session(c, code, arg)
        }
        TEE_IOC_CANCEL => {
            c.next();
            if let Some(b) = read_struct::<8>(c, arg, false) {
                let _ = write!(
                    c.out,
                    "{{cancel_id={}, session={}}}",
                    u32_at(&b, 0),
                    CHex(u32_at(&b, 4).into())
                );
            }
            Phase::Done
        }
        TEE_IOC_CLOSE_SESSION => {
            c.next();
            if let Some(b) = read_struct::<4>(c, arg, false) {
                c.s("{session=");
                c.hex(u64::from(u32_at(&b, 0)));
                c.s("}");
            }
            Phase::Done
        }
        TEE_IOC_SHM_ALLOC | TEE_IOC_SHM_REGISTER_FD | TEE_IOC_SHM_REGISTER => shm(c, code, arg),
        _ => Phase::Generic,
    }
}

/// The shared memory requests: what is asked at entry, the id given at exit.
fn shm(c: &mut Ctx, code: u32, arg: u64) -> Phase {
    let entering = c.entering();
    if !rw_prefix(c) {
        return Phase::Done;
    }
    // struct tee_ioctl_shm_alloc_data, tee_ioctl_shm_register_data, and the vendor's
    // register_fd one.
    let size = match code {
        TEE_IOC_SHM_ALLOC => 16,
        TEE_IOC_SHM_REGISTER => 24,
        _ => 32,
    };
    let mut b = [0u8; 32];
    if !read_sized(c, arg, &mut b[..size]) {
        return Phase::Done;
    }
    let flags = |c: &mut Ctx, at: usize| {
        c.s("flags=");
        c.flags(u64::from(u32_at(&b, at)), &SHM_FLAGS);
    };
    c.s("{");
    match code {
        // struct tee_ioctl_shm_alloc_data: size, flags, id.
        TEE_IOC_SHM_ALLOC => {
            c.s("size=");
            c.hex(u64_at(&b, 0));
            c.s(", ");
            flags(c, 8);
            if !entering {
                let _ = write!(c.out, ", id={}", u32_at(&b, 12) as i32);
            }
        }
        // fd, size, flags, id.
        TEE_IOC_SHM_REGISTER_FD if entering => {
            c.s("fd=");
            c.fd(u64_at(&b, 0));
            c.s(", ");
            flags(c, 16);
        }
        TEE_IOC_SHM_REGISTER_FD => {
            c.s("size=");
            c.hex(u64_at(&b, 8));
            let _ = write!(c.out, ", id={}", u32_at(&b, 24) as i32);
        }
        // struct tee_ioctl_shm_register_data: addr, length, flags, id.
        _ => {
            if entering {
                c.s("addr=");
                c.ptr(u64_at(&b, 0));
                c.s(", ");
            }
            c.s("length=");
            c.hex(u64_at(&b, 8));
            c.s(", ");
            flags(c, 16);
            if !entering {
                let _ = write!(c.out, ", id={}", u32_at(&b, 20) as i32);
            }
        }
    }
    c.s("}");
    if entering { Phase::Later } else { Phase::Done }
}

/// The size of the argument struct a session request's buffer holds, and where its
/// num_params is.
fn session_arg(code: u32) -> (u64, usize) {
    match code {
        // struct tee_ioctl_open_session_arg
        TEE_IOC_OPEN_SESSION => (56, 52),
        // struct tee_ioctl_invoke_arg
        TEE_IOC_INVOKE => (24, 20),
        // struct tee_iocl_supp_recv_arg, struct tee_iocl_supp_send_arg
        _ => (8, 4),
    }
}

/// The buffer of a session request and its argument struct (strace's tee_fetch_buf_data):
/// `{buf_len=..., buf_ptr=0x...}` and `None` when they cannot be shown.
fn fetch(c: &mut Ctx, code: u32, arg: u64) -> Option<([u8; 56], u64, u64)> {
    let b = read_struct::<16>(c, arg, false)?;
    let (ptr, len) = (u64_at(&b, 0), u64_at(&b, 8));
    let (size, num_at) = session_arg(code);
    let mut s = [0u8; 56];
    let fits = len <= MAX_ARG_SIZE && len >= size;
    // At entry the kernel wants exactly the params num_params announces; at exit
    // TEE_IOC_SUPPL_RECV may have lowered num_params.
    let ok = fits
        && c.read_exact(ptr, &mut s[..size as usize])
        && (!c.entering() || size + PARAM_SIZE * u64::from(u32_at(&s, num_at)) == len);
    if !ok {
        let _ = write!(c.out, "{{buf_len={len}, buf_ptr=");
        c.ptr(ptr);
        c.s("}");
        return None;
    }
    Some((s, ptr, len))
}

/// TEE_IOC_OPEN_SESSION, TEE_IOC_INVOKE, TEE_IOC_SUPPL_RECV, TEE_IOC_SUPPL_SEND.
fn session(c: &mut Ctx, code: u32, arg: u64) -> Phase {
    let entering = c.entering();
    if !rw_prefix(c) {
        c.s("}");
        return Phase::Done;
    }
    let Some((s, ptr, len)) = fetch(c, code, arg) else {
        return Phase::Done;
    };
    let (size, num_at) = session_arg(code);
    let num_params = u32_at(&s, num_at);
    let u = |o: usize| u32_at(&s, o);
    if entering {
        let _ = write!(c.out, "{{buf_len={len}, buf_ptr={{");
        match code {
            TEE_IOC_OPEN_SESSION => open_session_in(c, &s),
            TEE_IOC_INVOKE => {
                let _ = write!(c.out, "func={}, session=", u(0));
                c.hex(u64::from(u(4)));
                let _ = write!(c.out, ", cancel_id={}, ", u(8));
            }
            TEE_IOC_SUPPL_RECV => {
                let _ = write!(c.out, "func={}, ", u(0));
            }
            _ => {}
        }
        let _ = write!(c.out, "num_params={num_params}");
    } else {
        c.s("{");
        match code {
            TEE_IOC_OPEN_SESSION => {
                c.s("session=");
                c.hex(u64::from(u(40)));
                let _ = write!(c.out, ", ret={}, ret_origin=", u(44));
                c.xval(u64::from(u(48)), &ORIGINS);
            }
            TEE_IOC_INVOKE => {
                let _ = write!(c.out, "ret={}, ret_origin=", u(12));
                c.xval(u64::from(u(16)), &ORIGINS);
            }
            TEE_IOC_SUPPL_RECV => {
                let _ = write!(c.out, "num_params={num_params}");
            }
            _ => {
                let _ = write!(c.out, "ret={}", u(0));
            }
        }
    }
    params(c, ptr.wrapping_add(size), num_params);
    c.s("}");
    if entering {
        Phase::Later
    } else {
        c.s("}");
        Phase::Done
    }
}

/// The input fields of struct tee_ioctl_open_session_arg.
fn open_session_in(c: &mut Ctx, s: &[u8]) {
    c.s("uuid=");
    write_uuid(c.out, &s[..16]);
    let login = u32_at(s, 32);
    c.s(", clnt_login=");
    c.xval(u64::from(login), &LOGIN_TYPES);
    // clnt_uuid carries the group to log in as for the GROUP logins; it is no UUID.
    match login {
        // PUBLIC, USER, APPLICATION, USER_APPLICATION
        0 | 1 | 4 | 5 => {}
        // GROUP, GROUP_APPLICATION
        2 | 6 => {
            c.s(", clnt_uuid=");
            c.uid(u64::from(u32_at(s, 16)));
        }
        _ => {
            c.s(", clnt_uuid=");
            local_array(c, 16, 16, |c, i| c.hex(u64::from(s[16 + i])));
        }
    }
    let _ = write!(c.out, ", cancel_id={}, ", u32_at(s, 36));
}

/// `, params=[...]`: the struct tee_ioctl_param array after the argument struct.
fn params(c: &mut Ctx, addr: u64, count: u32) {
    c.s(", params=");
    let addr = if count == 0 { 0 } else { addr };
    c.array(addr, u64::from(count), PARAM_SIZE as usize, |c, p| {
        let attr = u64_at(p, 0);
        c.s("{attr=");
        c.xval(attr & !PARAM_ATTR_META, &PARAM_ATTR_TYPES);
        if attr & PARAM_ATTR_META != 0 {
            c.s("|TEE_IOCTL_PARAM_ATTR_META");
        }
        let (a, b, v) = (u64_at(p, 8), u64_at(p, 16), u64_at(p, 24));
        match attr {
            // TYPE_NONE
            0 => {}
            // TYPE_MEMREF_INPUT, _OUTPUT, _INOUT
            5..=7 => {
                c.s(", shm_offs=");
                c.hex(a);
                c.s(", size=");
                c.hex(b);
                let _ = write!(c.out, ", shm_id={v}");
            }
            _ => {
                for (name, value) in [("a", a), ("b", b), ("c", v)] {
                    let _ = write!(c.out, ", {name}=");
                    c.hex(value);
                }
            }
        }
        c.s("}");
        true
    });
}

// strace 6.1's src/xlat/tee_ioctl_gen_caps.in.
xlat::xlat!(GEN_CAPS, "TEE_GEN_CAP_???", [
    0x1 => "TEE_GEN_CAP_GP", 0x2 => "TEE_GEN_CAP_PRIVILEGED", 0x4 => "TEE_GEN_CAP_REG_MEM",
    0x8 => "TEE_GEN_CAP_MEMREF_NULL",
]);

// strace 6.1's src/xlat/tee_ioctl_impl_ids.in.
xlat::xlat!(IMPL_IDS, "TEE_IMPL_ID_???", [
    0x1 => "TEE_IMPL_ID_OPTEE", 0x2 => "TEE_IMPL_ID_AMDTEE",
]);

// strace 6.1's src/xlat/tee_ioctl_login_types.in.
xlat::xlat!(LOGIN_TYPES, "TEE_IOCTL_LOGIN_???", [
    0 => "TEE_IOCTL_LOGIN_PUBLIC", 0x1 => "TEE_IOCTL_LOGIN_USER", 0x2 => "TEE_IOCTL_LOGIN_GROUP",
    0x4 => "TEE_IOCTL_LOGIN_APPLICATION", 0x5 => "TEE_IOCTL_LOGIN_USER_APPLICATION",
    0x6 => "TEE_IOCTL_LOGIN_GROUP_APPLICATION",
]);

// strace 6.1's src/xlat/tee_ioctl_optee_caps.in.
xlat::xlat!(OPTEE_CAPS, "TEE_OPTEE_CAP_???", [
    0x1 => "TEE_OPTEE_CAP_TZ",
]);

// strace 6.1's src/xlat/tee_ioctl_origins.in.
xlat::xlat!(ORIGINS, "TEEC_ORIGIN_???", [
    0x1 => "TEEC_ORIGIN_API", 0x2 => "TEEC_ORIGIN_COMMS", 0x3 => "TEEC_ORIGIN_TEE",
    0x4 => "TEEC_ORIGIN_TRUSTED_APP",
]);

// strace 6.1's src/xlat/tee_ioctl_param_attr_types.in.
xlat::xlat!(PARAM_ATTR_TYPES, "TEE_IOCTL_PARAM_ATTR_", [
    0 => "TEE_IOCTL_PARAM_ATTR_TYPE_NONE", 0x1 => "TEE_IOCTL_PARAM_ATTR_TYPE_VALUE_INPUT",
    0x2 => "TEE_IOCTL_PARAM_ATTR_TYPE_VALUE_OUTPUT",
    0x3 => "TEE_IOCTL_PARAM_ATTR_TYPE_VALUE_INOUT",
    0x5 => "TEE_IOCTL_PARAM_ATTR_TYPE_MEMREF_INPUT",
    0x6 => "TEE_IOCTL_PARAM_ATTR_TYPE_MEMREF_OUTPUT",
    0x7 => "TEE_IOCTL_PARAM_ATTR_TYPE_MEMREF_INOUT", 0x100 => "TEE_IOCTL_PARAM_ATTR_META",
]);

// strace 6.1's src/xlat/tee_ioctl_shm_flags.in.
xlat::xlat!(SHM_FLAGS, "TEE_IOCTL_SHM_???", [
    0x1 => "TEE_IOCTL_SHM_MAPPED", 0x2 => "TEE_IOCTL_SHM_DMA_BUF",
    0x4 => "TEE_IOCTL_SHM_EXT_DMA_BUF", 0x8 => "TEE_IOCTL_SHM_REGISTER",
    0x10 => "TEE_IOCTL_SHM_USER_MAPPED", 0x20 => "TEE_IOCTL_SHM_POOL",
    0x40 => "TEE_IOCTL_SHM_KERNEL_MAPPED",
]);
