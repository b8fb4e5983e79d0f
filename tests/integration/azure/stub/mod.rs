//! A loopback Azure Resource Manager stub (127.0.0.1 only), written from the REST API specs'
//! examples (see world.rs for the files followed). It pages with absolute nextLinks, puts power
//! state only in instance views, answers every change 202 with the Azure-AsyncOperation,
//! Location and Retry-After headers (InProgress before Succeeded, or Failed with an error),
//! spells back-reference ids with the resource group upper-cased, throttles with 429 and
//! Retry-After on demand, refuses a disk in use with 409 and an unreadable subscription with 403
//! AuthorizationFailed.

mod http;
pub mod networks;
pub mod world;

use std::sync::{Arc, Mutex};

pub use world::World;

pub struct ArmStub {
    pub url: String,
    pub world: Arc<Mutex<World>>,
    _shutdown: Option<tokio::sync::oneshot::Sender<()>>,
}

pub const SUB: &str = "0b1f6471-1bf0-4dda-aec3-cb9272f09590";
pub const FORBIDDEN_SUB: &str = "9e2f1c3a-0000-4000-8000-00000000dead";
pub const RG: &str = "rg-Web";

impl ArmStub {
    /// A stub with the readable subscription `SUB` (FORBIDDEN_SUB answers 403).
    pub fn start() -> ArmStub {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        listener.set_nonblocking(true).unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let mut w = World::new(&url);
        w.readable.insert(SUB.to_ascii_lowercase());
        w.groups.insert(World::rg_id(SUB, RG).to_ascii_lowercase());
        let world = Arc::new(Mutex::new(w));
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let w2 = world.clone();
        std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async move {
                let listener = tokio::net::TcpListener::from_std(listener).unwrap();
                let app = axum::Router::new().fallback(move |req| http::handle(w2.clone(), req));
                axum::serve(listener, app)
                    .with_graceful_shutdown(async {
                        let _ = rx.await;
                    })
                    .await
                    .unwrap();
            });
        });
        ArmStub {
            url,
            world,
            _shutdown: Some(tx),
        }
    }

    pub fn with<T>(&self, f: impl FnOnce(&mut World) -> T) -> T {
        f(&mut self.world.lock().unwrap())
    }

    /// Requests whose path contains `needle` (case-insensitive).
    pub fn count(&self, needle: &str) -> usize {
        let n = needle.to_ascii_lowercase();
        self.with(|w| {
            w.requests
                .iter()
                .filter(|(_, p)| p.to_ascii_lowercase().contains(&n))
                .count()
        })
    }
}
