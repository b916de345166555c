//! Chroma (`chromadb` from PyPI): a vector database's everyday workflow through the client
//! generated from the document the running server publishes.

use chroma_live::types::{
    AddCollectionRecordsPayload, CreateCollectionPayload, GetRequestPayload, HashMapValue,
    UpdateCollectionRecordsPayload,
};
use chroma_live::{Client, RetryPolicy};

use crate::{expect_status, Steps};

const TENANT: &str = "default_tenant";
const DATABASE: &str = "default_database";

pub async fn run(base: &str, steps: &mut Steps) {
    let client = Client::builder().base_url(base).retry_policy(RetryPolicy::never()).build().expect("a client");
    let collections = client.collection();
    let records = client.record();

    steps.check("heartbeat", client.system().heartbeat().await.map(|_| ()).map_err(|e| e.to_string()));
    let metadata = |stage: &str| {
        [("owner".to_string(), HashMapValue::String("clientgen".into())), ("stage".into(), HashMapValue::String(stage.into()))]
            .into_iter()
            .collect()
    };
    // The required members in the constructor, the optional ones as setters on the request.
    let create = || {
        collections.create(TENANT, DATABASE, CreateCollectionPayload::new("clientgen-conformance")).metadata(metadata("draft"))
    };
    let created = create().await;
    let Some(collection) = steps.check("create a collection", created.map_err(|e| e.to_string())) else { return };
    let id = collection.id.clone();
    steps.check("create the same collection again: 409", expect_status(create().await, 409));
    steps.check(
        "create a collection with an invalid name: 4xx",
        expect_status(collections.create(TENANT, DATABASE, CreateCollectionPayload::new("!")).await, 400),
    );
    steps.check(
        "read it by name",
        collections.get(TENANT, DATABASE, "clientgen-conformance").await.map_err(|e| e.to_string()).and_then(|c| {
            (c.id == id && c.metadata.value() == Some(&metadata("draft"))).then_some(()).ok_or(format!("read {c:?}"))
        }),
    );
    steps.check(
        "read it by id",
        collections.get_by_id(TENANT, DATABASE, id.clone()).await.map_err(|e| e.to_string()).map(|_| ()),
    );
    // A body whose members are all optional is filled on the request, member by member.
    let update = collections.update(TENANT, DATABASE, id.clone()).new_metadata(metadata("live"));
    steps.check("update its metadata", update.await.map(|_| ()).map_err(|e| e.to_string()));
    steps.check(
        "list collections, a page of one",
        collections.list_collections(TENANT, DATABASE).limit(1).offset(0).await.map_err(|e| e.to_string()).and_then(|page| {
            (page.len() == 1).then_some(()).ok_or(format!("{} collections in a page of 1", page.len()))
        }),
    );

    let kind = |k: &str, n: i64| {
        Some([("kind".to_string(), HashMapValue::String(k.into())), ("n".into(), HashMapValue::Integer(n))].into_iter().collect())
    };
    // A union is `From` each alternative: the embeddings go as the list of lists they are.
    let embeddings = vec![vec![0.1, 0.2, 0.3], vec![0.2, 0.1, 0.3], vec![0.9, 0.8, 0.7]];
    let ids = vec!["apple".into(), "pear".into(), "kale".into()];
    let add = records
        .collection_add(TENANT, DATABASE, id.clone(), AddCollectionRecordsPayload::new(embeddings.into(), ids))
        .documents(vec![Some("an apple".into()), Some("a pear".into()), Some("some kale".into())])
        .metadatas(vec![kind("fruit", 1), kind("fruit", 2), kind("leaf", 3)]);
    steps.check("add three records", add.await.map(|_| ()).map_err(|e| e.to_string()));
    steps.check(
        "count them",
        records.collection_count(TENANT, DATABASE, id.clone()).await.map_err(|e| e.to_string()).and_then(|n| {
            (n == 3).then_some(()).ok_or(format!("{n} records"))
        }),
    );
    let filter = GetRequestPayload { where_: Some(serde_json::json!({"kind": "fruit"})), ..Default::default() };
    steps.check(
        "get the fruit (a where filter)",
        records.collection_get(TENANT, DATABASE, id.clone()).body(filter).await.map_err(|e| e.to_string()).and_then(|got| {
            let mut ids = got.ids.clone();
            ids.sort();
            (ids == ["apple", "pear"]).then_some(()).ok_or(format!("got {ids:?}"))
        }),
    );
    let mut seen = Vec::new();
    for offset in 0..2 {
        let page = records.collection_get(TENANT, DATABASE, id.clone()).limit(2).offset(offset * 2);
        if let Some(got) = steps.check(
            "get a page of two",
            page.await.map_err(|e| e.to_string()),
        ) {
            seen.extend(got.ids);
        }
    }
    seen.sort();
    steps.check("the pages hold every record once", (seen == ["apple", "kale", "pear"]).then_some(()).ok_or(format!("{seen:?}")));
    let change = records
        .collection_update(TENANT, DATABASE, id.clone(), UpdateCollectionRecordsPayload::new(vec!["pear".into()]))
        .documents(vec![Some("a ripe pear".into())]);
    steps.check("update a record's document", change.await.map(|_| ()).map_err(|e| e.to_string()));
    let delete = records.collection_delete(TENANT, DATABASE, id.clone()).ids(vec!["kale".to_string()]);
    steps.check("delete a record", delete.await.map(|_| ()).map_err(|e| e.to_string()));
    let pear = records.collection_get(TENANT, DATABASE, id.clone()).ids(vec!["pear".to_string(), "kale".to_string()]);
    steps.check(
        "read back what is left",
        pear.await.map_err(|e| e.to_string()).and_then(|got| {
            let document = got.documents.value().and_then(|d| d.first().cloned().flatten());
            (got.ids == ["pear"] && document.as_deref() == Some("a ripe pear")).then_some(()).ok_or(format!("{got:?}"))
        }),
    );
    steps.check("read a missing collection: 404", expect_status(collections.get(TENANT, DATABASE, "no-such-collection").await, 404));
    steps.check("delete the collection", collections.delete(TENANT, DATABASE, "clientgen-conformance").await.map(|_| ()).map_err(|e| e.to_string()));
    steps.check("read it after deleting: 404", expect_status(collections.get(TENANT, DATABASE, "clientgen-conformance").await, 404));
}
