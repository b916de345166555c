//! Doc comments from document text.
//!
//! Text becomes `#[doc = "…"]` string literals, one per line, so nothing in a description can
//! become code. Markdown code blocks are marked `text` so rustdoc does not compile them as
//! doctests, and deep indentation (an indented code block in Markdown) is flattened for the
//! same reason; a last pass reads the result with rustdoc's own Markdown parser to be sure.

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

/// The same as `///` comment lines, each ending in a newline, for Rust that emit writes as text
/// (what prettyplease would print for `doc_attrs`). A line is only ever a comment's text: lines
/// hold no control characters, and one that would make `////` (a plain comment) stays an
/// attribute.
pub fn doc_comments(text: Option<&str>, indent: &str) -> String {
    let mut out = String::new();
    for line in text.map(lines).unwrap_or_default() {
        out.push_str(indent);
        if line.starts_with('/') {
            out.push_str(&format!("#[doc = {}]", proc_macro2::Literal::string(&line)));
        } else {
            out.push_str("///");
            out.push_str(&line);
        }
        out.push('\n');
    }
    out
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
    // The deepest open item's text so far, to tell a line that goes on with it.
    let mut item_text = String::new();
    let mut in_quote = false;
    // Inside an HTML block (CommonMark's kind 6: from a line opening with a block-level tag to a
    // blank line) Markdown makes no links, and rustdoc looks for no bare URLs.
    let mut in_html_block = false;
    for raw in text.trim().split(['\n', '\r']).map(|l| l.trim_end()) {
        let expanded = raw.replace('\t', "    ");
        let line: String = expanded.chars().filter(|c| !c.is_control() && !changes_direction(*c)).collect();
        let line = line.trim_end();
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        // A fence indented under an open list item belongs to the item: it is aligned below like
        // any continuation, and the Markdown pass at the end marks it.
        let in_item = indent > 0 && !open.is_empty() && !in_fence;
        if (trimmed.starts_with("```") || trimmed.starts_with("~~~")) && !in_item {
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
            item_text = trimmed.to_string();
            format!("{}{trimmed}", " ".repeat(out_indent))
        } else if !open.is_empty() && (indent > 0 || open_inline(&item_text)) {
            // A continuation of the deepest open item (Markdown's lazy continuation), aligned
            // under its text; a line at the margin too, inside a link or code span the item
            // opened (`[Git Trees` / `API](…)`), which a blank line would break.
            item_text.push('\n');
            item_text.push_str(trimmed);
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
        in_html_block = !text.is_empty() && (in_html_block || opens_html_block(&text));
        out.push(match (text.is_empty(), in_html_block) {
            (true, _) => text,
            (false, true) => format!(" {text}"),
            (false, false) => format!(" {}", link_bare_urls(&text)),
        });
    }
    if in_fence {
        out.push(" ```".into());
    }
    while out.last().is_some_and(|l| l.is_empty()) {
        out.pop();
    }
    // Collapse runs of blank lines.
    out.dedup_by(|a, b| a.is_empty() && b.is_empty());
    if out.is_empty() {
        // Nothing to say: no doc at all, rather than an empty one (clippy's `empty_docs`).
        return out;
    }
    inert(out)
}

/// The codepoints that reorder how text is shown (Trojan Source, CVE-2021-42574): rustc refuses
/// them in comments and literals, so one in a description would stop the crate compiling.
/// Literals escape them; doc text drops them.
fn changes_direction(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// The doc lines with every code block rustdoc would find marked `text`, so that none is ever
/// compiled or run as a doctest. The line pass above handles what documents usually hold; this
/// pass reads the result as rustdoc will (its Markdown parser, after its unindenting), so fences
/// in list items or quotes, indented blocks in containers and anything else Markdown allows
/// are caught as well.
fn inert(lines: Vec<String>) -> Vec<String> {
    // rustdoc removes the indentation the non-blank lines share before parsing.
    let indent = lines.iter().filter(|l| !l.trim().is_empty()).map(|l| l.len() - l.trim_start().len()).min();
    let indent = indent.unwrap_or(0);
    let text: String = lines.iter().map(|l| l.get(indent..).unwrap_or("")).collect::<Vec<_>>().join("\n");
    // Quieting escapes characters, which can change how Markdown reads the lines around them:
    // code blocks are looked for after it.
    let mut text = quieted(&text);
    // Brackets made plain can uncover brackets around them that now read as a link (`[ {"a":
    // [ "b" ] } ]`): quiet again until nothing changes.
    for _ in 0..8 {
        let again = quieted(&text);
        if again == text {
            break;
        }
        text = again;
    }
    let mut settled = false;
    // Each round fixes one block; a block fixed the gentle way cannot come back, so this ends
    // well within the bound, which is there in case Markdown surprises us.
    for _ in 0..64 {
        match live_code_block(&text) {
            None => {
                settled = true;
                break;
            }
            Some(block) => text = disarm(&text, block),
        }
    }
    if !settled {
        text = flattened(&text);
    }
    text.split('\n').map(|l| if l.is_empty() { String::new() } else { format!(" {l}") }).collect()
}

/// `text` with what rustdoc would warn about made plain: brackets that are no link (`items[0]`,
/// `[Deprecated]`, a reference with no definition), which rustdoc reads as links to Rust items,
/// and HTML tags left unclosed or never opened (`<tag>`). Our own intra-doc links, always a code
/// span in brackets (``[`Request`]``), stay links.
fn quieted(text: &str) -> String {
    use pulldown_cmark::{Event, Options, Parser};
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION;
    // Byte offsets to put a backslash before.
    let mut escapes: Vec<usize> = Vec::new();
    let mut broken: Vec<std::ops::Range<usize>> = Vec::new();
    let mut callback = |link: pulldown_cmark::BrokenLink<'_>| {
        broken.push(link.span.clone());
        None
    };
    let mut tags: Vec<(String, usize)> = Vec::new();
    for (event, range) in Parser::new_with_broken_link_callback(text, options, Some(&mut callback)).into_offset_iter() {
        let (Event::InlineHtml(html) | Event::Html(html)) = event else { continue };
        // An HTML block (a line starting `<p>`) is one event holding every tag on its lines.
        let mut cursor = range.start;
        for tag_text in tags_in(&html) {
            let Some(tag) = html_tag(tag_text) else { continue };
            // Where the tag is in the document (a block inside a list loses its indentation).
            let Some(start) = text[cursor..range.end].find(tag_text).map(|at| cursor + at) else { continue };
            cursor = start + tag_text.len();
            match tag {
                HtmlTag::Open(name) => tags.push((name, start)),
                HtmlTag::Close(name) => match tags.iter().rposition(|(open, _)| *open == name) {
                    Some(at) => {
                        // What opened inside it and never closed is unclosed.
                        escapes.extend(tags.drain(at..).skip(1).map(|(_, start)| start));
                    }
                    None => escapes.push(start),
                },
                HtmlTag::Invalid => escapes.push(start),
                HtmlTag::Whole => {}
            }
        }
    }
    escapes.extend(tags.into_iter().map(|(_, start)| start));
    for span in broken {
        let inside = &text[span.clone()];
        if inside.starts_with("[`") && inside.ends_with("`]") {
            continue;
        }
        escapes.extend(inside.char_indices().filter(|(_, c)| matches!(c, '[' | ']')).map(|(i, _)| span.start + i));
    }
    if escapes.is_empty() {
        return text.to_string();
    }
    escapes.sort_unstable();
    escapes.dedup();
    let mut out = String::with_capacity(text.len() + escapes.len());
    let mut last = 0;
    for at in escapes {
        // Already escaped: leave it.
        if at > 0 && text.as_bytes()[at - 1] == b'\\' {
            continue;
        }
        out.push_str(&text[last..at]);
        if text.as_bytes()[at] == b'<' {
            // An entity, not a backslash: inside an HTML block (a line opening with `<p>`)
            // Markdown's escapes do not apply, and `\<p/>` would still be a tag.
            out.push_str("&lt;");
            last = at + 1;
        } else {
            out.push('\\');
            last = at;
        }
    }
    out.push_str(&text[last..]);
    out
}

enum HtmlTag {
    Open(String),
    Close(String),
    /// Self-closing, a void element (`<br>`), or a comment: nothing to match.
    Whole,
    /// What rustdoc refuses outright: an element that cannot close itself written so (`<p/>`).
    Invalid,
}

/// Each `<…>` in a piece of HTML, in order.
fn tags_in(html: &str) -> impl Iterator<Item = &str> {
    let mut rest = html;
    std::iter::from_fn(move || {
        let open = rest.find('<')?;
        let close = rest[open..].find('>').map(|at| open + at + 1);
        let end = close.unwrap_or(rest.len());
        let tag = &rest[open..end];
        rest = &rest[end..];
        Some(tag)
    })
}

/// The tag an inline HTML event starts with, when it is one.
fn html_tag(html: &str) -> Option<HtmlTag> {
    const VOID: &[&str] =
        &["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"];
    let inner = html.trim().strip_prefix('<')?;
    if inner.starts_with('!') || inner.starts_with('?') {
        return Some(HtmlTag::Whole);
    }
    let (closing, inner) = match inner.strip_prefix('/') {
        Some(rest) => (true, rest),
        None => (false, inner),
    };
    let name: String = inner.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '-').collect();
    if name.is_empty() {
        return None;
    }
    let name = name.to_ascii_lowercase();
    let self_closing = html.trim_end().ends_with("/>");
    let void = VOID.contains(&name.as_str());
    Some(match (closing, self_closing, void) {
        (true, _, _) => HtmlTag::Close(name),
        (false, true, false) => HtmlTag::Invalid,
        (false, _, true) => HtmlTag::Whole,
        (false, false, false) => HtmlTag::Open(name),
    })
}

