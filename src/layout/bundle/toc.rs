//! The printed table of contents of a PDF bundle: its sections and
//! articles with their page numbers, right-aligned after dot leaders.
//!
//! The numbers are known only once every article is laid out, but the
//! table comes before them. Its line breaks never depend on the numbers
//! (their column is kept as wide as [`NUMBER_ROOM`] whatever they are),
//! so the table takes the same pages numbered or not: it is laid out
//! first without numbers to know how many pages it takes, then again
//! with them into the same room (see [`crate::layout::Placement`]).

use super::super::text::{set_lines, InlineStyle, ParaStyle, Styled};
use super::super::{blocks::Flow, starting_page, Column, Item, TextRun, VLine};
use super::pages::one_line;
use crate::fonts::{FontSet, MissingGlyphs, Role, Want};
use crate::model::Inline;

/// The widest page number the number column is kept for.
const NUMBER_ROOM: &str = "00000";
/// Distance between the dots of a leader, in ems.
const LEADER_PITCH: f32 = 0.5;
/// Room between a title and its leader, and a leader and its number, in ems.
const LEADER_GAP: f32 = 0.25;

/// One line of the table: a section or an article.
#[derive(Debug, Clone)]
pub(super) struct Entry {
    /// A section (set bold, not indented) rather than an article.
    pub section: bool,
    pub title: String,
}

/// The table of contents of one book.
pub(super) struct Toc<'f> {
    /// Its heading ("目录", "Contents"), also its outline entry.
    pub heading: &'static str,
    pub entries: Vec<Entry>,
    pub fonts: &'f FontSet,
    pub col: Column,
}

impl Toc<'_> {
    /// The table's lines: its heading, then each entry, with
    /// `numbers[i]` (a printed page number) at the right of entry `i`
    /// when numbers are given, the entry a link to that page.
    pub fn lines(&self, flow: &mut Flow<'_>, numbers: Option<&[usize]>) -> Vec<VLine> {
        let (x, width) = (self.col.x, self.col.width);
        let heading = [Inline::text(self.heading)];
        let mut out = starting_page(flow.heading(1, &heading, x, width));
        let grouped = self.entries.iter().any(|e| e.section);
        for (i, entry) in self.entries.iter().enumerate() {
            let mut lines = self.entry_lines(entry, grouped, &mut flow.missing);
            if let (Some(last), Some(&n)) = (lines.last_mut(), numbers.and_then(|n| n.get(i))) {
                self.add_number(last, n, &mut flow.missing);
                // The whole entry, every line across the column, leads there.
                for line in &mut lines {
                    line.items.push(Item::GoTo {
                        x,
                        y: 0.0,
                        w: width,
                        h: line.height,
                        page: n.saturating_sub(1),
                    });
                }
            }
            out.extend(lines);
        }
        out
    }

    /// An entry's title, set in the column less the number's room (wrapped
    /// lines hang an em further in); articles of sections are indented.
    fn entry_lines(&self, entry: &Entry, grouped: bool, missing: &mut MissingGlyphs) -> Vec<VLine> {
        let size = self.col.font_size;
        let indent = if grouped && !entry.section {
            size * 2.0
        } else {
            0.0
        };
        let room = self.advance(NUMBER_ROOM, size) + size * (2.0 * LEADER_GAP + LEADER_PITCH);
        let para = ParaStyle {
            size,
            leading: size * 1.45,
            indent: 0.0,
            justify: false,
            gray: 0.0,
            center: false,
            autospace: true,
            hang: size,
            hyphenate: None,
            // A wrapped title in even lines, not a full line and a stub.
            balance: true,
            fit_ragged: false,
        };
        let style = InlineStyle {
            bold: entry.section,
            ..InlineStyle::default()
        };
        let styled = Styled::from_inlines(&[Inline::text(one_line(&entry.title))], &style);
        let (x, width) = (self.col.x + indent, self.col.width - indent - room);
        let mut lines = set_lines(&styled, x, width.max(size * 4.0), para, self.fonts, missing);
        let n = lines.len();
        for (i, line) in lines.iter_mut().enumerate() {
            // A section's entry stays with its first article's.
            line.keep_with_next = i + 1 < n || entry.section;
        }
        if let Some(first) = lines.first_mut() {
            first.space_before = if entry.section {
                size * 0.9
            } else {
                size * 0.2
            };
        }
        lines
    }

    /// The page number `n` right-aligned on `line`, with a dot leader from
    /// the title's end.
    fn add_number(&self, line: &mut VLine, n: usize, missing: &mut MissingGlyphs) {
        let size = self.col.font_size;
        let right = self.col.x + self.col.width;
        let number = n.to_string();
        let number_x = right - self.advance(&number, size);
        let runs = || {
            line.items.iter().filter_map(|it| match it {
                Item::Text(run) => Some(run),
                _ => None,
            })
        };
        let baseline = runs().next().map_or(size * 0.88, |r| r.y);
        let end = runs().map(|r| self.run_end(r)).fold(self.col.x, f32::max);
        let mut items = vec![self.run(number_x, baseline, &number, size, missing)];
        // Dots about LEADER_PITCH apart, spread so that the room to the
        // title and to the number is LEADER_GAP at both ends (a wider gap
        // reads, to text extraction, as a break between two lines).
        let dot = self.advance(".", size);
        let (from, to) = (end + size * LEADER_GAP, number_x - size * LEADER_GAP - dot);
        let count = ((to - from) / (size * LEADER_PITCH)).floor() as usize + 1;
        if to > from && count >= 2 {
            let pitch = (to - from) / (count - 1) as f32;
            let mut leader = self.run(from, baseline, &".".repeat(count), size, missing);
            leader.gaps = (1..count).map(|i| (i, pitch - dot)).collect();
            leader.color = [0.45; 3];
            items.insert(0, leader);
        }
        line.items.extend(items.into_iter().map(Item::Text));
    }

    /// A run of `text` (digits or dots, all from one face) at (`x`, `y`).
    fn run(&self, x: f32, y: f32, text: &str, size: f32, missing: &mut MissingGlyphs) -> TextRun {
        let font = text.chars().next().map_or(FontSet::BODY, |c| {
            self.face_of(c).unwrap_or_else(|| {
                missing.add(c);
                FontSet::BODY
            })
        });
        TextRun {
            x,
            y,
            font,
            size,
            text: text.to_string(),
            gaps: Vec::new(),
            bold: false,
            italic: false,
            inserted: false,
            color: [0.0; 3],
        }
    }

    /// The face the text setter draws `c` from in running text.
    fn face_of(&self, c: char) -> Option<usize> {
        self.fonts.pick_text(c, Role::Body, Want::default())
    }

    /// The width of `text` at `size`, each character from its face.
    fn advance(&self, text: &str, size: f32) -> f32 {
        let fonts = &self.fonts.fonts;
        text.chars()
            .map(|c| self.face_of(c).map_or(0.5, |f| fonts[f].advance(c)))
            .sum::<f32>()
            * size
    }

    /// Where `run` ends: its glyphs' advances and the space set between
    /// them (at least the drawn width: CJK punctuation may be set tighter).
    fn run_end(&self, run: &TextRun) -> f32 {
        let advance = |c: char| self.fonts.fonts.get(run.font).map_or(1.0, |f| f.advance(c));
        let glyphs: f32 = run.text.chars().map(advance).sum();
        let gaps: f32 = run.gaps.iter().map(|g| g.1.max(0.0)).sum();
        run.x + glyphs * run.size + gaps
    }
}
