//! The flow of blocks being built and the open inline wrappers of the
//! paragraph in progress; paragraphs split at `<br><br>`.

use super::text::{normalize, trim_breaks};
use crate::model::{Block, Image, Inline};

#[derive(Debug, Clone)]
pub(super) enum Wrap {
    Root,
    Em,
    Strong,
    Strike,
    Sup,
    Sub,
    Link(String, Option<String>),
}

pub(super) struct Frame {
    wrap: Wrap,
    content: Vec<Inline>,
}

/// Blocks produced so far plus the open inline wrappers of the paragraph
/// being built.
pub(super) struct Flow {
    pub(super) blocks: Vec<Block>,
    frames: Vec<Frame>,
    keep_all: bool,
}

impl Flow {
    pub(super) fn new(keep_all: bool) -> Self {
        Flow {
            blocks: Vec::new(),
            frames: vec![Frame {
                wrap: Wrap::Root,
                content: Vec::new(),
            }],
            keep_all,
        }
    }

    pub(super) fn top(&mut self) -> &mut Vec<Inline> {
        let n = self.frames.len();
        &mut self.frames[n - 1].content
    }

    pub(super) fn push_text(&mut self, s: &str) {
        let top = self.top();
        if let Some(Inline::Text { text }) = top.last_mut() {
            text.push_str(s);
        } else {
            top.push(Inline::text(s));
        }
    }

    pub(super) fn push(&mut self, inline: Inline) {
        self.top().push(inline);
    }

    pub(super) fn open(&mut self, wrap: Wrap) {
        self.frames.push(Frame {
            wrap,
            content: Vec::new(),
        });
    }

    pub(super) fn close(&mut self) {
        if self.frames.len() <= 1 {
            return;
        }
        if let Some(f) = self.frames.pop() {
            if !f.content.is_empty() {
                self.push(wrap(&f.wrap, f.content));
            }
        }
    }

    /// Ends the paragraph being built (keeping the open wrappers open for
    /// what follows) and emits it.
    pub(super) fn flush(&mut self) {
        if self.frames.iter().all(|f| f.content.is_empty()) {
            return;
        }
        for i in (1..self.frames.len()).rev() {
            let content = std::mem::take(&mut self.frames[i].content);
            if !content.is_empty() {
                let w = wrap(&self.frames[i].wrap, content);
                self.frames[i - 1].content.push(w);
            }
        }
        let root = std::mem::take(&mut self.frames[0].content);
        for piece in split_at_double_breaks(root) {
            self.emit(piece);
        }
    }

    pub(super) fn emit(&mut self, mut piece: Vec<Inline>) {
        normalize(&mut piece, self.keep_all);
        trim_breaks(&mut piece);
        if piece.is_empty() {
            return;
        }
        if let Some(images) = only_images(&piece) {
            for image in images {
                self.blocks.push(Block::Figure {
                    image,
                    caption: Vec::new(),
                });
            }
            return;
        }
        self.blocks.push(Block::Paragraph { content: piece });
    }

    /// Inline wrappers open (emphasis, links...).
    pub(super) fn depth(&self) -> usize {
        self.frames.len() - 1
    }

    pub(super) fn block(&mut self, block: Block) {
        self.flush();
        // A rule first, or right after another, separates nothing (scraped
        // pages stack "* * *" dividers around removed widgets).
        if block == Block::Rule && matches!(self.blocks.last(), None | Some(Block::Rule)) {
            return;
        }
        self.blocks.push(block);
    }

    pub(super) fn finish(mut self) -> Vec<Block> {
        while self.frames.len() > 1 {
            self.close();
        }
        self.flush();
        self.blocks
    }
}

pub(super) fn wrap(w: &Wrap, mut content: Vec<Inline>) -> Inline {
    // A wrapper's content is most often one inline, in a vector grown to
    // room for four: 216 wasted bytes per `<b>x</b>`.
    content.shrink_to_fit();
    match w {
        Wrap::Root => Inline::Emphasis { content },
        Wrap::Em => Inline::Emphasis { content },
        Wrap::Strong => Inline::Strong { content },
        Wrap::Strike => Inline::Strikeout { content },
        Wrap::Sup => Inline::Superscript { content },
        Wrap::Sub => Inline::Subscript { content },
        Wrap::Link(url, title) => Inline::Link {
            url: url.clone(),
            title: title.clone(),
            content,
        },
    }
}

/// Splits paragraph content at two or more line breaks in a row.
pub(super) fn split_at_double_breaks(content: Vec<Inline>) -> Vec<Vec<Inline>> {
    // Fewer than two breaks split nothing: no copy of a long paragraph.
    if content
        .iter()
        .filter(|i| matches!(i, Inline::LineBreak))
        .nth(1)
        .is_none()
    {
        return vec![content];
    }
    let mut pieces = Vec::new();
    let mut cur = Vec::new();
    let mut pending = Vec::new();
    let mut breaks = 0;
    for inline in content {
        match &inline {
            Inline::LineBreak => {
                breaks += 1;
                pending.push(inline);
            }
            Inline::Text { text } if breaks > 0 && text.trim().is_empty() => pending.push(inline),
            _ => {
                if breaks >= 2 {
                    pieces.push(std::mem::take(&mut cur));
                    pending.clear();
                } else {
                    cur.append(&mut pending);
                }
                breaks = 0;
                cur.push(inline);
            }
        }
    }
    cur.append(&mut pending);
    pieces.push(cur);
    pieces
}

/// When the paragraph is only images (possibly linked), those images
/// (the Markdown reader's rule too).
pub(crate) fn only_images(content: &[Inline]) -> Option<Vec<Image>> {
    let mut images = Vec::new();
    pub(super) fn collect(content: &[Inline], images: &mut Vec<Image>) -> bool {
        content.iter().all(|i| match i {
            Inline::Image { image } => {
                images.push(image.clone());
                true
            }
            Inline::LineBreak => true,
            Inline::Link { content, .. } => collect(content, images),
            _ => false,
        })
    }
    (collect(content, &mut images) && !images.is_empty()).then_some(images)
}
