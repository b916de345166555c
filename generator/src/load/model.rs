//! The document model that `load` produces: OpenAPI 3.0 and 3.1 read into one dialect.
//!
//! Everything here is already tolerant of the deviations real documents carry: the reader
//! ([`super::read`]) has decided what each odd construct means and warned about it. Schemas live in
//! an arena; `$ref`s are resolved to [`SchemaId`]s, so cycles are just ids.

use serde_json::Value;

/// Index of a schema in [`Spec::schemas`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SchemaId(pub usize);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    V30,
    V31,
}

#[derive(Debug, Default)]
pub struct Spec {
    pub dialect: Option<Dialect>,
    pub title: String,
    pub version: String,
    pub description: Option<String>,
    /// Where the API's documentation lives, for relative links in its text: `externalDocs.url`
    /// (a page, against which any relative link resolves) and `info.contact.url` (a site, for
    /// links from its root).
    pub external_docs: Option<String>,
    pub contact_url: Option<String>,
    /// `info.license`: its SPDX `identifier` (3.1) and its `name`.
    pub license: Option<(Option<String>, Option<String>)>,
    pub servers: Vec<Server>,
    pub operations: Vec<Operation>,
    pub schemas: Vec<Box<Schema>>,
    /// `components.schemas` in document order.
    pub component_schemas: Vec<(String, SchemaId)>,
    pub security_schemes: Vec<SecurityScheme>,
    /// The document-level `security`: alternatives, each a list of scheme names.
    pub security: Option<Vec<Vec<String>>>,
    /// The document's `tags`: name and description.
    pub tags: Vec<(String, Option<String>)>,
}

#[derive(Debug, Clone)]
pub struct Server {
    pub url: String,
    pub description: Option<String>,
    /// Server variables with their defaults, to substitute into `url`.
    pub variables: Vec<(String, String)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Method {
    Get,
    Put,
    Post,
    Delete,
    Options,
    Head,
    Patch,
    Trace,
}

impl Method {
    pub const ALL: [(&'static str, Method); 8] = [
        ("get", Method::Get),
        ("put", Method::Put),
        ("post", Method::Post),
        ("delete", Method::Delete),
        ("options", Method::Options),
        ("head", Method::Head),
        ("patch", Method::Patch),
        ("trace", Method::Trace),
    ];

    pub fn as_str(self) -> &'static str {
        Method::ALL.iter().find(|(_, m)| *m == self).map_or("get", |(s, _)| s)
    }

    /// Whether HTTP says sending it twice does what sending it once does (RFC 9110 §9.2.2).
    pub fn idempotent(self) -> bool {
        !matches!(self, Method::Post | Method::Patch)
    }
}

#[derive(Debug, Clone)]
pub struct Operation {
    pub pointer: String,
    pub method: Method,
    pub path: String,
    pub operation_id: Option<String>,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub tags: Vec<String>,
    pub deprecated: bool,
    /// Path-level parameters merged with the operation's own (the operation's win).
    pub parameters: Vec<Parameter>,
    pub request_body: Option<RequestBody>,
    pub responses: Vec<Response>,
    /// `None` inherits the document's `security`; `Some(vec![])` means no authentication.
    pub security: Option<Vec<Vec<String>>>,
    /// `x-fern-sdk-group-name` and similar naming extensions.
    pub group_name: Option<Vec<String>>,
    pub method_name: Option<String>,
    /// `x-clientgen-idempotent`: whether sending the operation twice does what sending it once
    /// does (so it may be retried), where the method alone does not say.
    pub idempotent: Option<bool>,
    /// `x-clientgen-async-job`: the operation may answer with a job to wait for.
    pub async_job: Option<AsyncJob>,
    /// `x-clientgen-pagination`: the operation answers one page of a list.
    pub pagination: Option<Pagination>,
    /// `x-clientgen-chunked`: the body member (an array with `maxItems`) that may be sent in chunks.
    pub chunked: Option<String>,
    /// `x-clientgen-body`: how an envelope body is filled on the request.
    pub body_shortcut: Option<BodyShortcut>,
    /// `x-clientgen-stream: {end}`: the event data that ends a stream (`Some(None)`: none),
    /// where the default (`[DONE]` for JSON events) is wrong.
    pub stream_end: Option<Option<String>>,
}

/// `x-clientgen-body`: where in an envelope body (JSON:API's `{data: {id, type, attributes}}`)
/// the request's member setters write, and which of its members the operation's parameters
/// fill, so that a call names neither the envelope nor an id twice.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct BodyShortcut {
    /// JSON pointer, in the body, to the object whose optional members become the request's
    /// setters (`/data/attributes`).
    pub members: Option<String>,
    /// Body members set from parameters: (JSON pointer in the body, parameter name). A name
    /// that is no parameter of the operation becomes an argument of its method.
    pub fill: Vec<(String, String)>,
}

