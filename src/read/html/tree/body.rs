//! The "in body" insertion mode: start and end tags of ordinary content.

use super::{Afe, Builder, Kind, Tag, Tok};
use crate::read::html::dom::Ns;
use crate::read::html::elements::{self, BLOCK_END, CLOSES_P, FORMATTING, HEADING};
use crate::read::html::tokenizer::{Span, StartTag};
use std::borrow::Cow;

impl<'a> Builder<'a> {
    // ----- in body --------------------------------------------------------

    pub(super) fn body(&mut self, tok: &Tok<'a>) -> bool {
        match tok {
            Tok::Text(t, raw) => {
                let value = Self::text_value(t, *raw);
                if !value.is_empty() {
                    self.reconstruct();
                    self.insert_text(value);
                }
                true
            }
            Tok::Comment(t) => {
                self.comment(t);
                true
            }
            Tok::CData(t) => {
                self.comment(t);
                true
            }
            Tok::Doctype => true,
            Tok::Start(tag) => self.body_start(tag),
            Tok::End(name, _) => {
                self.body_end(name);
                true
            }
        }
    }

    pub(super) fn body_start(&mut self, tag: &Tag<'a>) -> bool {
        let name = tag.name.as_ref();
        match name {
            "html" | "body" | "head" | "frameset" | "frame" | "caption" | "col" | "colgroup"
            | "tbody" | "td" | "tfoot" | "th" | "thead" | "tr" => {}
            "base" | "basefont" | "bgsound" | "link" | "meta" | "param" | "source" | "track" => {
                self.insert_void(tag)
            }
            "script" | "style" | "title" | "template" | "noframes" => {
                return self.insert(tag, Ns::Html).is_some();
            }
            _ if elements::is(name, CLOSES_P) => {
                self.close_p();
                self.insert(tag, Ns::Html);
            }
            _ if elements::is(name, HEADING) => {
                self.close_p();
                if self.current_is(&Kind(HEADING)) {
                    self.pop();
                }
                self.insert(tag, Ns::Html);
            }
            "pre" | "listing" => {
                self.close_p();
                self.insert(tag, Ns::Html);
                self.skip_lf = true;
            }
            "form" => {
                if self.form.is_none() {
                    self.close_p();
                    self.form = self.insert(tag, Ns::Html);
                }
            }
            "li" => self.list_item(tag, &["li"]),
            "dd" | "dt" => self.list_item(tag, &["dd", "dt"]),
            "plaintext" => {
                self.close_p();
                return self.insert(tag, Ns::Html).is_some();
            }
            "button" => {
                if self.in_scope("button") {
                    self.implied_end_tags("");
                    self.pop_until(&["button"]);
                }
                self.reconstruct();
                self.insert(tag, Ns::Html);
            }
            "a" => {
                let mut existing = None;
                for e in self.afe.iter().rev() {
                    match e {
                        Afe::Marker => break,
                        Afe::El(id) if self.html_name(*id) == "a" => {
                            existing = Some(*id);
                            break;
                        }
                        _ => {}
                    }
                }
                if let Some(old) = existing {
                    self.adoption("a");
                    if let Some(i) = self.afe_index(old) {
                        self.afe.remove(i);
                    }
                    if let Some(p) = self.open.iter().position(|&x| x == old) {
                        self.remove_open_at(p);
                    }
                }
                self.formatting(tag);
            }
            "nobr" => {
                self.reconstruct();
                if self.in_scope("nobr") {
                    self.adoption("nobr");
                }
                self.formatting(tag);
            }
            _ if elements::is(name, FORMATTING) => self.formatting(tag),
            "applet" | "marquee" | "object" => {
                self.reconstruct();
                if self.insert(tag, Ns::Html).is_some() {
                    self.afe.push(Afe::Marker);
                }
            }
            "table" => {
                self.close_p();
                self.insert(tag, Ns::Html);
            }
            "area" | "br" | "embed" | "img" | "image" | "keygen" | "wbr" | "input" => {
                self.reconstruct();
                self.insert_void(tag);
            }
            "hr" => {
                self.close_p();
                self.insert_void(tag);
            }
            "textarea" => {
                let ok = self.insert(tag, Ns::Html).is_some();
                self.skip_lf = ok;
                return ok;
            }
            "xmp" => {
                self.close_p();
                self.reconstruct();
                return self.insert(tag, Ns::Html).is_some();
            }
            "iframe" | "noembed" | "noscript" => return self.insert(tag, Ns::Html).is_some(),
            "select" => {
                self.reconstruct();
                self.insert(tag, Ns::Html);
            }
            "option" | "optgroup" => {
                if self.current_is(&["option"]) {
                    self.pop();
                }
                self.reconstruct();
                self.insert(tag, Ns::Html);
            }
            "svg" | "math" => {
                self.reconstruct();
                let ns = if name == "svg" { Ns::Svg } else { Ns::MathMl };
                if self.insert(tag, ns).is_some() && tag.raw.self_closing {
                    self.pop();
                }
            }
            _ => {
                self.reconstruct();
                self.insert(tag, Ns::Html);
            }
        }
        // Only the raw-text elements handled above return true early; any
        // other start tag never leaves the tokenizer in raw mode.
        false
    }

