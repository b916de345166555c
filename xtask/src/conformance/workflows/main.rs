//! The real-server workflows, written by `cargo xtask conformance --servers` into
//! `target/conformance/workflows`: each drives one server, started by the harness, through the
//! client generated from the document that server publishes, and prints one JSON line per step.
//!
//! usage: conformance-workflows SERVER BASE_URL

mod chroma;
mod prefect;

/// The steps of a workflow and how each went.
#[derive(Default)]
pub struct Steps {
    failed: usize,
}

impl Steps {
    /// Records a step; passes its value on when it succeeded.
    pub fn check<T>(&mut self, step: &str, outcome: Result<T, String>) -> Option<T> {
        let (passed, detail) = match &outcome {
            Ok(_) => (true, String::new()),
            Err(e) => (false, e.clone()),
        };
        self.failed += usize::from(!passed);
        println!("{}", serde_json::json!({"step": step, "passed": passed, "detail": detail}));
        outcome.ok()
    }
}

/// An answer that must be an error with `status`. Its body is read as the API's error type
/// when it is one; servers also send errors their document does not describe (FastAPI's
/// `{"detail": "…"}`), which arrive as `UnexpectedStatus` with their raw body.
pub fn expect_status<T: std::fmt::Debug, E: std::fmt::Debug>(
    result: Result<T, impl Into<ErrorView<E>>>,
    status: u16,
) -> Result<(), String> {
    match result {
        Ok(value) => Err(format!("succeeded where {status} was expected: {value:?}")),
        Err(error) => {
            let view = error.into();
            if view.status != Some(status) && !(status == 400 && view.status.is_some_and(|s| (400..500).contains(&s))) {
                return Err(format!("expected {status}, got {:?}: {}", view.status, view.text));
            }
            if view.text.is_empty() {
                return Err(format!("the {status} answer says nothing"));
            }
            Ok(())
        }
    }
}

/// What a workflow needs of any generated client's error.
pub struct ErrorView<E> {
    status: Option<u16>,
    text: String,
    _body: std::marker::PhantomData<E>,
}

macro_rules! error_view {
    ($krate:ident) => {
        impl<E: std::fmt::Debug> From<$krate::Error<E>> for ErrorView<E> {
            fn from(error: $krate::Error<E>) -> Self {
                ErrorView {
                    status: error.status().map(|s| s.as_u16()),
                    text: error.to_string(),
                    _body: std::marker::PhantomData,
                }
            }
        }
    };
}
error_view!(chroma_live);
error_view!(prefect_live);

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [server, base] = args.as_slice() else {
        eprintln!("usage: conformance-workflows SERVER BASE_URL");
        std::process::exit(2);
    };
    let mut steps = Steps::default();
    match server.as_str() {
        "chroma" => chroma::run(base, &mut steps).await,
        "prefect" => prefect::run(base, &mut steps).await,
        other => {
            eprintln!("no workflow for {other}");
            std::process::exit(2);
        }
    }
    std::process::exit(i32::from(steps.failed > 0));
}