/// How a list operation pages (`x-clientgen-pagination`): offset/limit when `offset` is set,
/// cursor when `cursor` and `next` are, `Link` headers when `link` is true.
#[derive(Debug, Clone, PartialEq)]
pub struct Pagination {
    /// JSON pointer to the page's items in the answer.
    pub items: String,
    /// The query parameter holding the position of the first item.
    pub offset: Option<String>,
    /// The query parameter holding the page size.
    pub limit: Option<String>,
    /// The query parameter (or request body member) holding the cursor.
    pub cursor: Option<String>,
    /// JSON pointer to the next page's cursor in the answer; absent or empty on the last page.
    pub next: Option<String>,
    /// The next page is the answer's `Link: <…>; rel="next"` (GitHub's style).
    pub link: bool,
}

/// How an operation's job is waited for (`x-clientgen-async-job`).
#[derive(Debug, Clone, PartialEq)]
pub struct AsyncJob {
    /// The status whose answer is a job (202).
    pub accepted: u16,
    /// The status whose answer is the finished result, when there is no job (200).
    pub done: u16,
    /// JSON pointer to the job's id in the accepted answer (`/data/id`).
    pub job_id: String,
    /// The operation that reports on the job, given its id as its one path parameter.
    pub poll: String,
    /// Statuses of the poll meaning "still running" (404 for DatoCMS).
    pub pending: Vec<u16>,
    /// JSON pointer, in the poll's answer, to the HTTP status the job ended with.
    pub status: Option<String>,
    /// JSON pointer, in the poll's answer, to the final document (`""`: the whole answer).
    pub result: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ParamLocation {
    Path,
    Query,
    Header,
    Cookie,
    /// Never in a document: a value the client puts into the request body (an argument
    /// `x-clientgen-body` adds); its wire name is the JSON pointer it fills.
    Body,
}

#[derive(Debug, Clone)]
pub struct Parameter {
    pub pointer: String,
    pub name: String,
    pub location: ParamLocation,
    pub required: bool,
    pub description: Option<String>,
    pub deprecated: bool,
    pub schema: Option<SchemaId>,
    /// The media type of a parameter described by `content` rather than `schema`: its value
    /// is serialised as that media type, under the parameter's name.
    pub media_type: Option<String>,
    pub style: Option<String>,
    pub explode: Option<bool>,
}

#[derive(Debug, Clone)]
pub struct RequestBody {
    pub pointer: String,
    pub description: Option<String>,
    pub required: bool,
    pub content: Vec<MediaType>,
}

#[derive(Debug, Clone)]
pub struct MediaType {
    pub media_type: String,
    pub schema: Option<SchemaId>,
    /// OpenAPI 3.2's `itemSchema`: each item of a sequential media type (an event, a line).
    pub item_schema: Option<SchemaId>,
}

/// A key of the `responses` object.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum StatusKey {
    Code(u16),
    /// `2XX` and friends: the first digit.
    Range(u16),
    Default,
}

#[derive(Debug, Clone)]
pub struct Response {
    pub pointer: String,
    pub status: StatusKey,
    pub description: Option<String>,
    pub content: Vec<MediaType>,
    /// The headers the answer documents (`Content-Type` aside, as OpenAPI says).
    pub headers: Vec<Header>,
}

#[derive(Debug, Clone)]
pub struct Header {
    pub name: String,
    pub description: Option<String>,
    pub schema: Option<SchemaId>,
}

#[derive(Debug, Clone)]
pub enum SecurityScheme {
    /// `http` bearer, OAuth 2.0 (with its client-credentials flow, when it has one), OpenID Connect.
    Bearer {
        name: String,
        token_flow: Option<TokenFlow>,
    },
    Basic {
        name: String,
    },
    ApiKey {
        name: String,
        location: ParamLocation,
        parameter: String,
    },
}

