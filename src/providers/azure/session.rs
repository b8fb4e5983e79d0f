//! One account's connection to Azure Resource Manager: the credential (one token for the
//! account), the generated compute and network clients, and an azure_core pipeline for what the
//! generated clients cannot do (raw list pages, operation polls, resource groups). All of them
//! share the credential and the retry options, so throttling (429 with `Retry-After`) is backed
//! off the same way everywhere.

use std::sync::Arc;
use std::time::Duration;

use azure_core::auth::TokenCredential;
use azure_core::headers::{HeaderName, Headers};
use azure_core::{
    ClientOptions, Context, ExponentialRetryOptions, Method, Pipeline, RetryOptions, Url,
};
use serde_json::Value;

use super::arm::Page;
use super::errors::{self, Context as ErrCx};
use crate::providers::{ErrorKind, OperationHandle, ProviderError, Result};

/// The public cloud's ARM endpoint.
pub const PUBLIC_ARM: &str = "https://management.azure.com";

/// How long one call (all its retries included) may take.
pub const CALL_TIMEOUT: Duration = Duration::from_secs(60);

/// What the account's config says about reaching ARM.
#[derive(Debug, Clone)]
pub struct SessionSettings {
    pub subscription: String,
    pub tenant: Option<String>,
    pub endpoint: Url,
    /// The token scope; derived from the endpoint unless it is the public cloud or loopback.
    pub scope: String,
    pub retry: RetryOptions,
}

impl SessionSettings {
    /// Settings for `endpoint_url` (or the public cloud), with ARM's own retry advice: up to 4
    /// retries, starting at 1 s, never less than a 429's `Retry-After`.
    pub fn new(
        subscription: &str,
        tenant: Option<&str>,
        endpoint_url: Option<&str>,
    ) -> Result<Self> {
        let text = endpoint_url.unwrap_or(PUBLIC_ARM);
        let endpoint = Url::parse(text).map_err(|e| {
            ProviderError::new(ErrorKind::Invalid, format!("endpoint_url '{text}': {e}"))
        })?;
        let host = endpoint.host_str().unwrap_or_default();
        let scope = if host == "management.azure.com" || host == "127.0.0.1" || host == "localhost"
        {
            super::credentials::ARM_SCOPE.to_string()
        } else {
            // Sovereign clouds and Azure Stack: the ARM endpoint is the token's audience.
            format!("{}/.default", text.trim_end_matches('/'))
        };
        Ok(SessionSettings {
            subscription: subscription.to_string(),
            tenant: tenant.map(str::to_string),
            endpoint,
            scope,
            retry: RetryOptions::exponential(
                ExponentialRetryOptions::default()
                    .max_retries(4u32)
                    .initial_delay(Duration::from_secs(1))
                    .max_total_elapsed(Duration::from_secs(45)),
            ),
        })
    }
}

pub struct Session {
    pub settings: SessionSettings,
    credential: Arc<dyn TokenCredential>,
    pub compute: azure_mgmt_compute::Client,
    pub network: azure_mgmt_network::Client,
    pipeline: Pipeline,
}

/// An accepted change's headers: where to follow it.
pub fn operation_of(headers: &Headers) -> Option<OperationHandle> {
    let async_op = headers.get_optional_str(&HeaderName::from_static("azure-asyncoperation"));
    let location = headers.get_optional_str(&HeaderName::from_static("location"));
    super::operations::handle(async_op, location)
}

/// `Retry-After` in seconds.
pub fn retry_after(headers: &Headers) -> Option<Duration> {
    headers
        .get_optional_str(&HeaderName::from_static("retry-after"))
        .and_then(|s| s.trim().parse::<u64>().ok())
        .map(Duration::from_secs)
}

impl Session {
    pub fn new(settings: SessionSettings, credential: Arc<dyn TokenCredential>) -> Self {
        let options = ClientOptions::default().retry(settings.retry.clone());
        let scopes = [settings.scope.as_str()];
        let compute = azure_mgmt_compute::ClientBuilder::new(credential.clone())
            .endpoint(settings.endpoint.clone())
            .scopes(&scopes)
            .retry(settings.retry.clone())
            .build()
            .expect("the endpoint was parsed and the scope given");
        let network = azure_mgmt_network::ClientBuilder::new(credential.clone())
            .endpoint(settings.endpoint.clone())
            .scopes(&scopes)
            .retry(settings.retry.clone())
            .build()
            .expect("the endpoint was parsed and the scope given");
        let pipeline = Pipeline::new(
            Some("nephos"),
            Some(env!("CARGO_PKG_VERSION")),
            options,
            Vec::new(),
            Vec::new(),
        );
        Session {
            settings,
            credential,
            compute,
            network,
            pipeline,
        }
    }

    pub fn subscription(&self) -> &str {
        &self.settings.subscription
    }