    pub(super) fn formatting(&mut self, tag: &Tag<'a>) {
        self.reconstruct();
        if let Some(id) = self.insert(tag, Ns::Html) {
            self.push_formatting(id);
        }
    }

    pub(super) fn list_item(&mut self, tag: &Tag<'a>, closes: &[&str]) {
        for i in (1..self.open.len()).rev() {
            let id = self.open[i];
            let name = self.html_name(id);
            if closes.contains(&name) {
                let name = name.to_string();
                self.implied_end_tags(&name);
                self.pop_until(&[name.as_str()]);
                break;
            }
            if self.is_special(id) && !matches!(name, "address" | "div" | "p") {
                break;
            }
        }
        self.close_p();
        self.insert(tag, Ns::Html);
    }

    pub(super) fn body_end(&mut self, name: &str) {
        match name {
            "body" | "html" => {}
            _ if elements::is(name, BLOCK_END) => {
                if self.in_scope(name) {
                    self.implied_end_tags("");
                    self.pop_until(&[name]);
                }
            }
            "form" => {
                if let Some(form) = self.form.take() {
                    if self.node_in_scope(form) {
                        self.implied_end_tags("");
                        if let Some(p) = self.open.iter().position(|&x| x == form) {
                            self.remove_open_at(p);
                        }
                    }
                }
            }
            "p" => {
                if !self.in_button_scope("p") {
                    let tag = Tag {
                        name: Cow::Borrowed("p"),
                        raw: StartTag {
                            name: "p",
                            attrs: Vec::new(),
                            self_closing: false,
                            span: Span::default(),
                        },
                    };
                    self.insert(&tag, Ns::Html);
                }
                self.close_p();
            }
            "li" => {
                if self.in_list_scope("li") {
                    self.implied_end_tags("li");
                    self.pop_until(&["li"]);
                }
            }
            "dd" | "dt" => {
                if self.in_scope(name) {
                    self.implied_end_tags(name);
                    self.pop_until(&[name]);
                }
            }
            _ if elements::is(name, HEADING) => {
                if self.in_scope_of(&Kind(HEADING), &[], false) {
                    self.implied_end_tags("");
                    self.pop_until(&Kind(HEADING));
                }
            }
            _ if elements::is(name, FORMATTING) => {
                if !self.adoption(name) {
                    self.any_other_end(name);
                }
            }
            "applet" | "marquee" | "object" => {
                if self.in_scope(name) {
                    self.implied_end_tags("");
                    self.pop_until(&[name]);
                    self.clear_afe_to_marker();
                }
            }
            "br" => {
                let tag = Tag {
                    name: Cow::Borrowed("br"),
                    raw: StartTag {
                        name: "br",
                        attrs: Vec::new(),
                        self_closing: false,
                        span: Span::default(),
                    },
                };
                self.reconstruct();
                self.insert_void(&tag);
            }
            _ => self.any_other_end(name),
        }
    }

    pub(super) fn any_other_end(&mut self, name: &str) {
        for i in (1..self.open.len()).rev() {
            let id = self.open[i];
            if self.html_name(id) == name {
                self.implied_end_tags(name);
                self.pop_until_node(id);
                return;
            }
            if self.is_special(id) {
                return;
            }
        }
    }
}
