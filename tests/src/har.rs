//! Reads the parts of a HAR 1.2 file a replay needs.

use serde_json::Value;

/// One recorded request and its response.
#[derive(Debug, Clone)]
pub struct Exchange {
    pub method: String,
    pub path: String,
    pub query: Vec<(String, String)>,
    /// The request headers a client must send as recorded.
    pub request_headers: Vec<(String, String)>,
    pub request_body: Option<String>,
    pub status: u16,
    pub response_headers: Vec<(String, String)>,
    pub response_content_type: String,
    pub response_body: String,
}

/// `https://host/a/b?x=1` → (`/a/b`, `x=1`).
pub fn split_url(url: &str) -> (String, String) {
    let without_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
    let path_and_query = without_scheme.find('/').map_or("", |i| &without_scheme[i..]);
    let (path, query) = path_and_query.split_once('?').unwrap_or((path_and_query, ""));
    (path.trim_end_matches('/').to_string(), query.to_string())
}

fn pairs(list: &Value) -> Vec<(String, String)> {
    list.as_array()
        .map(|items| {
            items
                .iter()
                .map(|h| (h["name"].as_str().unwrap_or("").to_string(), h["value"].as_str().unwrap_or("").to_string()))
                .collect()
        })
        .unwrap_or_default()
}

/// Reads `tests/fixtures/<name>.har`.
pub fn read(name: &str) -> Vec<Exchange> {
    let path = format!("{}/fixtures/{name}.har", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"));
    let har: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path} is not JSON: {e}"));
    let entries = har["log"]["entries"].as_array().unwrap_or_else(|| panic!("{path} has no log.entries"));
    entries
        .iter()
        .map(|entry| {
            let request = &entry["request"];
            let response = &entry["response"];
            let (path, _) = split_url(request["url"].as_str().unwrap_or(""));
            let response_headers = pairs(&response["headers"]);
            let content_type = response["content"]["mimeType"].as_str().unwrap_or("").to_string();
            Exchange {
                method: request["method"].as_str().unwrap_or("GET").to_string(),
                path,
                query: pairs(&request["queryString"]),
                request_headers: pairs(&request["headers"]),
                request_body: request["postData"]["text"].as_str().map(str::to_string),
                status: response["status"].as_u64().unwrap_or(0) as u16,
                response_headers,
                response_content_type: content_type,
                response_body: response["content"]["text"].as_str().unwrap_or("").to_string(),
            }
        })
        .collect()
}