/// A code block rustdoc would compile: where it starts in `text`, and whether it is fenced.
#[derive(Clone, Copy)]
struct LiveBlock {
    start: usize,
    end: usize,
    fenced: bool,
}

fn live_code_block(text: &str) -> Option<LiveBlock> {
    use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag};
    // The extensions rustdoc enables; none changes where code blocks are, but footnotes and
    // tables change what contains them.
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION;
    Parser::new_ext(text, options).into_offset_iter().find_map(|(event, range)| match event {
        Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) if info.trim() == "text" => None,
        Event::Start(Tag::CodeBlock(kind)) => {
            Some(LiveBlock { start: range.start, end: range.end, fenced: matches!(kind, CodeBlockKind::Fenced(_)) })
        }
        _ => None,
    })
}

/// `text` with `block` made inert: a fence's language becomes `text`; an indented block loses
/// the indentation that made it one.
fn disarm(text: &str, block: LiveBlock) -> String {
    let line_start = text[..block.start].rfind('\n').map_or(0, |i| i + 1);
    if block.fenced {
        let after = &text[block.start..];
        let fence = after.trim_start_matches(' ');
        let marker = fence.chars().next().filter(|c| matches!(c, '`' | '~'));
        if let Some(marker) = marker {
            let fence_at = block.start + (after.len() - fence.len());
            let run = fence.len() - fence.trim_start_matches(marker).len();
            let info_end = text[fence_at..].find('\n').map_or(text.len(), |i| fence_at + i);
            return format!("{}text{}", &text[..fence_at + run], &text[info_end..]);
        }
    }
    let block_end =
        text[block.end.max(block.start)..].find('\n').map_or(text.len(), |i| block.end.max(block.start) + i);
    let lines: Vec<String> = text[line_start..block_end].split('\n').map(single_spaced).collect();
    format!("{}{}{}", &text[..line_start], lines.join("\n"), &text[block_end..])
}

