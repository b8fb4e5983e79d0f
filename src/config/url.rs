//! The one URL the config holds, `endpoint_url` (a local emulator, a proxy, a private
//! endpoint): checked when the file is read, so a typo is an error on its line instead of a
//! connection failure on every call.

/// `Ok` for `http(s)://HOST[:PORT][/PATH]`; otherwise what is wrong, with the URL quoted unless
/// it holds credentials.
pub fn check_endpoint(url: &str) -> Result<(), String> {
    let quoted = format!("'{url}'");
    let rest = strip_scheme(url).ok_or_else(|| {
        format!("{quoted} is not an http(s) URL (write http://HOST:PORT or https://HOST)")
    })?;
    if let Some(c) = url.chars().find(|c| c.is_whitespace() || c.is_control()) {
        return Err(format!(
            "{} holds {}, which a URL cannot",
            quoted.escape_debug(),
            if c == ' ' {
                "a space"
            } else {
                "a control character"
            }
        ));
    }
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if authority.contains('@') {
        // Not quoted: it would show the password.
        return Err(
            "holds a user name or password, which do not belong in the config (credentials stay in the profile)"
                .into(),
        );
    }
    let (host, port) = split_host_port(authority)
        .ok_or_else(|| format!("{quoted} has no host (write http://HOST:PORT)"))?;
    if !host_ok(host) {
        return Err(format!(
            "{quoted}: '{host}' is not a host name or IP address"
        ));
    }
    if let Some(p) = port {
        match p.parse::<u16>() {
            Ok(n) if n > 0 && p.len() <= 5 && p.bytes().all(|b| b.is_ascii_digit()) => {}
            _ => {
                return Err(format!(
                    "{quoted}: the port '{p}' is not a number from 1 to 65535"
                ))
            }
        }
    }
    Ok(())
}

fn strip_scheme(url: &str) -> Option<&str> {
    ["http://", "https://"].iter().find_map(|s| {
        url.get(..s.len())
            .filter(|p| p.eq_ignore_ascii_case(s))
            .map(|_| &url[s.len()..])
    })
}

/// `host[:port]` or `[v6][:port]`; None when there is no host.
fn split_host_port(authority: &str) -> Option<(&str, Option<&str>)> {
    if let Some(v6) = authority.strip_prefix('[') {
        let (host, after) = v6.split_once(']')?;
        let port = match after {
            "" => None,
            p => Some(p.strip_prefix(':')?),
        };
        let ok = !host.is_empty()
            && host
                .chars()
                .all(|c| c.is_ascii_hexdigit() || c == ':' || c == '.');
        return ok.then_some((authority, port));
    }
    let (host, port) = match authority.split_once(':') {
        Some((h, p)) => (h, Some(p)),
        None => (authority, None),
    };
    (!host.is_empty()).then_some((host, port))
}

fn host_ok(host: &str) -> bool {
    host.starts_with('[')
        || (host.len() <= 253
            && !host.starts_with(['.', '-'])
            && !host.contains("..")
            && host
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_')))
}
