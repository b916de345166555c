//! Writes the conformance driver crate: for each API, one function per operation that calls the
//! generated client as a user would (group handle, method, required arguments, the optional
//! parameters the document gives a value for, `.await`), with arguments made from the
//! document's schemas and read into the client's own types.

use std::fmt::Write as _;

use clientgen::ir::{Api, Auth, Media, Operation, ParamLocation, Ty};

use super::schemas::Document;

const MAIN: &str = include_str!("driver_main.rs");

/// One API of the driver: its module name, the generated crate it calls, and what to call.
pub struct Target<'a> {
    pub module: String,
    pub crate_name: String,
    pub crate_path: String,
    pub api: &'a Api,
    pub document: Document<'a>,
}

/// The driver's files: `Cargo.toml`, `src/main.rs`, `src/apis/mod.rs` and a module per API.
pub fn files(targets: &[Target]) -> Vec<(String, String)> {
    let mut manifest = String::from(
        "[package]\nname = \"conformance-driver\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
         [workspace]\n\n[dependencies]\n\
         bytes = \"1\"\n\
         chrono = { version = \"0.4.38\", default-features = false, features = [\"serde\", \"std\"] }\n\
         http-body-util = \"0.1\"\n\
         hyper = { version = \"1\", features = [\"server\", \"http1\"] }\n\
         hyper-util = { version = \"0.1\", features = [\"tokio\"] }\n\
         # Plain HTTP to the local mock, but the clients' default TLS (rustls with ring) reaches\n\
         # this reqwest too, and wants a provider installed before any client is built.\n\
         reqwest = { version = \"0.13\", default-features = false }\n\
         rustls = { version = \"0.23\", default-features = false, features = [\"ring\", \"std\"] }\n\
         serde = \"1\"\nserde_json = \"1\"\n\
         tokio = { version = \"1\", features = [\"macros\", \"rt\", \"net\"] }\n",
    );
    let mut dispatch =
        String::from("//! The APIs this driver calls.\n\n#![allow(clippy::all, unused, deprecated)]\n\n");
    let mut arms = String::new();
    let mut files = Vec::new();
    for t in targets {
        // The driver reads arguments from JSON and records answers as JSON, as a mock would.
        let _ = writeln!(manifest, "{} = {{ path = {:?}, features = [\"full-serde\"] }}", t.crate_name, t.crate_path);
        let _ = writeln!(dispatch, "mod {};", t.module);
        let _ = writeln!(arms, "        {:?} => {}::run(base, report).await,", t.module, t.module);
        files.push((format!("src/apis/{}.rs", t.module), module(t)));
    }
    let _ = write!(
        dispatch,
        "\n/// Calls every operation of `api`; false when the driver has no such API.\n\
         pub async fn run(api: &str, base: &str, report: &mut dyn FnMut(&'static str, crate::Outcome)) -> bool {{\n    \
         match api {{\n{arms}        _ => return false,\n    }}\n    true\n}}\n"
    );
    files.push(("Cargo.toml".into(), manifest));
    files.push(("src/main.rs".into(), MAIN.to_string()));
    files.push(("src/apis/mod.rs".into(), dispatch));
    files
}

fn module(t: &Target) -> String {
    let api = t.api;
    let krate = t.crate_name.replace('-', "_");
    // Every scheme the document declares, as a user of such an API would configure them.
    let mut credentials = String::new();
    for auth in &api.auth {
        let line = match auth {
            Auth::Bearer => ".bearer_token(\"conformance-token\")".to_string(),
            Auth::Basic if !api.auth.contains(&Auth::Bearer) => {
                ".basic_auth(\"conformance\", \"conformance-password\")".to_string()
            }
            Auth::Basic => continue,
            Auth::ApiKey { location, name } => {
                let location = match location {
                    ParamLocation::Query => "Query",
                    ParamLocation::Cookie => "Cookie",
                    _ => "Header",
                };
                format!(".api_key_in(api::KeyLocation::{location}, {name:?}, \"conformance-key\")")
            }
        };
        credentials.push_str(&line);
        credentials.push_str("\n        ");
    }
    let mut out = format!(
        "//! Every operation of `{krate}`.\n\n\
         use {krate} as api;\nuse crate::{{arg, Outcome}};\n\n\
         pub async fn run(base: &str, report: &mut dyn FnMut(&'static str, Outcome)) {{\n    \
         let client = api::Client::builder()\n        .base_url(base)\n        {credentials}\
         .retry_policy(api::RetryPolicy::never())\n        .build()\n        .expect(\"a client\");\n"
    );
    for (i, op) in api.operations.iter().enumerate() {
        let _ = writeln!(out, "    report({:?}, call_{i}(&client).await);", op.operation_id);
    }
    out.push_str("}\n");
    for (i, op) in api.operations.iter().enumerate() {
        out.push_str(&call(t, i, op));
    }
    out.push_str(OUTCOME);
    out
}

