//! Whole documents from the wild, loaded and lowered: the seed's Webflow excerpt and a document
//! split over files.

use std::path::Path;

use clientgen::{generate, Settings};

fn settings() -> Settings {
    Settings {
        crate_name: "demo".into(),
        include: Vec::new(),
        regenerate_with: "test".into(),
        source: None,
        overlays: Vec::new(),
        ref_roots: Vec::new(),
        group_features: clientgen::GroupFeatures::Auto,
        package: Default::default(),
    }
}

fn data(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data").join(name)
}

fn file<'a>(generated: &'a clientgen::Generated, path: &str) -> &'a str {
    &generated.files.iter().find(|f| f.path == Path::new(path)).unwrap_or_else(|| panic!("no {path}")).contents
}

#[test]
fn the_webflow_seed_excerpt_loads_with_warnings_not_errors() {
    let generated = generate(&data("webflow-seed-excerpt.yaml"), &settings()).expect("the excerpt generates");
    let warnings: Vec<String> = generated.warnings.iter().map(ToString::to_string).collect();
    assert!(
        warnings.iter().any(|w| w.contains("webflow-seed-excerpt.yaml:17 #/paths/~1assets~1{asset_id}/patch/tags")),
        "{warnings:#?}"
    );
    let resources = file(&generated, "src/resources/subpackage_assets.rs");
    // The Authorization header parameter is the client's credential, not an argument.
    assert!(
        resources.contains("pub fn update(&self, asset_id: impl Into<String>) -> Request<'a, Update>"),
        "{resources}"
    );
    // Authenticated (the document's security), and not retried on a 5xx: PATCH is not idempotent.
    assert!(resources.contains("const CALL: Call = Call::patch(\"update\""), "{resources}");
    assert!(!resources.contains(".anonymous()") && !resources.contains(".idempotent("), "{resources}");
    // Errors documented with `content: {}` carry no body type.
    assert!(resources.contains("type Error = ();"), "{resources}");
    let lib = file(&generated, "src/client.rs");
    assert!(lib.contains("DEFAULT_BASE_URL: &str = \"\""), "the excerpt names no server: {lib}");
    let types = file(&generated, "src/types.rs");
    // `type: [integer, 'null']`, required: always sent, may be null.
    assert!(types.contains("pub height: Option<i64> = "), "{types}");
    // `format: objectid` is a string, without complaint.
    assert!(types.contains("pub id: String = "), "{types}");
    assert!(!warnings.iter().any(|w| w.contains("objectid")), "{warnings:#?}");
}

#[test]
fn refs_into_other_files_are_followed_and_cycles_boxed() {
    let generated = generate(&data("external/api.yaml"), &settings()).expect("the split document generates");
    assert!(generated.warnings.is_empty(), "{:#?}", generated.warnings);
    let types = file(&generated, "src/types.rs");
    assert!(types.contains("pub struct Pet {"), "{types}");
    // Pet → Owner → Pet directly: both links are boxed; through a Vec no box is needed.
    assert!(types.contains("pub owner: Option<Box<Owner>> = "), "{types}");
    assert!(types.contains("pub favourite: Option<Box<Pet>> = "), "{types}");
    assert!(types.contains("pub pets: Option<Vec<Pet>> = "), "{types}");
    let resources = file(&generated, "src/resources/pets.rs");
    assert!(resources.contains("pub fn get(&self, id: i64) -> Request<'a, Get>"), "{resources}");
}

#[test]
fn a_ref_to_a_missing_file_is_a_warning_at_the_ref() {
    let dir = std::env::temp_dir().join(format!("clientgen-missing-ref-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a folder");
    let spec = dir.join("api.yaml");
    std::fs::write(
        &spec,
        "openapi: 3.1.0\ninfo: {title: T, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A: {$ref: 'gone.yaml#/B'}\n",
    )
    .expect("written");
    let generated = generate(&spec, &settings()).expect("still generates");
    let warnings: Vec<String> = generated.warnings.iter().map(ToString::to_string).collect();
    assert!(
        warnings.iter().any(|w| w.contains("api.yaml:6 #/components/schemas/A") && w.contains("gone.yaml")),
        "{warnings:#?}"
    );
}

#[test]
fn all_of_wrappers_and_merges_that_recurse_end() {
    let spec = r#"openapi: 3.0.3
info: {title: T, version: '1'}
paths: {}
components:
  schemas:
    Expression:
      type: object
      properties:
        not:
          description: 'A wrapper around a $ref to the schema itself (AWS documents do this).'
          allOf: [{$ref: '#/components/schemas/Expression'}]
    Tree:
      type: object
      properties:
        child:
          description: 'A merge of the schema itself with more: it has no finite expansion.'
          allOf:
            - $ref: '#/components/schemas/Tree'
            - {type: object, properties: {depth: {type: integer}}}
"#;
    let dir = std::env::temp_dir().join(format!("clientgen-recursion-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a folder");
    let path = dir.join("api.yaml");
    std::fs::write(&path, spec).expect("written");
    let generated = generate(&path, &settings()).expect("generates without overflowing the stack");
    let types = file(&generated, "src/types.rs");
    assert!(types.contains("pub not: Option<Box<Expression>> = "), "{types}");
    let warnings: Vec<String> = generated.warnings.iter().map(ToString::to_string).collect();
    assert!(warnings.iter().any(|w| w.contains("merges into itself")), "{warnings:#?}");
    assert!(types.matches("pub struct Tree").count() <= 2, "one level of expansion, not a hundred: {types}");
}
