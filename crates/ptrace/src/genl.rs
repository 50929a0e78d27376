//! The kernel's generic netlink families, for naming NETLINK_GENERIC message types: their
//! ids are given out at run time, so strace asks the kernel (CTRL_CMD_GETFAMILY) once.

use std::sync::OnceLock;

/// The name of the generic netlink family with message type `id` (`nlctrl` for 0x10).
pub fn generic_netlink_family(id: u16) -> Option<String> {
    static FAMILIES: OnceLock<Vec<(u16, String)>> = OnceLock::new();
    FAMILIES
        .get_or_init(dump_families)
        .iter()
        .find(|(family, _)| *family == id)
        .map(|(_, name)| name.clone())
}

/// Dumps the families: one CTRL_CMD_NEWFAMILY message (version 2) per family, with its
/// CTRL_ATTR_FAMILY_ID and CTRL_ATTR_FAMILY_NAME attributes. Empty when the kernel says no.
fn dump_families() -> Vec<(u16, String)> {
    const GENL_ID_CTRL: u16 = 0x10;
    const CTRL_CMD_NEWFAMILY: u8 = 1;
    const CTRL_CMD_GETFAMILY: u8 = 3;
    let mut families = Vec::new();
    // struct genlmsghdr: cmd, version, reserved.
    let request = [CTRL_CMD_GETFAMILY, 0, 0, 0];
    crate::nlquery::dump(libc::NETLINK_GENERIC, GENL_ID_CTRL, &request, |body| {
        if body.len() >= 4 && body[0] == CTRL_CMD_NEWFAMILY && body[1] == 2 {
            families.extend(family_of(&body[4..]));
        }
        None::<()>
    });
    families
}

/// The id and name among a family message's attributes.
fn family_of(mut attrs: &[u8]) -> Option<(u16, String)> {
    const CTRL_ATTR_FAMILY_ID: u16 = 1;
    const CTRL_ATTR_FAMILY_NAME: u16 = 2;
    let (mut id, mut name) = (None, None);
    while attrs.len() >= 4 {
        let len = usize::from(u16::from_ne_bytes([attrs[0], attrs[1]]));
        let kind = u16::from_ne_bytes([attrs[2], attrs[3]]) & 0x3fff;
        if len < 4 || len > attrs.len() {
            break;
        }
        let data = &attrs[4..len];
        match kind {
            CTRL_ATTR_FAMILY_ID if data.len() >= 2 => {
                id = Some(u16::from_ne_bytes([data[0], data[1]]))
            }
            CTRL_ATTR_FAMILY_NAME => {
                let text = data.split(|b| *b == 0).next().unwrap_or(data);
                name = Some(String::from_utf8_lossy(text).into_owned());
            }
            _ => {}
        }
        attrs = attrs.get((len + 3) & !3..).unwrap_or(&[]);
    }
    Some((id?, name?))
}

#[cfg(test)]
mod tests {
    /// The controller family is always there, with its fixed id.
    #[test]
    fn nlctrl_is_known() {
        assert_eq!(
            super::generic_netlink_family(0x10).as_deref(),
            Some("nlctrl")
        );
    }
}
