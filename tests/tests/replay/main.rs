//! The generated clients against recorded exchanges: one binary, a module per API.

mod cognite;
mod conformance;
mod credentials;
mod datocms;
mod faults;
mod github;
mod hooks;
mod openai;
mod runtime;
mod streams;
mod webflow;
#[rustfmt::skip] // Written by `cargo xtask codegen`.
mod webflow_operations;
