//! Stage 3: [`Api`] → the files of a Rust crate. The only module that knows Rust syntax.
//!
//! Each Rust file is built as tokens with `quote!`, parsed once into `syn` items and printed by
//! prettyplease: no rustfmt, so output depends only on the pinned crates. Files (and chunks of
//! the large `types.rs`) are independent, so they are built on all cores; tokens cannot cross
//! threads, so each worker builds, parses and prints its own units.

mod answers;
mod conveniences;
mod crate_files;
mod docs;
mod operations;
mod quick_start;
mod text;
mod ty;
mod types;
pub mod usage;

pub use crate_files::RUST_VERSION;

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use proc_macro2::TokenStream;

use crate::diag::Error;
use crate::ir::Api;

/// The runtime support, written unchanged into every crate as `src/runtime/`.
const RUNTIME: [(&str, &str); 11] = [
    ("src/runtime/mod.rs", include_str!("../../runtime/mod.rs")),
    ("src/runtime/credentials.rs", include_str!("../../runtime/credentials.rs")),
    ("src/runtime/hooks.rs", include_str!("../../runtime/hooks.rs")),
    ("src/runtime/lists.rs", include_str!("../../runtime/lists.rs")),
    ("src/runtime/object.rs", include_str!("../../runtime/object.rs")),
    ("src/runtime/operation.rs", include_str!("../../runtime/operation.rs")),
    ("src/runtime/params.rs", include_str!("../../runtime/params.rs")),
    ("src/runtime/retry.rs", include_str!("../../runtime/retry.rs")),
    ("src/runtime/streams.rs", include_str!("../../runtime/streams.rs")),
    ("src/runtime/transfer.rs", include_str!("../../runtime/transfer.rs")),
    ("src/runtime/values.rs", include_str!("../../runtime/values.rs")),
];

/// Lenient reading of dates, written only into crates whose API has them (it needs chrono).
const TIME: &str = include_str!("../../runtime/time.rs");

/// Types per chunk of `types.rs`: small enough to share out, large enough to be worth a unit.
const TYPES_PER_CHUNK: usize = 200;

/// What to call the crate and how to say where it came from.
#[derive(Debug, Clone)]
pub struct CrateSettings {
    /// The package name (`datocms-client`).
    pub name: String,
    /// The command that regenerates the crate, for the do-not-edit header.
    pub regenerate_with: String,
    /// Where the API description came from.
    pub source: Option<String>,
    /// The package's version (`0.1.0` when none), license, repository and documentation.
    pub version: Option<String>,
    pub license: Option<String>,
    pub repository: Option<String>,
    pub documentation: Option<String>,
    /// Dependencies of the crate's hand-written code, after the crate's own.
    pub dependencies: std::collections::BTreeMap<String, crate::config::Dependency>,
}

/// The crate version a document's `info.version` stands for, when it reads as one: `2.1.0`,
/// `v2.1`, `3` (missing parts are zero). Dates (`2022-11-28`) and names are not versions.
pub fn crate_version(document: &str) -> Option<String> {
    let text = document.trim().trim_start_matches(['v', 'V']);
    let (core, rest) = match text.find(['-', '+']) {
        Some(at) => text.split_at(at),
        None => (text, ""),
    };
    let parts: Vec<&str> = core.split('.').collect();
    let number = |p: &&str| {
        !p.is_empty() && p.len() <= 9 && p.chars().all(|c| c.is_ascii_digit()) && (p.len() == 1 || !p.starts_with('0'))
    };
    if parts.is_empty() || parts.len() > 3 || !parts.iter().all(number) {
        return None;
    }
    // A pre-release or build suffix is kept only when it is plain (`-beta.1`, `+build5`).
    let suffix_ok = rest.chars().skip(1).all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-' || c == '+');
    if !suffix_ok || rest.len() == 1 {
        return None;
    }
    let mut numbers: Vec<&str> = parts;
    numbers.resize(3, "0");
    // A date read as a version (`2022.11.28` would be one): not what a crate version means.
    if numbers[0].len() == 4 {
        return None;
    }
    Some(format!("{}{rest}", numbers.join(".")))
}

