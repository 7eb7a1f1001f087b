//! The HTML reader: tokenizer → tree builder → clean-up → model.
//!
//! - [`tokenizer`]: nom-based tokens with byte spans, borrowing the input.
//! - [`tree`]: a browser-like tree builder producing an arena [`Dom`].
//! - [`cleanup`]: drops scripts, forms, tracking pixels and promotion blocks
//!   (rules in `rules.toml`, extendable with a user file).
//! - [`to_model`]: maps the DOM to [`Block`]s.
//!
//! The pipeline calls [`read`]; tests and tools can call [`parse`] to get
//! the tree alone.

pub mod cleanup;
pub mod dom;
pub mod elements;
pub mod entities;
mod entity_table;
pub mod to_model;
pub mod tokenizer;
pub mod tree;

pub use cleanup::Rules;
pub use dom::{Dom, Element, NodeData, NodeId, ROOT};
pub use tree::{parse, MAX_DEPTH};

use crate::diag::Warnings;
use crate::error::Result;
use crate::model::Block;

/// What the HTML reader needs besides the text.
#[derive(Debug, Clone, Copy)]
pub struct HtmlContext<'r> {
    /// Base for relative URLs (the article's source URL), if any.
    pub base_url: Option<&'r str>,
    /// Turn clean-up off: keep scripts' neighbours, promotion blocks,
    /// forms, comments-free text and paragraph indentation.
    pub keep_all: bool,
    /// Clean-up rules ([`Rules::load`]).
    pub rules: &'r Rules,
}

/// Reads an HTML body into blocks. Never fails on any input; problems
/// (such as images without a source) go to `warnings`.
pub fn read(body: &str, ctx: &HtmlContext<'_>, warnings: &mut Warnings) -> Result<Vec<Block>> {
    read_dom(parse(body), ctx, warnings)
}

/// Reads an already parsed fragment (the children of [`ROOT`]) into
/// blocks, as [`read`] does its text: whole-page extraction hands over the
/// article's subtree without writing it out and parsing it again.
pub fn read_dom(
    mut dom: Dom<'_>,
    ctx: &HtmlContext<'_>,
    warnings: &mut Warnings,
) -> Result<Vec<Block>> {
    if !ctx.keep_all {
        cleanup::clean(&mut dom, ctx.rules);
    }
    let base = ctx.base_url.and_then(|u| url::Url::parse(u.trim()).ok());
    let mut mapper = to_model::Mapper::new(&dom, base, ctx.keep_all, warnings);
    Ok(mapper.blocks_of(ROOT))
}