/// A line with every run of spaces cut to one: no indentation left to make code of.
fn single_spaced(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    for c in line.chars() {
        if !(c == ' ' && out.ends_with(' ')) {
            out.push(c);
        }
    }
    out
}

/// The last resort: every line single-spaced with its fences broken (`` ` ``s and `~`s
/// escaped), which leaves Markdown nothing to make a code block of.
fn flattened(text: &str) -> String {
    text.split('\n')
        .map(|l| single_spaced(l.trim_start()).replace('`', "\\`").replace('~', "\\~"))
        .collect::<Vec<_>>()
        .join("\n")
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
        // After `](` it is a Markdown link's target, after `<` an autolink; after `"` or `=`
        // an attribute, if a real tag is open (`< a href="…"` is text, and rustdoc says so).
        let attribute = matches!(previous, Some('"' | '\'' | '=')) && inside_tag(&out);
        let linked = matches!(previous, Some('<' | '[' | '/'))
            || attribute
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

/// Whether the text so far ends inside an HTML tag (`<a href="`): a `<` with a letter or `/`
/// after it, and no `>` since.
fn inside_tag(text: &str) -> bool {
    let Some(open) = text.rfind('<') else { return false };
    let opens_tag = text[open + 1..].starts_with(|c: char| c.is_ascii_alphabetic() || c == '/');
    opens_tag && !text[open..].contains('>')
}

/// Whether a line starts an HTML block: `<` or `</` and one of CommonMark's block-level tags.
fn opens_html_block(line: &str) -> bool {
    const BLOCK: &[&str] = &[
        "address",
        "article",
        "aside",
        "blockquote",
        "body",
        "dd",
        "details",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "section",
        "summary",
        "table",
        "tbody",
        "td",
        "th",
        "thead",
        "tr",
        "ul",
    ];
    let Some(rest) = line.trim_start().strip_prefix('<') else { return false };
    let rest = rest.strip_prefix('/').unwrap_or(rest);
    let name: String = rest.chars().take_while(char::is_ascii_alphanumeric).collect::<String>().to_ascii_lowercase();
    let after = rest[name.len()..].chars().next();
    BLOCK.contains(&name.as_str()) && after.is_none_or(|c| c.is_whitespace() || c == '>' || c == '/')
}

/// Whether Markdown inline markup is left open at the end of `text`: a `[` without its `]`, or
/// a code span without its closing backtick. A line at the margin after it goes on with it.
fn open_inline(text: &str) -> bool {
    let mut depth = 0i32;
    let mut ticks = 0usize;
    let mut escaped = false;
    for c in text.chars() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '`' => ticks += 1,
            '[' if ticks % 2 == 0 => depth += 1,
            ']' if ticks % 2 == 0 => depth -= 1,
            _ => {}
        }
    }
    depth > 0 || ticks % 2 == 1
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
    fn brackets_and_tags_rustdoc_would_warn_about_are_made_plain() {
        assert_eq!(
            quieted("items[0] and [Deprecated]; [a][missing]; [`Request`]; [docs](https://e.com)"),
            "items\\[0\\] and \\[Deprecated\\]; \\[a\\]\\[missing\\]; [`Request`]; [docs](https://e.com)"
        );
        assert_eq!(
            quieted("a <tag> b <Note>kept</Note> c</x> <br> d"),
            "a &lt;tag> b <Note>kept</Note> c&lt;/x> <br> d"
        );
        assert_eq!(quieted("nothing to do"), "nothing to do");
    }

    #[test]
    fn text_with_nothing_to_say_makes_no_doc() {
        assert!(lines(" \r\n \t\n").is_empty());
        assert!(lines("\u{202E}").is_empty());
    }

    #[test]
    fn text_that_reorders_itself_is_dropped() {
        assert_eq!(lines("admin \u{202E}nimda\u{2066} x \u{2069}"), [" admin nimda x"]);
    }

    #[test]
    fn code_blocks_never_become_doctests() {
        assert_eq!(lines("Example:\n```\nfoo()\n```"), [" Example:", " ```text", " foo()", " ```"]);
        assert_eq!(lines("a\n\n        indented()"), [" a", "", " indented()"]);
        assert_eq!(lines("```json\n{}"), [" ```text", " {}", " ```"]);
    }

    /// Whether rustdoc would find a code block other than a `text` one in these lines (as it
    /// reads `///` comments).
    fn live_blocks(lines: &[String]) -> bool {
        let text: String = lines.iter().map(|l| l.strip_prefix(' ').unwrap_or(l)).collect::<Vec<_>>().join("\n");
        live_code_block(&text).is_some()
    }

    #[test]
    fn code_blocks_hidden_in_containers_never_become_doctests() {
        let hostile = [
            "- ```\n  std::fs::write(\"pwned\", \"\").unwrap();\n  ```",
            "Intro\n\n> ```rust\n> std::process::exit(1);\n> ```",
            "> > ```\n> > evil();\n> > ```",
            "1. item\n\n   ~~~\n   evil();\n   ~~~",
            ">     indented_in_a_quote();",
            "- a\n\n      indented_in_a_list();",
            "* > - ```\n*   evil()",
            "<details>\n\n```\nevil();\n```\n</details>",
            "Term\n\n\t\tevil();",
            "```` ```\n````\n```\nevil()\n```",
            "1. ```\n   a\n   ```\n2. ```rust,should_panic\n   b\n   ```",
            "[^1]: footnote\n\n    ```\n    evil()\n    ```",
        ];
        for text in hostile {
            let out = lines(text);
            assert!(!live_blocks(&out), "{text:?} became {out:#?}");
        }
        // Ordinary text keeps its shape.
        assert_eq!(lines("- ```json\n  {}\n  ```"), [" - ```text", "   {}", "   ```"]);
        assert_eq!(lines("> ```\n> x\n> ```"), [" > ```text", " > x", " > ```"]);
    }

    #[test]
    fn no_mix_of_markdown_containers_yields_a_doctest() {
        const PIECES: [&str; 16] = [
            "- ", "> ", "1. ", "```", "~~~", "    ", "\t", "\n", "\n\n", "rust", "x()", " ", "<div>", "[^1]: ", "* ",
            "|a|",
        ];
        let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..20_000 {
            let mut text = String::new();
            for _ in 0..24 {
                // xorshift64: deterministic, so a failure can be replayed.
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                text.push_str(PIECES[(seed % PIECES.len() as u64) as usize]);
            }
            let out = lines(&text);
            assert!(!live_blocks(&out), "{text:?} became {out:#?}");
        }
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
    fn a_link_wrapped_inside_a_list_item_stays_in_it() {
        assert_eq!(
            lines("- use the [Git Trees\nAPI](https://x.example/t).\n- or [`a\nb`](https://x.example/s)\nAfter."),
            [
                " - use the [Git Trees",
                "   API](https://x.example/t).",
                " - or [`a",
                "   b`](https://x.example/s)",
                "",
                " After."
            ]
        );
    }

    #[test]
    fn every_tag_of_an_html_block_is_matched() {
        assert_eq!(quieted("<p>One.</p> <p>Two <code>x</code>.</p>"), "<p>One.</p> <p>Two <code>x</code>.</p>");
        assert_eq!(quieted("<h3>Advice</h3>\n\nText."), "<h3>Advice</h3>\n\nText.");
        // Inside an HTML block a backslash escapes nothing: an entity does.
        assert_eq!(quieted("<p>Open <b>bold.</p>"), "<p>Open &lt;b>bold.</p>");
        assert_eq!(quieted("<p/>"), "&lt;p/>");
    }

    #[test]
    fn brackets_inside_brackets_are_all_made_plain() {
        let text = inert(vec![r#"Example: { "configs": [ { "members": [ "user:jose" ] }, { "type": "x" } ] }"#.into()]);
        let plain = text.join("\n").replace("\\[", "").replace("\\]", "");
        assert!(!plain.contains('[') && !plain.contains(']'), "{text:?}");
    }

    #[test]
    fn a_url_in_what_only_looks_like_a_tag_is_linked() {
        assert_eq!(
            link_bare_urls("the < a href=\"http://a.example/x\">API"),
            "the < a href=\"<http://a.example/x>\">API"
        );
        assert_eq!(link_bare_urls("<a href=\"http://a.example/x\">API</a>"), "<a href=\"http://a.example/x\">API</a>");
        // In a paragraph rustdoc reads the text of an element too: a URL there is linked.
        assert_eq!(link_bare_urls("<a href=\"#r\">https://a.example</a>"), "<a href=\"#r\"><https://a.example></a>");
        // An HTML block makes no links: its URLs stay as they are.
        assert_eq!(lines("<p>See https://a.example.</p>"), [" <p>See https://a.example.</p>"]);
        assert_eq!(lines("See https://a.example."), [" See <https://a.example>."]);
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
