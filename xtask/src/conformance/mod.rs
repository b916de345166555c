//! `cargo xtask conformance`: the generated clients against a peer we did not write.
//!
//! Stoplight Prism (installed from npm into `target/conformance/prism`) serves each document —
//! the APIs of `specs/`, whole, and public example documents of different styles — as a
//! validating mock: in static mode it answers with the document's examples, in dynamic mode
//! with values generated from its schemas. A driver crate, written from each client's IR, calls
//! every operation through the client's public API, by way of a proxy that keeps what came
//! back. Each call reports whether Prism found the request valid (`sl-violations`), whether the
//! client read the answer, and which members of the answer the parsed value no longer has —
//! split into members the document declares (a generator fault) and undeclared ones.

mod driver;
mod schemas;
mod servers;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use clientgen::{generate, Settings};
use serde_json::Value;

use crate::manifest;

/// The Prism release the harness installs.
const PRISM: &str = "@stoplight/prism-cli@5.16.0";
/// Public example documents (npm `@readme/oas-examples`), each a different style of API.
const EXAMPLES_PACKAGE: &str = "@readme/oas-examples@8.2.2";
const EXAMPLES: &[&str] = &[
    "3.0/yaml/petstore.yaml",
    "3.0/yaml/parameters-style.yaml",
    "3.0/yaml/polymorphism.yaml",
    "3.0/yaml/uspto.yaml",
    "3.1/yaml/train-travel.yaml",
    "3.1/yaml/schema-types.yaml",
];

/// A document to serve, and the client generated from it.
struct Subject {
    name: String,
    spec: PathBuf,
    overlays: Vec<PathBuf>,
}

