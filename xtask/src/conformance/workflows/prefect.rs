//! Prefect (`prefect` from PyPI, its server on SQLite): variables, created, read, changed,
//! found and deleted through the client generated from the document the server publishes.

use prefect_live::types::{
    BodyReadVariablesVariablesFilterPost, VariableCreate, VariableCreateValue, VariableFilter, VariableFilterName,
    VariableSort,
};
use prefect_live::{Client, Nullable, RetryPolicy};

use crate::{expect_status, Steps};

pub async fn run(base: &str, steps: &mut Steps) {
    let client = Client::builder().base_url(base).retry_policy(RetryPolicy::never()).build().expect("a client");
    let variables = client.variables();
    let create = |name: &str, value: &str| VariableCreate {
        name: name.into(),
        value: Some(VariableCreateValue::String(value.into())),
        tags: Some(vec!["clientgen".into(), "conformance".into()]),
    };
    let Some(first) = steps.check(
        "create a variable",
        variables.create_variables_post(create("clientgen_first", "one")).await.map_err(|e| e.to_string()),
    ) else {
        return;
    };
    steps.check(
        "create another",
        variables.create_variables_post(create("clientgen_second", "two")).await.map(|_| ()).map_err(|e| e.to_string()),
    );
    steps.check(
        "create one whose name is taken: 409",
        expect_status(variables.create_variables_post(create("clientgen_first", "again")).await, 409),
    );
    steps.check(
        "create one with an invalid name: 422",
        expect_status(variables.create_variables_post(create("not a valid name!", "x")).await, 422),
    );
    steps.check(
        "read it by id",
        variables.read_variables_id_get(first.id.clone()).await.map_err(|e| e.to_string()).and_then(|v| {
            (v.name == "clientgen_first" && v.created.is_some()).then_some(()).ok_or(format!("{v:?}"))
        }),
    );
    steps.check(
        "read it by name",
        variables.read_by_name_variables_name_name_get("clientgen_first").await.map(|_| ()).map_err(|e| e.to_string()),
    );
    // Set the value, empty the tags, leave the name as it is. (`tags: null`, which the document
    // allows, makes this server answer 503: its database column is not nullable.)
    // The body's members are setters on the request.
    let change = variables
        .update_variables_id_patch(first.id.clone())
        .value(VariableCreateValue::String("uno".into()))
        .tags(Vec::new());
    steps.check("update it: a new value, no tags", change.await.map_err(|e| e.to_string()));
    steps.check(
        "read the change back",
        variables.read_variables_id_get(first.id.clone()).await.map_err(|e| e.to_string()).and_then(|v| {
            let cleared = v.tags.as_ref().is_none_or(Vec::is_empty);
            (v.value == Some(VariableCreateValue::String("uno".into())) && cleared && v.name == "clientgen_first")
                .then_some(())
                .ok_or(format!("{v:?}"))
        }),
    );
    // Clear the value: `null` sent, the name and tags left alone.
    let clear = variables.update_variables_id_patch(first.id.clone()).clear_value();
    steps.check("clear its value (null)", clear.await.map_err(|e| e.to_string()));
    steps.check(
        "read the cleared value back",
        variables.read_variables_id_get(first.id.clone()).await.map_err(|e| e.to_string()).and_then(|v| {
            (v.value.is_none() && v.name == "clientgen_first").then_some(()).ok_or(format!("{v:?}"))
        }),
    );
    let page = |offset: i64| BodyReadVariablesVariablesFilterPost {
        variables: Nullable::Value(VariableFilter {
            name: Nullable::Value(VariableFilterName { like: Nullable::Value("clientgen_".into()), ..Default::default() }),
            ..Default::default()
        }),
        sort: Some(VariableSort::NameAsc),
        limit: Some(1),
        offset: Some(offset),
    };
    let mut names = Vec::new();
    for offset in 0..3 {
        if let Some(found) = steps.check(
            "find by name, a page of one",
            variables.read_variables_filter_post().body(page(offset)).await.map_err(|e| e.to_string()),
        ) {
            names.extend(found.into_iter().map(|v| v.name));
        }
    }
    steps.check(
        "the pages hold both, in order, then nothing",
        (names == ["clientgen_first", "clientgen_second"]).then_some(()).ok_or(format!("{names:?}")),
    );
    steps.check(
        "delete it",
        variables.delete_variables_id_delete(first.id.clone()).await.map_err(|e| e.to_string()),
    );
    steps.check("read it after deleting: 404", expect_status(variables.read_variables_id_get(first.id.clone()).await, 404));
    steps.check(
        "delete the other by name",
        variables.delete_by_name_variables_name_name_delete("clientgen_second").await.map_err(|e| e.to_string()),
    );
    steps.check(
        "read a missing one by name: 404",
        expect_status(variables.read_by_name_variables_name_name_get("clientgen_nobody").await, 404),
    );
}
