//! The request every operation shares: [`Request`] carries one operation's parameters and the
//! call's settings, and sends on `.await`. What differs per operation (its path, parameters,
//! body and what its answers mean) is the operation's [`Operation`] impl, written by clientgen.

use super::{CallOptions, Client, Error, Outgoing, Response, RetryPolicy};

/// What one operation is: how its parameters make a request, and what its answers mean.
///
/// Written by clientgen for each operation's parameter type; nothing to implement by hand.
pub trait Operation: Send + Sized {
    /// What a successful call returns.
    type Output: Send;
    /// The body of a documented error answer.
    type Error: Send;
    /// The operation's method, path template, and how it is sent.
    const CALL: super::Call;

    /// Puts the parameters into the request: path, query, headers and body. An operation with
    /// nothing to put there (no parameter, no body, no answer to ask for) keeps this one.
    fn write(&self, _request: &mut Outgoing<'_>) {}

    /// Reads an answer as the operation documents it.
    fn read(response: Response) -> Result<Self::Output, Error<Self::Error>>;
}

/// One call of an operation, waiting to be sent: `.await` it, or call [`send`](Request::send).
///
/// The operation's own setters (its optional parameters) are on `Request<'_, ItsParameters>`;
/// the settings below apply to every call.
#[must_use = "a request does nothing until it is awaited or sent"]
pub struct Request<'a, O> {
    pub(crate) client: &'a Client,
    pub(crate) params: O,
    pub(crate) options: CallOptions,
}

impl<'a, O> Request<'a, O> {
    pub(crate) fn new(client: &'a Client, params: O) -> Self {
        Request { client, params, options: CallOptions::default() }
    }

    /// Retries this call as `policy` says, instead of as the client does.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.options.set_retry(policy);
        self
    }

    /// Limits how long this call may take, each attempt on its own.
    pub fn request_timeout(mut self, timeout: std::time::Duration) -> Self {
        self.options.set_timeout(timeout);
        self
    }

    /// The largest answer body this call reads, instead of the client's limit.
    pub fn max_body_bytes(mut self, limit: u64) -> Self {
        self.options.set_max_body_bytes(limit);
        self
    }
}

impl<O: Operation> Request<'_, O> {
    /// Sends the request (again while the retry policy allows) and reads the answer.
    pub async fn send(self) -> Result<O::Output, Error<O::Error>> {
        let response = self.exchange().await?;
        O::read(response)
    }

    /// Sends the request and returns the answer unread, for what reads more than its body.
    #[allow(dead_code)] // Not every API has such operations.
    pub(crate) async fn exchange(self) -> Result<Response, Error<O::Error>> {
        let mut request = self.client.outgoing(O::CALL, self.options);
        self.params.write(&mut request);
        request.send().await
    }
}