pub fn run(root: &Path, args: &[String]) -> Result<(), String> {
    let mut rounds: u32 = 2;
    let mut only: Vec<String> = Vec::new();
    // Documents served in static mode only: Prism takes minutes to make up answers of
    // Cognite's recursive schemas, too long for every CI run.
    let mut static_only: Vec<String> = Vec::new();
    let (mut with_servers, mut with_mock) = (false, true);
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        match arg.as_str() {
            "--rounds" => rounds = iter.next().and_then(|n| n.parse().ok()).ok_or("--rounds takes a number")?,
            "--only" => only.push(iter.next().ok_or("--only takes an API name")?.clone()),
            "--static-only" => static_only.push(iter.next().ok_or("--static-only takes an API name")?.clone()),
            "--servers" => with_servers = true,
            "--servers-only" => (with_servers, with_mock) = (true, false),
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    let started = Instant::now();
    let work = root.join("target/conformance");
    std::fs::create_dir_all(&work).map_err(|e| format!("cannot create {}: {e}", work.display()))?;
    let mut failures = 0;
    let mut passes = 0;
    if with_mock {
        let (passed, failed) = against_prism(root, &work, rounds, &only, &static_only)?;
        passes += passed;
        failures += failed;
    }
    if with_servers {
        let results = servers::run(root, &work)?;
        eprintln!("\n{:<10} {:>14}", "server", "workflow steps");
        for r in &results {
            eprintln!("{:<10} {:>14}", r.server, format!("{}/{}", r.passed, r.steps));
            for fault in &r.failures {
                eprintln!("  failed: {fault}");
            }
            passes += r.passed;
            failures += r.steps - r.passed + usize::from(r.steps == 0);
        }
    }
    eprintln!("conformance: {:.0} s in all", started.elapsed().as_secs_f64());
    println!("{passes} passed, {failures} failed");
    if failures > 0 {
        return Err(format!(
            "{failures} call(s) or step(s) show a fault of the client (the lines marked Client or failed above)"
        ));
    }
    Ok(())
}

/// The Prism part: every operation of every document, static and dynamic; returns the calls
/// without a fault of the client and those with one.
fn against_prism(
    root: &Path,
    work: &Path,
    rounds: u32,
    only: &[String],
    static_only: &[String],
) -> Result<(usize, usize), String> {
    let started = Instant::now();
    let prism = install_prism(work)?;
    let mut subjects = Vec::new();
    for api in manifest::read(&root.join("specs"))?.api {
        subjects.push(Subject {
            name: api.name.clone(),
            spec: api.spec().to_path_buf(),
            overlays: api.config.overlays.clone(),
        });
    }
    let examples = fetch_examples(work)?;
    for file in EXAMPLES {
        // `3.0/yaml/petstore.yaml` → `petstore_3_0`: a module name.
        let stem = Path::new(file).file_stem().map_or(String::new(), |s| s.to_string_lossy().replace('-', "_"));
        let version = file.split('/').next().unwrap_or("").replace('.', "_");
        subjects.push(Subject { name: format!("{stem}_{version}"), spec: examples.join(file), overlays: Vec::new() });
    }
    if !only.is_empty() {
        subjects.retain(|s| only.contains(&s.name));
    }

    // Generate every client (whole documents: what the mock serves), then one driver for all.
    let mut loaded = Vec::new();
    for s in &subjects {
        let crate_name = format!("{}-conformance", s.name.replace('_', "-"));
        let settings = Settings {
            crate_name: crate_name.clone(),
            include: Vec::new(),
            regenerate_with: "cargo xtask conformance".into(),
            source: None,
            overlays: s.overlays.clone(),
            ref_roots: Vec::new(),
            group_features: clientgen::GroupFeatures::Auto,
            package: Default::default(),
        };
        let generated = generate(&s.spec, &settings).map_err(|e| format!("{}: {e}", s.spec.display()))?;
        let out = work.join("clients").join(&s.name);
        write_files(&out, generated.files.iter().map(|f| (f.path.display().to_string(), f.contents.clone())))?;
        let document =
            clientgen::load::load_file(&s.spec, &s.overlays, &[]).map_err(|e| e.to_string())?.document().clone();
        // Prism serves the document the client was made from: the vendor's with our overlays.
        let served = work.join("documents").join(format!("{}.json", s.name));
        write_files(&work.join("documents"), [(format!("{}.json", s.name), document.to_string())])?;
        loaded.push((crate_name, out, generated.api, document, served));
    }
    let targets: Vec<driver::Target> = subjects
        .iter()
        .zip(&loaded)
        .map(|(s, (crate_name, out, api, document, _))| driver::Target {
            module: s.name.clone(),
            crate_name: crate_name.clone(),
            crate_path: out.display().to_string(),
            api,
            document: schemas::Document::new(document),
        })
        .collect();
    let driver_dir = work.join("driver");
    write_files(&driver_dir, driver::files(&targets))?;
    eprintln!("== building the driver ({} clients)", targets.len());
    build_crate(root, &driver_dir).map_err(|e| format!("the conformance driver does not build: {e}"))?;
    let driver_bin = root.join("target/debug/conformance-driver");

    let mut results: Vec<Value> = Vec::new();
    let mut timings: BTreeMap<(String, String), f64> = BTreeMap::new();
    for (s, (_, _, api, document, served)) in subjects.iter().zip(&loaded) {
        // Prism serves the paths at its root, whatever the document's servers say.
        let base_path = "";
        let doc = schemas::Document::new(document);
        let modes: Vec<(String, Vec<String>)> = std::iter::once(("static".to_string(), Vec::new()))
            .chain(
                (1..=rounds)
                    .filter(|_| !static_only.contains(&s.name))
                    .map(|seed| (format!("dynamic:{seed}"), dynamic(seed))),
            )
            .collect();
        for (mode, flags) in modes {
            let mode_started = Instant::now();
            let (mut server, url) = start_prism(&prism, served, &flags)?;
            let output = Command::new(&driver_bin).arg(&s.name).arg(&url).arg(base_path).output();
            let _ = server.kill();
            let _ = server.wait();
            let output = output.map_err(|e| format!("cannot run the driver: {e}"))?;
            if !output.status.success() {
                return Err(format!("the driver failed on {}: {}", s.name, String::from_utf8_lossy(&output.stderr)));
            }
            for line in String::from_utf8_lossy(&output.stdout).lines() {
                let Ok(mut call) = serde_json::from_str::<Value>(line) else { continue };
                classify(&doc, api, &mut call);
                if let Some((blame, why)) = judge(&doc, api, &call) {
                    call["blame"] = Value::from(format!("{blame:?}"));
                    call["why"] = Value::from(why);
                }
                call["api"] = Value::from(s.name.clone());
                call["mode"] = Value::from(mode.clone());
                results.push(call);
            }
            timings.insert((s.name.clone(), mode.clone()), mode_started.elapsed().as_secs_f64());
        }
    }
    let log = work.join("results.jsonl");
    let lines: String = results.iter().map(|r| format!("{r}\n")).collect();
    std::fs::write(&log, lines).map_err(|e| format!("cannot write {}: {e}", log.display()))?;
    let failures = report(&results, &timings);
    eprintln!("every call: {}; {:.0} s against Prism", log.display(), started.elapsed().as_secs_f64());
    Ok((results.len() - failures, failures))
}

/// Splits the members a parsed answer lost into those the document declares and the others.
fn classify(doc: &schemas::Document, api: &clientgen::ir::Api, call: &mut Value) {
    let operation = call["operation"].as_str().unwrap_or("");
    let Some(op) = api.operations.iter().find(|o| o.operation_id == operation) else { return };
    let status = call["status"].as_u64().unwrap_or(0) as u16;
    let media = call["media"].as_str().unwrap_or("").split(';').next().unwrap_or("").trim().to_string();
    let schema = doc.response_schema(&op.path, op.http_method.as_str(), status, &media);
    let (mut declared, mut undeclared) = (Vec::new(), Vec::new());
    for pointer in call["dropped"].as_array().cloned().unwrap_or_default() {
        let pointer = pointer.as_str().unwrap_or("").to_string();
        match schema {
            Some(schema) if doc.declares(schema, &pointer) => declared.push(Value::from(pointer)),
            _ => undeclared.push(Value::from(pointer)),
        }
    }
    call["dropped_declared"] = Value::Array(declared);
    call["dropped_undeclared"] = Value::Array(undeclared);
}

/// Who a call's trouble is down to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Blame {
    /// The generated client: an invalid request it made, an answer within the document it could
    /// not read, a declared member it lost.
    Client,
    /// The document contradicts itself: its example (static mode) breaks its own schema.
    Document,
    /// The harness: a value it made from the schema breaks the schema (a pattern, a `oneOf`
    /// that two alternatives match).
    Argument,
    /// The mock server did not answer.
    Mock,
}

