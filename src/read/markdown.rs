//! Markdown → blocks. pulldown-cmark (CommonMark with tables,
//! strikethrough, task lists and footnotes) renders the text to HTML, which
//! then goes through the same HTML reader as HTML bodies: raw HTML inside
//! Markdown is read by the HTML reader, and there is one mapping to the
//! model to maintain instead of two. Code blocks keep their language as
//! `<code class="language-x">`.

use pulldown_cmark::{html, Options as CmarkOptions, Parser};

use crate::diag::Warnings;
use crate::error::Result;
use crate::model::Block;
use crate::options::Options;

/// The Markdown extensions conv enables.
fn extensions() -> CmarkOptions {
    CmarkOptions::ENABLE_TABLES
        | CmarkOptions::ENABLE_STRIKETHROUGH
        | CmarkOptions::ENABLE_TASKLISTS
        | CmarkOptions::ENABLE_FOOTNOTES
}

/// Renders Markdown to HTML.
pub fn to_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 2);
    html::push_html(&mut out, Parser::new_ext(text, extensions()));
    out
}

/// Reads a Markdown body into blocks (relative URLs resolve against
/// `base_url` in the HTML reader).
pub fn read(
    text: &str,
    base_url: Option<&str>,
    opts: &Options,
    warnings: &mut Warnings,
) -> Result<Vec<Block>> {
    super::read_html_body(&to_html(text), base_url, opts, warnings)
}
