//! Any text given as a document: the generator answers with files or an error, never a panic,
//! a hang or an unbounded allocation (libFuzzer's `-rss_limit_mb` and `-timeout` catch those).

#![no_main]

use std::path::Path;

use clientgen::{generate_text, GroupFeatures, Settings};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let settings = Settings {
        crate_name: "fuzzed".into(),
        include: Vec::new(),
        regenerate_with: "fuzz".into(),
        source: None,
        overlays: Vec::new(),
        ref_roots: Vec::new(),
        // Half the inputs with a feature per group, so the `cfg` paths are fuzzed too.
        group_features: if data.len() % 2 == 0 { GroupFeatures::Always } else { GroupFeatures::Auto },
        package: Default::default(),
    };
    // A path in a folder of its own, so that external `$ref`s find nothing to read.
    let _ = generate_text(Path::new("/nonexistent-clientgen-fuzz/openapi.yaml"), text.to_string(), &settings);
});