/// Whether a call shows trouble, whose, and what.
fn judge(doc: &schemas::Document, api: &clientgen::ir::Api, call: &Value) -> Option<(Blame, String)> {
    let operation = call["operation"].as_str().unwrap_or("");
    let op = api.operations.iter().find(|o| o.operation_id == operation)?;
    let method = op.http_method.as_str();
    let kind = call["kind"].as_str().unwrap_or("");
    let violations = call["violations"].as_array().cloned().unwrap_or_default();
    if !violations.is_empty() {
        let messages: Vec<String> =
            violations.iter().map(|v| format!("{}: {}", v["location"], v["message"].as_str().unwrap_or(""))).collect();
        let in_body = |v: &Value| v["location"][1] == "body";
        let about_value = |v: &Value| {
            let m = v["message"].as_str().unwrap_or("");
            [
                "must match pattern",
                "must match format",
                "allowed values",
                "must NOT have",
                "must be >",
                "must be <",
                "must match exactly one schema",
                "must be equal to constant",
            ]
            .iter()
            .any(|p| m.contains(p))
        };
        // The body member a violation names (`["request", "body", "items", "0"]` → `/items/0`).
        let pointer_of = |v: &Value| -> String {
            v["location"]
                .as_array()
                .map(|steps| steps.iter().skip(2).map(|s| format!("/{}", s.as_str().unwrap_or(""))).collect())
                .unwrap_or_default()
        };
        // Where the body went out as it was given, what Prism finds there is the harness's value.
        let as_given = |v: &Value| {
            let pointer = pointer_of(v);
            match (call["given"].pointer(&pointer), call["sent"].pointer(&pointer)) {
                (Some(given), Some(sent)) => same_json(given, sent),
                _ => false,
            }
        };
        // Prism reads a multipart field that comes once as a string: an array of one item, sent
        // as one part (OpenAPI's multipart encoding of arrays: a part per item), is no array to
        // it. The mock's reading, not the client's request.
        let multipart = op.body.as_ref().is_some_and(|b| b.media == clientgen::ir::Media::Multipart);
        let one_part_array = |v: &Value| {
            let pointer = pointer_of(v);
            multipart
                && v["message"].as_str().unwrap_or("").contains("must be array")
                && call["given"].pointer(&pointer).and_then(Value::as_array).is_some_and(|items| items.len() == 1)
        };
        if violations.iter().all(one_part_array) {
            let why = "an array of one item goes as one part, which Prism reads as a string";
            return Some((Blame::Mock, format!("request: {why}: {}", messages.join("; "))));
        }
        let harness = violations.iter().all(|v| (in_body(v) && as_given(v)) || about_value(v));
        let blame = if harness { Blame::Argument } else { Blame::Client };
        return Some((blame, format!("request: {}", messages.join("; "))));
    }
    let detail = call["detail"].as_str().unwrap_or("").to_string();
    let status = call["status"].as_u64().unwrap_or(0) as u16;
    let media = call["media"].as_str().unwrap_or("").split(';').next().unwrap_or("").trim().to_string();
    let answer_schema = doc.response_schema(&op.path, method, status, &media);
    let answer_breaks_schema = || answer_schema.and_then(|schema| doc.violation(schema, &call["answer"], "", 0));
    match kind {
        // Nothing came through the proxy (the mock had stopped), or the mock failed to make up
        // an answer (its own problem document).
        "unexpected-status" if status == 0 => return Some((Blame::Mock, "the mock server did not answer".into())),
        "unexpected-status" if status >= 500 && media == "application/problem+json" => {
            return Some((Blame::Mock, format!("the mock server could not make an answer ({status})")));
        }
        "ok" | "unexpected-status" => {}
        "api-error" => {
            let unread = call["error_parsed"] == Value::Bool(false) && !call["answer"].is_null();
            if unread && answer_schema.is_some() {
                return Some(match answer_breaks_schema() {
                    Some(why) => (Blame::Document, format!("the error answer breaks its schema: {why}")),
                    None => (Blame::Client, format!("an error answer within its schema was not read ({status})")),
                });
            }
        }
        "invalid-body" => {
            return Some(match answer_breaks_schema() {
                Some(why) if why.contains(schemas::OUTSIDE_FORMAT) => {
                    (Blame::Mock, format!("the answer breaks its integer format: {why}"))
                }
                Some(why) => (Blame::Document, format!("the answer breaks its own schema: {why}")),
                None => (Blame::Client, format!("an answer within its schema was not read: {detail}")),
            });
        }
        "argument" => {
            let body_schema = op.body.as_ref().and_then(|b| doc.body_schema(&op.path, method, &b.content_type));
            let breaks = body_schema.and_then(|schema| doc.violation(schema, &call["given"], "", 0));
            return Some(match (body_schema, breaks) {
                (Some(_), None) => {
                    (Blame::Client, format!("a body within its schema does not fit the client's type: {detail}"))
                }
                _ => (Blame::Argument, detail),
            });
        }
        "transport" if status == 0 => return Some((Blame::Mock, detail)),
        _ => return Some((Blame::Client, format!("{kind}: {detail}"))),
    }
    if let Some(dropped) = call["dropped_declared"].as_array().filter(|d| !d.is_empty()) {
        // An answer outside its schema can leave the alternative it meant unreadable. Out of
        // its integer format, the value is the answer generator's (the document said `uint64`).
        if let Some(why) = answer_breaks_schema() {
            let blame = if why.contains(schemas::OUTSIDE_FORMAT) { Blame::Mock } else { Blame::Document };
            return Some((blame, format!("declared members lost, in an answer that breaks its schema: {why}")));
        }
        // A lost member whose value breaks its own declared schema (an integer outside `uint64`
        // that Prism made up) could not be read by a typed client: the mock's doing.
        let out_of_format = |pointer: &str| {
            let (Some(schema), Some(wire)) = (answer_schema, call["answer"].pointer(pointer)) else { return false };
            let declared = doc.member_schemas(schema, pointer);
            !declared.is_empty()
                && declared.iter().all(|s| {
                    doc.violation(s, wire, pointer, 0).is_some_and(|why| why.contains(schemas::OUTSIDE_FORMAT))
                })
        };
        if dropped.iter().filter_map(Value::as_str).all(out_of_format) {
            return Some((
                Blame::Mock,
                format!(
                    "declared members lost, their values outside their integer formats: {}",
                    Value::Array(dropped.clone())
                ),
            ));
        }
        return Some((Blame::Client, format!("declared members lost: {}", Value::Array(dropped.clone()))));
    }
    None
}

