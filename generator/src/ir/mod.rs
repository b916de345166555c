//! Stage 2: what the client is, as plain data.
//!
//! The IR holds no tokens and no `serde_json` trees of the document: every type, operation and
//! name is decided here ([`lower`], [`naming`]), so `emit` only spells it in Rust.

pub mod lower;
pub use lower::{lower, GroupFeatures, Include};
pub mod naming;

pub use crate::load::model::{Method, ParamLocation, StatusKey};

/// Index into [`Api::types`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TypeId(pub usize);

#[derive(Debug, Clone)]
pub struct Api {
    pub title: String,
    pub version: String,
    /// The document's license, when it is an SPDX expression Cargo accepts (`MIT`,
    /// `Apache-2.0 OR MIT`).
    pub license: Option<String>,
    pub docs: Option<String>,
    /// The first server's URL with its variables' defaults filled in.
    pub base_url: Option<String>,
    pub auth: Vec<Auth>,
    /// OAuth 2.0 client-credentials flows the document gives (token URL and scopes).
    pub token_flows: Vec<TokenFlow>,
    pub types: Vec<TypeDef>,
    pub groups: Vec<Group>,
    pub operations: Vec<Operation>,
}

impl Api {
    /// Whether a value of `ty` is a struct (as itself or optional).
    pub fn is_object(&self, ty: &Ty) -> bool {
        match ty {
            Ty::Named(id) => matches!(self.types[id.0].kind, TypeKind::Struct(_)),
            Ty::Option(inner) => self.is_object(inner),
            _ => false,
        }
    }
}

/// How the client authenticates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Auth {
    /// `Authorization: Bearer <token>` (http bearer, OAuth2, OpenID Connect).
    Bearer,
    Basic,
    /// A key in a named header, query parameter or cookie.
    ApiKey {
        location: ParamLocation,
        name: String,
    },
}

/// A client-credentials flow: a constructor on the runtime's `ClientCredentials` that fills in
/// what the document says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenFlow {
    /// The constructor's name (`oauth2_open_industrial_data`), clear of `ClientCredentials`'s
    /// own methods.
    pub function: String,
    /// The security scheme's name in the document.
    pub scheme: String,
    pub token_url: String,
    pub scopes: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct TypeDef {
    pub name: String,
    pub docs: Option<String>,
    pub kind: TypeKind,
    /// Where the schema was found, for messages.
    pub origin: String,
    /// Which way values of the type travel, decided once every operation is known.
    pub usage: Usage,
    /// The top-level groups whose operations use the type (indices into [`Api::groups`]),
    /// ascending: with a feature per group, the type is compiled when one of theirs is on. Empty
    /// for a type no operation uses.
    pub used_by: Vec<usize>,
}

/// Which way a type's values travel: what the client writes (parameters, bodies) and what it
/// reads (answers). A type no operation uses (a component the whole document keeps, such as a
/// webhook's payload) is received.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Usage {
    pub sent: bool,
    pub received: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    Struct(Struct),
    /// A string or integer enum that keeps values the document does not list.
    Enum(Enum),
    /// `oneOf` / `anyOf`, or a `type` list with several types.
    Union(Union),
    Alias(Ty),
    /// An alias that would contain itself (`Tree = Vec<Tree>`), which Rust cannot name: a
    /// one-field tuple struct around the type, read and written as the type itself.
    Newtype(Ty),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Struct {
    pub fields: Vec<Field>,
    /// A required property with one constant string value (`"type": "upload"`): written by the
    /// client, never asked of the caller. Unions whose alternatives differ by it dispatch on it.
    pub tag: Option<Tag>,
    /// `additionalProperties` with a schema: the extra members' value type.
    pub additional: Option<Ty>,
    /// The field that holds the extra members (`additional_properties`, unless a declared
    /// member has that name); empty without `additional`.
    pub extra_name: String,
}

impl Struct {
    /// Whether the struct derives `Default`: when it has something to hold and nothing is
    /// required, so that callers can write `..Default::default()`.
    pub fn has_default(&self) -> bool {
        self.fields.iter().all(|f| !f.presence.is_required()) && (self.additional.is_some() || !self.fields.is_empty())
    }
}

