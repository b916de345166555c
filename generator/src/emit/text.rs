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

#[cfg(test)]
mod tests {
    use super::one_line;
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
}