/// JSON equality with numbers compared by value (`1` and `1.0` are one number, as JSON says).
fn same_json(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x == y || x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same_json(x, y)),
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same_json(v, w)))
        }
        _ => a == b,
    }
}

/// Prints a table per document and mode, and each finding; returns how many calls show a
/// fault of the client.
fn report(results: &[Value], timings: &BTreeMap<(String, String), f64>) -> usize {
    #[derive(Default)]
    struct Row {
        calls: usize,
        valid: usize,
        parsed: usize,
        undeclared: usize,
        blamed: BTreeMap<Blame, usize>,
    }
    let mut rows: BTreeMap<(String, String), Row> = BTreeMap::new();
    let mut failures = 0;
    let mut findings: Vec<(Blame, String)> = Vec::new();
    for call in results {
        let key = (call["api"].as_str().unwrap_or("").to_string(), call["mode"].as_str().unwrap_or("").to_string());
        let row = rows.entry(key).or_default();
        row.calls += 1;
        row.valid += usize::from(call["violations"].as_array().is_none_or(Vec::is_empty));
        let read = match call["kind"].as_str() {
            Some("ok") => true,
            Some("api-error") => call["error_parsed"].as_bool().unwrap_or(true),
            _ => false,
        };
        row.parsed += usize::from(read);
        row.undeclared += call["dropped_undeclared"].as_array().map_or(0, Vec::len);
        if let Some(blame) = call["blame"].as_str().and_then(|b| match b {
            "Client" => Some(Blame::Client),
            "Document" => Some(Blame::Document),
            "Argument" => Some(Blame::Argument),
            "Mock" => Some(Blame::Mock),
            _ => None,
        }) {
            *row.blamed.entry(blame).or_default() += 1;
            failures += usize::from(blame == Blame::Client);
            let line = format!(
                "{blame:?}: {} {} {} ({} {} → {}): {}",
                call["api"].as_str().unwrap_or(""),
                call["mode"].as_str().unwrap_or(""),
                call["operation"].as_str().unwrap_or(""),
                call["method"].as_str().unwrap_or(""),
                call["target"].as_str().unwrap_or(""),
                call["status"],
                call["why"].as_str().unwrap_or(""),
            );
            findings.push((blame, line.chars().take(600).collect()));
        }
    }
    findings.sort();
    for (_, line) in &findings {
        eprintln!("{line}");
    }
    eprintln!(
        "\n{:<24} {:<10} {:>6} {:>9} {:>9} {:>10} {:>6} {:>8} {:>8} {:>5} {:>6}",
        "document", "mode", "calls", "valid", "read", "undeclared", "client", "document", "argument", "mock", "time"
    );
    for ((api, mode), row) in &rows {
        let n = |b: Blame| row.blamed.get(&b).copied().unwrap_or(0);
        let seconds = timings.get(&(api.clone(), mode.clone())).copied().unwrap_or(0.0);
        eprintln!(
            "{api:<24} {mode:<10} {:>6} {:>9} {:>9} {:>10} {:>6} {:>8} {:>8} {:>5} {:>5.0}s",
            row.calls,
            format!("{}/{}", row.valid, row.calls),
            format!("{}/{}", row.parsed, row.calls),
            row.undeclared,
            n(Blame::Client),
            n(Blame::Document),
            n(Blame::Argument),
            n(Blame::Mock),
            seconds,
        );
    }
    failures
}

