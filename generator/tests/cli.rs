//! The `clientgen` command as a user meets it: what it writes, what it says when it cannot.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("clientgen-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a temporary folder");
    dir
}

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_clientgen")).args(args).output().expect("clientgen runs")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Writes `text` as a spec and runs `clientgen generate` on it into `<dir>/out`.
fn generate(name: &str, file: &str, text: &str) -> (Output, PathBuf) {
    let dir = temp_dir(name);
    let spec = dir.join(file);
    std::fs::write(&spec, text).expect("the spec is written");
    let out = dir.join("out");
    let output = run(&["generate", spec.to_str().unwrap(), "--out", out.to_str().unwrap(), "--name", "demo"]);
    (output, out)
}

fn assert_fails_without_output(output: &Output, out: &Path, expected: &[&str]) {
    let message = stderr(output);
    assert!(!output.status.success(), "expected a failure: {message}");
    assert_eq!(output.status.code(), Some(1), "{message}");
    for part in expected {
        assert!(message.contains(part), "the message should contain {part:?}:\n{message}");
    }
    assert!(!message.contains("panicked"), "{message}");
    assert!(!out.exists(), "nothing may be written when generation fails");
}

#[test]
fn invalid_yaml_names_the_line() {
    let (output, out) = generate("yaml", "api.yaml", "openapi: 3.1.0\ninfo:\n  title: [unclosed\npaths: {}\n");
    assert_fails_without_output(&output, &out, &["api.yaml:", "invalid YAML"]);
}

#[test]
fn invalid_json_names_the_line() {
    let (output, out) = generate("json", "api.json", "{\n  \"openapi\": \"3.0.0\",\n  \"paths\": {,}\n}");
    assert_fails_without_output(&output, &out, &["api.json:3", "invalid JSON"]);
}