/// An OAuth 2.0 client-credentials flow (`flows.clientCredentials`).
#[derive(Debug, Clone, PartialEq)]
pub struct TokenFlow {
    pub token_url: String,
    /// The scopes the document's `security` asks of the scheme.
    pub scopes: Vec<String>,
}

impl SecurityScheme {
    pub fn name(&self) -> &str {
        match self {
            SecurityScheme::Bearer { name, .. }
            | SecurityScheme::Basic { name }
            | SecurityScheme::ApiKey { name, .. } => name,
        }
    }
}

/// The JSON types a schema allows, as a small bit set.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Types(pub u8);

impl Types {
    pub const NULL: u8 = 1;
    pub const BOOLEAN: u8 = 2;
    pub const INTEGER: u8 = 4;
    pub const NUMBER: u8 = 8;
    pub const STRING: u8 = 16;
    pub const ARRAY: u8 = 32;
    pub const OBJECT: u8 = 64;

    pub fn from_name(name: &str) -> Option<u8> {
        Some(match name {
            "null" => Types::NULL,
            "boolean" => Types::BOOLEAN,
            "integer" => Types::INTEGER,
            "number" => Types::NUMBER,
            "string" => Types::STRING,
            "array" => Types::ARRAY,
            "object" => Types::OBJECT,
            _ => return None,
        })
    }

    pub fn has(self, bit: u8) -> bool {
        self.0 & bit != 0
    }

    /// The declared types other than `null`.
    pub fn non_null(self) -> Types {
        Types(self.0 & !Types::NULL)
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    pub fn count(self) -> u32 {
        self.0.count_ones()
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub enum Additional {
    /// Not stated: extra members are allowed but not described.
    #[default]
    Unspecified,
    Forbidden,
    Any,
    Schema(SchemaId),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Discriminator {
    pub property: String,
    /// Explicit `mapping`: wire value → schema.
    pub mapping: Vec<(String, SchemaId)>,
}

#[derive(Debug, Clone, Default)]
pub struct Schema {
    pub pointer: String,
    /// `$ref` target. With no other structural keyword the schema *is* the target.
    pub reference: Option<SchemaId>,
    pub title: Option<String>,
    pub description: Option<String>,
    pub types: Types,
    /// `nullable: true` (3.0), folded in with `type: [.., null]` by readers of this model.
    pub nullable: bool,
    pub format: Option<String>,
    pub enum_values: Option<Vec<Value>>,
    /// Variant names for `enum` values, in order (`x-enum-varnames`, `x-enumNames`).
    pub enum_names: Vec<String>,
    /// Docs for `enum` values, in order (`x-enum-descriptions`).
    pub enum_descriptions: Vec<String>,
    pub const_value: Option<Value>,
    pub default: Option<Value>,
    pub properties: Vec<(String, SchemaId)>,
    pub required: Vec<String>,
    pub additional: Additional,
    pub pattern_properties: Vec<(String, SchemaId)>,
    pub items: Option<SchemaId>,
    /// `contentSchema`: what a string holds once decoded (an event's JSON `data`).
    pub content_schema: Option<SchemaId>,
    pub prefix_items: Vec<SchemaId>,
    pub one_of: Vec<SchemaId>,
    pub any_of: Vec<SchemaId>,
    pub all_of: Vec<SchemaId>,
    pub not: Option<SchemaId>,
    pub discriminator: Option<Discriminator>,
    pub read_only: bool,
    pub write_only: bool,
    pub deprecated: bool,
    pub max_items: Option<u64>,
    pub min_items: Option<u64>,
    /// `false` as a schema: nothing is valid.
    pub never: bool,
    /// For the target of a `$ref` that is not a component (`common.yaml#/schemas/Pet`): the name
    /// its location suggests. Such a schema gets a type of its own, so `$ref` cycles through
    /// any location end.
    pub ref_name: Option<String>,
}

impl Schema {
    /// Whether the schema says anything about shape beyond a `$ref` (docs and flags do not count).
    pub fn has_structure(&self) -> bool {
        !self.types.is_empty()
            || self.enum_values.is_some()
            || self.const_value.is_some()
            || !self.properties.is_empty()
            || self.additional != Additional::Unspecified
            || !self.pattern_properties.is_empty()
            || self.items.is_some()
            || !self.prefix_items.is_empty()
            || !self.one_of.is_empty()
            || !self.any_of.is_empty()
            || !self.all_of.is_empty()
            || self.format.is_some()
    }
}
