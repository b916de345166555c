//! Every Rust name the generator writes is decided here, and every name a generated item may
//! not take is listed here (keywords, std's and the crate root's names, the methods of `Client`
//! and `Request`, what a group module imports).
//!
//! The scheme:
//! - Words are split on case changes and on anything that is not a letter or digit, as heck
//!   splits them;
//!   `+` and a leading `-` become `plus` and `minus` (GitHub's `+1` / `-1` reactions).
//! - Types and variants are `UpperCamelCase`, fields, methods and modules `snake_case`.
//! - A name that would start with a digit gets a prefix (`_` for snake case, `N` for camel case).
//! - Keywords get a trailing `_` (`type` → `type_`), never `r#`, so every name can also be used
//!   in paths and format strings. `Self` becomes `Self_`.
//! - Names that collide after conversion are told apart by [`Scope::claim`], which appends `2`,
//!   `3`, … in the order the names were claimed: the first keeps the plain name.

use std::collections::HashSet;

/// Strict and reserved keywords of Rust 2015–2024, plus the names a generated item must not
/// shadow in the scope it is written in.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate", "do", "dyn", "else",
    "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "macro", "match", "mod",
    "move", "mut", "override", "priv", "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait",
    "true", "try", "type", "typeof", "union", "unsafe", "unsized", "use", "virtual", "where", "while", "yield", "_",
];

/// Whether `name` is a Rust keyword (strict or reserved), which an identifier cannot be.
pub fn is_keyword(name: &str) -> bool {
    KEYWORDS.contains(&name)
}

fn words(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for (i, c) in raw.chars().enumerate() {
        match c {
            '+' => out.push_str(" plus "),
            '-' if i == 0 => out.push_str("minus "),
            c if c.is_ascii_alphanumeric() => out.push(c),
            c if fold(c).is_some() => out.push_str(fold(c).unwrap_or_default()),
            // Non-ASCII letters are kept by transliterating nothing: they become separators, so
            // names stay ASCII and readable on every keyboard.
            _ => out.push(' '),
        }
    }
    out
}

/// The words of ASCII text, split as heck splits them: at anything that is not a letter or
/// digit, after a lowercase letter followed by an uppercase one (`fileId` → `file`, `Id`), and
/// before the last capital of a run followed by a lowercase letter (`HTTPServer` → `HTTP`,
/// `Server`). Digits join the word they are in. Ours rather than heck's, which formats
/// character by character: naming was a tenth of Microsoft Graph's generation time.
fn split_words(text: &str, mut word: impl FnMut(&str)) {
    #[derive(Clone, Copy, PartialEq)]
    enum Case {
        None,
        Lower,
        Upper,
    }
    for part in text.split(|c: char| !c.is_ascii_alphanumeric()) {
        let bytes = part.as_bytes();
        let mut start = 0;
        // The case of the last cased letter since the last boundary.
        let mut last = Case::None;
        for (i, &c) in bytes.iter().enumerate() {
            let Some(&next) = bytes.get(i + 1) else {
                word(&part[start..]);
                break;
            };
            let with_c = match c {
                b'a'..=b'z' => Case::Lower,
                b'A'..=b'Z' => Case::Upper,
                _ => last,
            };
            if with_c == Case::Lower && next.is_ascii_uppercase() {
                word(&part[start..=i]);
                start = i + 1;
                last = Case::None;
            } else if last == Case::Upper && c.is_ascii_uppercase() && next.is_ascii_lowercase() {
                word(&part[start..i]);
                start = i;
                last = Case::None;
            } else {
                last = with_c;
            }
        }
    }
}

/// `UpperCamelCase` of ASCII text: each word capitalised, the rest of it lowercase.
fn upper_camel_case(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    split_words(text, |word| {
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            out.push(first.to_ascii_uppercase());
            out.extend(chars.map(|c| c.to_ascii_lowercase()));
        }
    });
    out
}

/// `snake_case` of ASCII text: the words in lowercase, joined by `_`.
fn snake_case(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    split_words(text, |word| {
        if !out.is_empty() {
            out.push('_');
        }
        out.extend(word.chars().map(|c| c.to_ascii_lowercase()));
    });
    out
}

