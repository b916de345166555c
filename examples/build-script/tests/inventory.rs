//! The module generated in build.rs, called against a local server answering as the document
//! says.

use build_script_example::inventory::{types::Item, Client, Error};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// Answers one request with `status` and the JSON `body`; returns the server's base URL and the
/// request it received.
async fn serve_once(status: &str, body: &'static str) -> (String, tokio::task::JoinHandle<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("a local port");
    let base = format!("http://{}", listener.local_addr().expect("an address"));
    let status = status.to_string();
    let received = tokio::spawn(async move {
        let (mut stream, _) = listener.accept().await.expect("a connection");
        let mut request = vec![0u8; 8192];
        let read = stream.read(&mut request).await.expect("the request");
        let answer = format!(
            "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
            body.len()
        );
        stream.write_all(answer.as_bytes()).await.expect("the answer");
        String::from_utf8_lossy(&request[..read]).into_owned()
    });
    (base, received)
}

#[tokio::test]
async fn the_generated_module_reads_an_item_and_its_errors() {
    let (base, received) = serve_once("200 OK", r#"{"id": "apple", "name": "Apple", "count": 3, "note": null}"#).await;
    let client = Client::builder().base_url(base).build().expect("a client");
    let item: Item = client.items().get("apple").await.expect("the item");
    assert_eq!((item.id.as_str(), item.count), ("apple", 3));
    assert!(item.note.is_null(), "the document says `note` may be null, and the server sent null");
    assert!(received.await.expect("the server").starts_with("GET /items/apple HTTP/1.1"));

    let (base, _) = serve_once("404 Not Found", r#"{"message": "no such item"}"#).await;
    let client = Client::builder().base_url(base).build().expect("a client");
    let error = client.items().get("pear").await.expect_err("a 404");
    let Error::Api(api) = error else { panic!("expected the documented error") };
    assert_eq!(api.body.map(|p| p.message).as_deref(), Some("no such item"));
}

#[tokio::test]
async fn setters_fill_the_body() {
    let (base, received) = serve_once("200 OK", r#"{"id": "apple", "name": "Apple", "count": 2}"#).await;
    let client = Client::builder().base_url(base).build().expect("a client");
    client.items().update("apple").count(2).clear_note().await.expect("updated");
    let request = received.await.expect("the server");
    assert!(request.starts_with("PATCH /items/apple HTTP/1.1"), "{request}");
    assert!(request.ends_with(r#"{"count":2,"note":null}"#), "{request}");
}
