//! The flow of blocks being built and the open inline wrappers of the
//! paragraph in progress; paragraphs split at `<br><br>` and at a `<br>`
//! ending a Chinese or Japanese sentence.

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
            for piece in split_at_cjk_sentence_breaks(piece) {
                self.emit(piece);
            }
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

/// Chinese and Japanese web editors (WeChat, segmentfault, 3DM) make a
/// new paragraph with a single `<br>`: a break right after 。！？ (and any
/// closing quotes) followed by a full sentence or more starts a new
/// paragraph, so it gets the document's indent instead of reading as a
/// ragged line inside one. Short lines after the break (verse, addresses,
/// lists of names) keep their line breaks.
pub(super) fn split_at_cjk_sentence_breaks(content: Vec<Inline>) -> Vec<Vec<Inline>> {
    // Each line between top-level breaks is read once: no quadratic walk
    // over a paragraph of thousands of breaks.
    let breaks: Vec<usize> = (0..content.len())
        .filter(|&i| matches!(content[i], Inline::LineBreak))
        .collect();
    let mut cuts = Vec::new();
    for (n, &i) in breaks.iter().enumerate() {
        let start = if n == 0 { 0 } else { breaks[n - 1] + 1 };
        let end = breaks.get(n + 1).copied().unwrap_or(content.len());
        if ends_cjk_sentence(&content[start..i]) && line_length(&content[i + 1..end]) >= PROSE_LINE
        {
            cuts.push(i);
        }
    }
    if cuts.is_empty() {
        return vec![content];
    }
    let mut pieces = Vec::with_capacity(cuts.len() + 1);
    let mut rest = content.into_iter();
    let mut at = 0;
    for cut in cuts {
        pieces.push(rest.by_ref().take(cut - at).collect());
        rest.next(); // the break itself
        at = cut + 1;
    }
    pieces.push(rest.collect());
    pieces
}

/// Characters after a break that make it prose rather than a short line: a
/// line of a classical poem is 5 to 16 (a couplet of seven-character verse).
const PROSE_LINE: usize = 18;

fn ends_cjk_sentence(before: &[Inline]) -> bool {
    let text = crate::model::inline_text(before);
    let last_line = text.rsplit('\n').next().unwrap_or("");
    let mut tail = last_line.trim_end().chars().rev();
    let mut c = tail.next();
    while matches!(c, Some('”' | '’' | '」' | '』' | '）' | '》')) {
        c = tail.next();
    }
    matches!(c, Some('。' | '！' | '？'))
}

/// Visible characters from the start of `after` to the next line break.
fn line_length(after: &[Inline]) -> usize {
    let text = crate::model::inline_text(after);
    let line = text.split('\n').next().unwrap_or("");
    line.chars().filter(|c| !c.is_whitespace()).count()
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

#[cfg(test)]
mod tests {
    use super::*;

    fn split(content: Vec<Inline>) -> Vec<String> {
        split_at_cjk_sentence_breaks(content)
            .iter()
            .map(|p| crate::model::inline_text(p))
            .collect()
    }

    #[test]
    fn a_break_after_a_chinese_sentence_before_prose_starts_a_paragraph() {
        let got = split(vec![
            Inline::text("执行工程自身 preinstall。"),
            Inline::LineBreak,
            Inline::text("当前 npm 工程如果定义了 preinstall 钩子此时会被执行。"),
        ]);
        assert_eq!(
            got,
            ["执行工程自身 preinstall。", "当前 npm 工程如果定义了 preinstall 钩子此时会被执行。"]
        );
    }

    #[test]
    fn closing_quotes_after_the_full_stop_still_end_the_sentence() {
        let got = split(vec![
            Inline::Strong {
                content: vec![Inline::text("他说：“到此为止。”")],
            },
            Inline::LineBreak,
            Inline::text("第二天一早，所有人都在车站等候，谁也没有想到火车会晚点三个小时。"),
        ]);
        assert_eq!(got.len(), 2);
    }

    #[test]
    fn verse_lines_keep_their_breaks() {
        let lines = ["床前明月光，", "疑是地上霜。", "举头望明月，", "低头思故乡。"];
        let mut content = Vec::new();
        for (n, l) in lines.iter().enumerate() {
            if n > 0 {
                content.push(Inline::LineBreak);
            }
            content.push(Inline::text(*l));
        }
        assert_eq!(split(content).len(), 1);
    }

    #[test]
    fn a_break_mid_sentence_or_after_latin_text_stays_a_line_break() {
        let prose = "该文件将包含 webhook 将提供的一系列钩子，以及如何使用它们的说明。";
        for before in ["新建一个 hook.json 文件", "This is the end.", "结束了……"] {
            let got = split(vec![Inline::text(before), Inline::LineBreak, Inline::text(prose)]);
            assert_eq!(got.len(), 1, "{before}");
        }
    }
}
