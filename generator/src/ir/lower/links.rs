//! Relative links in the document's text (`[assets guide](/data/docs/working-with-assets)`)
//! made absolute against where the API's documentation lives, so that the crate's rustdoc leads
//! somewhere: a link from the root against `externalDocs.url`'s site, else `info.contact.url`'s;
//! any other relative link (`../files`, `guide.md`) against the `externalDocs` page only, since a
//! contact address says nothing of the page the text was written on. Without a base, a link is
//! left as it is.

use crate::ir::*;

/// Rewrites the link destinations of every doc text in `api`.
pub fn resolve(api: &mut Api, external_docs: Option<&str>, contact: Option<&str>) {
    let page = external_docs.and_then(split_base);
    let Some(origin) = page.as_ref().map(|(o, _)| o.clone()).or_else(|| contact.and_then(split_base).map(|(o, _)| o))
    else {
        return;
    };
    let dir = page.map(|(_, dir)| dir);
    let fix = |doc: &mut Option<String>| {
        if let Some(text) = doc.as_mut().filter(|t| t.contains("](")) {
            *text = absolute_links(text, &origin, dir.as_deref());
        }
    };
    fix(&mut api.docs);
    for def in &mut api.types {
        fix(&mut def.docs);
        match &mut def.kind {
            TypeKind::Struct(s) => s.fields.iter_mut().for_each(|f| fix(&mut f.docs)),
            TypeKind::Enum(e) => e.variants.iter_mut().for_each(|v| fix(&mut v.docs)),
            _ => {}
        }
    }
    for group in &mut api.groups {
        fix(&mut group.docs);
    }
    for op in &mut api.operations {
        fix(&mut op.summary);
        fix(&mut op.docs);
        op.params.iter_mut().for_each(|p| fix(&mut p.docs));
        if let Some(body) = &mut op.body {
            fix(&mut body.docs);
            body.members.iter_mut().for_each(|m| fix(&mut m.docs));
        }
        if let Some(headers) = &mut op.headers {
            headers.fields.iter_mut().for_each(|f| fix(&mut f.docs));
        }
        for answers in [&mut op.output, &mut op.errors] {
            answers.cases.iter_mut().for_each(|c| fix(&mut c.docs));
        }
    }
}

/// `https://developers.example.com/docs/api` → (`https://developers.example.com`,
/// `https://developers.example.com/docs/`); `None` for what is not an http(s) URL.
fn split_base(base: &str) -> Option<(String, String)> {
    let (scheme, rest) = base.split_once("://")?;
    if !matches!(scheme, "http" | "https") || rest.is_empty() {
        return None;
    }
    let host_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let origin = format!("{scheme}://{}", &rest[..host_end]);
    let path = rest[host_end..].split(['?', '#']).next().unwrap_or("");
    let dir = match path.rfind('/') {
        Some(at) => format!("{origin}{}", &path[..=at]),
        None => format!("{origin}/"),
    };
    Some((origin, dir))
}

/// The text with each Markdown inline link's relative destination made absolute: from the
/// root against `origin`, others against `dir` when there is one.
fn absolute_links(text: &str, origin: &str, dir: Option<&str>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("](") {
        let (before, after) = rest.split_at(at + 2);
        out.push_str(before);
        let end = after.find([')', ' ', '\n']).unwrap_or(after.len());
        let destination = &after[..end];
        out.push_str(&absolute(destination, origin, dir));
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

fn absolute(destination: &str, origin: &str, dir: Option<&str>) -> String {
    let has_scheme = destination.split_once(':').is_some_and(|(scheme, _)| {
        !scheme.is_empty() && scheme.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    });
    if destination.is_empty() || has_scheme || destination.starts_with('#') || destination.starts_with("//") {
        return destination.to_string();
    }
    match (destination.starts_with('/'), dir) {
        (true, _) => format!("{origin}{destination}"),
        (false, Some(dir)) => joined(dir, destination, origin),
        (false, None) => destination.to_string(),
    }
}

/// `dir` (ending in `/`) and a relative path, its `.` and `..` segments worked out (never
/// above the site's root).
fn joined(dir: &str, relative: &str, origin: &str) -> String {
    let mut segments: Vec<&str> = dir[origin.len()..].split('/').filter(|s| !s.is_empty()).collect();
    let (path, suffix) = match relative.find(['?', '#']) {
        Some(at) => relative.split_at(at),
        None => (relative, ""),
    };
    let parts: Vec<&str> = path.split('/').collect();
    for (i, part) in parts.iter().enumerate() {
        match *part {
            "." | "" if i + 1 < parts.len() => {}
            "." => {}
            ".." => {
                segments.pop();
            }
            other => segments.push(other),
        }
    }
    let trailing = if matches!(parts.last(), Some(&"" | &"." | &"..")) { "/" } else { "" };
    let path = segments.join("/");
    if path.is_empty() {
        format!("{origin}/{suffix}")
    } else {
        format!("{origin}/{path}{trailing}{suffix}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_links_are_made_absolute_and_others_kept() {
        let (origin, dir) = split_base("https://developers.webflow.com").expect("a base");
        let dir = Some(dir.as_str());
        let text =
            "See the [assets guide](/data/docs/assets), [this](guide.md \"Guide\"), [a site](https://a.example/x), \
                    [top](#top), [mail](mailto:a@b.c) and [nothing]().";
        assert_eq!(
            absolute_links(text, &origin, dir),
            "See the [assets guide](https://developers.webflow.com/data/docs/assets), \
             [this](https://developers.webflow.com/guide.md \"Guide\"), [a site](https://a.example/x), \
             [top](#top), [mail](mailto:a@b.c) and [nothing]()."
        );
        let (origin, dir) = split_base("https://docs.example.com/api/v1/index.html?x=1").expect("a base");
        assert_eq!((origin.as_str(), dir.as_str()), ("https://docs.example.com", "https://docs.example.com/api/v1/"));
        let dir = Some(dir.as_str());
        assert_eq!(absolute("./tag/Files", &origin, dir), "https://docs.example.com/api/v1/tag/Files");
        assert_eq!(absolute("../../", &origin, dir), "https://docs.example.com/");
        assert_eq!(absolute("../guide#top", &origin, dir), "https://docs.example.com/api/guide#top");
        // A contact site alone: links from its root only.
        assert_eq!(absolute("../../", &origin, None), "../../");
        assert_eq!(absolute("/x", &origin, None), "https://docs.example.com/x");
        assert!(split_base("ftp://x").is_none() && split_base("/relative").is_none());
    }
}