/// Prism's flags for a round of answers generated from the schemas: seeded, so a run can be
/// repeated, and without members the schemas do not declare (they would only be dropped, and
/// they make answers of recursive schemas enormous).
fn dynamic(seed: u32) -> Vec<String> {
    ["-d", "--seed", &seed.to_string(), "--json-schema-faker-fillProperties=false"].map(String::from).to_vec()
}

/// Installs Prism into `work/prism` once; returns the command.
fn install_prism(work: &Path) -> Result<PathBuf, String> {
    let folder = work.join("prism");
    let bin = folder.join("node_modules/.bin/prism");
    if bin.exists() {
        return Ok(bin);
    }
    eprintln!("== installing {PRISM} into {}", folder.display());
    std::fs::create_dir_all(&folder).map_err(|e| format!("cannot create {}: {e}", folder.display()))?;
    let status = Command::new("npm")
        .args(["install", "--no-audit", "--no-fund", "--silent", "--prefix"])
        .arg(&folder)
        .arg(PRISM)
        .status()
        .map_err(|e| format!("cannot run npm (Node.js is needed for Prism): {e}"))?;
    if !status.success() || !bin.exists() {
        return Err(format!("npm could not install {PRISM}"));
    }
    Ok(bin)
}

/// Unpacks the example documents once; returns their package folder.
fn fetch_examples(work: &Path) -> Result<PathBuf, String> {
    let folder = work.join("examples");
    let package = folder.join("package");
    if package.exists() {
        return Ok(package);
    }
    std::fs::create_dir_all(&folder).map_err(|e| format!("cannot create {}: {e}", folder.display()))?;
    let packed = Command::new("npm")
        .args(["pack", "--silent", EXAMPLES_PACKAGE])
        .current_dir(&folder)
        .output()
        .map_err(|e| format!("cannot run npm: {e}"))?;
    let tarball = String::from_utf8_lossy(&packed.stdout).lines().last().unwrap_or("").trim().to_string();
    if !packed.status.success() || tarball.is_empty() {
        return Err(format!("npm could not fetch {EXAMPLES_PACKAGE}"));
    }
    let status = Command::new("tar")
        .args(["xzf", &tarball])
        .current_dir(&folder)
        .status()
        .map_err(|e| format!("cannot run tar: {e}"))?;
    if !status.success() {
        return Err(format!("cannot unpack {tarball}"));
    }
    Ok(package)
}