/// A file of the generated crate, relative to its root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct File {
    pub path: PathBuf,
    pub contents: String,
    /// Written only where no file exists: a starting point that is the crate owner's from then
    /// on (`src/custom/mod.rs`), never overwritten, never removed.
    pub once: bool,
}

/// The first contents of `src/custom/mod.rs`, the crate owner's module.
const CUSTOM: &str = "//! Hand-written code for this crate: what no API description can say (helpers that chain\n\
//! several calls, conveniences, workarounds).\n\
//!\n\
//! clientgen created this file and will never change or delete it, nor anything else in\n\
//! `src/custom/`; the generated `lib.rs` declares `pub mod custom;`. Add modules here with `mod`\n\
//! and re-export what users need. Generated code is reachable as `crate::resources`,\n\
//! `crate::types` and `crate::Client`.\n";

/// A piece of a file: items for prettyplease to print, or text written directly (what
/// prettyplease prints poorly or spreads over many lines: macro calls, short methods).
pub enum Segment {
    Items(TokenStream),
    Text(String),
}

/// Prints the pieces of a file in order.
fn print_segments(path: &str, segments: Vec<Segment>) -> Result<String, Error> {
    let mut text = String::new();
    for segment in segments {
        match segment {
            Segment::Items(tokens) if tokens.is_empty() => {}
            Segment::Items(tokens) => text.push_str(&print(path, tokens)?),
            Segment::Text(written) => text.push_str(&written),
        }
    }
    Ok(text)
}

/// One piece of work for a worker.
#[derive(Debug, Clone, Copy)]
enum Unit {
    Lib,
    Client,
    Resources,
    Group(usize),
    TypesChunk(usize),
}

/// What a unit produced: printed Rust, and for types chunks the standard names used.
struct Printed {
    text: String,
    used: BTreeSet<&'static str>,
}

pub fn emit(api: &Api, settings: &CrateSettings) -> Result<Vec<File>, Error> {
    let header = format!("// @generated by {} — do not edit by hand.\n\n", one_line(&settings.regenerate_with));
    let chunks = api.types.len().div_ceil(TYPES_PER_CHUNK);
    let mut units: Vec<Unit> = (0..chunks).map(Unit::TypesChunk).collect();
    units.extend((0..api.groups.len()).map(Unit::Group));
    units.extend([Unit::Resources, Unit::Lib, Unit::Client]);
    let printed = run_units(api, settings, &units)?;

    let text = |unit: usize| text::with_blank_lines(&printed[unit].text);
    let mut used = BTreeSet::new();
    for p in &printed[..chunks] {
        used.extend(p.used.iter().copied());
    }
    let prologue = print("src/types.rs", types::types_prologue(&used, crate_files::has_group_features(api)))?;
    let types_text: String =
        std::iter::once(prologue.as_str()).chain((0..chunks).map(|c| printed[c].text.as_str())).collect();
    let types_text = text::with_blank_lines(&types_text);
    let at = |unit: Unit| {
        units
            .iter()
            .position(|u| std::mem::discriminant(u) == std::mem::discriminant(&unit))
            .expect("a unit of each kind")
    };
    let generated = |path: &str, contents: String| File { path: path.into(), contents, once: false };
    let mut files = vec![
        generated("Cargo.toml", crate_files::cargo_toml(api, settings, &header.replace("//", "#"))),
        generated("README.md", crate_files::readme(api, settings, &header)),
        generated("src/lib.rs", format!("{header}{}", text(at(Unit::Lib)))),
        generated("src/client.rs", format!("{header}{}", text(at(Unit::Client)))),
        generated("src/types.rs", format!("{header}{types_text}")),
        generated("src/resources/mod.rs", format!("{header}{}", text(at(Unit::Resources)))),
        File { path: "src/custom/mod.rs".into(), contents: CUSTOM.to_string(), once: true },
    ];
    files.extend(RUNTIME.iter().map(|(path, text)| generated(path, format!("{header}{text}"))));
    if crate_files::uses_dates(api) {
        files.push(generated("src/time.rs", format!("{header}{TIME}")));
    }
    for (index, group) in api.groups.iter().enumerate() {
        files.push(File {
            path: format!("src/resources/{}.rs", group.module).into(),
            contents: format!("{header}{}", text(chunks + index)),
            once: false,
        });
    }
    Ok(files)
}

