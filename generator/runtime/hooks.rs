//! The user's own code around every call the client sends to the API: metrics, logging of their
//! own, request signing, extra headers. Hooks are plain synchronous functions, run per attempt
//! in the order given: a retried call runs them again, and uploads to storage URLs (which carry
//! their own authorisation) run none.

use std::time::Duration;

use reqwest::header::HeaderMap;
use reqwest::StatusCode;

/// What a hook is told about the call: which operation, and which attempt of it.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct CallInfo {
    /// The operation's id in the API description (`getUpload`).
    pub operation: &'static str,
    pub method: reqwest::Method,
    /// The path template (`/uploads/{upload_id}`): the request holds the path itself.
    pub path_template: &'static str,
    /// 1 for the first attempt, 2 for the first retry…
    pub attempt: u32,
}

/// How an attempt ended, as far as its head: the body is read afterwards.
#[derive(Debug)]
#[non_exhaustive]
pub enum Outcome<'a> {
    Answered { status: StatusCode, headers: &'a HeaderMap },
    /// No answer: the connection failed, or the attempt timed out.
    Failed(&'a reqwest::Error),
}

/// Code run around every attempt of every call ([`ClientBuilder::hooks`](crate::ClientBuilder::hooks)).
pub trait Hooks: Send + Sync + 'static {
    /// Before an attempt is sent, with the request as it will go (credentials included): add or
    /// change headers, sign it. An `Err` stops the call with [`Error::InvalidRequest`](crate::Error::InvalidRequest).
    fn before(&self, call: &CallInfo, request: &mut reqwest::Request) -> Result<(), String> {
        let _ = (call, request);
        Ok(())
    }

    /// When an attempt's answer head arrives, or the attempt fails, `elapsed` after it was sent.
    fn after(&self, call: &CallInfo, outcome: Outcome<'_>, elapsed: Duration) {
        let _ = (call, outcome, elapsed);
    }
}

/// The hooks a client runs, in order; `Debug` counts them.
#[derive(Clone, Default)]
pub(crate) struct HookList(pub(crate) Vec<std::sync::Arc<dyn Hooks>>);

impl std::fmt::Debug for HookList {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} hook(s)", self.0.len())
    }
}
