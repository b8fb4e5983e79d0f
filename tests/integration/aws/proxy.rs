//! A loopback HTTP proxy in front of moto that answers chosen calls with AWS error responses
//! (throttling, auth, state errors moto never raises) and can shrink page sizes so paging is
//! exercised with few resources. It counts every call by its `Action`. It can also route each
//! call to one moto_server per region (by the SigV4 credential scope), as AWS has a separate
//! endpoint per region; the AWS list benchmark uses that (tests/benches/aws_list.rs).

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};

/// Answer the next `times` calls of `action` with this error instead of forwarding them.
#[derive(Clone)]
pub struct Fault {
    pub action: &'static str,
    pub times: usize,
    pub status: u16,
    pub code: &'static str,
    pub message: &'static str,
}

#[derive(Default)]
struct Shared {
    faults: Vec<Fault>,
    calls: HashMap<String, usize>,
    faulted: HashMap<String, usize>,
    /// Replace `MaxResults=1000` with this page size in forwarded calls.
    page_size: Option<u32>,
}

#[derive(Clone)]
pub struct Proxy {
    pub port: u16,
    shared: Arc<Mutex<Shared>>,
}

/// Where calls go: one server, or one per region.
#[derive(Clone)]
pub enum Upstream {
    One(u16),
    ByRegion(HashMap<String, u16>),
}

impl Upstream {
    fn port(&self, headers: &[(String, String)]) -> u16 {
        match self {
            Upstream::One(p) => *p,
            Upstream::ByRegion(map) => {
                // Authorization: AWS4-HMAC-SHA256 Credential=AKID/20260101/eu-west-1/ec2/aws4_request, …
                let region = headers
                    .iter()
                    .find(|(k, _)| k.eq_ignore_ascii_case("authorization"))
                    .and_then(|(_, v)| v.split("Credential=").nth(1))
                    .and_then(|c| c.split('/').nth(2))
                    .unwrap_or_default();
                *map.get(region)
                    .unwrap_or_else(|| panic!("no upstream for region '{region}'"))
            }
        }
    }
}

impl Proxy {
    pub fn start(upstream: u16) -> Proxy {
        Proxy::start_to(Upstream::One(upstream))
    }

    pub fn start_to(upstream: Upstream) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let shared = Arc::new(Mutex::new(Shared::default()));
        let s = shared.clone();
        std::thread::spawn(move || {
            for conn in listener.incoming().flatten() {
                let (s, up) = (s.clone(), upstream.clone());
                std::thread::spawn(move || serve(conn, up, s));
            }
        });
        Proxy { port, shared }
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub fn fault(&self, f: Fault) {
        self.shared.lock().unwrap().faults.push(f);
    }

    pub fn page_size(&self, n: u32) {
        self.shared.lock().unwrap().page_size = Some(n);
    }

    /// Calls of `action` that reached the proxy (answered or forwarded).
    pub fn calls(&self, action: &str) -> usize {
        *self.shared.lock().unwrap().calls.get(action).unwrap_or(&0)
    }

    /// Calls of `action` the proxy answered with an error.
    pub fn faulted(&self, action: &str) -> usize {
        *self
            .shared
            .lock()
            .unwrap()
            .faulted
            .get(action)
            .unwrap_or(&0)
    }
}

fn serve(conn: TcpStream, upstream: Upstream, shared: Arc<Mutex<Shared>>) {
    let mut reader = BufReader::new(conn.try_clone().unwrap());
    let mut out = conn;
    loop {
        let mut request_line = String::new();
        if reader.read_line(&mut request_line).unwrap_or(0) == 0 {
            return;
        }
        let mut parts = request_line.split_whitespace();
        let (method, path) = (
            parts.next().unwrap_or("GET").to_string(),
            parts.next().unwrap_or("/").to_string(),
        );
        let mut headers = Vec::new();
        let mut length = 0usize;
        loop {
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            let line = line.trim_end().to_string();
            if line.is_empty() {
                break;
            }
            if let Some((k, v)) = line.split_once(':') {
                if k.eq_ignore_ascii_case("content-length") {
                    length = v.trim().parse().unwrap_or(0);
                }
                headers.push((k.trim().to_string(), v.trim().to_string()));
            }
        }
        let mut body = vec![0u8; length];
        reader.read_exact(&mut body).unwrap();
        let mut text = String::from_utf8_lossy(&body).into_owned();
        let action = text
            .split('&')
            .find_map(|kv| kv.strip_prefix("Action="))
            .unwrap_or("")
            .to_string();
        let fault = {
            let mut s = shared.lock().unwrap();
            *s.calls.entry(action.clone()).or_default() += 1;
            if let Some(n) = s.page_size {
                text = text.replace("MaxResults=1000", &format!("MaxResults={n}"));
            }
            let hit = s
                .faults
                .iter_mut()
                .find(|f| f.action == action && f.times > 0)
                .map(|f| {
                    f.times -= 1;
                    f.clone()
                });
            if hit.is_some() {
                *s.faulted.entry(action.clone()).or_default() += 1;
            }
            hit
        };
        let (status, content_type, reply) = match fault {
            Some(f) => (f.status, "text/xml".to_string(), error_body(&headers, &f)),
            None => forward(
                upstream.port(&headers),
                &method,
                &path,
                &headers,
                text.as_bytes(),
            ),
        };
        let head = format!(
            "HTTP/1.1 {status} X\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
            reply.len()
        );
        if out.write_all(head.as_bytes()).is_err() || out.write_all(&reply).is_err() {
            return;
        }
    }
}

/// An error in the answering service's own format: EC2's `<Response><Errors>`, or the
/// `<ErrorResponse>` of the other query-protocol services (ELBv2).
fn error_body(headers: &[(String, String)], f: &Fault) -> Vec<u8> {
    let service = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("authorization"))
        .and_then(|(_, v)| v.split("Credential=").nth(1))
        .and_then(|c| c.split('/').nth(3))
        .unwrap_or("ec2");
    let xml = if service == "ec2" {
        format!(
            "<Response><Errors><Error><Code>{}</Code><Message>{}</Message></Error></Errors><RequestID>proxy-1</RequestID></Response>",
            f.code, f.message
        )
    } else {
        format!(
            "<ErrorResponse><Error><Type>Sender</Type><Code>{}</Code><Message>{}</Message></Error><RequestId>proxy-1</RequestId></ErrorResponse>",
            f.code, f.message
        )
    };
    format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{xml}").into_bytes()
}

/// Send the call on to moto. The body may have changed size, and the signature covers neither
/// the body's length header nor moto's checks (moto does not verify signatures).
fn forward(
    upstream: u16,
    method: &str,
    path: &str,
    headers: &[(String, String)],
    body: &[u8],
) -> (u16, String, Vec<u8>) {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let url = format!("http://127.0.0.1:{upstream}{path}");
    let mut req = ureq::http::Request::builder().method(method).uri(&url);
    for (k, v) in headers {
        let lower = k.to_ascii_lowercase();
        if lower == "content-length" || lower == "host" || lower == "transfer-encoding" {
            continue;
        }
        req = req.header(k, v);
    }
    let req = req.body(body.to_vec()).unwrap();
    let mut resp = agent.run(req).expect("moto answers");
    let status = resp.status().as_u16();
    let ct = resp
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("text/xml")
        .to_string();
    let mut bytes = Vec::new();
    resp.body_mut().as_reader().read_to_end(&mut bytes).unwrap();
    (status, ct, bytes)
}