/// Builds, parses and prints every unit, on as many threads as there are cores.
fn run_units(api: &Api, settings: &CrateSettings, units: &[Unit]) -> Result<Vec<Printed>, Error> {
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get()).min(units.len()).max(1);
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<Result<Printed, Error>>>> = Mutex::new((0..units.len()).map(|_| None).collect());
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| loop {
                let index = next.fetch_add(1, Ordering::Relaxed);
                let Some(unit) = units.get(index) else { break };
                let result = run_unit(api, settings, *unit);
                results.lock().unwrap_or_else(|poisoned| poisoned.into_inner())[index] = Some(result);
            });
        }
    });
    let results = results.into_inner().unwrap_or_else(|poisoned| poisoned.into_inner());
    results
        .into_iter()
        .map(|r| r.unwrap_or_else(|| Err(Error::new("internal error: a unit was not emitted"))))
        .collect()
}

fn run_unit(api: &Api, settings: &CrateSettings, unit: Unit) -> Result<Printed, Error> {
    let plain = |path: &str, tokens: TokenStream| Ok(Printed { text: print(path, tokens)?, used: BTreeSet::new() });
    match unit {
        Unit::Lib => plain("src/lib.rs", crate_files::lib_rs(api, settings)),
        Unit::Client => plain("src/client.rs", crate_files::client_rs(api)),
        Unit::Resources => plain("src/resources/mod.rs", crate_files::resources_mod(api)),
        Unit::Group(index) => Ok(Printed {
            text: print_segments("a resource module", operations::group_file(api, index, &api.groups[index]))?,
            used: BTreeSet::new(),
        }),
        Unit::TypesChunk(chunk) => {
            let start = chunk * TYPES_PER_CHUNK;
            let multipart: BTreeSet<usize> = api
                .operations
                .iter()
                .filter_map(|op| op.body.as_ref())
                .filter(|b| {
                    b.media == crate::ir::Media::Multipart
                        || b.alternatives.iter().any(|a| a.media == crate::ir::Media::Multipart)
                })
                .filter_map(|b| match b.ty {
                    crate::ir::Ty::Named(id) => Some(id.0),
                    _ => None,
                })
                .collect();
            let range = start..(start + TYPES_PER_CHUNK).min(api.types.len());
            let (segments, used) = types::types_chunk(api, range, &multipart);
            Ok(Printed { text: print_segments("src/types.rs", segments)?, used })
        }
    }
}

/// Parses tokens as a Rust file and prints it.
fn print(path: &str, tokens: TokenStream) -> Result<String, Error> {
    let file: syn::File =
        syn::parse2(tokens).map_err(|e| Error::new(format!("internal error: generated {path} does not parse: {e}")))?;
    Ok(prettyplease::unparse(&file))
}

/// Text for a one-line comment: control characters would end it.
fn one_line(text: &str) -> String {
    text.chars().map(|c| if c.is_control() { ' ' } else { c }).collect()
}

#[cfg(test)]
mod tests {
    use super::crate_version;

    #[test]
    fn a_document_version_is_a_crate_version_only_when_it_reads_as_one() {
        let cases = [
            ("2.1.0", Some("2.1.0")),
            ("v2.1", Some("2.1.0")),
            ("3", Some("3.0.0")),
            ("1.0.0-beta.2", Some("1.0.0-beta.2")),
            ("2022-11-28", None),
            ("2022.11.28", None),
            ("1.02", None),
            ("latest", None),
            ("", None),
            ("1.2.3.4", None),
            ("1.0-", None),
        ];
        for (document, expected) in cases {
            assert_eq!(crate_version(document).as_deref(), expected, "{document:?}");
        }
    }
}
