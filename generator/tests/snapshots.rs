//! Small spec fragments → the Rust they generate, one construct per test.
//!
//! Each test is one `check` call; run with `UPDATE_EXPECT=1` to accept new output, then review
//! the diff like any other change.

use std::path::Path;

use clientgen::{generate_text, Settings};
use expect_test::{expect, Expect};

fn settings() -> Settings {
    Settings {
        crate_name: "snapshot".into(),
        include: Vec::new(),
        regenerate_with: "test".into(),
        source: None,
        overlays: Vec::new(),
        ref_roots: Vec::new(),
        group_features: clientgen::GroupFeatures::Auto,
    }
}

/// Generates from `spec` (YAML, under `openapi: 3.1.0` with an empty `info`) and returns the
/// generated file at `file` without its header.
fn generated(spec: &str, file: &str) -> String {
    let text = format!("openapi: 3.1.0\ninfo: {{title: T, version: '1'}}\n{spec}");
    let generated = generate_text(Path::new("spec.yaml"), text, &settings()).expect("generates");
    let file = generated.files.iter().find(|f| f.path == Path::new(file)).unwrap_or_else(|| panic!("no {file}"));
    let body = file.contents.split_once("\n\n").map_or(file.contents.as_str(), |(_, rest)| rest);
    let body = body.lines().filter(|l| !l.starts_with("//!")).collect::<Vec<_>>().join("\n") + "\n";
    body.trim_start_matches('\n').to_string()
}

/// The method of a generated builder that starts at `marker` (its doc comment), up to its end.
fn method_at<'f>(file: &'f str, marker: &str) -> &'f str {
    let start = file.find(marker).unwrap_or_else(|| panic!("no {marker:?} in:\n{file}"));
    let end = file[start..].find("\n    }\n").expect("the method's end") + start;
    &file[start..end]
}

fn check_types(components: &str, expect: Expect) {
    expect.assert_eq(&generated(&format!("paths: {{}}\ncomponents:\n  schemas:\n{components}"), "src/types.rs"));
}

