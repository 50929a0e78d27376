//! One netlink dump request to the kernel and the walk over its replies, for what the
//! tracer asks the kernel itself (sock_diag for `-yy`, generic netlink family names).

/// Sends a dump request of message type `kind` with `body` after its header on a new
/// socket of netlink `protocol`, and hands each reply message's body to `pick` until it
/// returns something, the dump ends, or a reply is malformed.
pub(crate) fn dump<R>(
    protocol: i32,
    kind: u16,
    body: &[u8],
    mut pick: impl FnMut(&[u8]) -> Option<R>,
) -> Option<R> {
    const NLMSG_DONE: u16 = 3;
    const NLMSG_ERROR: u16 = 2;
    let mut request = vec![0u8; 16 + body.len()];
    let total = request.len() as u32;
    request[0..4].copy_from_slice(&total.to_ne_bytes());
    request[4..6].copy_from_slice(&kind.to_ne_bytes());
    request[6..8].copy_from_slice(&((libc::NLM_F_REQUEST | libc::NLM_F_DUMP) as u16).to_ne_bytes());
    request[8..12].copy_from_slice(&1u32.to_ne_bytes());
    request[16..].copy_from_slice(body);
    // SAFETY: plain socket calls on a descriptor we own and close below.
    let sock = unsafe {
        libc::socket(
            libc::AF_NETLINK,
            libc::SOCK_DGRAM | libc::SOCK_CLOEXEC,
            protocol,
        )
    };
    if sock < 0 {
        return None;
    }
    let mut found = None;
    // SAFETY: buffers are ours and sized as passed.
    unsafe {
        if libc::send(sock, request.as_ptr().cast(), request.len(), 0) == request.len() as isize {
            let mut reply = vec![0u8; 32 * 1024];
            'receive: loop {
                let got = libc::recv(sock, reply.as_mut_ptr().cast(), reply.len(), 0);
                if got <= 0 {
                    break;
                }
                let data = &reply[..got as usize];
                let mut at = 0usize;
                while at + 16 <= data.len() {
                    let len = u32_at(data, at) as usize;
                    let kind = u16::from_ne_bytes([data[at + 4], data[at + 5]]);
                    if len < 16
                        || at + len > data.len()
                        || kind == NLMSG_DONE
                        || kind == NLMSG_ERROR
                    {
                        break 'receive;
                    }
                    found = pick(&data[at + 16..at + len]);
                    if found.is_some() {
                        break 'receive;
                    }
                    at += (len + 3) & !3;
                }
            }
        }
        libc::close(sock);
    }
    found
}

pub(crate) fn u32_at(b: &[u8], at: usize) -> u32 {
    u32::from_ne_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}