/// Whether a member must be sent or answered, and whether it may be `null`: one decision,
/// which says how a field holds its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Presence {
    /// Always there, never `null`: `T`.
    Required,
    /// Always there, `null` standing for nothing: `Option<T>`, `None` sent as `null`.
    RequiredNullable,
    /// May be left out: `Option<T>`.
    Optional,
    /// May be left out or `null`, which differ (a PATCH that clears): `Nullable<T>`.
    OptionalNullable,
}

impl Presence {
    pub fn new(required: bool, nullable: bool) -> Presence {
        match (required, nullable) {
            (true, false) => Presence::Required,
            (true, true) => Presence::RequiredNullable,
            (false, false) => Presence::Optional,
            (false, true) => Presence::OptionalNullable,
        }
    }

    pub fn is_required(self) -> bool {
        matches!(self, Presence::Required | Presence::RequiredNullable)
    }

    pub fn is_nullable(self) -> bool {
        matches!(self, Presence::RequiredNullable | Presence::OptionalNullable)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub name: String,
    pub wire_name: String,
    pub ty: Ty,
    pub presence: Presence,
    /// Set by cycle breaking: the field holds its type behind a `Box`.
    pub boxed: bool,
    pub docs: Option<String>,
    pub deprecated: bool,
    /// `maxItems` of an array: a request with more is refused before it is sent.
    pub max_items: Option<u64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Enum {
    pub variants: Vec<EnumVariant>,
    /// The name of the variant that carries values the document does not list.
    pub other: String,
    /// The values are integers (`wire` holds their decimal form), not strings.
    pub integer: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EnumVariant {
    pub name: String,
    pub wire: String,
    pub docs: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Union {
    pub variants: Vec<UnionVariant>,
    /// The property whose value selects the variant, with the value for each variant.
    pub discriminator: Option<Discriminator>,
}

/// A struct's constant member: the property's wire name and its one value.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Tag {
    pub property: String,
    pub value: String,
}

/// The property a union is read by, and which value selects which variant.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Discriminator {
    pub property: String,
    pub mapping: Vec<Dispatch>,
}

/// One discriminator value and the index of the variant it selects.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Dispatch {
    pub value: String,
    pub variant: usize,
}

impl Union {
    /// Whether the union is read by its discriminator rather than by trying its alternatives
    /// in order.
    pub fn dispatched(&self) -> bool {
        self.discriminator.as_ref().is_some_and(|d| !d.mapping.is_empty())
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct UnionVariant {
    pub name: String,
    pub ty: Ty,
    pub boxed: bool,
}

/// A type as it is used: in a field, a parameter, a body.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Ty {
    /// Any JSON value.
    Any,
    Unit,
    Bool,
    I32,
    I64,
    U64,
    F64,
    String,
    DateTime,
    Date,
    /// Raw bytes (a binary answer).
    Bytes,
    /// A binary request body: bytes, a file or a stream, read as it is sent.
    Content,
    /// `format: binary` inside a schema: a file, with its name and media type, in a multipart
    /// body (and its text where a JSON document uses the format).
    File,
    Named(TypeId),
    Vec(Box<Ty>),
    /// `prefixItems` with no further items: a fixed-length array of different types.
    Tuple(Vec<Ty>),
    Map(Box<Ty>),
    Option(Box<Ty>),
}

#[derive(Debug, Clone)]
pub struct Group {
    /// Module name, unique in the crate (`sites_redirects`).
    pub module: String,
    /// The handle type (`SitesRedirects`).
    pub handle: String,
    /// The method that returns the handle, on the parent group's handle or on `Client`
    /// (`redirects`, as in `client.sites().redirects()`).
    pub accessor: String,
    /// The enclosing group, for nested groups (`x-fern-sdk-group-name: [sites, redirects]`).
    pub parent: Option<usize>,
    pub docs: Option<String>,
    /// The cargo feature that compiles the group (a top-level one's own; a nested group's is
    /// its top-level group's), when the crate has a feature per group.
    pub feature: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Operation {
    pub operation_id: String,
    pub group: usize,
    /// The method on the group handle (`update`).
    pub method_name: String,
    /// The request builder type in the group module (`Update`).
    pub builder: String,
    pub http_method: Method,
    pub path: String,
    pub summary: Option<String>,
    pub docs: Option<String>,
    pub deprecated: bool,
    pub params: Vec<Param>,
    /// Headers with one allowed value, sent on every call (`X-Api-Version: 3`).
    pub fixed_headers: Vec<FixedHeader>,
    pub body: Option<Body>,
    pub output: Answers,
    /// The headers successful answers document, read by `send_with_headers`.
    pub headers: Option<ResponseHeaders>,
    /// The documented error answers: what the operation's `Error<E>` carries.
    pub errors: Answers,
    pub auth: bool,
    /// Whether a failed call may be sent again (GET, PUT, DELETE…, or marked
    /// `x-clientgen-idempotent`). A 429 is retried regardless: the request was not processed.
    pub idempotent: bool,
    /// How to wait for the job the operation may answer with (`send_and_wait`).
    pub async_job: Option<AsyncJob>,
    /// How to walk the pages of the list the operation answers with (`stream`).
    pub paging: Option<Paging>,
    /// The body's array member sent in chunks by `send_chunked`.
    pub chunked: Option<Limit>,
    /// The twin that takes the body whole (`update_many(batch)`) of an operation whose method
    /// takes arguments `x-clientgen-body` adds (`update(id)`): its answer types are the other's.
    pub twin: bool,
    /// How `stream()` reads the successful answer as it arrives, when it can be.
    pub streaming: Option<Streaming>,
}

/// A successful answer read as it arrives: server-sent events, lines of JSON, or a download's
/// bytes.
#[derive(Debug, Clone)]
pub struct Streaming {
    pub form: StreamForm,
    /// The media type asked for (`Accept`).
    pub media_type: String,
    /// What each event's data or each line is read as (`Ty::Bytes` for chunks).
    pub item: Ty,
    /// Whether items are JSON; event data that is not is taken as text.
    pub json: bool,
    /// The event data that ends the stream (`[DONE]`).
    pub end: Option<String>,
    /// The body's boolean member that asks for a stream (`stream: true`), set by `stream()`.
    pub flag: Option<Access>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StreamForm {
    /// `text/event-stream`.
    Events,
    /// One JSON value a line (`application/x-ndjson`, `application/json;stream=watch`).
    Lines,
    /// A binary answer's bytes.
    Chunks,
}

/// A header with one allowed value, sent on every call.
#[derive(Debug, Clone)]
pub struct FixedHeader {
    pub name: String,
    pub value: String,
}

/// An array member of a body with a `maxItems`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limit {
    /// The body's field, and its name on the wire (for messages).
    pub field: String,
    pub wire_name: String,
    pub max: u64,
    /// The member is deprecated: reading it to check the limit is allowed.
    pub deprecated: bool,
}

/// A list operation's pages, walked by a stream of items.
#[derive(Debug, Clone)]
pub struct Paging {
    /// Where the items are in an answer, and their type.
    pub items: Vec<Access>,
    pub item: Ty,
    pub next: NextPage,
}

#[derive(Debug, Clone)]
pub enum NextPage {
    /// The offset parameter (a builder field of integer type `ty`) moves by the items received;
    /// the page size parameter, when there is one, tells a short last page.
    Offset { offset: String, ty: Ty, limit: Option<String> },
    /// The cursor from `next` in an answer goes into a parameter or a body member.
    Cursor { next: Vec<Access>, cursor: CursorAt },
    /// The answer's `Link: <…>; rel="next"` URL is the next page.
    Link,
}

#[derive(Debug, Clone)]
pub enum CursorAt {
    /// An optional parameter (builder field).
    Param(String),
    /// A member of the required body: `optional` when it is an `Option`.
    Body { field: String, optional: bool },
}

/// One step into an answer: a struct field, and how it is wrapped.
#[derive(Debug, Clone)]
pub struct Access {
    pub field: String,
    pub wrap: Wrap,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wrap {
    Plain,
    Option,
    Nullable,
}

/// An operation that may answer with a job, and how to wait for the job's result: every pointer
/// the document gave resolved to field access.
#[derive(Debug, Clone)]
pub struct AsyncJob {
    /// The variants of the operation's answer enum: the job, and the finished result.
    pub accepted_variant: String,
    pub done_variant: String,
    /// The finished result's type: what waiting returns.
    pub result: Ty,
    /// The job's id in the accepted answer, of the poll's parameter type (text or an integer).
    pub job_id: Vec<Access>,
    /// The operation that reports on the job (an index into [`Api::operations`]).
    pub poll: usize,
    /// Poll statuses meaning "still running".
    pub pending: Vec<u16>,
    /// The job's own status (an integer) in the poll's answer, when it reports one.
    pub status: Option<Vec<Access>>,
    /// The finished job's document in the poll's answer, and what it holds.
    pub document: Vec<Access>,
    pub document_form: DocumentForm,
}

/// What a finished job's document is, in the poll's answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocumentForm {
    /// The result itself.
    Result,
    /// Any JSON value, read as the result (or the error) once the job's status is known.
    Json,
    /// A free-form object (a map of JSON values), read the same way.
    JsonObject,
}

/// A struct in the group module holding the documented headers of an operation's answers.
#[derive(Debug, Clone)]
pub struct ResponseHeaders {
    pub name: String,
    pub fields: Vec<HeaderField>,
}

#[derive(Debug, Clone)]
pub struct HeaderField {
    pub name: String,
    pub wire_name: String,
    pub ty: Ty,
    pub docs: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Param {
    pub name: String,
    pub wire_name: String,
    pub location: ParamLocation,
    pub ty: Ty,
    pub required: bool,
    pub docs: Option<String>,
    /// How the value is written (OpenAPI `style`).
    pub style: Style,
    /// Arrays and objects as several pairs (`a=1&a=2`) rather than one joined value.
    pub explode: bool,
}

/// OpenAPI parameter styles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// `a=1&a=2` or `a=1,2` (query and cookie default).
    Form,
    /// `1,2` (path and header default).
    Simple,
    /// `.1.2` in a path.
    Label,
    /// `;a=1;a=2` in a path.
    Matrix,
    /// `a[k]=v` for objects in a query.
    DeepObject,
    /// `a=1|2`.
    PipeDelimited,
    /// `a=1 2`.
    SpaceDelimited,
    /// The value as JSON text under the parameter's name (`filter={"title":{"_eq":"x"}}`):
    /// a parameter described by `content: {application/json: …}`.
    Json,
}

impl Style {
    pub fn name(self) -> &'static str {
        match self {
            Style::Form => "Form",
            Style::Simple => "Simple",
            Style::Label => "Label",
            Style::Matrix => "Matrix",
            Style::DeepObject => "DeepObject",
            Style::PipeDelimited => "PipeDelimited",
            Style::SpaceDelimited => "SpaceDelimited",
            Style::Json => "Json",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Media {
    Json,
    Form,
    Multipart,
    Binary,
    Text,
}

#[derive(Debug, Clone)]
pub struct Body {
    /// Array members of the body with a `maxItems`, checked before sending.
    pub limits: Vec<Limit>,
    pub media: Media,
    pub content_type: String,
    /// Other encodings the operation accepts for the same value, chosen with `method`.
    pub alternatives: Vec<BodyAlternative>,
    pub ty: Ty,
    pub required: bool,
    pub docs: Option<String>,
    /// Whether the handle's method takes the body whole. A required object body whose members
    /// are all optional starts empty instead (`update(id).display_name("dog.png")`), and the
    /// request's `body(…)` takes it whole.
    pub taken: bool,
    /// The request's setters for the body's optional members (or, with `members_at`, for those
    /// of an object inside the body).
    pub members: Vec<MemberSetter>,
    /// Where the member setters write, when an extension points them into the body.
    pub members_at: Option<MembersAt>,
    /// The body's value before any setter, when the method does not take it and its type has no
    /// `Default` (an envelope whose id a parameter fills).
    pub initial: Option<Init>,
}

/// An object inside an envelope body (`/data/attributes`, `/items/0/update`), where member
/// setters write.
#[derive(Debug, Clone)]
pub struct MembersAt {
    /// The JSON pointer the document gave.
    pub pointer: String,
    /// The steps from the body down.
    pub path: Vec<Step>,
    /// The object's type.
    pub ty: Ty,
}

/// One step from a body towards the object its member setters write, each made to exist when
/// it does not (a body given whole may lack it).
#[derive(Debug, Clone)]
pub enum Step {
    /// A struct field; an optional one starts empty.
    Field { name: String, optional: bool },
    /// The first item of a list, `item` when the list is empty.
    First { item: Init },
    /// The alternative of a union (`ty`) that holds a `variant`, made `value` when another is
    /// there. (Alternatives are named and ordered after lowering, so the type tells them apart.)
    Variant { ty: Ty, variant: Ty, value: Init },
}

/// A body's starting value, built by the operation's method.
#[derive(Debug, Clone)]
pub enum Init {
    /// A struct literal (`ty` is `Ty::Named`), every field given by name.
    Struct { ty: Ty, fields: Vec<(String, Init)> },
    /// A list of one item.
    List(Box<Init>),
    /// A union's alternative (`ty` is the union) that holds a `variant`.
    Variant { ty: Ty, variant: Ty, value: Box<Init> },
    /// The value of the operation's parameter of this field name.
    Param(String),
    /// An optional field left out: `None`, or `Nullable::Absent` when nullable.
    Absent { nullable: bool },
    /// A required field the caller sets later, or an extra-members map: its type's default.
    Default,
}

/// A setter on an operation's request for one optional member of its object body.
#[derive(Debug, Clone)]
pub struct MemberSetter {
    /// The setter's name, clear of the operation's other setters (`display_name`).
    pub name: String,
    /// For a nullable member, the setter that sends `null` (`clear_copyright`).
    pub clear: Option<String>,
    /// The body's field it sets.
    pub field: String,
    pub ty: Ty,
    pub docs: Option<String>,
    pub deprecated: bool,
}

#[derive(Debug, Clone)]
pub struct BodyAlternative {
    pub media: Media,
    pub content_type: String,
    /// The builder method that selects it (`as_form`).
    pub method: String,
}

/// One documented answer of an operation.
#[derive(Debug, Clone)]
pub struct Case {
    pub status: StatusKey,
    /// Variant name in the operation's response or error enum (`Accepted`).
    pub variant: String,
    pub body: Option<Payload>,
    pub docs: Option<String>,
}

/// An answer's body: how it is read, and as what.
#[derive(Debug, Clone, PartialEq)]
pub struct Payload {
    pub media: Media,
    pub ty: Ty,
}

/// One side of an operation's documented answers (its successes, or its errors) and the type
/// a generated crate gives them.
#[derive(Debug, Clone)]
pub struct Answers {
    pub cases: Vec<Case>,
    pub shape: Shape,
}

#[derive(Debug, Clone)]
pub enum Shape {
    /// Every case reads the same body (the usual case); `None` means `()`.
    Single(Option<Payload>),
    /// Different bodies per status: an enum of this name in the group module, a variant per case.
    Enum(String),
}

impl Answers {
    /// The body every case shares, when they share one.
    pub fn single(&self) -> Option<&Payload> {
        match &self.shape {
            Shape::Single(body) => body.as_ref(),
            Shape::Enum(_) => None,
        }
    }

    /// The name of the enum of cases, when the cases differ.
    pub fn enum_name(&self) -> Option<&str> {
        match &self.shape {
            Shape::Single(_) => None,
            Shape::Enum(name) => Some(name),
        }
    }

    /// Every type the answers are read as.
    pub fn tys(&self) -> impl Iterator<Item = &Ty> {
        self.single().into_iter().chain(self.cases.iter().filter_map(|c| c.body.as_ref())).map(|p| &p.ty)
    }
}

/// Whether a value of `ty` has `Default` in a generated crate.
pub fn has_default(types: &[TypeDef], ty: &Ty) -> bool {
    match ty {
        Ty::Any | Ty::Unit | Ty::Bool | Ty::I32 | Ty::I64 | Ty::U64 | Ty::F64 | Ty::String | Ty::Bytes => true,
        Ty::Vec(_) | Ty::Map(_) | Ty::Option(_) => true,
        Ty::Named(id) => match &types[id.0].kind {
            TypeKind::Struct(s) => s.has_default(),
            // An alias never reaches itself: one that would is a `Newtype`.
            TypeKind::Alias(target) => has_default(types, target),
            TypeKind::Newtype(inner) => matches!(inner, Ty::Vec(_) | Ty::Map(_)),
            TypeKind::Enum(_) | TypeKind::Union(_) => false,
        },
        Ty::DateTime | Ty::Date | Ty::Content | Ty::File | Ty::Tuple(_) => false,
    }
}
