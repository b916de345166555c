//! Hand-written code for this crate: what no API description can say (helpers that chain
//! several calls, conveniences, workarounds).
//!
//! clientgen created this file and will never change or delete it, nor anything else in
//! `src/custom/`; the generated `lib.rs` declares `pub mod custom;`. Add modules here with `mod`
//! and re-export what users need. Generated code is reachable as `crate::resources`,
//! `crate::types` and `crate::Client`.
