//! `cargo xtask conformance --servers`: real servers that publish their own OpenAPI document,
//! installed from PyPI into `target/conformance/servers/<name>` and started on 127.0.0.1 with a
//! fresh local database. The harness fetches each document from the running server, generates
//! a client from it, and runs a workflow through that client (`workflows/*.rs`): create, read,
//! update (clearing a field), filter and page, delete, and the missing, duplicate and invalid
//! cases.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use clientgen::{generate, Settings};
use serde_json::Value;

use super::{build_crate, free_port, write_files};

/// A server the harness installs and drives.
struct Server {
    name: &'static str,
    /// The PyPI requirement, pinned: the workflow is written against its document.
    package: &'static str,
    /// The command in the virtual environment's `bin/` that starts it, and its arguments
    /// (`{port}` and `{data}` are filled in).
    command: (&'static str, &'static [&'static str]),
    environment: &'static [(&'static str, &'static str)],
    /// Where the running server publishes its document.
    document: &'static str,
    /// The path its API is served under.
    base_path: &'static str,
}

const SERVERS: &[Server] = &[
    Server {
        name: "chroma",
        package: "chromadb==1.5.9",
        command: ("chroma", &["run", "--path", "{data}", "--host", "127.0.0.1", "--port", "{port}"]),
        environment: &[("ANONYMIZED_TELEMETRY", "False")],
        document: "/openapi.json",
        base_path: "",
    },
    Server {
        name: "prefect",
        package: "prefect==3.9.1",
        command: ("prefect", &["server", "start", "--host", "127.0.0.1", "--port", "{port}"]),
        environment: &[
            ("PREFECT_HOME", "{data}"),
            ("PREFECT_SERVER_ANALYTICS_ENABLED", "false"),
            ("PREFECT_UI_ENABLED", "false"),
            ("PREFECT_SERVER_UI_ENABLED", "false"),
        ],
        document: "/api/openapi.json",
        base_path: "/api",
    },
];

const WORKFLOWS: [(&str, &str); 3] = [
    ("src/main.rs", include_str!("workflows/main.rs")),
    ("src/chroma.rs", include_str!("workflows/chroma.rs")),
    ("src/prefect.rs", include_str!("workflows/prefect.rs")),
];

/// How one server's workflow went.
pub struct Outcome {
    pub server: String,
    pub passed: usize,
    pub steps: usize,
    /// The failed steps, with why.
    pub failures: Vec<String>,
}

/// Runs every server's workflow.
pub fn run(root: &Path, work: &Path) -> Result<Vec<Outcome>, String> {
    let folder = work.join("servers");
    let mut running = Vec::new();
    let mut clients = Vec::new();
    for server in SERVERS {
        let started = Instant::now();
        let home = folder.join(server.name);
        let venv = install(&home, server)?;
        let data = home.join("data");
        let _ = std::fs::remove_dir_all(&data); // Every run starts from an empty database.
        std::fs::create_dir_all(&data).map_err(|e| format!("cannot create {}: {e}", data.display()))?;
        let port = free_port()?;
        let child = start(&venv, server, port, &data)?;
        running.push(Running { child });
        let text = fetch_document(port, server.document, Duration::from_secs(120))
            .map_err(|e| format!("{}: {e}", server.name))?;
        let spec = home.join("openapi.json");
        std::fs::write(&spec, &text).map_err(|e| format!("cannot write {}: {e}", spec.display()))?;
        let crate_name = format!("{}-live", server.name);
        let settings = Settings {
            crate_name: crate_name.clone(),
            include: Vec::new(),
            regenerate_with: "cargo xtask conformance --servers".into(),
            source: Some(format!("the document {} served at {}", server.package, server.document)),
            overlays: Vec::new(),
            ref_roots: Vec::new(),
            group_features: clientgen::GroupFeatures::Auto,
            package: Default::default(),
        };
        let generated = generate(&spec, &settings).map_err(|e| format!("{}: {e}", server.name))?;
        let out = home.join("client");
        write_files(&out, generated.files.iter().map(|f| (f.path.display().to_string(), f.contents.clone())))?;
        eprintln!(
            "== {} ({}) serving on 127.0.0.1:{port}; {} operations generated; {:.0} s",
            server.name,
            server.package,
            generated.operations.1,
            started.elapsed().as_secs_f64()
        );
        clients.push((crate_name, out, format!("http://127.0.0.1:{port}{}", server.base_path)));
    }
    let crate_dir = work.join("workflows");
    let mut manifest = String::from(
        "[package]\nname = \"conformance-workflows\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
         [workspace]\n\n[dependencies]\nserde_json = \"1\"\ntokio = { version = \"1\", features = [\"macros\", \"rt\"] }\n",
    );
    for (crate_name, out, _) in &clients {
        manifest.push_str(&format!("{crate_name} = {{ path = {:?} }}\n", out.display().to_string()));
    }
    let files =
        WORKFLOWS.iter().map(|(p, t)| (p.to_string(), t.to_string())).chain([("Cargo.toml".to_string(), manifest)]);
    write_files(&crate_dir, files)?;
    build_crate(root, &crate_dir).map_err(|e| {
        format!("the workflows do not build against the clients generated from the servers' documents: {e}")
    })?;
    let bin = root.join("target/debug/conformance-workflows");
    let mut results = Vec::new();
    for (server, (_, _, base)) in SERVERS.iter().zip(&clients) {
        let output = Command::new(&bin)
            .arg(server.name)
            .arg(base)
            .output()
            .map_err(|e| format!("cannot run the workflow: {e}"))?;
        let (mut passed, mut total, mut failures) = (0, 0, Vec::new());
        for line in String::from_utf8_lossy(&output.stdout).lines() {
            let Ok(step) = serde_json::from_str::<Value>(line) else { continue };
            total += 1;
            if step["passed"] == Value::Bool(true) {
                passed += 1;
            } else {
                failures.push(format!(
                    "{}: {}",
                    step["step"].as_str().unwrap_or(""),
                    step["detail"].as_str().unwrap_or("")
                ));
            }
        }
        if total == 0 {
            failures.push(format!("the workflow ran no step: {}", String::from_utf8_lossy(&output.stderr)));
        }
        results.push(Outcome { server: server.name.to_string(), passed, steps: total, failures });
    }
    drop(running);
    Ok(results)
}

/// A started server, stopped (with everything it started) when dropped.
struct Running {
    child: Child,
}

impl Drop for Running {
    fn drop(&mut self) {
        // The server runs in a process group of its own: end all of it (workers included).
        let _ = Command::new("kill").arg("--").arg(format!("-{}", self.child.id())).status();
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A virtual environment with the server's package, made once.
fn install(home: &Path, server: &Server) -> Result<PathBuf, String> {
    let venv = home.join("venv");
    let marker = venv.join(format!("installed-{}", server.package.replace(['=', '<', '>'], "_")));
    if marker.exists() {
        return Ok(venv);
    }
    eprintln!("== installing {} from PyPI into {}", server.package, venv.display());
    let started = Instant::now();
    let python = if Command::new("python3").arg("--version").output().is_ok() { "python3" } else { "python" };
    let status = Command::new(python)
        .args(["-m", "venv"])
        .arg(&venv)
        .status()
        .map_err(|e| format!("cannot run python3: {e}"))?;
    if !status.success() {
        return Err(format!("python3 -m venv {} failed", venv.display()));
    }
    let status = Command::new(venv.join("bin/pip"))
        .args(["install", "--quiet", "--disable-pip-version-check", server.package])
        .status()
        .map_err(|e| format!("cannot run pip: {e}"))?;
    if !status.success() {
        return Err(format!("pip could not install {}", server.package));
    }
    std::fs::write(&marker, "").map_err(|e| format!("cannot write {}: {e}", marker.display()))?;
    eprintln!("   installed in {:.0} s", started.elapsed().as_secs_f64());
    Ok(venv)
}

fn start(venv: &Path, server: &Server, port: u16, data: &Path) -> Result<Child, String> {
    use std::os::unix::process::CommandExt;
    let fill = |text: &str| text.replace("{port}", &port.to_string()).replace("{data}", &data.display().to_string());
    let (program, args) = server.command;
    let log =
        std::fs::File::create(data.join("server.log")).map_err(|e| format!("cannot create the server log: {e}"))?;
    let mut command = Command::new(venv.join("bin").join(program));
    command
        .args(args.iter().map(|a| fill(a)))
        .stdin(Stdio::null())
        .stdout(log.try_clone().map_err(|e| e.to_string())?)
        .stderr(log);
    for (name, value) in server.environment {
        command.env(name, fill(value));
    }
    command.process_group(0);
    command.spawn().map_err(|e| format!("cannot start {}: {e}", server.name))
}

/// GETs `path` from the local server until it answers 200 (it may still be starting).
fn fetch_document(port: u16, path: &str, patience: Duration) -> Result<String, String> {
    let deadline = Instant::now() + patience;
    let mut last = String::from("no answer");
    while Instant::now() < deadline {
        match get(port, path) {
            Ok((200, body)) => return Ok(body),
            Ok((status, _)) => last = format!("status {status}"),
            Err(e) => last = e,
        }
        std::thread::sleep(Duration::from_millis(250));
    }
    Err(format!("the document at {path} was not served within {patience:?} ({last})"))
}

/// One HTTP/1.0 GET on 127.0.0.1: enough to fetch a document without an HTTP client here.
fn get(port: u16, path: &str) -> Result<(u16, String), String> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).map_err(|e| e.to_string())?;
    stream.set_read_timeout(Some(Duration::from_secs(30))).map_err(|e| e.to_string())?;
    write!(stream, "GET {path} HTTP/1.0\r\nHost: 127.0.0.1:{port}\r\nAccept: application/json\r\n\r\n")
        .map_err(|e| e.to_string())?;
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).map_err(|e| e.to_string())?;
    let text = String::from_utf8_lossy(&answer);
    let (head, body) = text.split_once("\r\n\r\n").ok_or("an answer without headers")?;
    let status = head.split_whitespace().nth(1).and_then(|s| s.parse().ok()).ok_or("an answer without a status")?;
    Ok((status, body.to_string()))
}
