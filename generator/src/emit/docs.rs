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
    // The list items open at this line, outermost first.
    let mut open: Vec<Item> = Vec::new();
    let mut in_quote = false;
    for raw in text.trim().split(['\n', '\r']).map(|l| l.trim_end()) {
        let expanded = raw.replace('\t', "    ");
        let line: String = expanded.chars().filter(|c| !c.is_control()).collect();
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            let fence = &trimmed[..3];
            out.push(if in_fence { format!(" {fence}") } else { format!(" {fence}text") });
            in_fence = !in_fence;
            open.clear();
            continue;
        }
        if in_fence {
            out.push(format!(" {line}").trim_end().to_string());
            continue;
        }
        // A quote goes on only on lines that start with `>`; anything else ends it, which
        // Markdown wants said with a blank line.
        if trimmed.starts_with('>') {
            in_quote = true;
            open.clear();
            out.push(format!(" {trimmed}"));
            continue;
        }
        if in_quote && !trimmed.is_empty() {
            out.push(String::new());
        }
        in_quote = false;
        let text = if trimmed.is_empty() {
            open.clear();
            String::new()
        } else if let Some(width) = marker_width(trimmed) {
            // Items that do not contain this one are over (CommonMark: a child starts at or past
            // its parent's text column); what remains, if anything, is the parent.
            while open.last().is_some_and(|item| indent < item.source_text) {
                open.pop();
            }
            let out_indent = open.last().map_or(0, |parent| parent.out_text);
            open.push(Item { source_text: indent + width, out_text: out_indent + width });
            format!("{}{trimmed}", " ".repeat(out_indent))
        } else if indent > 0 && !open.is_empty() {
            // A continuation of the deepest open item (Markdown's lazy continuation), aligned
            // under its text.
            let column = open.last().map_or(0, |item| item.out_text);
            format!("{}{trimmed}", " ".repeat(column))
        } else {
            if !open.is_empty() {
                // Back at the margin: the list is over, which Markdown wants said with a blank line.
                out.push(String::new());
                open.clear();
            }
            // Outside lists, indentation would make a code block (a doctest): drop it.
            trimmed.to_string()
        };
        out.push(if text.is_empty() { text } else { format!(" {}", link_bare_urls(&text)) });
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

/// Wraps URLs written as plain text in `<…>`, which rustdoc wants (its `bare_urls` lint);
/// URLs already in a link, an HTML attribute or a code span are left as they are.
fn link_bare_urls(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    let mut in_code = false;
    while let Some(start) = rest.find(['`', 'h']) {
        let (before, from) = rest.split_at(start);
        out.push_str(before);
        if let Some(after) = from.strip_prefix('`') {
            in_code = !in_code;
            out.push('`');
            rest = after;
            continue;
        }
        let is_url = from.starts_with("https://") || from.starts_with("http://");
        let mut behind = out.chars().rev();
        let (previous, before_previous) = (behind.next(), behind.next());
        // After `](` it is a Markdown link's target; after `<`, `"`, `=` already marked up.
        let linked = matches!(previous, Some('<' | '"' | '\'' | '=' | '[' | '/'))
            || (previous == Some('(') && before_previous == Some(']'))
            || previous.is_some_and(|c| c.is_alphanumeric());
        if !is_url || in_code || linked {
            out.push('h');
            rest = &from[1..];
            continue;
        }
        let end = from
            .find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"' | '`' | ')' | ']'))
            .unwrap_or(from.len());
        // Sentence punctuation after a URL is not part of it.
        let url = from[..end].trim_end_matches(['.', ',', ';', ':', '!', '?']);
        out.push('<');
        out.push_str(url);
        out.push('>');
        rest = &from[url.len()..];
    }
    out.push_str(rest);
    out
}

/// An open list item: where its text starts in the document and in the output.
struct Item {
    source_text: usize,
    out_text: usize,
}

/// The width of a list item's marker, or `None` for any other line.
fn marker_width(line: &str) -> Option<usize> {
    if line.starts_with("- ") || line.starts_with("* ") || line.starts_with("+ ") {
        return Some(2);
    }
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    (digits > 0 && line[digits..].starts_with(". ")).then_some(digits + 2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_blocks_never_become_doctests() {
        assert_eq!(lines("Example:\n```\nfoo()\n```"), [" Example:", " ```text", " foo()", " ```"]);
        assert_eq!(lines("a\n\n        indented()"), [" a", "", " indented()"]);
        assert_eq!(lines("```json\n{}"), [" ```text", " {}", " ```"]);
    }

    #[test]
    fn a_list_is_closed_before_a_paragraph() {
        assert_eq!(lines("- a\n- b\nAfter."), [" - a", " - b", "", " After."]);
        assert_eq!(lines("> quoted\nAfter."), [" > quoted", "", " After."]);
        assert_eq!(
            lines("Values:\n>Permitted: a, b.\n  For more, see the docs."),
            [" Values:", " >Permitted: a, b.", "", " For more, see the docs."]
        );
        assert_eq!(lines("- a\n      more of a"), [" - a", "   more of a"]);
        assert_eq!(lines("1. a\n    - b\n\tc"), [" 1. a", "    - b", "      c"]);
        assert_eq!(lines("1. a\n 2. b\n  3. c"), [" 1. a", " 2. b", " 3. c"]);
        assert_eq!(lines("- a\n  - b\n  - c\n- d"), [" - a", "   - b", "   - c", " - d"]);
    }

    #[test]
    fn bare_urls_become_links_and_others_stay() {
        assert_eq!(link_bare_urls("as documented in https://a.example/x."), "as documented in <https://a.example/x>.");
        assert_eq!(
            link_bare_urls("see [docs](https://a.example) or <https://b.example>"),
            "see [docs](https://a.example) or <https://b.example>"
        );
        assert_eq!(
            link_bare_urls("`https://a.example` and <a href=\"https://b.example\">b</a>"),
            "`https://a.example` and <a href=\"https://b.example\">b</a>"
        );
        assert_eq!(link_bare_urls("hash http and (https://c.example)"), "hash http and (<https://c.example>)");
    }

    #[test]
    fn text_stays_text() {
        let attrs = doc_attrs(Some("*/ \"] \nfn evil(){}")).to_string();
        assert!(attrs.contains(r#"" fn evil(){}""#), "{attrs}");
        assert!(!attrs.contains("fn evil(){} ]"), "{attrs}");
    }
}