/// The ASCII letters of an accented Latin letter (`é` → `e`, `ß` → `ss`).
fn fold(c: char) -> Option<&'static str> {
    Some(match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => "a",
        'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' => "A",
        'è' | 'é' | 'ê' | 'ë' => "e",
        'È' | 'É' | 'Ê' | 'Ë' => "E",
        'ì' | 'í' | 'î' | 'ï' => "i",
        'Ì' | 'Í' | 'Î' | 'Ï' => "I",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' => "o",
        'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'Ø' => "O",
        'ù' | 'ú' | 'û' | 'ü' => "u",
        'Ù' | 'Ú' | 'Û' | 'Ü' => "U",
        'ç' => "c",
        'Ç' => "C",
        'ñ' => "n",
        'Ñ' => "N",
        'ý' | 'ÿ' => "y",
        'ß' => "ss",
        'æ' => "ae",
        'œ' => "oe",
        _ => return None,
    })
}

/// The longest name taken from a document, in characters: a 10,000-character title must not
/// become an identifier (or a file name) no reader can use and no file system accepts.
const MAX_NAME_CHARS: usize = 80;

fn capped(mut name: String) -> String {
    if let Some((cut, _)) = name.char_indices().nth(MAX_NAME_CHARS) {
        name.truncate(cut);
        while name.ends_with('_') {
            name.pop();
        }
    }
    name
}

/// `UpperCamelCase`, always a valid identifier.
pub fn type_name(raw: &str) -> String {
    let mut name = capped(upper_camel_case(&words(raw)));
    if name.is_empty() {
        name = "Unnamed".into();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, 'N');
    }
    if KEYWORDS.contains(&name.as_str()) {
        name.push('_');
    }
    name
}

/// Names a public type of a generated crate never takes: the standard prelude's and the
/// collections users write beside it, the derive macros `types.rs` uses, and the crate's own
/// root items. After `use the_crate::types::*;` a user's `Vec<String>` must still mean std's.
const TAKEN_TYPE_NAMES: &[&str] = &[
    // The prelude, and std names in everyday use.
    "Option",
    "Some",
    "None",
    "Result",
    "Ok",
    "Err",
    "String",
    "Vec",
    "Box",
    "ToString",
    "ToOwned",
    "Clone",
    "Copy",
    "Send",
    "Sync",
    "Sized",
    "Unpin",
    "Drop",
    "Fn",
    "FnMut",
    "FnOnce",
    "Default",
    "Eq",
    "PartialEq",
    "Ord",
    "PartialOrd",
    "Iterator",
    "IntoIterator",
    "Extend",
    "From",
    "Into",
    "TryFrom",
    "TryInto",
    "FromIterator",
    "AsRef",
    "AsMut",
    "Debug",
    "Display",
    "Hash",
    "HashMap",
    "HashSet",
    "BTreeMap",
    "BTreeSet",
    "Cow",
    "Rc",
    "Arc",
    "Self_",
    "Serialize",
    "Deserialize",
    // The generated crate's root.
    "Client",
    "ClientBuilder",
    "Error",
    "ApiError",
    "BodyError",
    "Content",
    "File",
    "JobWait",
    "KeyLocation",
    "Nullable",
    "RawResponse",
    "RetryPolicy",
];

/// Names a parameter or setter must not take: the parameter type's own fields, and the methods
/// of the shared `Request` and of the conveniences.
pub const BUILDER_RESERVED: &[&str] = &[
    "body",
    "body_media",
    "send",
    "send_with_headers",
    "send_and_wait",
    "send_chunked",
    "stream",
    "into_future",
    "new",
    "retry_policy",
    "request_timeout",
    "max_body_bytes",
    "exchange",
];

/// The methods every request has, or may have (the conveniences): no setter may take them.
pub const REQUEST_METHODS: &[&str] = &[
    "send",
    "send_with_headers",
    "send_and_wait",
    "send_chunked",
    "stream",
    "into_future",
    "retry_policy",
    "request_timeout",
    "max_body_bytes",
    "exchange",
    "with_headers",
    "clone",
    "fmt",
];

