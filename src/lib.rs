//! conv: turns articles (front matter + HTML or Markdown) into EPUB, PDF,
//! plain text and JSON.
//!
//! Every reader produces a [`model::Document`]; every writer consumes one.
//! The binary (`src/main.rs`) is a thin layer over this library.

pub mod assets;
pub mod bulk;
pub mod convert;
pub mod device;
pub mod diag;
pub mod error;
pub mod fonts;
pub mod layout;
pub mod linebreak;
pub mod links;
pub mod model;
pub mod opds; // static OPDS catalog (--opds)
pub mod options;
pub mod read;
pub mod session;
pub mod text;
pub mod words; // the words conv writes itself, in the book's language
pub mod write;

pub use diag::{Warning, Warnings};
pub use error::{Error, Result};
pub use model::Document;
pub use options::Options;
pub use session::Session;

// The fuzz targets' bodies (fuzz/src/lib.rs) name the crate `conv`; built
// into the unit tests they are CI's bounded fuzz smoke run (src/fuzz_smoke.rs).
#[cfg(test)]
extern crate self as conv;
#[cfg(test)]
#[path = "../fuzz/src/lib.rs"]
mod fuzz_bodies;
#[cfg(test)]
mod fuzz_smoke;