#[test]
fn required_optional_and_nullable_fields() {
    check_types(
        r#"
    Patch:
      type: object
      description: What a PATCH sends.
      required: [id, note]
      properties:
        id: {type: string, description: The id.}
        note: {type: [string, 'null'], description: Always sent; null clears it.}
        title: {type: string}
        author: {type: [string, 'null'], description: 'Absent, null or a value.'}
        legacy: {type: string, nullable: true}
        type: {type: integer, format: int64}
        fooBar: {type: boolean}
"#,
        expect![[r#"
            use crate::Nullable;

            crate::runtime::object! {
                /// What a PATCH sends.
                #[derive(Debug, Clone, PartialEq)]
                pub struct Patch {
                    /// The id.
                    pub id: String = "id" required,
                    /// Always sent; null clears it.
                    pub note: Option<String> = "note" nullable,
                    pub title: Option<String> = "title" optional,
                    /// Absent, null or a value.
                    pub author: Nullable<String> = "author" optional,
                    pub legacy: Nullable<String> = "legacy" optional,
                    pub type_: Option<i64> = "type" optional,
                    pub foo_bar: Option<bool> = "fooBar" optional,
                }
                read always, write full_serde
            }
        "#]],
    );
}

#[test]
fn required_members_the_schema_does_not_declare_are_kept() {
    check_types(
        r#"
    Sink:
      type: object
      required: [type, externalId]
      properties:
        type: {type: string, enum: [current_user]}
"#,
        expect![[r#"
            crate::runtime::object! {
                #[derive(Debug, Clone, PartialEq, Default)]
                pub struct Sink {
                    /// Required by the document, which does not say what it holds.
                    pub external_id: Option<serde_json::Value> = "externalId" optional,
                }
                tag "type" = "current_user", read always, write full_serde
            }
        "#]],
    );
}

#[test]
fn aliases_that_contain_themselves_become_newtypes() {
    check_types(
        r#"
    Tree:
      type: array
      items: {$ref: '#/components/schemas/Tree'}
    Forest:
      type: object
      additionalProperties: {$ref: '#/components/schemas/Grove'}
    Grove:
      type: array
      items: {$ref: '#/components/schemas/Forest'}
"#,
        expect![[r#"
            use std::collections::BTreeMap;
            use serde::Deserialize;

            #[derive(Debug, Clone, PartialEq, Default, Deserialize)]
            #[cfg_attr(feature = "full-serde", derive(::serde::Serialize))]
            #[serde(transparent)]
            pub struct Tree(pub Vec<Tree>);

            impl ::std::convert::From<Vec<Tree>> for Tree {
                fn from(value: Vec<Tree>) -> Self {
                    Self(value)
                }
            }

            #[derive(Debug, Clone, PartialEq, Default, Deserialize)]
            #[cfg_attr(feature = "full-serde", derive(::serde::Serialize))]
            #[serde(transparent)]
            pub struct Forest(pub BTreeMap<String, Grove>);

            impl ::std::convert::From<BTreeMap<String, Grove>> for Forest {
                fn from(value: BTreeMap<String, Grove>) -> Self {
                    Self(value)
                }
            }

            pub type Grove = Vec<Forest>;
        "#]],
    );
}

#[test]
fn open_string_enums_keep_unknown_values() {
    check_types(
        r#"
    Status:
      type: string
      enum: [active, in-active, In_Active, '', Other]
"#,
        expect![[r#"
            crate::runtime::string_enum! {
                #[derive(Debug, Clone, PartialEq, Eq, Hash)]
                pub enum Status {
                    Active = "active",
                    InActive = "in-active",
                    InActive2 = "In_Active",
                    Empty = "",
                    Other = "Other",
                }
                unlisted UnknownValue
            }
        "#]],
    );
}

#[test]
fn one_of_without_and_with_discriminator() {
    check_types(
        r#"
    Cat: {type: object, required: [kind], properties: {kind: {type: string}, lives: {type: integer}}}
    Dog: {type: object, required: [kind], properties: {kind: {type: string}, good: {type: boolean}}}
    Pet:
      oneOf: [{$ref: '#/components/schemas/Cat'}, {$ref: '#/components/schemas/Dog'}]
      discriminator: {propertyName: kind, mapping: {cat: '#/components/schemas/Cat', dog: Dog}}
    IdOrName:
      oneOf: [{type: integer}, {type: string}]
"#,
        expect![[r#"
            use serde::Deserialize;

            crate::runtime::object! {
                #[derive(Debug, Clone, PartialEq)]
                pub struct Cat {
                    pub kind: String = "kind" required,
                    pub lives: Option<i64> = "lives" optional,
                }
                read always, write full_serde
            }

            crate::runtime::object! {
                #[derive(Debug, Clone, PartialEq)]
                pub struct Dog {
                    pub kind: String = "kind" required,
                    pub good: Option<bool> = "good" optional,
                }
                read always, write full_serde
            }

            #[derive(Debug, Clone, PartialEq)]
            #[cfg_attr(feature = "full-serde", derive(::serde::Serialize))]
            #[cfg_attr(feature = "full-serde", serde(untagged))]
            pub enum Pet {
                Cat(Cat),
                Dog(Dog),
            }

            /// Reads the `kind` member first and parses the alternative it names.
            impl<'de> ::serde::Deserialize<'de> for Pet {
                fn deserialize<__D: ::serde::Deserializer<'de>>(
                    deserializer: __D,
                ) -> ::std::result::Result<Self, __D::Error> {
                    let value = <serde_json::Value as ::serde::Deserialize>::deserialize(
                        deserializer,
                    )?;
                    let tag = value
                        .get("kind")
                        .and_then(serde_json::Value::as_str)
                        .map(str::to_owned);
                    let parsed = match tag.as_deref() {
                        ::std::option::Option::Some("cat") => {
                            serde_json::from_value(value).map(Pet::Cat)
                        }
                        ::std::option::Option::Some("dog") => {
                            serde_json::from_value(value).map(Pet::Dog)
                        }
                        other => {
                            return Err(
                                ::serde::de::Error::custom(
                                    ::std::format!("unknown {} {:?}", "kind", other),
                                ),
                            );
                        }
                    };
                    parsed.map_err(::serde::de::Error::custom)
                }
            }

            #[derive(Debug, Clone, PartialEq, Deserialize)]
            #[cfg_attr(feature = "full-serde", derive(::serde::Serialize))]
            #[serde(untagged)]
            pub enum IdOrName {
                Integer(i64),
                String(String),
            }
        "#]],
    );
}

#[test]
fn all_of_merges_properties() {
    check_types(
        r#"
    Base: {type: object, required: [id], properties: {id: {type: string}}}
    Named:
      allOf:
        - $ref: '#/components/schemas/Base'
        - {type: object, required: [name], properties: {name: {type: string}}}
        - description: Only words.
"#,
        expect![[r#"
            crate::runtime::object! {
                #[derive(Debug, Clone, PartialEq)]
                pub struct Base {
                    pub id: String = "id" required,
                }
                read always, write full_serde
            }

            crate::runtime::object! {
                #[derive(Debug, Clone, PartialEq)]
                pub struct Named {
                    pub id: String = "id" required,
                    pub name: String = "name" required,
                }
                read always, write full_serde
            }
        "#]],
    );
}

#[test]
fn all_of_over_one_of_distributes_or_merges() {
    check_types(
        r#"
    ById: {type: object, required: [id], properties: {id: {type: integer}}}
    ByName: {type: object, required: [name], properties: {name: {type: string}}}
    MaybeId: {type: object, properties: {id: {type: integer}}}
    MaybeName: {type: object, properties: {name: {type: string}}}
    Exclusive:
      description: Each alternative requires its own key, so each becomes a variant with `note` added.
      allOf:
        - oneOf: [{$ref: '#/components/schemas/ById'}, {$ref: '#/components/schemas/ByName'}]
        - {type: object, required: [note], properties: {note: {type: string}}}
    Open:
      description: The alternatives require nothing, so an answer may carry both keys.
      allOf:
        - oneOf: [{$ref: '#/components/schemas/MaybeId'}, {$ref: '#/components/schemas/MaybeName'}]
        - {type: object, required: [note], properties: {note: {type: string}}}
"#,
        expect![[r#"
            use serde::Serialize;

            crate::runtime::object! {
                #[derive(Debug, Clone, PartialEq)]
                pub struct ById {
                    pub id: i64 = "id" required,
                }
                read always, write full_serde
            }

            crate::runtime::object! {
                #[derive(Debug, Clone, PartialEq)]
                pub struct ByName {
                    pub name: String = "name" required,
                }
                read always, write full_serde
            }

            crate::runtime::object! {
                #[derive(Debug, Clone, PartialEq, Default)]
                pub struct MaybeId {
                    pub id: Option<i64> = "id" optional,
                }
                read always, write full_serde
            }

            crate::runtime::object! {
                #[derive(Debug, Clone, PartialEq, Default)]
                pub struct MaybeName {
                    pub name: Option<String> = "name" optional,
                }
                read always, write full_serde
            }

            /// Each alternative requires its own key, so each becomes a variant with `note` added.
            #[derive(Debug, Clone, PartialEq, Serialize)]
            #[serde(untagged)]
            pub enum Exclusive {
                ById(ExclusiveById),
                ByName(ExclusiveByName),
            }

            impl<'de> ::serde::Deserialize<'de> for Exclusive {
                fn deserialize<__D: ::serde::Deserializer<'de>>(
                    deserializer: __D,
                ) -> ::std::result::Result<Self, __D::Error> {
                    let value = <serde_json::Value as ::serde::Deserialize>::deserialize(
                        deserializer,
                    )?;
                    let mut closest = crate::runtime::Closest::new(&value);
                    if !closest.is_exact() {
                        closest
                            .offer(
                                <ExclusiveById as ::serde::Deserialize>::deserialize(&value)
                                    .map(Exclusive::ById),
                            );
                    }
                    if !closest.is_exact() {
                        closest
                            .offer(
                                <ExclusiveByName as ::serde::Deserialize>::deserialize(&value)
                                    .map(Exclusive::ByName),
                            );
                    }
                    if let ::std::option::Option::Some(v) = closest.take() {
                        return ::std::result::Result::Ok(v);
                    }
                    ::std::result::Result::Err(
                        ::serde::de::Error::custom(
                            "the value is none of the alternatives of `Exclusive`",
                        ),
                    )
                }
            }

            crate::runtime::union_from! {
                Exclusive {
                    ById(ExclusiveById),
                    ByName(ExclusiveByName),
                }
            }

            crate::runtime::object! {
                /// The alternatives require nothing, so an answer may carry both keys.
                #[derive(Debug, Clone, PartialEq)]
                pub struct Open {
                    pub note: String = "note" required,
                    pub id: Option<i64> = "id" optional,
                    pub name: Option<String> = "name" optional,
                }
                read always, write full_serde
            }

            crate::runtime::object! {
                #[derive(Debug, Clone, PartialEq)]
                pub struct ExclusiveById {
                    pub id: i64 = "id" required,
                    pub note: String = "note" required,
                }
                read always, write always
            }

            crate::runtime::object! {
                #[derive(Debug, Clone, PartialEq)]
                pub struct ExclusiveByName {
                    pub name: String = "name" required,
                    pub note: String = "note" required,
                }
                read always, write always
            }
        "#]],
    );
}

#[test]
fn mixed_enums_and_primitive_all_ofs_stay_typed() {
    check_types(
        r#"
    Size:
      description: A number of items, or "auto".
      enum: [1, 10, auto]
    Email:
      allOf:
        - {type: string, format: email}
        - {type: string, maxLength: 254}
    ResourceId: {type: string}
    AddressId:
      allOf: [{$ref: '#/components/schemas/ResourceId'}, {type: string}]
    Holder:
      type: object
      properties:
        currency:
          description: A $ref that may be null, written as an allOf with a null part.
          allOf: [{$ref: '#/components/schemas/ResourceId'}, {type: 'null'}]
"#,
        expect![[r#"
            use serde::Deserialize;
            use crate::Nullable;

            /// A number of items, or "auto".
            #[derive(Debug, Clone, PartialEq, Deserialize)]
            #[cfg_attr(feature = "full-serde", derive(::serde::Serialize))]
            #[serde(untagged)]
            pub enum Size {
                Integer(i64),
                String(String),
            }

            pub type Email = String;

            pub type ResourceId = String;

            pub type AddressId = ResourceId;

            crate::runtime::object! {
                #[derive(Debug, Clone, PartialEq, Default)]
                pub struct Holder {
                    /// A $ref that may be null, written as an allOf with a null part.
                    pub currency: Nullable<ResourceId> = "currency" optional,
                }
                read always, write full_serde
            }
        "#]],
    );
}

#[test]
fn maps_and_free_form_objects() {
    check_types(
        r#"
    Labels: {type: object, additionalProperties: {type: string}}
    Anything: {type: object}
    WithExtra:
      type: object
      properties: {known: {type: integer}}
      additionalProperties: {type: boolean}
    Localized:
      type: object
      properties: {default: {type: string}}
      patternProperties: {'^[a-z]{2}$': {type: string}}
"#,
        expect![[r#"
            use std::collections::BTreeMap;

            pub type Labels = BTreeMap<String, String>;

            pub type Anything = BTreeMap<String, serde_json::Value>;

            crate::runtime::object! {
                #[derive(Debug, Clone, PartialEq, Default)]
                pub struct WithExtra {
                    pub known: Option<i64> = "known" optional,
                }
                extra additional_properties: BTreeMap<String, bool>; read always, write full_serde
            }

            crate::runtime::object! {
                #[derive(Debug, Clone, PartialEq, Default)]
                pub struct Localized {
                    pub default: Option<String> = "default" optional,
                }
                extra additional_properties: BTreeMap<String, String>; read always, write full_serde
            }
        "#]],
    );
}

#[test]
fn recursive_types_are_boxed() {
    check_types(
        r#"
    Node:
      type: object
      required: [value]
      properties:
        value: {type: integer}
        next: {$ref: '#/components/schemas/Node'}
        children: {type: array, items: {$ref: '#/components/schemas/Node'}}
"#,
        expect![[r#"
            crate::runtime::object! {
                #[derive(Debug, Clone, PartialEq)]
                pub struct Node {
                    pub value: i64 = "value" required,
                    pub next: Option<Box<Node>> = "next" optional,
                    pub children: Option<Vec<Node>> = "children" optional,
                }
                read always, write full_serde
            }
        "#]],
    );
}

#[test]
fn a_constant_type_is_written_by_the_client() {
    check_types(
        r#"
    Upload:
      type: object
      required: [type, id]
      properties:
        type: {type: string, const: upload}
        id: {type: string}
"#,
        expect![[r#"
            crate::runtime::object! {
                #[derive(Debug, Clone, PartialEq)]
                pub struct Upload {
                    pub id: String = "id" required,
                }
                tag "type" = "upload", read always, write full_serde
            }
        "#]],
    );
}

#[test]
fn formats() {
    check_types(
        r#"
    Formats:
      type: object
      required: [big, small, at, on, odd, ratio]
      properties:
        big: {type: integer, format: int64}
        small: {type: integer, format: int32}
        at: {type: string, format: date-time}
        on: {type: string, format: date}
        odd: {type: string, format: objectid}
        ratio: {type: number, format: float}
"#,
        expect![[r#"
            crate::runtime::object! {
                #[derive(Debug, Clone, PartialEq)]
                pub struct Formats {
                    pub big: i64 = "big" required,
                    pub small: i32 = "small" required,
                    pub at: chrono::DateTime<chrono::Utc> = "at" required dates,
                    pub on: chrono::NaiveDate = "on" required dates,
                    pub odd: String = "odd" required,
                    pub ratio: f64 = "ratio" required,
                }
                read always, write full_serde
            }
        "#]],
    );
}

#[test]
fn identical_inline_schemas_become_one_type() {
    let asset = "{type: object, required: [id], properties: {id: {type: string}, variants: {type: array, items: {type: object, properties: {width: {type: integer}}}}}}";
    let spec = format!(
        r#"
paths:
  /assets/{{asset_id}}:
    parameters: [{{name: asset_id, in: path, required: true, schema: {{type: string}}}}]
    get:
      operationId: get-asset
      responses: {{'200': {{description: ok, content: {{application/json: {{schema: {asset}}}}}}}}}
    patch:
      operationId: patch-asset
      requestBody: {{content: {{application/json: {{schema: {{type: object, properties: {{name: {{type: string}}}}}}}}}}}}
      responses: {{'200': {{description: ok, content: {{application/json: {{schema: {asset}}}}}}}}}
"#
    );
    expect![[r#"
        crate::runtime::object! {
            #[derive(Debug, Clone, PartialEq, Default)]
            pub struct Variant {
                pub width: Option<i64> = "width" optional,
            }
            read always, write full_serde
        }

        crate::runtime::object! {
            #[derive(Debug, Clone, PartialEq)]
            pub struct Asset {
                pub id: String = "id" required,
                pub variants: Option<Vec<Variant>> = "variants" optional,
            }
            read always, write full_serde
        }

        crate::runtime::object! {
            #[derive(Debug, Clone, PartialEq, Default)]
            pub struct PatchAssetRequest {
                pub name: Option<String> = "name" optional,
            }
            read full_serde, write always
        }
    "#]]
    .assert_eq(&generated(&spec, "src/types.rs"));
}

#[test]
fn operations_with_path_query_and_two_success_answers() {
    let spec = r#"
servers: [{url: 'https://api.example.com/v1'}]
components:
  securitySchemes: {token: {type: http, scheme: bearer}}
  schemas:
    Job: {type: object, required: [id], properties: {id: {type: string}}}
    Thing: {type: object, required: [id], properties: {id: {type: string}}}
    Problem: {type: object, properties: {message: {type: string}}}
security: [{token: []}]
paths:
  /things/{thing_id}:
    put:
      operationId: updateThing
      tags: [things]
      summary: Update a thing
      parameters:
        - {name: thing_id, in: path, required: true, schema: {type: string}}
        - {name: mode, in: query, schema: {type: string, enum: [fast, safe]}}
        - {name: X-Api-Version, in: header, required: true, schema: {type: string, enum: ['3']}}
      requestBody:
        required: true
        content: {application/vnd.api+json: {schema: {$ref: '#/components/schemas/Thing'}}}
      responses:
        '200': {description: Done., content: {application/json: {schema: {$ref: '#/components/schemas/Thing'}}}}
        '202': {description: Started., content: {application/json: {schema: {$ref: '#/components/schemas/Job'}}}}
        '404': {description: Not there., content: {application/json: {schema: {$ref: '#/components/schemas/Problem'}}}}
        4XX: {description: Wrong.}
"#;
    expect![[r#"
        use crate::types;
        use crate::runtime::{Call, Outgoing, Response};
        use crate::{Error, Operation, Request};

        /// The things operations, from [`Client::things`](crate::Client::things).
        #[derive(Debug, Clone, Copy)]
        pub struct Things<'a> {
            pub(crate) client: &'a crate::Client,
        }

        impl<'a> Things<'a> {
            /// Update a thing
            ///
            /// `PUT /things/{thing_id}`
            pub fn update(&self, thing_id: impl Into<String>, body: types::Thing) -> Request<'a, Update> {
                Request::new(self.client, Update { thing_id: thing_id.into(), body, mode: None })
            }
        }

        /// The parameters of [`Things::update`], sent by awaiting its [`Request`], which sets the optional ones: `mode`.
        #[derive(Debug, Clone)]
        pub struct Update {
            thing_id: String,
            mode: Option<types::UpdateThingMode>,
            body: types::Thing,
        }

        impl Operation for Update {
            type Output = UpdateResponse;
            type Error = types::Problem;
            const CALL: Call = Call::put("updateThing", "/things/{thing_id}");

            fn write(&self, request: &mut Outgoing<'_>) {
                request.path_param("thing_id", &self.thing_id);
                request.header("X-Api-Version", "3");
                request.header("Accept", "application/json");
                request.query("mode", &self.mode);
                request.json("application/vnd.api+json", &self.body);
            }

            fn read(response: Response) -> Result<Self::Output, Error<Self::Error>> {
                match response.status() {
                    200 => response.json().map(UpdateResponse::Ok),
                    202 => response.json().map(UpdateResponse::Accepted),
                    400..=499 => Err(response.error_body()),
                    201 | 203..=299 => response.json_or_empty().map(UpdateResponse::Ok),
                    _ => Err(response.undocumented_error()),
                }
            }
        }

        crate::runtime::setters! {
            Update {
                mode: types::UpdateThingMode,
            }
        }

        /// What [`Things::update`] answers, by status.
        #[derive(Debug, Clone, PartialEq)]
        pub enum UpdateResponse {
            /// `200`
            ///
            /// Done.
            Ok(types::Thing),
            /// `202`
            ///
            /// Started.
            Accepted(types::Job),
        }
    "#]]
    .assert_eq(&generated(spec, "src/resources/things.rs"));
}

#[test]
fn parameters_are_written_in_their_style() {
    let spec = r#"
paths:
  /reports/{ids}:
    get:
      operationId: getReports
      tags: [reports]
      parameters:
        - {name: ids, in: path, required: true, style: label, explode: true, schema: {type: array, items: {type: integer}}}
        - {name: filter, in: query, style: deepObject, schema: {type: object, additionalProperties: {type: string}}}
        - {name: tags, in: query, style: pipeDelimited, explode: false, schema: {type: array, items: {type: string}}}
        - {name: page, in: query, schema: {type: integer}}
        - {name: X-Trace, in: header, schema: {type: array, items: {type: string}}}
      responses: {'204': {description: ok}}
"#;
    let file = generated(spec, "src/resources/reports.rs");
    expect![[r#"
        fn write(&self, request: &mut Outgoing<'_>) {
                request.path_param_styled("ids", &self.ids, crate::runtime::Style::Label, true);
                request.query_styled("filter", &self.filter, crate::runtime::Style::DeepObject, false);
                request.query_styled("tags", &self.tags, crate::runtime::Style::PipeDelimited, false);
                request.query("page", &self.page);
                if let Some(value) = &self.x_trace {
                    request.header("X-Trace", value);
                }"#]]
    .assert_eq(method_at(&file, "fn write"));
}

#[test]
fn multipart_bodies_send_each_member_as_a_part() {
    let spec = r#"
paths:
  /documents:
    post:
      operationId: uploadDocument
      requestBody:
        required: true
        content:
          multipart/form-data:
            schema:
              type: object
              required: [file]
              properties:
                file: {type: string, format: binary}
                attachments: {type: array, items: {type: string, format: binary}}
                title: {type: string}
      responses: {'204': {description: ok}}
"#;
    let types = generated(spec, "src/types.rs");
    let resources = generated(spec, "src/resources/documents.rs");
    assert!(resources.contains("request.multipart(&self.body);"), "{resources}");
    expect![[r#"
        crate::runtime::object! {
            #[derive(Debug, Clone, PartialEq)]
            pub struct UploadDocumentRequest {
                pub file: crate::File = "file" required,
                pub attachments: Option<Vec<crate::File>> = "attachments" optional,
                pub title: Option<String> = "title" optional,
            }
            read full_serde, write always
        }

        impl UploadDocumentRequest {
            /// Builds a `UploadDocumentRequest` from its required fields; the optional ones are left out.
            pub fn new(file: crate::File) -> Self {
                Self {
                    file,
                    attachments: None,
                    title: None,
                }
            }
        }

        impl crate::runtime::MultipartBody for UploadDocumentRequest {
            fn parts(&self) -> ::std::vec::Vec<crate::runtime::Part> {
                let mut parts = ::std::vec::Vec::new();
                parts.extend(crate::runtime::Part::files("file", ::std::iter::once(&self.file)));
                parts
                    .extend(
                        crate::runtime::Part::files(
                            "attachments",
                            self.attachments.iter().flat_map(|files| files.iter()),
                        ),
                    );
                parts.extend(crate::runtime::Part::text("title", &self.title));
                parts
            }
        }
    "#]]
    .assert_eq(&types);
}

#[test]
fn hazardous_names_become_distinct_identifiers() {
    let spec = r#"
paths:
  /things:
    get:
      operationId: list all.things
      tags: [things]
      responses: {'200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Option'}}}}}
    post:
      operationId: créer
      tags: [things]
      responses: {'200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/String'}}}}}
components:
  schemas:
    Option: {type: object, properties: {some: {type: string}, None: {type: string}}}
    String: {type: object, properties: {self: {type: string}, Self: {type: string}}}
    foo_bar: {type: integer}
    FooBar: {type: string}
    type: {type: boolean}
"#;
    let types = generated(spec, "src/types.rs");
    let resources = generated(spec, "src/resources/things.rs");
    let methods: Vec<&str> =
        resources.lines().filter(|l| l.trim_start().starts_with("pub fn ")).map(str::trim).collect();
    expect![[r#"
        crate::runtime::object! {
            #[derive(Debug, Clone, PartialEq, Default)]
            pub struct OptionModel {
                pub some: Option<String> = "some" optional,
                pub none: Option<String> = "None" optional,
            }
            read always, write full_serde
        }

        crate::runtime::object! {
            #[derive(Debug, Clone, PartialEq, Default)]
            pub struct StringModel {
                pub self_: Option<String> = "self" optional,
                pub self_2: Option<String> = "Self" optional,
            }
            read always, write full_serde
        }

        pub type FooBar = i64;

        pub type FooBar2 = String;

        pub type Type = bool;
        pub fn list_all(&self) -> Request<'a, ListAll> {
        pub fn creer(&self) -> Request<'a, Creer> {
    "#]]
    .assert_eq(&format!("{types}{}\n", methods.join("\n")));
}

#[test]
fn nested_groups_hang_off_their_parent() {
    let spec = r#"
tags: [{name: sites, description: The sites of a workspace.}]
paths:
  /sites/{site_id}:
    get:
      operationId: get-site
      x-fern-sdk-group-name: sites
      x-fern-sdk-method-name: get
      parameters: [{name: site_id, in: path, required: true, schema: {type: string}}]
      responses: {'204': {description: ok}}
  /sites/{site_id}/redirects:
    get:
      operationId: list-redirects
      x-fern-sdk-group-name: [sites, redirects]
      x-fern-sdk-method-name: list
      parameters: [{name: site_id, in: path, required: true, schema: {type: string}}]
      responses: {'204': {description: ok}}
"#;
    expect![[r#"
        use crate::runtime::{Call, Outgoing, Response};
        use crate::{Error, Operation, Request};

        /// The sites operations, from [`Client::sites`](crate::Client::sites).
        ///
        /// The sites of a workspace.
        #[derive(Debug, Clone, Copy)]
        pub struct Sites<'a> {
            pub(crate) client: &'a crate::Client,
        }

        impl<'a> Sites<'a> {
            /// The sites redirects operations.
            pub fn redirects(&self) -> super::sites_redirects::SitesRedirects<'a> {
                super::sites_redirects::SitesRedirects { client: self.client }
            }

            /// `GET /sites/{site_id}`
            pub fn get(&self, site_id: impl Into<String>) -> Request<'a, Get> {
                Request::new(self.client, Get { site_id: site_id.into() })
            }
        }

        /// The parameters of [`Sites::get`], sent by awaiting its [`Request`].
        #[derive(Debug, Clone)]
        pub struct Get {
            site_id: String,
        }

        impl Operation for Get {
            type Output = ();
            type Error = ();
            const CALL: Call = Call::get("get-site", "/sites/{site_id}").anonymous();

            fn write(&self, request: &mut Outgoing<'_>) {
                request.path_param("site_id", &self.site_id);
            }

            fn read(response: Response) -> Result<Self::Output, Error<Self::Error>> {
                match response.status() {
                    200..=299 => response.empty(),
                    _ => Err(response.unexpected()),
                }
            }
        }
    "#]]
    .assert_eq(&generated(spec, "src/resources/sites.rs"));
}

#[test]
fn text_from_the_document_never_becomes_code() {
    check_types(
        r#"
    ../../x:
      type: object
      description: "Ends a comment */ and an attribute \"] \n fn evil(){}"
      properties:
        "a\"b": {type: string, description: "*/ fn evil() {}"}
        "r#type": {type: string, enum: ["\"); fn evil() {} (\"", "}"]}
"#,
        expect![[r#"
            crate::runtime::object! {
                /// Ends a comment */ and an attribute "]
                /// fn evil(){}
                #[derive(Debug, Clone, PartialEq, Default)]
                pub struct X {
                    /// */ fn evil() {}
                    pub a_b: Option<String> = "a\"b" optional,
                    pub r_type: Option<XRType> = "r#type" optional,
                }
                read always, write full_serde
            }

            crate::runtime::string_enum! {
                #[derive(Debug, Clone, PartialEq, Eq, Hash)]
                pub enum XRType {
                    FnEvil = "\"); fn evil() {} (\"",
                    Value2 = "}",
                }
                unlisted Other
            }
        "#]],
    );
}

#[test]
fn integer_enums_are_rust_enums_that_keep_unknown_values() {
    check_types(
        r#"
    Priority:
      type: integer
      description: How urgent.
      enum: [1, 2, 3]
      x-enum-varnames: [Low, Normal, High]
      x-enum-descriptions: [When there is time., '', Now.]
    Offset:
      type: integer
      enum: [-1, 0, 10, 10]
    Huge:
      type: integer
      enum: [18446744073709551615]
"#,
        expect![[r#"
            crate::runtime::int_enum! {
                /// How urgent.
                #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
                pub enum Priority {
                    /// When there is time.
                    Low = 1,
                    Normal = 2,
                    /// Now.
                    High = 3,
                }
                unlisted Other
            }

            crate::runtime::int_enum! {
                #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
                pub enum Offset {
                    ValueMinus1 = -1,
                    Value0 = 0,
                    Value10 = 10,
                }
                unlisted Other
            }

            pub type Huge = u64;
        "#]],
    );
}

#[test]
fn read_only_members_are_left_out_of_requests_and_write_only_ones_out_of_answers() {
    let spec = r#"
components:
  schemas:
    Account:
      type: object
      required: [id, email, password]
      properties:
        id: {type: string, readOnly: true, description: Assigned by the server.}
        email: {type: string}
        password: {type: string, writeOnly: true}
    Audit:
      type: object
      required: [id]
      properties:
        id: {type: string, readOnly: true}
paths:
  /accounts:
    post:
      operationId: createAccount
      requestBody:
        required: true
        content: {application/json: {schema: {$ref: '#/components/schemas/Account'}}}
      responses:
        '201': {description: Created., content: {application/json: {schema: {$ref: '#/components/schemas/Account'}}}}
  /audits:
    get:
      operationId: listAudits
      responses:
        '200': {description: The audits., content: {application/json: {schema: {type: array, items: {$ref: '#/components/schemas/Audit'}}}}}
"#;
    expect![[r#"
        crate::runtime::object! {
            #[derive(Debug, Clone, PartialEq)]
            pub struct Account {
                /// Assigned by the server.
                ///
                /// Read-only: set by the server and ignored in requests.
                pub id: String = "id" required,
                pub email: String = "email" required,
            }
            read always, write full_serde
        }

        crate::runtime::object! {
            #[derive(Debug, Clone, PartialEq)]
            pub struct Audit {
                /// Read-only: set by the server and ignored in requests.
                pub id: String = "id" required,
            }
            read always, write full_serde
        }

        crate::runtime::object! {
            #[derive(Debug, Clone, PartialEq)]
            pub struct AccountInput {
                pub email: String = "email" required,
                /// Write-only: sent in requests, never returned.
                pub password: String = "password" required,
            }
            read full_serde, write always
        }
    "#]]
    .assert_eq(&generated(spec, "src/types.rs"));
    // The request takes the input type; the answer is the resource.
    let accounts = generated(spec, "src/resources/accounts.rs");
    assert!(accounts.contains("pub fn create(&self, body: types::AccountInput) -> Request<'a, Create>"), "{accounts}");
    assert!(accounts.contains("type Output = types::Account;"), "{accounts}");
}

#[test]
fn defaults_are_documented() {
    let spec = r#"
components:
  schemas:
    Settings:
      type: object
      properties:
        retries: {type: integer, default: 3, description: How often to try.}
        mode: {type: string, enum: [fast, safe], default: safe}
        tags: {type: array, items: {type: string}, default: []}
        filter: {type: object, default: {active: true}}
paths:
  /things:
    get:
      operationId: listThings
      parameters:
        - {name: limit, in: query, description: Page size., schema: {type: integer, default: 100}}
        - {name: order, in: query, schema: {type: string, default: "a`b"}}
      responses:
        '200': {description: OK., content: {application/json: {schema: {$ref: '#/components/schemas/Settings'}}}}
"#;
    expect![[r#"
        use std::collections::BTreeMap;

        crate::runtime::object! {
            #[derive(Debug, Clone, PartialEq, Default)]
            pub struct Settings {
                /// How often to try.
                ///
                /// Defaults to `3` when left out.
                pub retries: Option<i64> = "retries" optional,
                /// Defaults to `"safe"` when left out.
                pub mode: Option<SettingsMode> = "mode" optional,
                /// Defaults to `[]` when left out.
                pub tags: Option<Vec<String>> = "tags" optional,
                /// Defaults to `{"active":true}` when left out.
                pub filter: Option<BTreeMap<String, serde_json::Value>> = "filter" optional,
            }
            read always, write full_serde
        }

        crate::runtime::string_enum! {
            #[derive(Debug, Clone, PartialEq, Eq, Hash)]
            pub enum SettingsMode {
                Fast = "fast",
                Safe = "safe",
            }
            unlisted Other
        }
    "#]]
    .assert_eq(&generated(spec, "src/types.rs"));
    expect![[r#"
        use crate::types;
        use crate::runtime::{Call, Outgoing, Response};
        use crate::{Error, Operation, Request};

        /// The things operations, from [`Client::things`](crate::Client::things).
        #[derive(Debug, Clone, Copy)]
        pub struct Things<'a> {
            pub(crate) client: &'a crate::Client,
        }

        impl<'a> Things<'a> {
            /// `GET /things`
            pub fn list(&self) -> Request<'a, List> {
                Request::new(self.client, List::default())
            }
        }

        /// The parameters of [`Things::list`], sent by awaiting its [`Request`], which sets the optional ones: `limit`, `order`.
        #[derive(Debug, Clone, Default)]
        pub struct List {
            limit: Option<i64>,
            order: Option<String>,
        }

        impl Operation for List {
            type Output = types::Settings;
            type Error = ();
            const CALL: Call = Call::get("listThings", "/things").anonymous();

            fn write(&self, request: &mut Outgoing<'_>) {
                request.header("Accept", "application/json");
                request.query("limit", &self.limit);
                request.query("order", &self.order);
            }

            fn read(response: Response) -> Result<Self::Output, Error<Self::Error>> {
                match response.status() {
                    200 => response.json(),
                    201..=299 => response.json_or_empty(),
                    _ => Err(response.unexpected()),
                }
            }
        }

        crate::runtime::setters! {
            List {
                /// Page size.
                ///
                /// Defaults to `100` when left out.
                limit: i64,
                order: String,
            }
        }
    "#]]
    .assert_eq(&generated(spec, "src/resources/things.rs"));
}

#[test]
fn prefix_items_are_tuples_when_closed() {
    check_types(
        r#"
    Point:
      type: array
      prefixItems: [{type: number}, {type: number}]
      items: false
    Labelled:
      type: object
      required: [at]
      properties:
        at:
          type: array
          prefixItems: [{type: string}, {type: integer}, {type: [string, 'null']}]
        same:
          type: array
          prefixItems: [{type: string}]
          items: {type: string}
        mixed:
          type: array
          prefixItems: [{type: string}]
          items: {type: integer}
"#,
        expect![[r#"
            pub type Point = (f64, f64);

            crate::runtime::object! {
                #[derive(Debug, Clone, PartialEq)]
                pub struct Labelled {
                    pub at: (String, i64, Option<String>) = "at" required,
                    pub same: Option<Vec<String>> = "same" optional,
                    pub mixed: Option<Vec<serde_json::Value>> = "mixed" optional,
                }
                read always, write full_serde
            }
        "#]],
    );
}

#[test]
fn not_only_narrows_a_schema() {
    check_types(
        r#"
    Anything:
      not: {type: 'null'}
    Name:
      type: string
      not: {enum: ['']}
"#,
        expect![[r#"
            pub type Anything = serde_json::Value;

            pub type Name = String;
        "#]],
    );
}

#[test]
fn answer_headers_and_alternative_body_encodings() {
    let spec = r#"
components:
  schemas:
    Pet: {type: object, required: [name], properties: {name: {type: string}, photo: {type: string, format: binary}}}
paths:
  /pets:
    post:
      operationId: createPet
      requestBody:
        required: true
        content:
          application/json: {schema: {$ref: '#/components/schemas/Pet'}}
          application/x-www-form-urlencoded: {schema: {$ref: '#/components/schemas/Pet'}}
          multipart/form-data: {schema: {$ref: '#/components/schemas/Pet'}}
          text/plain: {schema: {type: string}}
      responses:
        '201':
          description: Created.
          headers:
            Location: {description: Where the pet lives., schema: {type: string}}
            X-Rate-Limit-Remaining: {schema: {type: integer}}
            Content-Type: {schema: {type: string}}
          content: {application/json: {schema: {$ref: '#/components/schemas/Pet'}}}
"#;
    expect![[r#"
        use crate::types;
        use crate::runtime::{Call, Outgoing, Response};
        use crate::{Error, Operation, Request};

        /// The pets operations, from [`Client::pets`](crate::Client::pets).
        #[derive(Debug, Clone, Copy)]
        pub struct Pets<'a> {
            pub(crate) client: &'a crate::Client,
        }

        impl<'a> Pets<'a> {
            /// `POST /pets`
            pub fn create(&self, body: types::Pet) -> Request<'a, Create> {
                Request::new(self.client, Create { body, body_media: 0 })
            }
        }

        /// The parameters of [`Pets::create`], sent by awaiting its [`Request`].
        #[derive(Debug, Clone)]
        pub struct Create {
            body: types::Pet,
            body_media: u8,
        }

        impl Operation for Create {
            type Output = types::Pet;
            type Error = ();
            const CALL: Call = Call::post("createPet", "/pets").anonymous();

            fn write(&self, request: &mut Outgoing<'_>) {
                request.header("Accept", "application/json");
                let body = &self.body;
                match self.body_media {
                    1 => request.form(body),
                    2 => request.multipart(body),
                    _ => request.json("application/json", body),
                }
            }

            fn read(response: Response) -> Result<Self::Output, Error<Self::Error>> {
                match response.status() {
                    201 => response.json(),
                    200 | 202..=299 => response.json_or_empty(),
                    _ => Err(response.unexpected()),
                }
            }
        }

        crate::runtime::body_setters! {
            Create {
                photo: crate::File;
            }
        }

        impl<'a> Request<'a, Create> {
            /// Sends the body as `application/x-www-form-urlencoded` instead of `application/json`.
            pub fn as_form(mut self) -> Self {
                self.params.body_media = 1;
                self
            }

            /// Sends the body as `multipart/form-data` instead of `application/json`.
            pub fn as_multipart(mut self) -> Self {
                self.params.body_media = 2;
                self
            }

            /// Sends the request on `.await`; the answer comes with the headers it documents ([`CreateHeaders`]).
            pub fn send_with_headers(self) -> crate::WithHeaders<'a, Create, CreateHeaders> {
                self.with_headers()
            }
        }

        /// The headers a [`Pets::create`] answer documents; `None` where one is absent or does not parse.
        #[derive(Debug, Clone, PartialEq, Default)]
        pub struct CreateHeaders {
            /// `Location`
            ///
            /// Where the pet lives.
            pub location: Option<String>,
            /// `X-Rate-Limit-Remaining`
            pub x_rate_limit_remaining: Option<i64>,
        }

        impl crate::runtime::AnswerHeaders for CreateHeaders {
            fn read(headers: &reqwest::header::HeaderMap) -> Self {
                Self {
                    location: crate::runtime::header_value(headers, "Location"),
                    x_rate_limit_remaining: crate::runtime::header_value(
                        headers,
                        "X-Rate-Limit-Remaining",
                    ),
                }
            }
        }
    "#]]
    .assert_eq(&generated(spec, "src/resources/pets.rs"));
}

#[test]
fn an_async_job_extension_adds_send_and_wait() {
    let spec = r#"
components:
  schemas:
    Report: {type: object, required: [id], properties: {id: {type: string}}}
    Job: {type: object, required: [job_id], properties: {job_id: {type: string}}}
    JobState: {type: object, properties: {code: {type: integer}, output: {}}}
paths:
  /reports:
    post:
      operationId: createReport
      tags: [reports]
      x-clientgen-async-job: {job-id: /job_id, poll: getJob, status: /code, result: /output}
      responses:
        '200': {description: Done., content: {application/json: {schema: {$ref: '#/components/schemas/Report'}}}}
        '202': {description: Started., content: {application/json: {schema: {$ref: '#/components/schemas/Job'}}}}
  /jobs/{id}:
    get:
      operationId: getJob
      tags: [reports]
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses:
        '200': {description: Finished., content: {application/json: {schema: {$ref: '#/components/schemas/JobState'}}}}
"#;
    let file = generated(spec, "src/resources/reports.rs");
    expect![[r#"
        /// Sends the request and, when the API answers with a job, polls [`Reports::get_job`](super::reports::Reports::get_job) as `wait` says until it finishes; returns the result either way (`send` returns the job itself).
            pub async fn send_and_wait(
                self,
                wait: crate::JobWait,
            ) -> Result<types::Report, crate::Error<()>> {
                let client = self.client;
                match self.send().await? {
                    CreateResponse::Ok(result) => Ok(result),
                    CreateResponse::Accepted(job) => {
                        let id = job.job_id.clone();
                        let poll = || {
                            super::reports::Reports { client }.get_job(id.clone()).send()
                        };
                        crate::runtime::wait_for_job(
                                id.to_string(),
                                &wait,
                                &[404],
                                poll,
                                |answer| {
                                    let status = answer
                                        .code
                                        .as_ref()
                                        .map(crate::runtime::AsStatus::as_status);
                                    let document = answer
                                        .output
                                        .map(crate::runtime::JobDocument::Json);
                                    (status, document)
                                },
                            )
                            .await
                    }
                }"#]].assert_eq(method_at(&file, "/// Sends the request and, when"));
}

#[test]
fn a_pagination_extension_adds_a_stream_of_items() {
    let spec = r#"
paths:
  /events:
    get:
      operationId: listEvents
      tags: [events]
      x-clientgen-pagination: {items: /page/events, cursor: after, next: /page/next}
      parameters: [{name: after, in: query, schema: {type: string}}]
      responses:
        '200':
          description: A page.
          content:
            application/json:
              schema:
                type: object
                properties:
                  page:
                    type: object
                    required: [events]
                    properties:
                      events: {type: array, items: {type: object, properties: {id: {type: string}}}}
                      next: {type: [string, 'null']}
"#;
    let file = generated(spec, "src/resources/events.rs");
    expect![[r#"
        /// Every item of every page: each answer's cursor asks for the next page, and an answer without one is the last.
            ///
            /// Pages are fetched as the stream is read, each with this request's settings; an error ends the stream.
            pub fn stream(
                self,
            ) -> crate::runtime::BoxStream<
                'a,
                Result<types::ListEventsResponsePageEvent, crate::Error<()>>,
            > {
                crate::runtime::paginate(
                    self,
                    |request: Self| async move {
                        let next = request.clone();
                        let page = request.send().await?;
                        let cursor: Option<String> = page
                            .page
                            .as_ref()
                            .and_then(|v| v.next.value())
                            .filter(|cursor| !cursor.is_empty())
                            .cloned();
                        let items = page.page.map(|v| v.events).unwrap_or_default();
                        let key = cursor.clone();
                        let next = cursor
                            .map(|cursor| {
                                let mut next = next;
                                next.params.after = Some(cursor);
                                next
                            });
                        Ok((items, next, key))
                    },
                )"#]].assert_eq(method_at(&file, "/// Every item of every page"));
}

#[test]
fn parameters_named_like_the_builders_own_items_are_renamed() {
    let spec = r#"
paths:
  /things:
    get:
      operationId: listThings
      parameters:
        - {name: options, in: query, schema: {type: string}}
        - {name: stream, in: query, schema: {type: boolean}}
        - {name: retry_policy, in: query, schema: {type: string}}
        - {name: request_timeout, in: query, schema: {type: integer}}
      responses: {'204': {description: Done.}}
"#;
    let file = generated(spec, "src/resources/things.rs");
    let start = file.find("pub struct List {").expect("the parameters");
    let end = file[start..].find('}').expect("its end") + start + 1;
    expect![[r#"
        pub struct List {
            options: Option<String>,
            stream_2: Option<bool>,
            retry_policy_2: Option<String>,
            request_timeout_2: Option<i64>,
        }"#]]
    .assert_eq(&file[start..end]);
}

#[test]
fn link_header_pagination_follows_rel_next() {
    let spec = r#"
paths:
  /repos/{repo}/issues:
    get:
      operationId: listIssues
      tags: [issues]
      x-clientgen-pagination: {items: '', link: true}
      parameters:
        - {name: repo, in: path, required: true, schema: {type: string}}
        - {name: per_page, in: query, schema: {type: integer}}
      responses:
        '200':
          description: A page.
          content: {application/json: {schema: {type: array, items: {type: object, properties: {id: {type: integer}}}}}}
"#;
    let file = generated(spec, "src/resources/issues.rs");
    expect![[r#"
        /// Every item of every page: each answer's `Link: <…>; rel="next"` is the next page, on the same server, and an answer without one is the last.
            ///
            /// Pages are fetched as the stream is read, each with this request's settings; an error ends the stream.
            pub fn stream(
                self,
            ) -> crate::runtime::BoxStream<
                'a,
                Result<types::ListIssuesResponseItem, crate::Error<()>>,
            > {
                crate::runtime::paginate(
                    self,
                    |request: Self| async move {
                        let mut request = request;
                        let link = request.options.capture_next_link();
                        let next = request.clone();
                        let page = request.send().await?;
                        let items = page;
                        let url = link
                            .lock()
                            .unwrap_or_else(|poisoned| poisoned.into_inner())
                            .take();
                        let key = url.as_ref().map(ToString::to_string);
                        let next = url
                            .map(|url| {
                                let mut next = next;
                                next.options.set_page_url(url);
                                next
                            });
                        Ok((items, next, key))
                    },
                )"#]].assert_eq(method_at(&file, "/// Every item of every page"));
}

#[test]
fn properties_beside_one_of_reach_every_alternative() {
    // An audit-log entry: shared members beside alternatives that each say what happened.
    check_types(
        r#"
    Entry:
      type: object
      properties:
        timestamp: {type: string}
      oneOf:
        - title: Login
          type: object
          properties:
            event: {type: string, enum: [login]}
            payload: {type: object, properties: {method: {type: string}}}
        - title: Invite
          type: object
          properties:
            event: {type: string, enum: [invite]}
            payload: {type: object, properties: {email: {type: string}}}
"#,
        expect![[r#"
            use serde::Serialize;

            #[derive(Debug, Clone, PartialEq, Serialize)]
            #[serde(untagged)]
            pub enum Entry {
                Login(EntryLogin),
                Invite(EntryInvite),
            }

            impl<'de> ::serde::Deserialize<'de> for Entry {
                fn deserialize<__D: ::serde::Deserializer<'de>>(
                    deserializer: __D,
                ) -> ::std::result::Result<Self, __D::Error> {
                    let value = <serde_json::Value as ::serde::Deserialize>::deserialize(
                        deserializer,
                    )?;
                    let mut closest = crate::runtime::Closest::new(&value);
                    if !closest.is_exact() {
                        closest
                            .offer(
                                <EntryLogin as ::serde::Deserialize>::deserialize(&value)
                                    .map(Entry::Login),
                            );
                    }
                    if !closest.is_exact() {
                        closest
                            .offer(
                                <EntryInvite as ::serde::Deserialize>::deserialize(&value)
                                    .map(Entry::Invite),
                            );
                    }
                    if let ::std::option::Option::Some(v) = closest.take() {
                        return ::std::result::Result::Ok(v);
                    }
                    ::std::result::Result::Err(
                        ::serde::de::Error::custom(
                            "the value is none of the alternatives of `Entry`",
                        ),
                    )
                }
            }

            crate::runtime::union_from! {
                Entry {
                    Login(EntryLogin),
                    Invite(EntryInvite),
                }
            }

            crate::runtime::string_enum! {
                #[derive(Debug, Clone, PartialEq, Eq, Hash)]
                pub enum EntryLoginEvent {
                    Login = "login",
                }
                unlisted Other
            }

            crate::runtime::object! {
                #[derive(Debug, Clone, PartialEq, Default)]
                pub struct EntryLoginPayload {
                    pub method: Option<String> = "method" optional,
                }
                read always, write always
            }

            crate::runtime::object! {
                #[derive(Debug, Clone, PartialEq, Default)]
                pub struct EntryLogin {
                    pub event: Option<EntryLoginEvent> = "event" optional,
                    pub payload: Option<EntryLoginPayload> = "payload" optional,
                    pub timestamp: Option<String> = "timestamp" optional,
                }
                read always, write always
            }

            crate::runtime::string_enum! {
                #[derive(Debug, Clone, PartialEq, Eq, Hash)]
                pub enum EntryInviteEvent {
                    Invite = "invite",
                }
                unlisted Other
            }

            crate::runtime::object! {
                #[derive(Debug, Clone, PartialEq, Default)]
                pub struct EntryInvitePayload {
                    pub email: Option<String> = "email" optional,
                }
                read always, write always
            }

            crate::runtime::object! {
                #[derive(Debug, Clone, PartialEq, Default)]
                pub struct EntryInvite {
                    pub event: Option<EntryInviteEvent> = "event" optional,
                    pub payload: Option<EntryInvitePayload> = "payload" optional,
                    pub timestamp: Option<String> = "timestamp" optional,
                }
                read always, write always
            }
        "#]],
    );
}

#[test]
fn lists_of_integers_are_tried_before_lists_of_numbers_and_a_choice_of_one_is_that_one() {
    check_types(
        r#"
    Values:
      oneOf:
        - {type: array, items: {type: number}}
        - {type: array, items: {type: integer, format: int64}}
        - {type: array, items: {type: string}}
    Job:
      type: object
      required: [name]
      properties: {name: {type: string}}
    Jobs:
      oneOf: [{$ref: '#/components/schemas/Job'}]
    JobItem:
      allOf:
        - {$ref: '#/components/schemas/Jobs'}
        - {type: object, required: [status], properties: {status: {type: string}}}
"#,
        expect![[r#"
            use serde::Deserialize;

            #[derive(Debug, Clone, PartialEq, Deserialize)]
            #[cfg_attr(feature = "full-serde", derive(::serde::Serialize))]
            #[serde(untagged)]
            pub enum Values {
                IntegerList(Vec<i64>),
                NumberList(Vec<f64>),
                StringList(Vec<String>),
            }

            crate::runtime::object! {
                #[derive(Debug, Clone, PartialEq)]
                pub struct Job {
                    pub name: String = "name" required,
                }
                read always, write full_serde
            }

            pub type Jobs = Job;

            crate::runtime::object! {
                #[derive(Debug, Clone, PartialEq)]
                pub struct JobItem {
                    pub name: String = "name" required,
                    pub status: String = "status" required,
                }
                read always, write full_serde
            }
        "#]],
    );
}

#[test]
fn with_a_feature_per_group_each_type_compiles_with_the_groups_that_use_it() {
    let spec = r#"
openapi: 3.1.0
info: {title: T, version: '1'}
paths:
  /pets:
    get:
      operationId: listPets
      tags: [pets]
      responses: {'200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Pet'}}}}}
  /stores:
    get:
      operationId: listStores
      tags: [stores]
      responses: {'200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Store'}}}}}
components:
  schemas:
    Pet: {type: object, properties: {owner: {$ref: '#/components/schemas/Owner'}}}
    Store: {type: object, properties: {owner: {$ref: '#/components/schemas/Owner'}}}
    Owner: {type: object, properties: {name: {type: string}}}
    Webhook: {type: object, properties: {event: {type: string}}}
"#;
    let settings = Settings { group_features: clientgen::GroupFeatures::Always, ..settings() };
    let generated = generate_text(Path::new("spec.yaml"), spec.to_string(), &settings).expect("generates");
    let file = |path: &str| {
        let file = generated.files.iter().find(|f| f.path == Path::new(path)).unwrap_or_else(|| panic!("no {path}"));
        file.contents.clone()
    };
    let cfgs: Vec<String> = file("src/types.rs")
        .lines()
        .filter(|l| l.starts_with("#[cfg(") || l.trim_start().starts_with("pub struct"))
        .map(str::to_string)
        .collect();
    expect![[r##"
        [
            "#[cfg(feature = \"pets\")]",
            "    pub struct Pet {",
            "#[cfg(feature = \"stores\")]",
            "    pub struct Store {",
            "    pub struct Owner {",
            "#[cfg(feature = \"other-types\")]",
            "    pub struct Webhook {",
        ]
    "##]]
    .assert_debug_eq(&cfgs);
    let manifest = file("Cargo.toml");
    assert!(
        manifest
            .contains("default = [\"pets\", \"stores\", \"other-types\"]\npets = []\nstores = []\nother-types = []\n"),
        "{manifest}"
    );
    let resources = file("src/resources/mod.rs");
    assert!(resources.contains("#[cfg(feature = \"pets\")]\npub mod pets;"), "{resources}");
}

#[test]
fn each_type_derives_serde_for_the_ways_it_travels() {
    let spec = r#"
paths:
  /pets:
    post:
      operationId: createPet
      requestBody: {required: true, content: {application/json: {schema: {$ref: '#/components/schemas/NewPet'}}}}
      responses: {'200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Pet'}}}}}
components:
  schemas:
    NewPet: {type: object, properties: {name: {type: string}}}
    Pet: {type: object, properties: {id: {type: integer}}}
    Adopted: {type: object, properties: {pet: {$ref: '#/components/schemas/NewPet'}}}
"#;
    let types = generated(spec, "src/types.rs");
    let wire_form = |name: &str| {
        let at = types.find(&format!("pub struct {name} {{")).unwrap_or_else(|| panic!("no {name} in {types}"));
        types[at..].lines().find(|l| l.contains("read ")).unwrap_or_default().trim().to_string()
    };
    // Sent only: Serialize; received only: Deserialize; the other trait with `full-serde`.
    assert_eq!(wire_form("Pet"), "read always, write full_serde", "{types}");
    assert_eq!(wire_form("NewPet"), "read always, write always", "{types}");
    // A component no operation uses (a webhook's payload) is read, and so is what it holds,
    // though an operation also sends it.
    assert_eq!(wire_form("Adopted"), "read always, write full_serde", "{types}");
}

#[test]
fn a_group_named_like_the_runtime_items_a_module_imports_is_renamed() {
    let spec = r#"
paths:
  /operation:
    get:
      operationId: getOperation
      tags: [operation]
      responses: {'204': {description: Done.}}
"#;
    let file = generated(spec, "src/resources/operation.rs");
    assert!(file.contains("use crate::{Error, Operation, Request};"), "{file}");
    assert!(file.contains("pub struct OperationResource<'a>"), "{file}");
}

#[test]
fn an_error_documented_only_as_binary_is_kept_as_bytes() {
    let spec = r#"
paths:
  /report:
    get:
      operationId: getReport
      responses:
        '200': {description: ok, content: {application/json: {schema: {type: object, properties: {id: {type: string}}}}}}
        '400': {description: bad, content: {application/octet-stream: {schema: {type: string, format: binary}}}}
"#;
    let file = generated(spec, "src/resources/report.rs");
    // Not `error_body()`: bytes are no JSON to decode, and the crate would not compile.
    let arm = &file[file.find("400 =>").unwrap_or_else(|| panic!("no 400 arm in {file}"))..];
    assert!(arm.contains("Ok(bytes::Bytes::copy_from_slice(body))"), "{file}");
    assert!(!file.contains("error_body()") && !file.contains("undocumented_error()"), "{file}");
}

#[test]
fn union_variants_are_named_by_what_tells_them_apart() {
    check_types(
        r#"
    Embedding:
      oneOf:
        - {type: array, items: {type: number}}
        - {type: string, format: byte}
    Credential:
      oneOf:
        - {type: object, required: [type, token], properties: {type: {const: legacy}, token: {type: string}}}
        - {type: object, required: [type, key], properties: {type: {const: unknown}, key: {type: string}}}
    Target:
      oneOf:
        - {type: object, required: [name], properties: {name: {type: string}, url: {type: string}}}
        - {type: object, required: [name], properties: {name: {type: string}, path: {type: string}}}
        - {type: object, additionalProperties: true}
    Detail:
      oneOf:
        - {type: object, properties: {a: {type: string}}, additionalProperties: true}
        - {type: object, properties: {b: {type: string}}, additionalProperties: true}
"#,
        expect![[r#"
            use std::collections::BTreeMap;
            use serde::{Deserialize, Serialize};

            #[derive(Debug, Clone, PartialEq, Deserialize)]
            #[cfg_attr(feature = "full-serde", derive(::serde::Serialize))]
            #[serde(untagged)]
            pub enum Embedding {
                Base64(String),
                NumberList(Vec<f64>),
            }

            #[derive(Debug, Clone, PartialEq)]
            #[cfg_attr(feature = "full-serde", derive(::serde::Serialize))]
            #[cfg_attr(feature = "full-serde", serde(untagged))]
            pub enum Credential {
                Legacy(CredentialLegacy),
                Unknown(CredentialUnknown),
            }

            /// Reads the `type` member first and parses the alternative it names.
            impl<'de> ::serde::Deserialize<'de> for Credential {
                fn deserialize<__D: ::serde::Deserializer<'de>>(
                    deserializer: __D,
                ) -> ::std::result::Result<Self, __D::Error> {
                    let value = <serde_json::Value as ::serde::Deserialize>::deserialize(
                        deserializer,
                    )?;
                    let tag = value
                        .get("type")
                        .and_then(serde_json::Value::as_str)
                        .map(str::to_owned);
                    let parsed = match tag.as_deref() {
                        ::std::option::Option::Some("legacy") => {
                            serde_json::from_value(value).map(Credential::Legacy)
                        }
                        ::std::option::Option::Some("unknown") => {
                            serde_json::from_value(value).map(Credential::Unknown)
                        }
                        other => {
                            return Err(
                                ::serde::de::Error::custom(
                                    ::std::format!("unknown {} {:?}", "type", other),
                                ),
                            );
                        }
                    };
                    parsed.map_err(::serde::de::Error::custom)
                }
            }

            #[derive(Debug, Clone, PartialEq, Serialize)]
            #[serde(untagged)]
            pub enum Target {
                WithUrl(TargetWithUrl),
                WithPath(TargetWithPath),
                Object(BTreeMap<String, serde_json::Value>),
            }

            impl<'de> ::serde::Deserialize<'de> for Target {
                fn deserialize<__D: ::serde::Deserializer<'de>>(
                    deserializer: __D,
                ) -> ::std::result::Result<Self, __D::Error> {
                    let value = <serde_json::Value as ::serde::Deserialize>::deserialize(
                        deserializer,
                    )?;
                    let mut closest = crate::runtime::Closest::new(&value);
                    if !closest.is_exact() {
                        closest
                            .offer(
                                <TargetWithUrl as ::serde::Deserialize>::deserialize(&value)
                                    .map(Target::WithUrl),
                            );
                    }
                    if !closest.is_exact() {
                        closest
                            .offer(
                                <TargetWithPath as ::serde::Deserialize>::deserialize(&value)
                                    .map(Target::WithPath),
                            );
                    }
                    if let ::std::option::Option::Some(v) = closest.take() {
                        return ::std::result::Result::Ok(v);
                    }
                    if let ::std::result::Result::Ok(v) = <BTreeMap<
                        String,
                        serde_json::Value,
                    > as ::serde::Deserialize>::deserialize(&value)
                        .map(Target::Object)
                    {
                        return ::std::result::Result::Ok(v);
                    }
                    ::std::result::Result::Err(
                        ::serde::de::Error::custom(
                            "the value is none of the alternatives of `Target`",
                        ),
                    )
                }
            }

            crate::runtime::union_from! {
                Target {
                    WithUrl(TargetWithUrl),
                    WithPath(TargetWithPath),
                    Object(BTreeMap<String, serde_json::Value>),
                }
            }

            #[derive(Debug, Clone, PartialEq, Serialize)]
            #[serde(untagged)]
            pub enum Detail {
                WithA(DetailWithA),
                WithB(DetailWithB),
            }

            impl<'de> ::serde::Deserialize<'de> for Detail {
                fn deserialize<__D: ::serde::Deserializer<'de>>(
                    deserializer: __D,
                ) -> ::std::result::Result<Self, __D::Error> {
                    let value = <serde_json::Value as ::serde::Deserialize>::deserialize(
                        deserializer,
                    )?;
                    let mut closest = crate::runtime::Closest::new(&value);
                    if !closest.is_exact() {
                        closest
                            .offer(
                                <DetailWithA as ::serde::Deserialize>::deserialize(&value)
                                    .map(Detail::WithA),
                            );
                    }
                    if !closest.is_exact() {
                        closest
                            .offer(
                                <DetailWithB as ::serde::Deserialize>::deserialize(&value)
                                    .map(Detail::WithB),
                            );
                    }
                    if let ::std::option::Option::Some(v) = closest.take() {
                        return ::std::result::Result::Ok(v);
                    }
                    ::std::result::Result::Err(
                        ::serde::de::Error::custom(
                            "the value is none of the alternatives of `Detail`",
                        ),
                    )
                }
            }

            crate::runtime::union_from! {
                Detail {
                    WithA(DetailWithA),
                    WithB(DetailWithB),
                }
            }

            crate::runtime::object! {
                #[derive(Debug, Clone, PartialEq)]
                pub struct CredentialLegacy {
                    pub token: String = "token" required,
                }
                tag "type" = "legacy", read always, write full_serde
            }

            crate::runtime::object! {
                #[derive(Debug, Clone, PartialEq)]
                pub struct CredentialUnknown {
                    pub key: String = "key" required,
                }
                tag "type" = "unknown", read always, write full_serde
            }

            crate::runtime::object! {
                #[derive(Debug, Clone, PartialEq)]
                pub struct TargetWithUrl {
                    pub name: String = "name" required,
                    pub url: Option<String> = "url" optional,
                }
                read always, write always
            }

            impl TargetWithUrl {
                /// Builds a `TargetWithUrl` from its required fields; the optional ones are left out.
                pub fn new(name: impl Into<String>) -> Self {
                    Self {
                        name: name.into(),
                        url: None,
                    }
                }
            }

            crate::runtime::object! {
                #[derive(Debug, Clone, PartialEq)]
                pub struct TargetWithPath {
                    pub name: String = "name" required,
                    pub path: Option<String> = "path" optional,
                }
                read always, write always
            }

            impl TargetWithPath {
                /// Builds a `TargetWithPath` from its required fields; the optional ones are left out.
                pub fn new(name: impl Into<String>) -> Self {
                    Self {
                        name: name.into(),
                        path: None,
                    }
                }
            }

            crate::runtime::object! {
                #[derive(Debug, Clone, PartialEq, Default)]
                pub struct DetailWithA {
                    pub a: Option<String> = "a" optional,
                }
                extra additional_properties: BTreeMap<String, serde_json::Value>; read always, write always
            }

            crate::runtime::object! {
                #[derive(Debug, Clone, PartialEq, Default)]
                pub struct DetailWithB {
                    pub b: Option<String> = "b" optional,
                }
                extra additional_properties: BTreeMap<String, serde_json::Value>; read always, write always
            }
        "#]],
    );
}

#[test]
fn a_shape_shared_by_several_places_takes_the_name_they_agree_on() {
    expect![[r#"
        crate::runtime::string_enum! {
            #[derive(Debug, Clone, PartialEq, Eq, Hash)]
            pub enum SortOrder {
                Asc = "asc",
                Desc = "desc",
            }
            unlisted Other
        }

        crate::runtime::object! {
            #[derive(Debug, Clone, PartialEq, Default)]
            pub struct DateTimeRange {
                pub lte: Option<chrono::DateTime<chrono::Utc>> = "lte" optional dates,
                pub gte: Option<chrono::DateTime<chrono::Utc>> = "gte" optional dates,
            }
            read full_serde, write always
        }
    "#]].assert_eq(&generated(
        r#"
paths:
  /audit-logs:
    get:
      operationId: getWorkspaceAuditLogs
      parameters:
        - {name: sortOrder, in: query, schema: {type: string, enum: [asc, desc]}}
      responses: {'204': {description: done}}
  /items:
    get:
      operationId: listItems
      parameters:
        - {name: sortOrder, in: query, schema: {type: string, enum: [asc, desc]}}
        - name: createdOn
          in: query
          style: deepObject
          schema: {type: object, properties: {lte: {type: string, format: date-time}, gte: {type: string, format: date-time}}}
        - name: lastUpdated
          in: query
          style: deepObject
          schema: {type: object, properties: {lte: {type: string, format: date-time}, gte: {type: string, format: date-time}}}
      responses: {'204': {description: done}}
"#,
        "src/types.rs",
    ));
}

#[test]
fn object_bodies_are_filled_member_by_member_on_the_request() {
    let file = generated(
        r#"
paths:
  /assets/{id}:
    patch:
      operationId: updateAsset
      tags: [assets]
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
        - {name: locale, in: query, schema: {type: string}}
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              properties:
                displayName: {type: string, description: The name people see.}
                copyright: {type: [string, 'null']}
                locale: {type: string}
      responses: {'204': {description: updated}}
  /assets:
    post:
      operationId: createAsset
      tags: [assets]
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [name]
              properties:
                name: {type: string}
                body: {type: string}
      responses: {'204': {description: created}}
"#,
        "src/resources/assets.rs",
    );
    let start = file.find("impl<'a> Assets<'a>").expect("the handle's methods");
    expect![[r#"
        impl<'a> Assets<'a> {
            /// `PATCH /assets/{id}`
            pub fn update(&self, id: impl Into<String>) -> Request<'a, Update> {
                Request::new(self.client, Update { id: id.into(), ..Default::default() })
            }

            /// `POST /assets`
            pub fn create(&self, body: types::CreateAssetRequest) -> Request<'a, Create> {
                Request::new(self.client, Create { body })
            }
        }

        /// The parameters of [`Assets::update`], sent by awaiting its [`Request`], which sets the optional ones: `locale`, `body`.
        #[derive(Debug, Clone, Default)]
        pub struct Update {
            id: String,
            locale: Option<String>,
            body: types::UpdateAssetRequest,
        }

        impl Operation for Update {
            type Output = ();
            type Error = ();
            const CALL: Call = Call::patch("updateAsset", "/assets/{id}").anonymous();

            fn write(&self, request: &mut Outgoing<'_>) {
                request.path_param("id", &self.id);
                request.query("locale", &self.locale);
                request.json("application/json", &self.body);
            }

            fn read(response: Response) -> Result<Self::Output, Error<Self::Error>> {
                match response.status() {
                    200..=299 => response.empty(),
                    _ => Err(response.unexpected()),
                }
            }
        }

        crate::runtime::setters! {
            Update {
                locale: String,
            }
        }

        crate::runtime::body_setters! {
            Update {
                /// The name people see.
                display_name: String;
                copyright: String, clear clear_copyright;
            }
        }

        impl<'a> Request<'a, Update> {
            /// The body, whole.
            pub fn body(mut self, body: types::UpdateAssetRequest) -> Self {
                self.params.body = body;
                self
            }
        }

        /// The parameters of [`Assets::create`], sent by awaiting its [`Request`].
        #[derive(Debug, Clone)]
        pub struct Create {
            body: types::CreateAssetRequest,
        }

        impl Operation for Create {
            type Output = ();
            type Error = ();
            const CALL: Call = Call::post("createAsset", "/assets").anonymous();

            fn write(&self, request: &mut Outgoing<'_>) {
                request.json("application/json", &self.body);
            }

            fn read(response: Response) -> Result<Self::Output, Error<Self::Error>> {
                match response.status() {
                    200..=299 => response.empty(),
                    _ => Err(response.unexpected()),
                }
            }
        }

        crate::runtime::body_setters! {
            Create {
                body: String;
            }
        }
    "#]].assert_eq(&file[start..]);
}

const ENVELOPE: &str = r#"
paths:
  /items/{item_id}:
    patch:
      operationId: updateItem
      tags: [items]
      parameters:
        - {name: item_id, in: path, required: true, schema: {type: string}}
      x-clientgen-body: {members: MEMBERS, fill: {/data/id: item_id}}
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [data]
              properties:
                data:
                  type: object
                  required: [type, id]
                  properties:
                    type: {const: item}
                    id: {type: string}
                    attributes:
                      type: object
                      properties:
                        title: {type: string}
                        note: {type: [string, 'null']}
      responses: {'204': {description: updated}}
"#;

#[test]
fn an_envelope_body_is_filled_from_the_path_and_member_setters() {
    let file = generated(&ENVELOPE.replace("MEMBERS", "/data/attributes"), "src/resources/items.rs");
    let start = file.find("impl<'a> Items<'a>").expect("the handle's methods");
    let handle = &file[start..file[start..].find("\n}\n").map_or(file.len(), |end| start + end + 3)];
    let setters = &file[file.find("impl Update {").expect("the members place")..];
    expect![[r#"
        impl<'a> Items<'a> {
            /// `PATCH /items/{item_id}`
            pub fn update(&self, item_id: impl Into<String>) -> Request<'a, Update> {
                let item_id: String = item_id.into();
                let body = types::UpdateItemRequest {
                    data: types::UpdateItemRequestData { id: item_id.clone(), attributes: None },
                };
                Request::new(self.client, Update { item_id, body })
            }
        }

        impl Update {
            /// The body's `/data/attributes`, where the request's member setters write.
            fn members(&mut self) -> &mut types::UpdateItemRequestDataAttributes {
                self.body.data.attributes.get_or_insert_with(Default::default)
            }
        }

        crate::runtime::body_setters! {
            Update in members {
                title: String;
                note: String, clear clear_note;
            }
        }

        impl<'a> Request<'a, Update> {
            /// The body, whole.
            pub fn body(mut self, body: types::UpdateItemRequest) -> Self {
                self.params.body = body;
                self
            }
        }
    "#]]
    .assert_eq(&format!("{handle}\n{setters}"));
}

#[test]
fn an_envelope_extension_that_does_not_fit_is_a_warning_and_the_body_an_argument() {
    let text =
        format!("openapi: 3.1.0\ninfo: {{title: T, version: '1'}}\n{}", ENVELOPE.replace("MEMBERS", "/data/nothing"));
    let generated = generate_text(Path::new("spec.yaml"), text, &settings()).expect("generates");
    let warnings: Vec<String> = generated.warnings.iter().map(ToString::to_string).collect();
    assert!(
        warnings.iter().any(|w| w.contains("x-clientgen-body") && w.contains("no member `nothing`")),
        "{warnings:#?}"
    );
    let items = generated.files.iter().find(|f| f.path == Path::new("src/resources/items.rs")).expect("items.rs");
    assert!(items.contents.contains("body: types::UpdateItemRequest) -> Request<'a, Update>"), "{}", items.contents);
}

#[test]
fn a_declared_member_keeps_its_name_beside_the_map_of_undeclared_ones() {
    check_types(
        r#"
    Plain:
      type: object
      properties: {additionalProperties: {type: boolean}}
    Open:
      type: object
      properties: {additional_properties: {type: string}}
      additionalProperties: {type: integer}
"#,
        expect![[r#"
            use std::collections::BTreeMap;

            crate::runtime::object! {
                #[derive(Debug, Clone, PartialEq, Default)]
                pub struct Plain {
                    pub additional_properties: Option<bool> = "additionalProperties" optional,
                }
                read always, write full_serde
            }

            crate::runtime::object! {
                #[derive(Debug, Clone, PartialEq, Default)]
                pub struct Open {
                    pub additional_properties: Option<String> = "additional_properties" optional,
                }
                extra additional_properties_2: BTreeMap<String, i64>; read always, write full_serde
            }
        "#]],
    );
}