/// The runtime's names a group module imports (`use crate::runtime::{Call, …}`): no item
/// there, the group's handle included, may take them.
pub const RUNTIME_NAMES: [&str; 6] = ["Call", "Outgoing", "Response", "Error", "Operation", "Request"];

/// The runtime `ClientCredentials`'s own functions: a constructor for a document's flow takes none.
pub const CLIENT_CREDENTIALS_METHODS: &[&str] =
    &["new", "token_url", "scopes", "param", "client_auth", "http_client", "with_default_http", "request", "fetch"];

/// Methods of `Client` (and the crate's modules beside them): no group's accessor may take them.
pub const CLIENT_METHODS: &[&str] =
    &["builder", "new", "base_url", "request", "http", "with_http", "types", "runtime", "resources"];

/// The prelude and runtime names a group module uses unqualified: no item there may take them.
pub const GROUP_MODULE_NAMES: &[&str] =
    &["Ok", "Err", "Some", "None", "Option", "Result", "Box", "Into", "String", "Default"];

/// Words our own naming adds after a place's name (`…Response`, `…Item`); a name several places
/// agree on must say more than these.
pub const STRUCTURAL_WORDS: &[&str] =
    &["Response", "Request", "Body", "Item", "Items", "Error", "Value", "Variant", "Entry", "Element", "Input"];

/// Whether a public type of this name would shadow a standard or crate-root name.
pub fn shadows(name: &str) -> bool {
    TAKEN_TYPE_NAMES.contains(&name)
}

/// A type name that repeats no name in [`TAKEN_TYPE_NAMES`]: such a name gets `Model` appended
/// (a component `Error` is `ErrorModel`).
pub fn unshadowed(name: String) -> String {
    if shadows(&name) {
        // `Self_` (a keyword's) becomes `SelfModel`: `Self_Model` is no camel-case name.
        format!("{}Model", name.trim_end_matches('_'))
    } else {
        name
    }
}

/// `snake_case`, always a valid identifier.
pub fn snake_name(raw: &str) -> String {
    let mut name = capped(snake_case(&words(raw)));
    if name.is_empty() {
        name = "value".into();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, '_');
    }
    if KEYWORDS.contains(&name.as_str()) {
        name.push('_');
    }
    name
}

/// English singular of a plural word, for naming an array's items (`assets` → `asset`).
pub fn singular(word: &str) -> String {
    let lower = word.to_ascii_lowercase();
    let cut = |n: usize, add: &str| format!("{}{add}", &word[..word.len() - n]);
    if lower.ends_with("ies") && word.len() > 4 {
        cut(3, "y")
    } else if lower.ends_with("sses") || lower.ends_with("xes") || lower.ends_with("ches") || lower.ends_with("shes") {
        cut(2, "")
    } else if lower.ends_with('s')
        && !lower.ends_with("ss")
        && !lower.ends_with("us")
        && !lower.ends_with("is")
        && word.len() > 3
    {
        cut(1, "")
    } else {
        word.to_string()
    }
}

/// A namespace in which every claimed name is unique.
#[derive(Debug, Default, Clone)]
pub struct Scope {
    taken: HashSet<String>,
}

impl Scope {
    pub fn new() -> Scope {
        Scope::default()
    }

    /// A scope in which `reserved` names are already taken.
    pub fn with_reserved(reserved: &[&str]) -> Scope {
        Scope { taken: reserved.iter().map(|s| s.to_string()).collect() }
    }

    pub fn is_taken(&self, name: &str) -> bool {
        self.taken.contains(name)
    }

    /// Takes `name`, or the first of `name2`, `name3`, … that is free (`name_2` for snake case).
    pub fn claim(&mut self, name: &str) -> String {
        if self.taken.insert(name.to_string()) {
            return name.to_string();
        }
        let separator = if name.contains('_') || name.chars().all(|c| !c.is_ascii_uppercase()) { "_" } else { "" };
        // `self_` (a keyword made safe) continues as `self_2`, not `self__2`.
        let base = match name.trim_end_matches('_') {
            "" => name,
            trimmed => trimmed,
        };
        (2..)
            .map(|n| format!("{base}{separator}{n}"))
            .find(|candidate| self.taken.insert(candidate.clone()))
            .expect("an unbounded range yields a free name")
    }
}