/// Starts Prism on a free local port and waits until it answers.
fn start_prism(prism: &Path, document: &Path, flags: &[String]) -> Result<(Child, String), String> {
    let port = free_port()?;
    let mut child = Command::new(prism)
        .args(["mock", "-h", "127.0.0.1", "-p", &port.to_string(), "-v", "error"])
        .args(flags)
        .arg(document)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start Prism: {e}"))?;
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return Ok((child, format!("http://127.0.0.1:{port}")));
        }
        if let Ok(Some(status)) = child.try_wait() {
            let mut text = String::new();
            if let Some(mut stderr) = child.stderr.take() {
                let _ = std::io::Read::read_to_string(&mut stderr, &mut text);
            }
            return Err(format!("Prism exited ({status}) serving {}: {text}", document.display()));
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let _ = child.kill();
    Err(format!("Prism did not start serving {} within 60 s", document.display()))
}

/// Builds a crate the harness wrote under `target/conformance/` in the workspace's target
/// folder, its lockfile started from the workspace's so the dependencies built there are used.
pub(crate) fn build_crate(root: &Path, dir: &Path) -> Result<(), String> {
    let lock = root.join("Cargo.lock");
    if lock.exists() && !dir.join("Cargo.lock").exists() {
        std::fs::copy(&lock, dir.join("Cargo.lock")).map_err(|e| format!("cannot copy Cargo.lock: {e}"))?;
    }
    let status = Command::new(env!("CARGO"))
        .args(["build", "--quiet", "--manifest-path"])
        .arg(dir.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", root.join("target"))
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("cargo build in {} failed", dir.display()))
    }
}

/// A port on 127.0.0.1 that nothing listens on now.
pub(crate) fn free_port() -> Result<u16, String> {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .map_err(|e| format!("no free port: {e}"))
}

/// Writes files under `dir`, leaving those already as they should be untouched (so cargo does
/// not rebuild what did not change).
pub(crate) fn write_files(dir: &Path, files: impl IntoIterator<Item = (String, String)>) -> Result<(), String> {
    for (relative, contents) in files {
        let path = dir.join(relative);
        if std::fs::read_to_string(&path).ok().as_deref() == Some(contents.as_str()) {
            continue;
        }
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
        }
        std::fs::write(&path, contents).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    Ok(())
}