#[test]
fn swagger_2_is_refused_with_what_to_do() {
    let (output, out) = generate("swagger", "api.json", r#"{"swagger": "2.0", "info": {}, "paths": {}}"#);
    assert_fails_without_output(&output, &out, &["#/swagger", "Swagger 2.0", "convert it to OpenAPI 3"]);
}

#[test]
fn a_document_that_is_not_openapi_is_refused() {
    let (output, out) = generate("list", "api.yaml", "- just\n- a list\n");
    assert_fails_without_output(&output, &out, &["not an object"]);
}

#[test]
fn a_missing_file_is_an_error_not_a_panic() {
    let dir = temp_dir("missing");
    let out = dir.join("out");
    let output = run(&["generate", dir.join("nope.yaml").to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert_fails_without_output(&output, &out, &["nope.yaml", "cannot read"]);
}

#[test]
fn a_selection_that_takes_nothing_is_an_error_naming_what_exists() {
    let spec = "openapi: 3.1.0\ninfo: {title: T, version: '1'}\npaths:\n  /pets:\n    get:\n      tags: [pet]\n      operationId: listPets\n      responses: {'204': {description: Listed.}}\n  /stores:\n    get:\n      tags: [store]\n      responses: {'204': {description: Listed.}}\n";
    let dir = temp_dir("selection");
    std::fs::write(dir.join("api.yaml"), spec).unwrap();
    let out = dir.join("out");
    let output = run(&[
        "generate",
        dir.join("api.yaml").to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--include-tag",
        "pets",
    ]);
    assert_fails_without_output(&output, &out, &["--include-tag pets", "closest: pet, store"]);
}

#[test]
fn bad_arguments_exit_2_with_usage() {
    let output = run(&["generate"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("Usage: clientgen generate"), "{}", stderr(&output));
    let output = run(&[]);
    assert_eq!(output.status.code(), Some(2), "bare `clientgen` is not a success");
    let output = run(&["generate", "x.yaml", "--out=o", "--ovrlay", "f.yaml"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("similar argument exists: '--overlay'"), "{}", stderr(&output));
    let output = run(&["--version"]);
    assert_eq!(output.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&output.stdout).starts_with("clientgen 0."), "{output:?}");
    let output = run(&["generate", "x.yaml", "--out", "o", "--name", "9 bad"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("not a valid crate name"));
}

const QUIRKY: &str = r#"openapi: 3.1.1
info: {title: Quirky, version: '1'}
paths:
  /things/{id}:
    get:
      tags: [[nested]]
      parameters:
        - {name: id, in: path, required: true, schema: {type: string, format: objectid}}
        - {name: Authorization, in: header, required: true, schema: {type: string}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Thing'
                description: a $ref with a sibling
        '404': {description: gone, content: {}}
components:
  schemas:
    Thing:
      type: object
      properties:
        name: {type: string, nullable: true}
        missing: {$ref: '#/components/schemas/Nowhere'}
"#;

#[test]
fn quirks_are_warnings_with_pointer_and_line_and_the_crate_is_written() {
    let (output, out) = generate("quirks", "api.yaml", QUIRKY);
    let message = stderr(&output);
    assert!(output.status.success(), "{message}");
    for part in [
        "api.yaml:6 #/paths/~1things~1{id}/get/tags: `tags` must be a list of strings",
        "#/components/schemas/Thing/properties/name: `nullable` is not part of OpenAPI 3.1",
        "#/components/schemas/Thing/properties/missing: `$ref: #/components/schemas/Nowhere` points to nothing",
        "no `operationId`; named `get_things_by_id`",
    ] {
        assert!(message.contains(part), "expected {part:?} in:\n{message}");
    }
    let resources = std::fs::read_to_string(out.join("src/resources/nested.rs")).expect("the group module");
    assert!(resources.contains("pub fn get_things_by_id("), "{resources}");
    assert!(
        !resources.contains("authorization"),
        "the Authorization header is the client's credential, not an argument"
    );
    let client = std::fs::read_to_string(out.join("src/lib.rs")).expect("lib.rs");
    assert!(client.contains("pub mod types;"));
}

#[test]
fn strict_fails_on_warnings_writing_nothing_unless_their_kinds_are_allowed() {
    let dir = temp_dir("strict");
    let spec = dir.join("api.yaml");
    std::fs::write(&spec, QUIRKY).expect("the spec is written");
    let out = dir.join("out");
    let (spec, out_arg) = (spec.to_str().unwrap(), out.to_str().unwrap());
    let strict = run(&["generate", spec, "--out", out_arg, "--strict"]);
    assert_fails_without_output(&strict, &out, &["with --strict; nothing written", "--allow KIND"]);
    // Each warning names its kind, and the summary counts them by kind.
    let message = stderr(&strict);
    let summary = message.lines().find(|l| l.contains("warning(s):")).expect("a summary line");
    let kinds: Vec<&str> = summary
        .split_once(": ")
        .map(|(_, rest)| rest.split(" (").next().unwrap_or(""))
        .unwrap_or("")
        .split(", ")
        .filter_map(|pair| pair.split(' ').next())
        .collect();
    assert!(kinds.len() > 1, "{summary}");
    let mut args = vec!["generate", spec, "--out", out_arg, "--strict"];
    for kind in &kinds {
        args.extend(["--allow", kind]);
    }
    let allowed = run(&args);
    let message = stderr(&allowed);
    assert!(allowed.status.success(), "{message}");
    assert!(!message.contains("warning:"), "allowed kinds are not printed:\n{message}");
    assert!(out.join("src/lib.rs").exists());
}

#[test]
fn the_package_takes_version_and_license_from_the_document_or_the_flags() {
    let doc = "openapi: 3.1.0\ninfo: {title: T, version: v2.3, license: {name: MIT License, identifier: Apache-2.0 OR MIT}}\npaths: {}\n";
    let (output, out) = generate("package", "api.yaml", doc);
    assert!(output.status.success(), "{}", stderr(&output));
    let manifest = std::fs::read_to_string(out.join("Cargo.toml")).expect("the manifest");
    assert!(manifest.contains("version = \"2.3.0\"\n"), "{manifest}");
    assert!(manifest.contains("license = \"Apache-2.0 OR MIT\"\n"), "{manifest}");
    assert!(!manifest.contains("repository"), "{manifest}");

    // A date is not a crate version, a free-form name not a license: the defaults stand.
    let doc = "openapi: 3.1.0\ninfo: {title: T, version: '2022-11-28', license: {name: Proprietary}}\npaths: {}\n";
    let (output, out) = generate("package-dated", "api.yaml", doc);
    assert!(output.status.success(), "{}", stderr(&output));
    let manifest = std::fs::read_to_string(out.join("Cargo.toml")).expect("the manifest");
    assert!(manifest.contains("version = \"0.1.0\"\n") && !manifest.contains("license"), "{manifest}");

    let spec = out.parent().expect("the case folder").join("api.yaml");
    let (spec, out_arg) = (spec.to_str().unwrap(), out.to_str().unwrap());
    let flags = ["--crate-version", "1.2.3", "--license", "MIT", "--repository", "https://example.com/r", "--force"];
    let output = run(&[&["generate", spec, "--out", out_arg][..], &flags[..]].concat());
    assert!(output.status.success(), "{}", stderr(&output));
    let manifest = std::fs::read_to_string(out.join("Cargo.toml")).expect("the manifest");
    for line in ["version = \"1.2.3\"", "license = \"MIT\"", "repository = \"https://example.com/r\""] {
        assert!(manifest.contains(line), "{line} in {manifest}");
    }
    for (flag, value, says) in
        [("--crate-version", "1.x", "not a version"), ("--license", "MIT License", "not an SPDX")]
    {
        let output = run(&["generate", spec, "--out", out_arg, flag, value]);
        assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
        assert!(stderr(&output).contains(says), "{}", stderr(&output));
    }
}

#[test]
fn a_config_file_says_what_the_options_say_and_the_options_win() {
    let dir = temp_dir("config");
    std::fs::create_dir_all(dir.join("api")).expect("a folder");
    std::fs::write(dir.join("api/openapi.yaml"), QUIRKY).expect("the spec");
    let config = r#"
spec = "api/openapi.yaml"
crate = "from-config"
strict = true
allow-warnings = ["unused-kind"]
[package]
version = "2.0.0"
license = "MIT"
[dependencies]
md-5 = "0.10"
sha2 = { version = "0.10", default-features = false }
"#;
    std::fs::write(dir.join("clientgen.toml"), config).expect("the config");
    let (config_arg, out) = (dir.join("clientgen.toml"), dir.join("out"));
    let (config_arg, out_arg) = (config_arg.to_str().unwrap(), out.to_str().unwrap());
    // `strict` from the file: the quirky document's warnings stop it.
    let strict = run(&["generate", "--config", config_arg, "--out", out_arg]);
    assert_fails_without_output(&strict, &out, &["with --strict"]);
    let kinds: Vec<String> = stderr(&strict)
        .lines()
        .filter_map(|l| {
            l.strip_prefix("warning: ")
                .and_then(|l| l.rsplit_once(" ["))
                .map(|(_, k)| k.trim_end_matches(']').to_string())
        })
        .collect();
    let mut args = vec!["generate", "--config", config_arg, "--out", out_arg, "--name", "from-flags"];
    for kind in &kinds {
        args.extend(["--allow", kind.as_str()]);
    }
    let output = run(&args);
    assert!(output.status.success(), "{}", stderr(&output));
    let manifest = std::fs::read_to_string(out.join("Cargo.toml")).expect("the manifest");
    for line in [
        "name = \"from-flags\"",
        "version = \"2.0.0\"",
        "license = \"MIT\"",
        "md-5 = \"0.10\"",
        "sha2 = { version = \"0.10\", default-features = false }",
    ] {
        assert!(manifest.contains(line), "{line} in {manifest}");
    }
    std::fs::write(dir.join("bad.toml"), "spec = \"api/openapi.yaml\"\n[dependencies]\nserde = \"1\"\n").expect("bad");
    let bad = run(&["generate", "--config", dir.join("bad.toml").to_str().unwrap(), "--out", out_arg]);
    assert_eq!(bad.status.code(), Some(2), "{}", stderr(&bad));
    assert!(stderr(&bad).contains("bad.toml: `dependencies.serde`"), "{}", stderr(&bad));
}

#[test]
fn output_is_the_same_byte_for_byte_every_time() {
    let (first, out) = generate("determinism", "api.yaml", QUIRKY);
    assert!(first.status.success());
    let read_all = |root: &Path| {
        let mut files = Vec::new();
        let mut stack = vec![root.to_path_buf()];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).expect("a folder").flatten() {
                let path = entry.path();
                if path.is_dir() {
                    stack.push(path);
                } else {
                    files.push((path.clone(), std::fs::read(&path).expect("a file")));
                }
            }
        }
        files.sort();
        files
    };
    let before = read_all(&out);
    let spec = out.parent().unwrap().join("api.yaml");
    let again = run(&["generate", spec.to_str().unwrap(), "--out", out.to_str().unwrap(), "--name", "demo"]);
    assert!(again.status.success());
    assert_eq!(read_all(&out), before);

    // The same document at another path writes the same files.
    let elsewhere = out.parent().unwrap().join("elsewhere");
    std::fs::create_dir_all(&elsewhere).unwrap();
    std::fs::copy(&spec, elsewhere.join("api.yaml")).unwrap();
    let moved_out = elsewhere.join("out");
    let moved = run(&[
        "generate",
        elsewhere.join("api.yaml").to_str().unwrap(),
        "--out",
        moved_out.to_str().unwrap(),
        "--name",
        "demo",
    ]);
    assert!(moved.status.success(), "{}", stderr(&moved));
    let relative = |root: &Path, files: Vec<(PathBuf, Vec<u8>)>| {
        files.into_iter().map(|(p, c)| (p.strip_prefix(root).unwrap().to_path_buf(), c)).collect::<Vec<_>>()
    };
    assert_eq!(relative(&moved_out, read_all(&moved_out)), relative(&out, before));
}

#[test]
fn a_schema_name_cannot_write_outside_the_output_folder() {
    let spec = "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths:\n  /x:\n    get:\n      tags: ['../../escape']\n      operationId: '../../../etc/passwd'\n      responses: {'204': {description: none}}\ncomponents:\n  schemas:\n    '../../evil': {type: string}\n";
    let (output, out) = generate("escape", "api.yaml", spec);
    assert!(output.status.success(), "{}", stderr(&output));
    let dir = out.parent().unwrap();
    let mut names: Vec<String> =
        std::fs::read_dir(dir).unwrap().flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    assert_eq!(names, ["api.yaml", "out"], "nothing beside the output folder");
    assert!(out.join("src/resources/escape.rs").exists());
}

#[test]
fn a_ref_with_siblings_is_a_warning_in_3_0_only() {
    let body = "info: {title: T, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A: {type: string}\n    B: {$ref: '#/components/schemas/A', maxLength: 3, nullable: true}\n";
    let (old, _) = generate("siblings-30", "api.yaml", &format!("openapi: 3.0.3\n{body}"));
    assert!(stderr(&old).contains("in OpenAPI 3.0 keywords beside `$ref` are ignored"), "{}", stderr(&old));
    let (new, _) = generate("siblings-31", "api.yaml", &format!("openapi: 3.1.0\n{body}"));
    assert!(!stderr(&new).contains("beside `$ref`"), "{}", stderr(&new));
}

#[test]
fn groups_named_like_the_clients_own_methods_do_not_clash() {
    let spec = "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths:\n  /a:\n    get: {tags: [request], operationId: a, responses: {'204': {description: ok}}}\n  /b:\n    get: {tags: [base_url], operationId: b, responses: {'204': {description: ok}}}\n  /c:\n    get: {tags: [builder], operationId: c, responses: {'204': {description: ok}}}\n";
    let (output, out) = generate("clash", "api.yaml", spec);
    assert!(output.status.success(), "{}", stderr(&output));
    let resources = std::fs::read_to_string(out.join("src/resources/mod.rs")).expect("resources");
    for accessor in ["pub fn request_2(", "pub fn base_url_2(", "pub fn builder_2("] {
        assert!(resources.contains(accessor), "{accessor} in:\n{resources}");
    }
}

#[test]
fn regenerating_removes_what_is_gone_and_keeps_hand_written_files() {
    let both = "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths:\n  /a:\n    get: {tags: [alpha], operationId: a, responses: {'204': {description: ok}}}\n  /b:\n    get: {tags: [beta], operationId: b, responses: {'204': {description: ok}}}\n";
    let (first, out) = generate("regenerate", "api.yaml", both);
    assert!(first.status.success(), "{}", stderr(&first));
    assert!(out.join("src/resources/beta.rs").exists());
    std::fs::write(out.join("src/extra.rs"), "//! Hand-written.\n").expect("a hand-written file");
    let spec = out.parent().unwrap().join("api.yaml");
    std::fs::write(&spec, both.split("  /b:").next().unwrap()).expect("beta removed");
    let again = run(&["generate", spec.to_str().unwrap(), "--out", out.to_str().unwrap(), "--name", "demo"]);
    assert!(again.status.success(), "{}", stderr(&again));
    assert!(!out.join("src/resources/beta.rs").exists(), "the module of a removed group is removed");
    assert!(out.join("src/resources/alpha.rs").exists());
    assert!(out.join("src/extra.rs").exists(), "hand-written files stay");
}

#[test]
fn overlays_change_the_document_before_it_is_read() {
    let dir = temp_dir("overlay");
    let spec = dir.join("api.yaml");
    std::fs::write(
        &spec,
        "openapi: 3.1.0\ninfo: {title: T, version: '1'}\npaths:\n  /search:\n    post:\n      operationId: search\n      responses: {'204': {description: Done.}}\n",
    )
    .expect("the spec is written");
    let overlay = dir.join("overlay.yaml");
    let action =
        "  - target: $.paths['/search'].post\n    update: {x-clientgen-idempotent: true, summary: Searches.}\n";
    std::fs::write(&overlay, format!("overlay: 1.0.0\ninfo: {{title: O, version: '1'}}\nactions:\n{action}"))
        .expect("the overlay is written");
    let out = dir.join("out");
    let args =
        ["generate", spec.to_str().unwrap(), "--overlay", overlay.to_str().unwrap(), "--out", out.to_str().unwrap()];
    let output = run(&args);
    assert!(output.status.success(), "{}", stderr(&output));
    let resources = std::fs::read_to_string(out.join("src/resources/search.rs")).expect("the resource module");
    assert!(resources.contains("/// Searches.") && resources.contains(".idempotent(true)"), "{resources}");

    // A target that selects nothing (the document moved on) is an error naming the action.
    let stale = "  - target: $.paths['/gone'].post\n    update: {x-clientgen-idempotent: true}\n";
    std::fs::write(&overlay, format!("overlay: 1.0.0\ninfo: {{title: O, version: '1'}}\nactions:\n{stale}"))
        .expect("the overlay is written");
    let out = dir.join("out2");
    let args =
        ["generate", spec.to_str().unwrap(), "--overlay", overlay.to_str().unwrap(), "--out", out.to_str().unwrap()];
    assert_fails_without_output(&run(&args), &out, &["overlay.yaml#/actions/0", "selects nothing"]);
}

#[test]
fn the_custom_module_is_created_once_and_then_left_to_its_owner() {
    let spec = "openapi: 3.1.0\ninfo: {title: T, version: '1'}\npaths:\n  /a:\n    get:\n      operationId: getA\n      responses: {'204': {description: Done.}}\n";
    let (output, out) = generate("custom", "api.yaml", spec);
    assert!(output.status.success(), "{}", stderr(&output));
    let lib = std::fs::read_to_string(out.join("src/lib.rs")).expect("lib.rs");
    assert!(lib.contains("pub mod custom;"), "{lib}");
    let custom = out.join("src/custom/mod.rs");
    let first = std::fs::read_to_string(&custom).expect("the custom module is created");
    assert!(!first.starts_with("// @generated"), "the custom module is the owner's, not generated: {first}");

    let mine = "//! Mine.\npub fn helper() -> u8 {\n    42\n}\n";
    std::fs::write(&custom, mine).expect("hand-written code");
    std::fs::write(out.join("src/custom/extra.rs"), "pub struct Extra;\n").expect("another hand-written file");
    let dir = out.parent().expect("the test folder");
    let again = run(&["generate", dir.join("api.yaml").to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert!(again.status.success(), "{}", stderr(&again));
    assert_eq!(std::fs::read_to_string(&custom).expect("still there"), mine);
    assert!(out.join("src/custom/extra.rs").exists());
}