/// Reads what the client returned into an [`Outcome`].
const OUTCOME: &str = "
fn outcome<T, E>(
    result: Result<T, api::Error<E>>,
    value: impl FnOnce(&T) -> Option<serde_json::Value>,
    given: Option<&'static str>,
) -> Outcome {
    let (kind, detail, value, error_parsed) = match result {
        Ok(v) => (\"ok\", String::new(), value(&v), None),
        Err(api::Error::Api(e)) => (\"api-error\", String::new(), None, Some(e.body.is_some())),
        Err(api::Error::UnexpectedStatus(r)) => (\"unexpected-status\", String::new(), None, None),
        Err(api::Error::InvalidBody { source, .. }) => (\"invalid-body\", source.to_string(), None, None),
        Err(api::Error::Transport(e)) => (\"transport\", e.to_string(), None, None),
        Err(api::Error::InvalidRequest(m)) => (\"invalid-request\", m, None, None),
        Err(other) => (\"other\", other.to_string(), None, None),
    };
    Outcome { kind, detail, value, error_parsed, given }
}
";

fn call(t: &Target, index: usize, op: &Operation) -> String {
    let api = t.api;
    let doc = &t.document;
    let method = op.http_method.as_str();
    let parameters = doc.parameters(&op.path, method);
    let mut lets = String::new();
    let mut args = Vec::new();
    let mut setters = String::new();
    let mut given = "None".to_string();
    for (n, p) in op.params.iter().enumerate() {
        let raw = parameters.iter().find(|q| {
            q.get("name").and_then(|v| v.as_str()) == Some(p.wire_name.as_str())
                && q.get("in").and_then(|v| v.as_str()) == Some(location(p.location))
        });
        let schema = raw.and_then(|r| doc.parameter_schema(r));
        let says_its_value = schema
            .map(|s| doc.resolve(s))
            .is_some_and(|s| ["const", "enum", "example", "examples", "default"].iter().any(|k| s.get(*k).is_some()))
            || raw.is_some_and(|r| r.get("example").is_some());
        if !p.required && !says_its_value {
            continue;
        }
        let value = match (raw.and_then(|r| r.get("example")), schema) {
            (Some(example), _) => example.clone(),
            (None, Some(schema)) => doc.value(schema, 0),
            // An argument that fills the body: the value the body below is sent with there.
            (None, None) if p.location == ParamLocation::Body => op
                .body
                .as_ref()
                .and_then(|b| doc.body_schema(&op.path, method, &b.content_type))
                .and_then(|s| doc.value(s, 0).pointer(&p.wire_name).cloned())
                .unwrap_or(serde_json::Value::Null),
            (None, None) => serde_json::json!("text"),
        };
        let name = format!("p{n}");
        let _ = writeln!(lets, "    let {name}: {} = arg!({});", rust_ty(api, &p.ty), raw_string(&value));
        if p.required {
            args.push(name);
        } else {
            let _ = writeln!(setters, "        .{}({name})", p.name);
        }
    }
    if let Some(body) = &op.body {
        let expr = match (&body.ty, body.media) {
            (Ty::Content, _) => "api::Content::from_bytes(b\"conformance\".to_vec())".to_string(),
            (Ty::Bytes, _) => "bytes::Bytes::from_static(b\"conformance\")".to_string(),
            (ty, _) => {
                let schema = doc.body_schema(&op.path, method, &body.content_type);
                let value = schema.map_or(serde_json::json!({}), |s| doc.value(s, 0));
                let _ = writeln!(lets, "    let body: {} = arg!({});", rust_ty(api, ty), raw_string(&value));
                given = format!("Some({})", raw_string(&value));
                "body".to_string()
            }
        };
        if body.taken {
            args.push(expr);
        } else {
            let _ = writeln!(setters, "        .body({expr})");
        }
    }
    // The generator's own spelling of the way to the operation (`.sites().redirects().update`).
    let group = clientgen::emit::usage::group_accessors(api, op).to_string();
    let method = clientgen::emit::usage::method(op);
    let value = match op.output.single() {
        Some(body) if body.media == Media::Json => "|v| serde_json::to_value(v).ok()",
        _ => "|_| None",
    };
    format!(
        "\n/// `{} {}`\nasync fn call_{index}(client: &api::Client) -> Outcome {{\n{lets}    \
         let result = client{}\n        .{}({})\n{setters}        .await;\n    outcome(result, {value}, {given})\n}}\n",
        op.http_method.as_str().to_ascii_uppercase(),
        op.path,
        group,
        method,
        args.join(", "),
    )
}

fn location(location: ParamLocation) -> &'static str {
    match location {
        ParamLocation::Path => "path",
        ParamLocation::Query => "query",
        ParamLocation::Header => "header",
        ParamLocation::Cookie => "cookie",
        ParamLocation::Body => "body",
    }
}

/// A Rust raw string literal holding the JSON text of `value`.
fn raw_string(value: &serde_json::Value) -> String {
    let text = value.to_string();
    let mut hashes = String::from("#");
    while text.contains(&format!("\"{hashes}")) {
        hashes.push('#');
    }
    format!("r{hashes}\"{text}\"{hashes}")
}

/// The Rust type of a value the client takes, written from the driver.
fn rust_ty(api: &Api, ty: &Ty) -> String {
    match ty {
        Ty::Any => "serde_json::Value".into(),
        Ty::Unit => "()".into(),
        Ty::Bool => "bool".into(),
        Ty::I32 => "i32".into(),
        Ty::I64 => "i64".into(),
        Ty::U64 => "u64".into(),
        Ty::F64 => "f64".into(),
        Ty::String => "String".into(),
        Ty::DateTime => "chrono::DateTime<chrono::Utc>".into(),
        Ty::Date => "chrono::NaiveDate".into(),
        Ty::Bytes => "bytes::Bytes".into(),
        Ty::Content => "api::Content".into(),
        Ty::File => "api::File".into(),
        Ty::Named(id) => format!("api::types::{}", api.types[id.0].name),
        Ty::Vec(inner) => format!("Vec<{}>", rust_ty(api, inner)),
        Ty::Tuple(items) => format!("({},)", items.iter().map(|t| rust_ty(api, t)).collect::<Vec<_>>().join(", ")),
        Ty::Map(inner) => format!("std::collections::BTreeMap<String, {}>", rust_ty(api, inner)),
        Ty::Option(inner) => format!("Option<{}>", rust_ty(api, inner)),
    }
}
