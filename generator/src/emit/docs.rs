//! Doc comments from document text.
//!
//! Text becomes `#[doc = "…"]` string literals, one per line, so nothing in a description can
//! become code. Markdown code blocks are marked `text` so rustdoc does not compile them as
//! doctests, and deep indentation (an indented code block in Markdown) is flattened for the
//! same reason.

use proc_macro2::TokenStream;
use quote::quote;

pub fn doc_attrs(text: Option<&str>) -> TokenStream {
    match text {
        Some(text) => lines(text).into_iter().map(|line| quote!(#[doc = #line])).collect(),
        None => TokenStream::new(),
    }
}

/// The same as inner attributes (`//!`), for a module's own documentation.
pub fn inner_doc_attrs(text: Option<&str>) -> TokenStream {
    match text {
        Some(text) => lines(text).into_iter().map(|line| quote!(#![doc = #line])).collect(),
        None => TokenStream::new(),
    }
}

/// Joins several paragraphs (a summary, a description) with blank lines.
pub fn paragraphs(parts: &[Option<&str>]) -> Option<String> {
    let parts: Vec<&str> = parts.iter().flatten().map(|p| p.trim()).filter(|p| !p.is_empty()).collect();
    if parts.is_empty() {
        return None;
    }
    let mut out: Vec<&str> = Vec::new();
    for p in parts {
        if !out.contains(&p) {
            out.push(p);
        }
    }
    Some(out.join("\n\n"))
}

fn lines(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_fence = false;
    let mut in_list = false;
    for raw in text.trim().split(['\n', '\r']).map(|l| l.trim_end()) {
        let mut line: String = raw.chars().filter(|c| !c.is_control() || *c == '\t').collect();
        let trimmed = line.trim_start().to_string();
        let trimmed = trimmed.as_str();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            let fence = &trimmed[..3];
            if !in_fence {
                line = format!("{fence}text");
            } else {
                line = fence.to_string();
            }
            in_fence = !in_fence;
        } else if !in_fence {
            let indent = line.len() - trimmed.len();
            if indent > 3 {
                line = format!("   {trimmed}");
            }
            let is_item = is_list_item(trimmed) || trimmed.starts_with('>');
            // A line right after a list item that is not indented under it ends the list; say
            // so with a blank line, as Markdown readers (and clippy) expect.
            if in_list && !is_item && !trimmed.is_empty() && indent < 2 {
                out.push(String::new());
                in_list = false;
            }
            if is_item {
                in_list = true;
            } else if trimmed.is_empty() {
                in_list = false;
            }
        }
        out.push(format!(" {line}").trim_end().to_string());
    }
    if in_fence {
        out.push(" ```".into());
    }
    while out.last().is_some_and(|l| l.is_empty()) {
        out.pop();
    }
    // Collapse runs of blank lines.
    out.dedup_by(|a, b| a.is_empty() && b.is_empty());
    out
}

fn is_list_item(line: &str) -> bool {
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    line.starts_with("- ")
        || line.starts_with("* ")
        || line.starts_with("+ ")
        || (digits > 0 && line[digits..].starts_with(". "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_blocks_never_become_doctests() {
        assert_eq!(lines("Example:\n```\nfoo()\n```"), [" Example:", " ```text", " foo()", " ```"]);
        assert_eq!(lines("a\n\n        indented()"), [" a", "", "    indented()"]);
        assert_eq!(lines("```json\n{}"), [" ```text", " {}", " ```"]);
    }

    #[test]
    fn a_list_is_closed_before_a_paragraph() {
        assert_eq!(lines("- a\n- b\nAfter."), [" - a", " - b", "", " After."]);
        assert_eq!(lines("> quoted\nAfter."), [" > quoted", "", " After."]);
        assert_eq!(lines("- a\n  more of a"), [" - a", "   more of a"]);
    }

    #[test]
    fn text_stays_text() {
        let attrs = doc_attrs(Some("*/ \"] \nfn evil(){}")).to_string();
        assert!(attrs.contains(r#"" fn evil(){}""#), "{attrs}");
        assert!(!attrs.contains("fn evil(){} ]"), "{attrs}");
    }
}