    pub fn cx(&self) -> ErrCx<'_> {
        ErrCx {
            subscription: &self.settings.subscription,
            tenant: self.settings.tenant.as_deref(),
        }
    }

    pub fn err(&self, e: &azure_core::Error) -> ProviderError {
        errors::from_core(e, &self.cx())
    }

    /// A call with the account's time limit.
    pub async fn timed<T>(
        &self,
        f: impl std::future::Future<Output = azure_core::Result<T>>,
    ) -> Result<T> {
        match tokio::time::timeout(CALL_TIMEOUT, f).await {
            Ok(Ok(v)) => Ok(v),
            Ok(Err(e)) => Err(self.err(&e)),
            Err(_) => Err(ProviderError::new(
                ErrorKind::Timeout,
                format!("Azure did not answer within {} s", CALL_TIMEOUT.as_secs()),
            )),
        }
    }

    /// A URL on the account's endpoint: `path_and_query` as ARM spells it.
    pub fn url(&self, path_and_query: &str) -> Result<Url> {
        self.settings.endpoint.join(path_and_query).map_err(|e| {
            ProviderError::new(
                ErrorKind::Invalid,
                format!("bad ARM path {path_and_query}: {e}"),
            )
        })
    }

    /// Whether `url` is on the account's endpoint (the only place its token is sent).
    pub fn is_ours(&self, url: &Url) -> bool {
        let e = &self.settings.endpoint;
        url.scheme() == e.scheme()
            && url.host_str() == e.host_str()
            && url.port_or_known_default() == e.port_or_known_default()
    }

    /// Send one request through the pipeline with the account's token. Non-2xx answers come
    /// back as azure_core errors (the retry policy turns them so).
    pub async fn send(
        &self,
        method: Method,
        url: Url,
        body: Option<&Value>,
    ) -> Result<(u16, Headers, Vec<u8>)> {
        self.send_with(method, url, body, &[]).await
    }

    /// [`Session::send`] with extra request headers (such as `If-Match`).
    pub async fn send_with(
        &self,
        method: Method,
        url: Url,
        body: Option<&Value>,
        extra: &[(&'static str, String)],
    ) -> Result<(u16, Headers, Vec<u8>)> {
        if !self.is_ours(&url) {
            return Err(ProviderError::new(
                ErrorKind::Invalid,
                format!(
                    "refusing to send the account's token to {} (not its endpoint {})",
                    url.origin().ascii_serialization(),
                    self.settings.endpoint.origin().ascii_serialization()
                ),
            ));
        }
        let fut = async {
            let token = self
                .credential
                .get_token(&[self.settings.scope.as_str()])
                .await?;
            let mut req = azure_core::Request::new(url, method);
            req.insert_header(
                azure_core::headers::AUTHORIZATION,
                format!("Bearer {}", token.token.secret()),
            );
            for (name, value) in extra {
                req.insert_header(HeaderName::from_static(name), value.clone());
            }
            match body {
                Some(b) => {
                    req.insert_header(azure_core::headers::CONTENT_TYPE, "application/json");
                    req.set_body(serde_json::to_vec(b).unwrap_or_default());
                }
                None => req.set_body(azure_core::EMPTY_BODY),
            }
            let rsp = self.pipeline.send(&Context::new(), &mut req).await?;
            let (status, headers, body) = rsp.deconstruct();
            let bytes = body.collect().await?;
            Ok((u16::from(status), headers, bytes.to_vec()))
        };
        self.timed(fut).await
    }

    /// Every row of a list, following `nextLink` (absolute, on the endpoint) to the end.
    pub async fn pages(&self, path_and_query: &str) -> Result<Vec<Value>> {
        let mut url = self.url(path_and_query)?;
        let mut rows = Vec::new();
        for _ in 0..100_000 {
            let (_, _, body) = self.send(Method::Get, url, None).await?;
            let page: Page = serde_json::from_slice(&body).map_err(|e| unreadable(&e))?;
            rows.extend(page.value);
            match page.next_link.filter(|l| !l.is_empty()) {
                Some(next) => {
                    url = self.settings.endpoint.join(&next).map_err(|e| {
                        ProviderError::new(
                            ErrorKind::Unavailable,
                            format!("ARM gave a nextLink that is not a URL ({e})"),
                        )
                    })?;
                }
                None => return Ok(rows),
            }
        }
        Err(ProviderError::new(
            ErrorKind::Unavailable,
            "ARM kept giving nextLinks: stopped after 100,000 pages",
        ))
    }

    /// The answer of a generated client's `.send()`: status, headers and raw body.
    pub async fn raw(
        &self,
        f: impl std::future::Future<Output = azure_core::Result<azure_core::Response>>,
    ) -> Result<(u16, Headers, Vec<u8>)> {
        self.timed(async {
            let rsp = f.await?;
            let (status, headers, body) = rsp.deconstruct();
            let bytes = body.collect().await?;
            Ok((u16::from(status), headers, bytes.to_vec()))
        })
        .await
    }
}

pub fn parse(body: &[u8]) -> Result<Value> {
    if body.is_empty() {
        return Ok(Value::Null);
    }
    serde_json::from_slice(body).map_err(|e| unreadable(&e))
}

fn unreadable(e: &serde_json::Error) -> ProviderError {
    ProviderError::new(
        ErrorKind::Unavailable,
        format!("Azure's answer could not be read: {e}"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_token_scope_follows_the_endpoint() {
        let s = SessionSettings::new("s", None, None).unwrap();
        assert_eq!(s.scope, "https://management.azure.com/.default");
        let s =
            SessionSettings::new("s", None, Some("https://management.usgovcloudapi.net/")).unwrap();
        assert_eq!(s.scope, "https://management.usgovcloudapi.net/.default");
        let s = SessionSettings::new("s", None, Some("http://127.0.0.1:8080")).unwrap();
        assert_eq!(s.scope, "https://management.azure.com/.default");
        assert!(SessionSettings::new("s", None, Some("not a url")).is_err());
    }
}
