//! Token dispatch: the source-code rescue inside `pre`/`code`, the choice
//! of insertion mode, and content inside SVG and MathML.

use super::{Builder, Mode, Tok};
use crate::read::html::dom::{NodeData, Ns};
use crate::read::html::elements::{self, BREAKOUT, CODE_MARKUP, KNOWN};
use crate::read::html::entities;
use std::borrow::Cow;

impl<'a> Builder<'a> {
    // ----- token dispatch -------------------------------------------------

    /// Handles one token; returns false when a raw-text start tag did not
    /// open a raw-text element (so the tokenizer must leave raw mode).
    pub(super) fn process(&mut self, tok: &Tok<'a>) -> bool {
        if let Tok::Text(text, raw) = tok {
            if self.skip_lf {
                self.skip_lf = false;
                let t = text
                    .strip_prefix("\r\n")
                    .or_else(|| text.strip_prefix('\n'))
                    .or_else(|| text.strip_prefix('\r'))
                    .unwrap_or(text);
                return self.dispatch(&Tok::Text(t, *raw));
            }
        } else {
            self.skip_lf = false;
        }
        if self.code_open > 0 {
            if let Some(literal) = self.code_literal(tok) {
                self.reconstruct();
                self.insert_text(Cow::Borrowed(literal));
                return false;
            }
        }
        self.dispatch(tok)
    }

    /// Inside pre/code: the source text of a tag that is not HTML.
    pub(super) fn code_literal(&self, tok: &Tok<'a>) -> Option<&'a str> {
        let (name, span, raw_name) = match tok {
            Tok::Start(t) => (t.name.as_ref(), t.raw.span, t.raw.name),
            Tok::End(n, span) => (n.as_ref(), *span, self.src.get(span.start + 2..span.end)?),
            _ => return None,
        };
        let known = elements::is(name, KNOWN);
        // `Object`, `HTMLElement`: mixed case is a type name, not markup
        // (old all-capitals HTML like `<PRE>` stays markup).
        let letters = || raw_name.bytes().take_while(|b| b.is_ascii_alphanumeric());
        let mixed =
            letters().any(|b| b.is_ascii_uppercase()) && letters().any(|b| b.is_ascii_lowercase());
        let code_like = !known || (mixed && !elements::is(name, CODE_MARKUP));
        if code_like {
            self.src.get(span.start..span.end)
        } else {
            None
        }
    }

    pub(super) fn dispatch(&mut self, tok: &Tok<'a>) -> bool {
        let cur = self.current();
        if self.dom.element(cur).is_some_and(|e| e.ns != Ns::Html) {
            // At an integration point (`mi`, `foreignObject`...) start tags
            // and text are HTML; end tags still follow the foreign rules.
            let html_here =
                self.foreign_boundary(cur) && matches!(tok, Tok::Start(_) | Tok::Text(..));
            if !html_here {
                return self.foreign(tok);
            }
        }
        match self.mode() {
            Mode::Body => self.body(tok),
            Mode::Table => self.table(tok),
            Mode::TableBody => self.table_body(tok),
            Mode::Row => self.row(tok),
            Mode::Cell => self.cell(tok),
            Mode::Caption => self.caption(tok),
            Mode::ColGroup => self.colgroup(tok),
            Mode::Select => self.select(tok),
        }
    }

    pub(super) fn text_value(text: &'a str, raw: bool) -> Cow<'a, str> {
        let mut t = if raw {
            Cow::Borrowed(text)
        } else {
            entities::decode(text, false)
        };
        if t.bytes().any(|b| b == b'\r' || b == 0) {
            let s = t.replace("\r\n", "\n").replace('\r', "\n");
            t = Cow::Owned(if raw {
                s.replace('\0', "\u{FFFD}")
            } else {
                s.replace('\0', "")
            });
        }
        t
    }

    pub(super) fn comment(&mut self, text: &'a str) {
        let id = self.create(NodeData::Comment(text));
        let place = self.insertion_place(self.current());
        self.insert_at(place, id);
    }

    pub(super) fn foreign(&mut self, tok: &Tok<'a>) -> bool {
        match tok {
            Tok::Text(t, raw) => self.insert_text(Self::text_value(t, *raw)),
            Tok::CData(t) => self.insert_text(Cow::Borrowed(t)),
            Tok::Comment(t) => self.comment(t),
            Tok::Doctype => {}
            Tok::Start(tag) => {
                let font_breaks = tag.name == "font"
                    && tag.raw.attrs.iter().any(|a| {
                        ["color", "face", "size"]
                            .iter()
                            .any(|n| a.name.eq_ignore_ascii_case(n))
                    });
                if elements::is(&tag.name, BREAKOUT) || font_breaks {
                    while self.in_foreign()
                        && !self.foreign_boundary(self.current())
                        && self.open.len() > 1
                    {
                        self.pop();
                    }
                    return self.dispatch(tok);
                }
                let ns = self.dom.element(self.current()).map_or(Ns::Html, |e| e.ns);
                if self.insert(tag, ns).is_some() && tag.raw.self_closing {
                    self.pop();
                }
                return false;
            }
            Tok::End(name, _) => {
                for i in (1..self.open.len()).rev() {
                    let id = self.open[i];
                    if self.dom.element(id).is_some_and(|e| e.ns == Ns::Html) {
                        return self.dispatch_html(tok);
                    }
                    if self.dom.name(id).eq_ignore_ascii_case(name) {
                        self.pop_until_node(id);
                        return true;
                    }
                }
            }
        }
        true
    }

    pub(super) fn dispatch_html(&mut self, tok: &Tok<'a>) -> bool {
        match self.mode() {
            Mode::Body => self.body(tok),
            Mode::Table => self.table(tok),
            Mode::TableBody => self.table_body(tok),
            Mode::Row => self.row(tok),
            Mode::Cell => self.cell(tok),
            Mode::Caption => self.caption(tok),
            Mode::ColGroup => self.colgroup(tok),
            Mode::Select => self.select(tok),
        }
    }
}
