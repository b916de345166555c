//! No input makes the generator panic: real documents, mutated many ways (lines dropped,
//! repeated or re-indented, values replaced by other kinds), go through the whole pipeline,
//! which must answer with files or an error every time.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

use clientgen::{generate_text, Settings};

/// A small deterministic generator (xorshift), so a failure names a reproducible seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const REPLACEMENTS: &[&str] = &[
    "null",
    "[]",
    "{}",
    "[[x]]",
    "-1",
    "1e999",
    "''",
    "{$ref: '#/'}",
    "{$ref: '#/components/schemas'}",
    "~",
    "[1, a, {b: c}]",
    "true",
];

fn mutate(text: &str, rng: &mut Rng) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    for _ in 0..=rng.below(3) {
        if lines.is_empty() {
            break;
        }
        let i = rng.below(lines.len());
        match rng.below(5) {
            0 => {
                lines.remove(i);
            }
            1 => {
                let line = lines[i].clone();
                lines.insert(i, line);
            }
            2 => lines[i] = format!("  {}", lines[i]),
            3 => {
                let trimmed = lines[i].trim_start().len();
                let indent = lines[i].len() - trimmed;
                lines[i] = lines[i][indent.min(2)..].to_string();
            }
            _ => {
                if let Some((key, _)) = lines[i].split_once(": ") {
                    let value = REPLACEMENTS[rng.below(REPLACEMENTS.len())];
                    lines[i] = format!("{key}: {value}");
                }
            }
        }
    }
    lines.join("\n")
}

/// Mutations per document: 150 in the suite; `CLIENTGEN_MUTATIONS=5000` for a deeper local run.
fn mutations() -> u64 {
    std::env::var("CLIENTGEN_MUTATIONS").ok().and_then(|n| n.parse().ok()).unwrap_or(150)
}

#[test]
fn mutated_documents_never_panic() {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data");
    let specs = Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs/datocms/openapi.yaml");
    let documents = [data.join("webflow-seed-excerpt.yaml"), data.join("external/api.yaml"), specs];
    let settings = Settings {
        crate_name: "fuzz".into(),
        include: Vec::new(),
        regenerate_with: "test".into(),
        source: None,
        overlays: Vec::new(),
        ref_roots: Vec::new(),
        group_features: clientgen::GroupFeatures::Auto,
        package: Default::default(),
    };
    let mut outcomes = [0usize; 2];
    for document in &documents {
        let text = std::fs::read_to_string(document).expect("a test document");
        for seed in 1..=mutations() {
            let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
            let mutated = mutate(&text, &mut rng);
            let result = catch_unwind(AssertUnwindSafe(|| generate_text(document, mutated.clone(), &settings)));
            match result {
                Ok(Ok(_)) => outcomes[0] += 1,
                Ok(Err(error)) => {
                    assert!(!error.message.is_empty(), "an error must say what is wrong");
                    outcomes[1] += 1;
                }
                Err(_) => panic!("{} with seed {seed} panicked on:\n{mutated}", document.display()),
            }
        }
    }
    // Both outcomes happen, so the mutations reach past the parser.
    assert!(outcomes[0] > 0 && outcomes[1] > 0, "{outcomes:?}");
}
