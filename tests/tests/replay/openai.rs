//! OpenAI's two streaming operations (`specs/openai`) against the streams their document's
//! examples show: chat completion chunks ending with `[DONE]`, typed Responses events, and the
//! ways a stream goes wrong (cut mid-event, an error event, a 429 before it starts).

use fixture_tests::{assert_round_trip, Replay};
use futures_util::{StreamExt, TryStreamExt};
use openai_client::types::{
    ChatCompletionRequestDeveloperMessage, ChatCompletionRequestUserMessage, CreateChatCompletionRequest,
    CreateChatCompletionStreamResponse, ModelIdsShared, ResponseStreamEvent,
};
use openai_client::{Client, Error, Event, RetryPolicy, StreamErrorKind, DEFAULT_BASE_URL};
use serde_json::Value;

async fn replay(name: &str, policy: RetryPolicy) -> (Replay, Client) {
    let replay = Replay::start(&format!("openai/{name}"), DEFAULT_BASE_URL).await;
    let client = Client::builder()
        .base_url(replay.base_url())
        .bearer_token("test-token")
        .retry_policy(policy)
        .build()
        .expect("a client");
    (replay, client)
}

/// The request of the document's streaming example; `stream()` adds `"stream": true`.
fn hello() -> CreateChatCompletionRequest {
    let developer = ChatCompletionRequestDeveloperMessage::new(String::from("You are a helpful assistant.").into());
    let user = ChatCompletionRequestUserMessage::new(String::from("Hello!").into());
    CreateChatCompletionRequest::new(
        vec![developer.into(), user.into()],
        ModelIdsShared::from(String::from("gpt-4o-mini")),
    )
}

/// Each `data:` of a recorded stream, as JSON (the end marker left out).
fn recorded_data(text: &str) -> Vec<Value> {
    text.lines()
        .filter_map(|line| line.strip_prefix("data: "))
        .filter(|data| *data != "[DONE]")
        .map(|data| serde_json::from_str(data).expect("recorded data is JSON"))
        .collect()
}

#[tokio::test]
async fn chat_completion_chunks_arrive_as_typed_events_until_done() {
    let (replay, client) = replay("chat-stream", RetryPolicy::never()).await;
    let events: Vec<Event<CreateChatCompletionStreamResponse>> =
        client.chat().create_completion(hello()).stream().try_collect().await.expect("the whole stream");
    let recorded = recorded_data(replay.response_text(0));
    assert_eq!(events.len(), 3, "three chunks, and [DONE] is no event");
    for (event, data) in events.iter().zip(&recorded) {
        assert_eq!(event.event, None);
        assert_round_trip(&event.data, data, "a chunk");
    }
    let text: String = events.iter().filter_map(|e| e.data.choices[0].delta.content.clone().into_option()).collect();
    assert_eq!(text, "Hello");
    // The body asked for a stream, and the request accepted one.
    replay.verify().await;
}

#[tokio::test]
async fn responses_events_carry_their_type_and_typed_data() {
    let (replay, client) = replay("responses-stream", RetryPolicy::never()).await;
    let events: Vec<Event<ResponseStreamEvent>> = client
        .responses()
        .create()
        .model(ModelIdsShared::from(String::from("gpt-5.4")))
        .instructions("You are a helpful assistant.")
        .input(String::from("Hello!"))
        .stream()
        .try_collect()
        .await
        .expect("the whole stream");
    let names: Vec<&str> = events.iter().filter_map(|e| e.event.as_deref()).collect();
    assert_eq!(names.len(), 9);
    assert_eq!((names[0], names[8]), ("response.created", "response.completed"));
    assert!(matches!(events[0].data, ResponseStreamEvent::CreatedEvent(_)), "{:?}", events[0].data);
    match &events[4].data {
        ResponseStreamEvent::TextDeltaEvent(delta) => assert_eq!(delta.delta, "Hi"),
        other => panic!("the fifth event is a text delta, not {other:?}"),
    }
    match &events[8].data {
        ResponseStreamEvent::CompletedEvent(done) => {
            assert_eq!(done.response.id, "resp_67c9fdcecf488190bdd9a0409de3a1ec07b8b0ad4e5eb654");
            assert_eq!(done.sequence_number, 8);
        }
        other => panic!("the last event is the completed response, not {other:?}"),
    }
    // Every event between reads whole; the three holding the whole response carry members
    // (`store`, `user`) its schema does not declare.
    for (event, data) in events.iter().zip(recorded_data(replay.response_text(0))).skip(2).take(6) {
        assert_round_trip(&event.data, &data, event.event.as_deref().unwrap_or("an event"));
    }
    replay.verify().await;
}

#[tokio::test]
async fn a_stream_cut_mid_event_ends_with_the_part_that_came() {
    let (replay, client) = replay("chat-stream-cut", RetryPolicy::never()).await;
    let mut stream = client.chat().create_completion(hello()).stream();
    let first = stream.next().await.expect("an item").expect("the first chunk is whole");
    assert_eq!(first.data.id, "chatcmpl-123");
    match stream.next().await {
        Some(Err(Error::Stream(e))) => {
            assert_eq!(e.kind(), StreamErrorKind::Cut);
            assert!(e.data().starts_with(r#"{"id":"chatcmpl-123""#), "{}", e.data());
        }
        other => panic!("expected the cut to be reported, got {other:?}"),
    }
    assert!(stream.next().await.is_none(), "nothing after a cut");
    replay.verify().await;
}

#[tokio::test]
async fn an_error_sent_mid_stream_ends_it_with_its_data() {
    let (replay, client) = replay("chat-stream-error", RetryPolicy::never()).await;
    let mut stream = client.chat().create_completion(hello()).stream();
    assert!(stream.next().await.expect("an item").is_ok());
    match stream.next().await {
        Some(Err(Error::Stream(e))) => {
            assert_eq!(e.kind(), StreamErrorKind::ErrorEvent);
            let error: Value = serde_json::from_str(e.data()).expect("the error's data is JSON");
            assert_eq!(error["error"]["type"], "server_error");
        }
        other => panic!("expected the error event, got {other:?}"),
    }
    assert!(stream.next().await.is_none(), "an error ends the stream");
    replay.verify().await;
}

#[tokio::test]
async fn a_429_before_the_stream_is_retried_as_retry_after_says() {
    let (replay, client) = replay("chat-stream-429", RetryPolicy::default()).await;
    let events: Vec<_> =
        client.chat().create_completion(hello()).stream().try_collect().await.expect("the retry streams");
    assert_eq!(events.len(), 3);
    replay.verify().await;
}

#[tokio::test]
async fn a_429_left_unretried_is_the_streams_only_item_with_the_documented_body() {
    let (_replay, client) = replay("chat-stream-429", RetryPolicy::never()).await;
    let items: Vec<_> = client.chat().create_completion(hello()).stream().collect().await;
    assert_eq!(items.len(), 1);
    match &items[0] {
        Err(Error::Api(e)) => {
            assert_eq!(e.status.as_u16(), 429);
            let body = e.body.as_ref().expect("an ErrorResponse");
            assert_eq!(body.error.code.as_deref(), Some("rate_limit_exceeded"));
        }
        other => panic!("expected the 429, got {other:?}"),
    }
}
