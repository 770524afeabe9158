//! Who is on the other end of a Unix socket: the OS account of the peer
//! process, from the kernel (SO_PEERCRED), never from anything it claims.

use std::os::unix::io::AsRawFd;
use std::os::unix::net::UnixStream;

/// Looks up the operator behind a connection; a trait so tests can stand in
/// for a second OS account.
pub trait PeerIdentity: Send + Sync {
    fn operator(&self, stream: &UnixStream) -> std::io::Result<String>;
}

pub struct KernelPeer;

impl PeerIdentity for KernelPeer {
    fn operator(&self, stream: &UnixStream) -> std::io::Result<String> {
        let uid = peer_uid(stream)?;
        Ok(user_name(uid).unwrap_or_else(|| format!("uid{uid}")))
    }
}

fn peer_uid(stream: &UnixStream) -> std::io::Result<u32> {
    let mut cred = libc::ucred { pid: 0, uid: 0, gid: 0 };
    let mut len = std::mem::size_of::<libc::ucred>() as libc::socklen_t;
    // SAFETY: `cred` and `len` are valid for writes of the sizes given, and
    // the descriptor belongs to `stream` for the duration of the call.
    let rc = unsafe {
        libc::getsockopt(stream.as_raw_fd(), libc::SOL_SOCKET, libc::SO_PEERCRED, (&mut cred as *mut libc::ucred).cast(), &mut len)
    };
    if rc != 0 {
        return Err(std::io::Error::last_os_error());
    }
    Ok(cred.uid)
}

/// The account name of `uid` from the system's user database.
pub fn user_name(uid: u32) -> Option<String> {
    let mut buf = vec![0 as libc::c_char; 4096];
    let mut pwd: libc::passwd = unsafe { std::mem::zeroed() };
    let mut result: *mut libc::passwd = std::ptr::null_mut();
    // SAFETY: every pointer is to a live local of the right type and size;
    // the returned strings point into `buf`, read before it is dropped.
    let rc = unsafe { libc::getpwuid_r(uid, &mut pwd, buf.as_mut_ptr(), buf.len(), &mut result) };
    if rc != 0 || result.is_null() || pwd.pw_name.is_null() {
        return None;
    }
    // SAFETY: getpwuid_r succeeded, so pw_name is a NUL-terminated string in `buf`.
    let name = unsafe { std::ffi::CStr::from_ptr(pwd.pw_name) };
    Some(name.to_string_lossy().into_owned())
}