/// An operation's setters for its optional parameters, one per line in the generated code:
///
/// ```text
/// setters! {
///     ListIssues {
///         /// Only issues in this state.
///         state: types::IssueState,
///     }
/// }
/// ```
///
/// gives `Request<'_, ListIssues>` a method `state(value: impl Into<types::IssueState>)` that
/// sets the parameter (`Some(value.into())`), with the documentation given.
#[allow(unused_macros)] // Not every API has optional parameters.
macro_rules! setters {
    ($params:ident { $($(#[$attr:meta])* $name:ident: $ty:ty),* $(,)? }) => {
        impl<'a> crate::Request<'a, $params> {
            $(
                $(#[$attr])*
                pub fn $name(mut self, value: impl ::std::convert::Into<$ty>) -> Self {
                    self.params.$name = ::std::option::Option::Some(value.into());
                    self
                }
            )*
        }
    };
}
#[allow(unused_imports)] // Not every API has optional parameters.
pub(crate) use setters;

/// An operation's setters for the optional members of its object body, one per line in the
/// generated code; a nullable member also gets a setter that sends `null`:
///
/// ```text
/// body_setters! {
///     UpdateAsset {
///         /// The asset's name.
///         display_name: String;
///         /// Who made it.
///         author: String, clear clear_author;
///     }
/// }
/// ```
///
/// gives `Request<'_, UpdateAsset>` `display_name(value: impl Into<String>)`,
/// `author(value: impl Into<String>)` and `clear_author()`. `optional UpdateAsset { … }` is for
/// an optional body, which the first member set brings into being; `UpdateAsset in members { … }`
/// writes where the parameter type's `members()` points, an object inside an envelope body.
#[allow(unused_macros)] // Not every API has object bodies.
macro_rules! body_setters {
    ($params:ident { $($(#[$attr:meta])* $name:ident: $ty:ty $(, clear $clear:ident)?;)* }) => {
        impl<'a> crate::Request<'a, $params> {
            $(
                $(#[$attr])*
                #[allow(deprecated)] // A deprecated member's setter is marked so itself.
                pub fn $name(mut self, value: impl ::std::convert::Into<$ty>) -> Self {
                    let value: $ty = value.into();
                    self.params.body.$name = crate::runtime::MemberValue::member(value);
                    self
                }
                $(
                    #[doc = ::std::concat!("Sends `", ::std::stringify!($name), "` as `null`.")]
                    #[allow(deprecated)]
                    pub fn $clear(mut self) -> Self {
                        self.params.body.$name = crate::runtime::Nullable::Null;
                        self
                    }
                )?
            )*
        }
    };
    ($params:ident in $place:ident { $($(#[$attr:meta])* $name:ident: $ty:ty $(, clear $clear:ident)?;)* }) => {
        impl<'a> crate::Request<'a, $params> {
            $(
                $(#[$attr])*
                #[allow(deprecated)] // A deprecated member's setter is marked so itself.
                pub fn $name(mut self, value: impl ::std::convert::Into<$ty>) -> Self {
                    let value: $ty = value.into();
                    self.params.$place().$name = crate::runtime::MemberValue::member(value);
                    self
                }
                $(
                    #[doc = ::std::concat!("Sends `", ::std::stringify!($name), "` as `null`.")]
                    #[allow(deprecated)]
                    pub fn $clear(mut self) -> Self {
                        self.params.$place().$name = crate::runtime::Nullable::Null;
                        self
                    }
                )?
            )*
        }
    };
    (optional $params:ident { $($(#[$attr:meta])* $name:ident: $ty:ty $(, clear $clear:ident)?;)* }) => {
        impl<'a> crate::Request<'a, $params> {
            $(
                $(#[$attr])*
                #[allow(deprecated)] // A deprecated member's setter is marked so itself.
                pub fn $name(mut self, value: impl ::std::convert::Into<$ty>) -> Self {
                    let value: $ty = value.into();
                    let body = self.params.body.get_or_insert_with(::std::default::Default::default);
                    body.$name = crate::runtime::MemberValue::member(value);
                    self
                }
                $(
                    #[doc = ::std::concat!("Sends `", ::std::stringify!($name), "` as `null`.")]
                    #[allow(deprecated)]
                    pub fn $clear(mut self) -> Self {
                        let body = self.params.body.get_or_insert_with(::std::default::Default::default);
                        body.$name = crate::runtime::Nullable::Null;
                        self
                    }
                )?
            )*
        }
    };
}
#[allow(unused_imports)] // Not every API has object bodies.
pub(crate) use body_setters;

/// How a body member's setter stores its value: the field is an `Option` or a [`Nullable`],
/// with the value boxed where the type holds itself.
///
/// [`Nullable`]: super::Nullable
#[allow(dead_code)] // Not every API has object bodies.
pub trait MemberValue<T> {
    fn member(value: T) -> Self;
}

impl<T> MemberValue<T> for Option<T> {
    fn member(value: T) -> Self {
        Some(value)
    }
}

impl<T> MemberValue<T> for Option<Box<T>> {
    fn member(value: T) -> Self {
        Some(Box::new(value))
    }
}

impl<T> MemberValue<T> for super::Nullable<T> {
    fn member(value: T) -> Self {
        super::Nullable::Value(value)
    }
}

impl<T> MemberValue<T> for super::Nullable<Box<T>> {
    fn member(value: T) -> Self {
        super::Nullable::Value(Box::new(value))
    }
}

/// The headers an operation's answers document, read from an answer.
pub trait AnswerHeaders: Send + Sized {
    fn read(headers: &reqwest::header::HeaderMap) -> Self;
}

/// A call whose answer is read with the headers it documents (`H`): `.await` it. What each
/// operation's `send_with_headers` returns.
#[must_use = "a request does nothing until it is awaited"]
pub struct WithHeaders<'a, O, H> {
    request: Request<'a, O>,
    headers: std::marker::PhantomData<fn() -> H>,
}

impl<'a, O> Request<'a, O> {
    #[allow(dead_code)] // Not every API documents answer headers.
    pub(crate) fn with_headers<H>(self) -> WithHeaders<'a, O, H> {
        WithHeaders { request: self, headers: std::marker::PhantomData }
    }
}

impl<'a, O, H> std::future::IntoFuture for WithHeaders<'a, O, H>
where
    O: Operation + 'a,
    H: AnswerHeaders + 'a,
{
    type Output = Result<(O::Output, H), Error<O::Error>>;
    type IntoFuture = super::BoxFuture<'a, Self::Output>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(async move {
            let response = self.request.exchange().await?;
            let headers = H::read(response.headers());
            Ok((O::read(response)?, headers))
        })
    }
}

impl<O: std::fmt::Debug, H> std::fmt::Debug for WithHeaders<'_, O, H> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("WithHeaders").field(&self.request).finish()
    }
}

impl<'a, O> std::future::IntoFuture for Request<'a, O>
where
    O: Operation + 'a,
{
    type Output = Result<O::Output, Error<O::Error>>;
    type IntoFuture = super::BoxFuture<'a, Self::Output>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

impl<O: Clone> Clone for Request<'_, O> {
    fn clone(&self) -> Self {
        Request { client: self.client, params: self.params.clone(), options: self.options.clone() }
    }
}

impl<O: std::fmt::Debug> std::fmt::Debug for Request<'_, O> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Request").field("params", &self.params).field("options", &self.options).finish()
    }
}
