//! A loopback Compute Engine v1 stub, written from the discovery document `compute.v1.json`
//! (revision 20261106; inside the PyPI wheel google-api-python-client,
//! googleapiclient/discovery_cache/documents/compute.v1.json; Apache-2.0). It serves what the
//! adapter calls — aggregated lists, instances, disks, machine types, target pools, forwarding
//! rules and zone/region/global Operations — on 127.0.0.1 only, from its own thread and runtime,
//! so the real google-cloud-compute-v1 client talks to it over HTTP.

pub mod backends;
pub mod compute;
pub mod lb;
pub mod networks;
pub mod routes;
pub mod wire;
pub mod world;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use nephos::config::{AccountConfig, ProviderSettings};
use nephos::domain::ProviderKind;
use nephos::providers::gcp::{GcpProvider, GcpSettings};

pub use world::{Fault, World};

type Shared = Arc<Mutex<World>>;

pub struct Stub {
    pub url: String,
    pub world: Shared,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

async fn serve(
    State(world): State<Shared>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let started = Instant::now();
    let (code, value) = {
        let mut w = world.lock().unwrap();
        if let Some(a) = headers.get(header::AUTHORIZATION) {
            w.authorizations
                .push(a.to_str().unwrap_or_default().to_string());
        }
        routes::handle(
            &mut w,
            method.as_str(),
            uri.path(),
            uri.query().unwrap_or(""),
            &body,
        )
    };
    let text = value.to_string();
    world.lock().unwrap().serving += started.elapsed();
    let mut r = (
        StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
        [(header::CONTENT_TYPE, "application/json; charset=UTF-8")],
        text,
    )
        .into_response();
    if code == 429 {
        r.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
    }
    r
}

impl Stub {
    pub fn start(world: World) -> Stub {
        let world: Shared = Arc::new(Mutex::new(world));
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        listener.set_nonblocking(true).unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let shared = world.clone();
        let thread = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async move {
                let app = axum::Router::new().fallback(serve).with_state(shared);
                let l = tokio::net::TcpListener::from_std(listener).unwrap();
                let _ = axum::serve(l, app)
                    .with_graceful_shutdown(async {
                        let _ = rx.await;
                    })
                    .await;
            });
        });
        Stub {
            url,
            world,
            stop: Some(tx),
            thread: Some(thread),
        }
    }

    pub fn with<T>(&self, f: impl FnOnce(&mut World) -> T) -> T {
        f(&mut self.world.lock().unwrap())
    }

    /// Settings that point at the stub, with short backoffs and polls for tests.
    pub fn settings(&self, project: &str) -> GcpSettings {
        GcpSettings {
            endpoint_url: Some(self.url.clone()),
            initial_backoff: Duration::from_millis(20),
            wait_poll: Duration::from_millis(20),
            step_wait: Duration::from_secs(10),
            ..GcpSettings::new(project)
        }
    }

    pub fn provider_with(
        &self,
        name: &str,
        regions: &[&str],
        read_only: bool,
        s: GcpSettings,
    ) -> GcpProvider {
        let a = account(name, &s.project, regions, Some(&self.url));
        GcpProvider::with_settings(&a, read_only, s)
    }

    pub fn provider(&self, project: &str, regions: &[&str]) -> GcpProvider {
        self.provider_with(
            &format!("gcp-{project}"),
            regions,
            false,
            self.settings(project),
        )
    }
}

pub fn account(name: &str, project: &str, regions: &[&str], url: Option<&str>) -> AccountConfig {
    AccountConfig {
        name: name.to_string(),
        provider: ProviderKind::Gcp,
        read_only: false,
        regions: regions.iter().map(|r| r.to_string()).collect(),
        settings: ProviderSettings::Gcp {
            project: project.to_string(),
            credentials_file: None,
            endpoint_url: url.map(str::to_string),
        },
    }
}

impl Drop for Stub {
    fn drop(&mut self) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}
