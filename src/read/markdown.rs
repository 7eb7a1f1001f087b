//! Markdown → blocks. pulldown-cmark (CommonMark with tables,
//! strikethrough, task lists and footnotes) renders the text to HTML, which
//! then goes through the same HTML reader as HTML bodies: raw HTML inside
//! Markdown is read by the HTML reader, and there is one mapping to the
//! model to maintain instead of two. Code blocks keep their language as
//! `<code class="language-x">`. Task-list boxes become the characters ☐ and
//! ☑ (the HTML reader drops form controls such as `<input>`).

use pulldown_cmark::{html, CowStr, Event, Options as CmarkOptions, Parser};

use crate::diag::Warnings;
use crate::error::Result;
use crate::model::Block;
use crate::session::Session;

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
    let events = Parser::new_ext(text, extensions()).map(|event| match event {
        Event::TaskListMarker(done) => {
            Event::Text(CowStr::Borrowed(if done { "☑ " } else { "☐ " }))
        }
        other => other,
    });
    html::push_html(&mut out, events);
    out
}

/// Reads a Markdown body into blocks (relative URLs resolve against
/// `base_url` in the HTML reader).
pub fn read(
    text: &str,
    base_url: Option<&str>,
    session: &Session,
    warnings: &mut Warnings,
) -> Result<Vec<Block>> {
    super::read_html_body(&to_html(text), base_url, session, warnings)
}
