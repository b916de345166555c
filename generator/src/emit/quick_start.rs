//! The crate's quick start, in its docs (compiled as a doctest) and its `README.md`: adding the
//! dependency, the credentials the document's security schemes ask for, and one call.

use super::ty::ident;
use crate::ir::{Api, Auth, Operation, ParamLocation, Ty, TypeKind};

/// The quick start as Markdown: a heading, the dependency, and a Rust block that compiles.
pub fn markdown(api: &Api, crate_name: &str, version: &str) -> String {
    let krate = crate_name.replace('-', "_");
    let mut out = String::from("# Quick start\n\n");
    out.push_str(&format!(
        "```toml\n[dependencies]\n{crate_name} = \"{version}\"\n\
         tokio = {{ version = \"1\", features = [\"macros\", \"rt-multi-thread\"] }}\n```\n\n"
    ));
    // A client-credentials flow with a real token URL is how a program signs in; a token is
    // what a person pastes.
    let flow = api.token_flows.iter().find(|flow| !super::crate_files::is_placeholder(flow));
    let oauth;
    let credentials = match (api.auth.first(), flow) {
        (Some(Auth::Bearer), Some(flow)) => {
            out.push_str(&format!(
                "The API takes OAuth 2.0 client credentials (the document's `{}` scheme):\n\n",
                flow.scheme
            ));
            oauth = format!(
                "\n        .client_credentials({krate}::auth::ClientCredentials::{}(\n            \
                 std::env::var(\"CLIENT_ID\")?,\n            std::env::var(\"CLIENT_SECRET\")?,\n        ))",
                ident(&flow.function)
            );
            oauth.as_str()
        }
        (Some(Auth::Bearer), None) => {
            out.push_str("The API takes a bearer token:\n\n");
            "\n        .bearer_token(std::env::var(\"API_TOKEN\")?)"
        }
        (Some(Auth::Basic), _) => {
            out.push_str("The API takes a user name and password:\n\n");
            "\n        .basic_auth(std::env::var(\"API_USER\")?, std::env::var(\"API_PASSWORD\")?)"
        }
        (Some(Auth::ApiKey { .. }), _) => {
            out.push_str("The API takes a key:\n\n");
            "\n        .api_key(std::env::var(\"API_KEY\")?)"
        }
        (None, _) => "",
    };
    let call = example(api).map_or_else(String::new, |call| {
        format!("    let answer = client\n        {call}\n        .await?;\n    println!(\"{{answer:?}}\");\n")
    });
    out.push_str(&format!(
        "```rust,no_run\nasync fn run() -> Result<(), Box<dyn std::error::Error>> {{\n    \
         let client = {krate}::Client::builder(){credentials}\n        .build()?;\n{call}    Ok(())\n}}\n```\n"
    ));
    out
}

/// One call to show: a `GET` where there is one, with the fewest arguments, each one a value a
/// reader can write (text or a number), and the body, if any, left to setters.
fn example(api: &Api) -> Option<String> {
    let candidates = api.operations.iter().filter(|op| !op.twin && !op.deprecated);
    let (op, args) = candidates
        .filter_map(|op| Some((op, arguments(api, op)?)))
        .min_by_key(|(op, args)| (op.http_method != crate::ir::Method::Get, args.len()))?;
    let mut chain = Vec::new();
    let mut at = Some(op.group);
    while let Some(index) = at {
        chain.push(format!(".{}()", ident(&api.groups[index].accessor)));
        at = api.groups[index].parent;
    }
    chain.reverse();
    Some(format!("{}\n        .{}({})", chain.join(""), ident(&op.method_name), args.join(", ")))
}

fn arguments(api: &Api, op: &Operation) -> Option<Vec<String>> {
    if op.body.as_ref().is_some_and(|b| b.taken) {
        return None;
    }
    op.params
        .iter()
        .filter(|p| p.required)
        .map(|p| match (resolved(api, &p.ty), p.location) {
            (_, ParamLocation::Body) => None,
            (Ty::String, _) => Some(format!("{:?}", format!("<{}>", p.wire_name))),
            (Ty::I32 | Ty::I64 | Ty::U64, _) => Some("1".to_string()),
            (Ty::Bool, _) => Some("true".to_string()),
            _ => None,
        })
        .collect()
}

fn resolved<'a>(api: &'a Api, ty: &'a Ty) -> &'a Ty {
    match ty {
        Ty::Named(id) => match &api.types[id.0].kind {
            TypeKind::Alias(target) => resolved(api, target),
            _ => ty,
        },
        _ => ty,
    }
}
