//! Parameters written in their OpenAPI `style`: query pairs, and path segments that stay
//! segments.

use serde::Serialize;

pub(super) fn scalar_text(value: &serde_json::Value) -> Option<String> {
    match value {
        serde_json::Value::Null => None,
        serde_json::Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

/// How a parameter's value is written (OpenAPI `style`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[allow(dead_code)] // An API uses the styles its parameters have.
pub(crate) enum Style {
    Form,
    Simple,
    Label,
    Matrix,
    DeepObject,
    PipeDelimited,
    SpaceDelimited,
    /// The value as JSON text (a parameter described by `content: {application/json: …}`).
    Json,
}

/// The atoms of a value: a scalar's text, an array's items, an object's keys and values.
fn atoms(value: &serde_json::Value) -> Vec<(Option<String>, String)> {
    match value {
        serde_json::Value::Array(items) => items.iter().filter_map(scalar_text).map(|v| (None, v)).collect(),
        serde_json::Value::Object(members) => {
            members.iter().filter_map(|(k, v)| scalar_text(v).map(|v| (Some(k.clone()), v))).collect()
        }
        other => scalar_text(other).map(|v| (None, v)).into_iter().collect(),
    }
}

/// A value as one string: `1,2`; an object as `k,v,k2,v2`, or exploded `k=v,k2=v2`.
pub(super) fn joined(value: &serde_json::Value, explode: bool, separator: &str) -> Option<String> {
    let parts: Vec<String> = atoms(value)
        .into_iter()
        .flat_map(|(key, v)| match (key, explode) {
            (Some(k), true) => vec![format!("{k}={v}")],
            (Some(k), false) => vec![k, v],
            (None, _) => vec![v],
        })
        .collect();
    (!parts.is_empty() || matches!(value, serde_json::Value::String(_))).then(|| parts.join(separator))
}

/// The query pairs of one parameter.
pub(super) fn query_pairs(name: &str, value: &serde_json::Value, style: Style, explode: bool) -> Vec<(String, String)> {
    let separator = match style {
        Style::PipeDelimited => "|",
        Style::SpaceDelimited => " ",
        _ => ",",
    };
    match value {
        serde_json::Value::Null => Vec::new(),
        _ if style == Style::Json => vec![(name.to_string(), value.to_string())],
        serde_json::Value::Object(_) if style == Style::DeepObject => {
            atoms(value).into_iter().map(|(k, v)| (format!("{name}[{}]", k.unwrap_or_default()), v)).collect()
        }
        serde_json::Value::Object(_) if explode => {
            atoms(value).into_iter().map(|(k, v)| (k.unwrap_or_default(), v)).collect()
        }
        serde_json::Value::Array(_) if explode => {
            atoms(value).into_iter().map(|(_, v)| (name.to_string(), v)).collect()
        }
        _ => joined(value, false, separator).map(|v| (name.to_string(), v)).into_iter().collect(),
    }
}

/// Encodes a path parameter in its style; each value is percent-encoded, so an id of `../x`
/// stays inside its segment.
pub(super) fn path_segment<T: Serialize + ?Sized>(
    name: &str,
    value: &T,
    style: Style,
    explode: bool,
) -> Result<String, String> {
    let value = serde_json::to_value(value).map_err(|e| format!("path parameter {name}: {e}"))?;
    if style == Style::Json {
        return Ok(encode_segment(&value.to_string()));
    }
    let atoms: Vec<(Option<String>, String)> =
        atoms(&value).into_iter().map(|(k, v)| (k.as_deref().map(encode_segment), encode_segment(&v))).collect();
    let pair = |k: &Option<String>, v: &str, prefix: &str| match k {
        Some(k) => format!("{k}{prefix}{v}"),
        None => v.to_string(),
    };
    let list = |separator: &str| -> String {
        atoms
            .iter()
            .flat_map(
                |(k, v)| if explode { vec![pair(k, v, "=")] } else { k.iter().cloned().chain([v.clone()]).collect() },
            )
            .collect::<Vec<_>>()
            .join(separator)
    };
    let text = match style {
        Style::Label => format!(".{}", list(if explode { "." } else { "," })),
        Style::Matrix if explode && matches!(value, serde_json::Value::Array(_)) => {
            atoms.iter().map(|(_, v)| format!(";{name}={v}")).collect()
        }
        Style::Matrix if explode && matches!(value, serde_json::Value::Object(_)) => {
            list(";").split(';').map(|p| format!(";{p}")).collect()
        }
        Style::Matrix => format!(";{name}={}", list(",")),
        _ => list(","),
    };
    if text.is_empty() || text == "." || text == ".." {
        return Err(format!("path parameter {name} must not be {text:?}"));
    }
    Ok(text)
}

/// Percent-encodes everything but unreserved characters (RFC 3986).
pub(super) fn encode_segment(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(byte as char),
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn pairs(value: serde_json::Value, style: Style, explode: bool) -> Vec<(String, String)> {
        query_pairs("p", &value, style, explode)
    }
    fn strings(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }
    #[test]
    fn query_parameters_follow_their_style() {
        assert_eq!(pairs(json!([1, 2]), Style::Form, true), strings(&[("p", "1"), ("p", "2")]));
        assert_eq!(pairs(json!([1, 2]), Style::Form, false), strings(&[("p", "1,2")]));
        assert_eq!(pairs(json!([1, 2]), Style::PipeDelimited, false), strings(&[("p", "1|2")]));
        assert_eq!(pairs(json!([1, 2]), Style::SpaceDelimited, false), strings(&[("p", "1 2")]));
        assert_eq!(pairs(json!({"a": 1, "b": "x"}), Style::Form, true), strings(&[("a", "1"), ("b", "x")]));
        assert_eq!(pairs(json!({"a": 1, "b": "x"}), Style::Form, false), strings(&[("p", "a,1,b,x")]));
        assert_eq!(pairs(json!({"a": 1, "b": "x"}), Style::DeepObject, true), strings(&[("p[a]", "1"), ("p[b]", "x")]));
        assert_eq!(pairs(json!(""), Style::Form, true), strings(&[("p", "")]));
        assert_eq!(pairs(json!(null), Style::Form, true), strings(&[]));
    }

    #[test]
    fn a_parameter_described_by_json_content_is_json_text_under_its_own_name() {
        let filter = json!({"title": {"_eq": "x"}});
        assert_eq!(pairs(filter.clone(), Style::Json, false), strings(&[("p", r#"{"title":{"_eq":"x"}}"#)]));
        assert_eq!(pairs(json!(["a", 1]), Style::Json, false), strings(&[("p", r#"["a",1]"#)]));
        assert_eq!(pairs(json!("x"), Style::Json, false), strings(&[("p", r#""x""#)]));
        assert_eq!(path(filter, Style::Json, false), "%7B%22title%22%3A%7B%22_eq%22%3A%22x%22%7D%7D");
    }
    fn path(value: serde_json::Value, style: Style, explode: bool) -> String {
        path_segment("p", &value, style, explode).expect("encodes")
    }
    #[test]
    fn path_parameters_follow_their_style_and_stay_in_their_segment() {
        assert_eq!(path(json!("../x"), Style::Simple, false), "..%2Fx");
        assert_eq!(path(json!([1, 2]), Style::Simple, false), "1,2");
        assert_eq!(path(json!({"a": 1, "b": 2}), Style::Simple, false), "a,1,b,2");
        assert_eq!(path(json!({"a": 1, "b": 2}), Style::Simple, true), "a=1,b=2");
        assert_eq!(path(json!([1, 2]), Style::Label, false), ".1,2");
        assert_eq!(path(json!([1, 2]), Style::Label, true), ".1.2");
        assert_eq!(path(json!(5), Style::Matrix, false), ";p=5");
        assert_eq!(path(json!([1, 2]), Style::Matrix, true), ";p=1;p=2");
        assert_eq!(path(json!({"a": 1, "b": 2}), Style::Matrix, true), ";a=1;b=2");
        assert_eq!(path(json!("a b/c"), Style::Simple, false), "a%20b%2Fc");
        assert!(path_segment("p", "..", Style::Simple, false).is_err());
    }
}
