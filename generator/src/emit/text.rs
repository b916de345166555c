//! Rust text written directly, for what prettyplease prints poorly: the insides of macro calls,
//! which it sees only as tokens (`Option < Vec < String > >`, every member on one long line).

use proc_macro2::{Delimiter, Spacing, TokenStream, TokenTree};

/// Tokens as a person writes them on one line: a space between words, after a comma and
/// around a lone `=`, none inside paths and generics. For types and attributes; tokens that
/// need more care (blocks, operators) go through prettyplease.
pub fn one_line(tokens: TokenStream) -> String {
    let mut out = String::new();
    write(&mut out, tokens);
    out
}

fn write(out: &mut String, tokens: TokenStream) {
    // Whether the last token written was a word (identifier or literal).
    let mut after_word = false;
    for token in tokens {
        match token {
            TokenTree::Ident(word) => {
                if after_word {
                    out.push(' ');
                }
                out.push_str(&word.to_string());
                after_word = true;
            }
            TokenTree::Literal(literal) => {
                if after_word {
                    out.push(' ');
                }
                out.push_str(&literal.to_string());
                after_word = true;
            }
            TokenTree::Punct(punct) => {
                match (punct.as_char(), punct.spacing()) {
                    (',', _) => out.push_str(", "),
                    ('=', Spacing::Alone) => out.push_str(" = "),
                    (c, _) => out.push(c),
                }
                after_word = false;
            }
            TokenTree::Group(group) => {
                let (open, close) = match group.delimiter() {
                    Delimiter::Parenthesis => ("(", ")"),
                    Delimiter::Bracket => ("[", "]"),
                    Delimiter::Brace => ("{ ", " }"),
                    Delimiter::None => ("", ""),
                };
                out.push_str(open);
                write(out, group.stream());
                // A comma before the close (a one-element tuple's) needs no space.
                if out.ends_with(", ") {
                    out.truncate(out.len() - 1);
                }
                out.push_str(close);
                after_word = false;
            }
        }
    }
}

/// `text` with a blank line between items, as people write Rust (prettyplease writes none):
/// after the module's documentation, between top-level items, except a run of `use`s or
/// `mod`s, and between the items of an `impl` block, except its associated types and
/// constants. Lines inside items are left alone, so a macro's insides keep their layout.
pub fn with_blank_lines(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    let mut prev: Option<&str> = None;
    for line in text.lines() {
        if let Some(prev) = prev {
            let after_module_docs = prev.starts_with("//!") && !line.starts_with("//!");
            if item_ends(prev, "") && item_starts(line, "") && !(declares(prev) && declares(line))
                || item_ends(prev, "    ") && item_starts(line, "    ") && !(associates(prev) && associates(line))
                || after_module_docs
            {
                out.push('\n');
            }
        }
        out.push_str(line);
        out.push('\n');
        prev = Some(line);
    }
    out
}

/// Whether `line` closes an item at this indentation: a block's `}` or a statement's `;`.
fn item_ends(line: &str, indent: &str) -> bool {
    let Some(rest) = line.strip_prefix(indent) else { return false };
    !rest.starts_with(' ')
        && (rest == "}" || rest == ");" || rest == "};" || rest.ends_with(';') && !rest.starts_with("//"))
}

/// Whether `line` opens an item (or its documentation or attributes) at this indentation.
fn item_starts(line: &str, indent: &str) -> bool {
    let Some(rest) = line.strip_prefix(indent) else { return false };
    ["///", "#[", "pub ", "pub(", "fn ", "impl", "struct ", "enum ", "type ", "const ", "use ", "mod ", "crate::"]
        .iter()
        .any(|start| rest.starts_with(start))
}

/// An impl's associated types and constants, which read as one block.
fn associates(line: &str) -> bool {
    ["    type ", "    const "].iter().any(|start| line.starts_with(start))
}

/// `use` and `mod` lines, which read as one block.
fn declares(line: &str) -> bool {
    ["use ", "pub use ", "mod ", "pub mod "].iter().any(|start| line.starts_with(start))
}

#[cfg(test)]
mod tests {
    use super::{one_line, with_blank_lines};
    use quote::quote;

    #[test]
    fn types_and_attributes_read_as_written_by_hand() {
        assert_eq!(
            one_line(quote!(::std::option::Option<Vec<crate::Nullable<chrono::DateTime<chrono::Utc>>>>)),
            "::std::option::Option<Vec<crate::Nullable<chrono::DateTime<chrono::Utc>>>>"
        );
        assert_eq!(one_line(quote!(BTreeMap<String, (i64, &'static str)>)), "BTreeMap<String, (i64, &'static str)>");
        assert_eq!(
            one_line(quote!(#[cfg(any(feature = "issues", feature = "repos"))])),
            "#[cfg(any(feature = \"issues\", feature = \"repos\"))]"
        );
        assert_eq!(one_line(quote!(r#type)), "r#type");
        assert_eq!(one_line(quote!((String,))), "(String,)");
    }

    #[test]
    fn items_are_set_apart_by_a_blank_line_and_their_insides_left_alone() {
        let printed = "//! Things.\nuse a::B;\nuse c::D;\n/// A thing.\npub struct Thing {\n    pub id: String,\n}\nimpl Thing {\n    type T = u8;\n    const X: u8 = 1;\n    /// Makes one.\n    pub fn new() -> Self {\n        let x = 1;\n        Self {}\n    }\n    fn other() {}\n}\ncrate::runtime::object! {\n    pub struct A {\n        pub a: u8 = \"a\" required,\n    }\n    read always, write always\n}\n#[cfg(test)]\nmod tests;\n";
        let expected = "//! Things.\n\nuse a::B;\nuse c::D;\n\n/// A thing.\npub struct Thing {\n    pub id: String,\n}\n\nimpl Thing {\n    type T = u8;\n    const X: u8 = 1;\n\n    /// Makes one.\n    pub fn new() -> Self {\n        let x = 1;\n        Self {}\n    }\n\n    fn other() {}\n}\n\ncrate::runtime::object! {\n    pub struct A {\n        pub a: u8 = \"a\" required,\n    }\n    read always, write always\n}\n\n#[cfg(test)]\nmod tests;\n";
        assert_eq!(with_blank_lines(printed), expected);
    }
}