/// Whether `text` is an SPDX license expression as Cargo's `license` takes it: identifiers
/// (`MIT`, `Apache-2.0`, `GPL-2.0+`) joined by `AND`, `OR` or `WITH`, with parentheses.
/// Free-form names (`Apache 2.0`, `MIT License`) are not.
pub fn is_spdx_expression(text: &str) -> bool {
    let spaced = text.replace('(', " ( ").replace(')', " ) ");
    let mut expect_id = true;
    let mut depth = 0usize;
    for token in spaced.split_whitespace() {
        match token {
            "(" if expect_id => depth += 1,
            ")" if !expect_id && depth > 0 => depth -= 1,
            "AND" | "OR" | "WITH" if !expect_id => expect_id = true,
            id if expect_id
                && id.starts_with(|c: char| c.is_ascii_alphanumeric())
                && id.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '+')) =>
            {
                expect_id = false
            }
            _ => return false,
        }
    }
    !expect_id && depth == 0
}

/// The SPDX identifier of a license as documents name it (`Apache 2.0`, `MIT License`), for
/// the common open-source licenses; `None` for the rest, which Cargo could not take.
pub fn spdx_of_name(name: &str) -> Option<&'static str> {
    const KNOWN: &[(&str, &[&str])] = &[
        ("MIT", &["mit", "mit license", "the mit license", "expat"]),
        (
            "Apache-2.0",
            &[
                "apache-2.0",
                "apache 2.0",
                "apache 2",
                "apache license 2.0",
                "apache license, version 2.0",
                "apache2",
                "apache-2",
                "apache license version 2.0",
            ],
        ),
        ("BSD-2-Clause", &["bsd-2-clause", "bsd 2-clause", "simplified bsd"]),
        ("BSD-3-Clause", &["bsd-3-clause", "bsd 3-clause", "bsd", "new bsd", "bsd license"]),
        ("ISC", &["isc", "isc license"]),
        ("MPL-2.0", &["mpl-2.0", "mpl 2.0", "mozilla public license 2.0"]),
        ("GPL-3.0-only", &["gpl-3.0", "gpl-3.0-only", "gplv3", "gnu gpl v3"]),
        ("GPL-2.0-only", &["gpl-2.0", "gpl-2.0-only", "gplv2"]),
        ("LGPL-3.0-only", &["lgpl-3.0", "lgpl-3.0-only", "lgplv3"]),
        ("AGPL-3.0-only", &["agpl-3.0", "agpl-3.0-only", "agplv3"]),
        ("Unlicense", &["unlicense", "the unlicense"]),
        ("CC0-1.0", &["cc0-1.0", "cc0", "cc0 1.0"]),
        ("CC-BY-4.0", &["cc-by-4.0", "cc by 4.0", "creative commons attribution 4.0 international"]),
        ("0BSD", &["0bsd"]),
        ("Zlib", &["zlib"]),
    ];
    let wanted = name.trim().to_ascii_lowercase();
    KNOWN.iter().find(|(_, names)| names.contains(&wanted.as_str())).map(|(id, _)| *id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_license_names_are_read_as_their_spdx_identifiers() {
        assert_eq!(spdx_of_name("Apache 2.0"), Some("Apache-2.0"));
        assert_eq!(spdx_of_name(" MIT License "), Some("MIT"));
        assert_eq!(spdx_of_name("Proprietary"), None);
        assert_eq!(spdx_of_name("Apache 2.0 with exceptions"), None);
    }

    #[test]
    fn licenses_are_taken_only_as_spdx_expressions() {
        for ok in ["MIT", "Apache-2.0", "MIT OR Apache-2.0", "(MIT OR Apache-2.0) AND BSD-3-Clause", "GPL-2.0+"] {
            assert!(is_spdx_expression(ok), "{ok}");
        }
        for not in ["", "Apache 2.0", "MIT License", "OR MIT", "MIT OR", "(MIT", "MIT)", "Proprietary; see terms"] {
            assert!(!is_spdx_expression(not), "{not}");
        }
    }

    #[test]
    fn words_split_and_join_as_heck_does() {
        use heck::{ToSnakeCase, ToUpperCamelCase};
        let mut cases: Vec<String> = [
            "",
            "a",
            "A",
            "fileId",
            "FileID",
            "HTTPServer",
            "getHTTPResponseCode",
            "x-rate-limit",
            "__a__b__",
            "v2Beta3",
            "ABC",
            "aBC",
            "ABc",
            "a1B",
            "A1b",
            "1a",
            "tag 123abc",
            "iOS",
            "IDs",
            "userIDs",
            "S3Bucket",
            "microsoft.graph.odata.errors",
            "list_job_results",
            "Get-Item",
            "PUT /x/{id}",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        // Every short string over an alphabet of the cases that matter.
        let alphabet = ['a', 'B', '1', ' ', '_', 'c', 'D'];
        let mut level = vec![String::new()];
        for _ in 0..5 {
            level = level.iter().flat_map(|s| alphabet.iter().map(move |c| format!("{s}{c}"))).collect();
            cases.extend(level.iter().cloned());
        }
        for case in &cases {
            assert_eq!(upper_camel_case(case), case.to_upper_camel_case(), "{case:?}");
            assert_eq!(snake_case(case), case.to_snake_case(), "{case:?}");
        }
    }

    #[test]
    fn names_from_huge_text_are_capped() {
        let huge = "word ".repeat(2_000);
        assert_eq!(type_name(&huge).chars().count(), MAX_NAME_CHARS);
        assert!(snake_name(&huge).chars().count() <= MAX_NAME_CHARS);
        assert!(!snake_name(&huge).ends_with('_'));
    }

    #[test]
    fn type_names() {
        for (raw, expected) in [
            ("upload", "Upload"),
            ("assets_update_Response_200", "AssetsUpdateResponse200"),
            ("Annotations.FileRef", "AnnotationsFileRef"),
            ("../../x", "X"),
            ("200-response", "N200Response"),
            ("", "Unnamed"),
            ("self", "Self_"),
            ("list-assets", "ListAssets"),
            ("données", "Donnees"),
            ("créer", "Creer"),
        ] {
            assert_eq!(type_name(raw), expected, "{raw}");
        }
    }

    #[test]
    fn snake_names() {
        for (raw, expected) in [
            ("upload_id", "upload_id"),
            ("X-Api-Version", "x_api_version"),
            ("type", "type_"),
            ("self", "self_"),
            ("+1", "plus_1"),
            ("-1", "minus_1"),
            ("2fa", "_2fa"),
            ("page[offset]", "page_offset"),
            ("externalId", "external_id"),
            ("gen", "gen_"),
            ("", "value"),
        ] {
            assert_eq!(snake_name(raw), expected, "{raw}");
        }
    }

    #[test]
    fn singulars() {
        for (plural, single) in [
            ("assets", "asset"),
            ("Variants", "Variant"),
            ("categories", "category"),
            ("addresses", "address"),
            ("status", "status"),
            ("data", "data"),
            ("items", "item"),
            ("boxes", "box"),
        ] {
            assert_eq!(singular(plural), single);
        }
    }

    #[test]
    fn collisions_get_stable_suffixes() {
        let mut scope = Scope::with_reserved(&["client"]);
        assert_eq!(scope.claim("client"), "client_2");
        assert_eq!(scope.claim("foo_bar"), "foo_bar");
        assert_eq!(scope.claim("foo_bar"), "foo_bar_2");
        assert_eq!(scope.claim("Asset"), "Asset");
        assert_eq!(scope.claim("Asset"), "Asset2");
        assert_eq!(scope.claim("self_"), "self_");
        assert_eq!(scope.claim("self_"), "self_2");
    }
}
