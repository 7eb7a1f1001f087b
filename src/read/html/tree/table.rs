//! The table insertion modes (table, table body, row, cell, caption, column
//! group) with foster parenting, and the select mode.

use super::{Afe, Builder, Kind, Names, Tag, Tok};
use crate::read::html::dom::Ns;
use crate::read::html::elements::{FOSTER, TABLE_SECTION};
use crate::read::html::tokenizer::{Span, StartTag};
use std::borrow::Cow;

impl<'a> Builder<'a> {
    // ----- tables ---------------------------------------------------------

    pub(super) fn clear_to(&mut self, names: &(impl Names + ?Sized)) {
        while self.open.len() > 1 && !self.current_is(names) {
            self.pop();
        }
    }

    pub(super) fn synthetic(name: &'static str) -> Tag<'a> {
        Tag {
            name: Cow::Borrowed(name),
            raw: StartTag {
                name,
                attrs: Vec::new(),
                self_closing: false,
                span: Span::default(),
            },
        }
    }

    pub(super) fn with_foster(&mut self, tok: &Tok<'a>) -> bool {
        self.foster = true;
        let r = self.body(tok);
        self.foster = false;
        r
    }

    pub(super) fn table(&mut self, tok: &Tok<'a>) -> bool {
        match tok {
            Tok::Text(t, raw) if self.current_is(&Kind(FOSTER)) => {
                let value = Self::text_value(t, *raw);
                if value
                    .chars()
                    .all(|c| matches!(c, ' ' | '\t' | '\n' | '\x0c'))
                {
                    self.insert_text(value);
                } else {
                    self.foster = true;
                    self.reconstruct();
                    self.insert_text(value);
                    self.foster = false;
                }
                true
            }
            Tok::Comment(t) => {
                self.comment(t);
                true
            }
            Tok::Start(tag) => match tag.name.as_ref() {
                "caption" => {
                    self.clear_to(&["table", "template", "html"]);
                    self.afe.push(Afe::Marker);
                    self.insert(tag, Ns::Html);
                    false
                }
                "colgroup" => {
                    self.clear_to(&["table", "template", "html"]);
                    self.insert(tag, Ns::Html);
                    false
                }
                "col" => {
                    self.clear_to(&["table", "template", "html"]);
                    if self
                        .insert(&Self::synthetic("colgroup"), Ns::Html)
                        .is_some()
                    {
                        return self.dispatch(tok);
                    }
                    false
                }
                "tbody" | "tfoot" | "thead" => {
                    self.clear_to(&["table", "template", "html"]);
                    self.insert(tag, Ns::Html);
                    false
                }
                "td" | "th" | "tr" => {
                    self.clear_to(&["table", "template", "html"]);
                    if self.insert(&Self::synthetic("tbody"), Ns::Html).is_some() {
                        return self.dispatch(tok);
                    }
                    false
                }
                "table" => {
                    if self.in_table_scope(&["table"]) {
                        self.pop_until(&["table"]);
                        return self.dispatch(tok);
                    }
                    false
                }
                "style" | "script" | "template" => self.insert(tag, Ns::Html).is_some(),
                "input"
                    if tag.raw.attrs.iter().any(|a| {
                        a.name.eq_ignore_ascii_case("type")
                            && a.value.eq_ignore_ascii_case("hidden")
                    }) =>
                {
                    self.insert_void(tag);
                    false
                }
                "form" => {
                    if self.form.is_none() {
                        self.form = self.insert(tag, Ns::Html);
                        if self.form.is_some() {
                            self.pop();
                        }
                    }
                    false
                }
                _ => self.with_foster(tok),
            },
            Tok::End(name, _) => {
                match name.as_ref() {
                    "table" => {
                        if self.in_table_scope(&["table"]) {
                            self.pop_until(&["table"]);
                        }
                    }
                    "body" | "caption" | "col" | "colgroup" | "html" | "tbody" | "td" | "tfoot"
                    | "th" | "thead" | "tr" => {}
                    _ => {
                        self.with_foster(tok);
                    }
                }
                true
            }
            _ => self.with_foster(tok),
        }
    }

    pub(super) fn table_body(&mut self, tok: &Tok<'a>) -> bool {
        const CTX: &[&str] = &["tbody", "tfoot", "thead", "template", "html"];
        match tok {
            Tok::Start(tag) => match tag.name.as_ref() {
                "tr" => {
                    self.clear_to(CTX);
                    self.insert(tag, Ns::Html);
                    false
                }
                "th" | "td" => {
                    self.clear_to(CTX);
                    if self.insert(&Self::synthetic("tr"), Ns::Html).is_some() {
                        return self.dispatch(tok);
                    }
                    false
                }
                "caption" | "col" | "colgroup" | "tbody" | "tfoot" | "thead" => {
                    if self.in_table_scope(&Kind(TABLE_SECTION)) {
                        self.clear_to(CTX);
                        self.pop();
                        return self.dispatch(tok);
                    }
                    false
                }
                _ => self.table(tok),
            },
            Tok::End(name, _) => match name.as_ref() {
                "tbody" | "tfoot" | "thead" => {
                    if self.in_table_scope(&[name.as_ref()]) {
                        self.clear_to(CTX);
                        self.pop();
                    }
                    true
                }
                "table" => {
                    if self.in_table_scope(&Kind(TABLE_SECTION)) {
                        self.clear_to(CTX);
                        self.pop();
                        return self.dispatch(tok);
                    }
                    true
                }
                "body" | "caption" | "col" | "colgroup" | "html" | "td" | "th" | "tr" => true,
                _ => self.table(tok),
            },
            _ => self.table(tok),
        }
    }

    pub(super) fn row(&mut self, tok: &Tok<'a>) -> bool {
        const CTX: &[&str] = &["tr", "template", "html"];
        match tok {
            Tok::Start(tag) => match tag.name.as_ref() {
                "th" | "td" => {
                    self.clear_to(CTX);
                    if self.insert(tag, Ns::Html).is_some() {
                        self.afe.push(Afe::Marker);
                    }
                    false
                }
                "caption" | "col" | "colgroup" | "tbody" | "tfoot" | "thead" | "tr" => {
                    if self.in_table_scope(&["tr"]) {
                        self.clear_to(CTX);
                        self.pop();
                        return self.dispatch(tok);
                    }
                    false
                }
                _ => self.table(tok),
            },
            Tok::End(name, _) => match name.as_ref() {
                "tr" => {
                    if self.in_table_scope(&["tr"]) {
                        self.clear_to(CTX);
                        self.pop();
                    }
                    true
                }
                "table" => {
                    if self.in_table_scope(&["tr"]) {
                        self.clear_to(CTX);
                        self.pop();
                        return self.dispatch(tok);
                    }
                    true
                }
                "tbody" | "tfoot" | "thead" => {
                    if self.in_table_scope(&[name.as_ref()]) && self.in_table_scope(&["tr"]) {
                        self.clear_to(CTX);
                        self.pop();
                        return self.dispatch(tok);
                    }
                    true
                }
                "body" | "caption" | "col" | "colgroup" | "html" | "td" | "th" => true,
                _ => self.table(tok),
            },
            _ => self.table(tok),
        }
    }

    pub(super) fn close_cell(&mut self) {
        self.implied_end_tags("");
        self.pop_until(&["td", "th"]);
        self.clear_afe_to_marker();
    }

    pub(super) fn cell(&mut self, tok: &Tok<'a>) -> bool {
        match tok {
            Tok::Start(tag)
                if matches!(
                    tag.name.as_ref(),
                    "caption"
                        | "col"
                        | "colgroup"
                        | "tbody"
                        | "td"
                        | "tfoot"
                        | "th"
                        | "thead"
                        | "tr"
                ) =>
            {
                if self.in_table_scope(&["td", "th"]) {
                    self.close_cell();
                    return self.dispatch(tok);
                }
                false
            }
            Tok::End(name, _) => match name.as_ref() {
                "td" | "th" => {
                    if self.in_table_scope(&[name.as_ref()]) {
                        self.close_cell();
                    }
                    true
                }
                "body" | "caption" | "col" | "colgroup" | "html" => true,
                "table" | "tbody" | "tfoot" | "thead" | "tr" => {
                    if self.in_table_scope(&[name.as_ref()]) {
                        self.close_cell();
                        return self.dispatch(tok);
                    }
                    true
                }
                _ => self.body(tok),
            },
            _ => self.body(tok),
        }
    }

    pub(super) fn caption(&mut self, tok: &Tok<'a>) -> bool {
        let close = |b: &mut Self| {
            b.implied_end_tags("");
            b.pop_until(&["caption"]);
            b.clear_afe_to_marker();
        };
        match tok {
            Tok::End(name, _) if name == "caption" => {
                if self.in_table_scope(&["caption"]) {
                    close(self);
                }
                true
            }
            Tok::Start(tag)
                if matches!(
                    tag.name.as_ref(),
                    "caption"
                        | "col"
                        | "colgroup"
                        | "tbody"
                        | "td"
                        | "tfoot"
                        | "th"
                        | "thead"
                        | "tr"
                ) =>
            {
                if self.in_table_scope(&["caption"]) {
                    close(self);
                    return self.dispatch(tok);
                }
                false
            }
            Tok::End(name, _) if name == "table" => {
                if self.in_table_scope(&["caption"]) {
                    close(self);
                    return self.dispatch(tok);
                }
                true
            }
            Tok::End(name, _)
                if matches!(
                    name.as_ref(),
                    "body"
                        | "col"
                        | "colgroup"
                        | "html"
                        | "tbody"
                        | "td"
                        | "tfoot"
                        | "th"
                        | "thead"
                        | "tr"
                ) =>
            {
                true
            }
            _ => self.body(tok),
        }
    }

    pub(super) fn colgroup(&mut self, tok: &Tok<'a>) -> bool {
        match tok {
            Tok::Text(t, raw) => {
                let value = Self::text_value(t, *raw);
                let ws_len =
                    value.len() - value.trim_start_matches([' ', '\t', '\n', '\x0c']).len();
                if ws_len == value.len() {
                    self.insert_text(value);
                    return true;
                }
                if ws_len > 0 {
                    self.insert_text(Cow::Owned(value[..ws_len].to_string()));
                }
                let rest = Cow::Owned(value[ws_len..].to_string());
                if self.current_is(&["colgroup"]) {
                    self.pop();
                    self.reconstruct_text_after_colgroup(rest);
                }
                true
            }
            Tok::Comment(t) => {
                self.comment(t);
                true
            }
            Tok::Start(tag) if tag.name == "col" => {
                self.insert_void(tag);
                false
            }
            Tok::End(name, _) if name == "colgroup" => {
                if self.current_is(&["colgroup"]) {
                    self.pop();
                }
                true
            }
            Tok::End(name, _) if name == "col" => true,
            _ => {
                if self.current_is(&["colgroup"]) {
                    self.pop();
                    return self.dispatch(tok);
                }
                true
            }
        }
    }

    /// Text that ends a column group is processed in the table it belongs to.
    pub(super) fn reconstruct_text_after_colgroup(&mut self, text: Cow<'a, str>) {
        if self.current_is(&Kind(FOSTER)) {
            self.foster = true;
            self.reconstruct();
            self.insert_text(text);
            self.foster = false;
        } else {
            self.reconstruct();
            self.insert_text(text);
        }
    }

    pub(super) fn select(&mut self, tok: &Tok<'a>) -> bool {
        match tok {
            Tok::Text(t, raw) => {
                self.insert_text(Self::text_value(t, *raw));
                true
            }
            Tok::Comment(t) => {
                self.comment(t);
                true
            }
            Tok::Start(tag) => match tag.name.as_ref() {
                "option" => {
                    if self.current_is(&["option"]) {
                        self.pop();
                    }
                    self.insert(tag, Ns::Html);
                    false
                }
                "optgroup" => {
                    if self.current_is(&["option"]) {
                        self.pop();
                    }
                    if self.current_is(&["optgroup"]) {
                        self.pop();
                    }
                    self.insert(tag, Ns::Html);
                    false
                }
                "select" => {
                    self.pop_until(&["select"]);
                    false
                }
                "input" | "keygen" | "textarea" | "caption" | "table" | "tbody" | "tfoot"
                | "thead" | "tr" | "td" | "th" => {
                    self.pop_until(&["select"]);
                    self.dispatch(tok)
                }
                "script" | "template" => self.insert(tag, Ns::Html).is_some(),
                _ => false,
            },
            Tok::End(name, _) => {
                match name.as_ref() {
                    "optgroup" => {
                        let n = self.open.len();
                        if self.current_is(&["option"])
                            && n >= 2
                            && self.html_name(self.open[n - 2]) == "optgroup"
                        {
                            self.pop();
                        }
                        if self.current_is(&["optgroup"]) {
                            self.pop();
                        }
                    }
                    "option" if self.current_is(&["option"]) => {
                        self.pop();
                    }
                    "select" => self.pop_until(&["select"]),
                    "caption" | "table" | "tbody" | "tfoot" | "thead" | "tr" | "td" | "th"
                        if self.in_table_scope(&[name.as_ref()]) =>
                    {
                        self.pop_until(&["select"]);
                        return self.dispatch(tok);
                    }
                    _ => {}
                }
                true
            }
            _ => true,
        }
    }
}
