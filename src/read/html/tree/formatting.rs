//! The list of active formatting elements: Noah's ark, reconstruction and
//! the adoption agency algorithm for misnested `<b>`, `<a>`, `<i>`...

use super::{Afe, Builder, MAX_DEPTH, MAX_FORMATTING};
use crate::read::html::dom::NodeId;

impl<'a> Builder<'a> {
    // ----- active formatting elements -----------------------------------

    pub(super) fn afe_index(&self, id: NodeId) -> Option<usize> {
        self.afe.iter().rposition(|e| *e == Afe::El(id))
    }

    pub(super) fn push_formatting(&mut self, id: NodeId) {
        // Noah's ark: at most three identical entries after the last marker.
        let mut same = Vec::new();
        for (i, e) in self.afe.iter().enumerate().rev() {
            match e {
                Afe::Marker => break,
                Afe::El(other) if self.dom.element(*other) == self.dom.element(id) => same.push(i),
                _ => {}
            }
        }
        if same.len() >= 3 {
            if let Some(&earliest) = same.last() {
                self.afe.remove(earliest);
            }
        }
        if self.afe.len() < MAX_FORMATTING {
            self.afe.push(Afe::El(id));
        }
    }

    pub(super) fn reconstruct(&mut self) {
        let Some(&Afe::El(last)) = self.afe.last() else {
            return;
        };
        if self.open_contains(last) {
            return;
        }
        let mut i = self.afe.len() - 1;
        while i > 0 {
            match self.afe[i - 1] {
                Afe::Marker => break,
                Afe::El(id) if self.open_contains(id) => break,
                _ => i -= 1,
            }
        }
        for j in i..self.afe.len() {
            if self.open.len() >= MAX_DEPTH {
                return;
            }
            let Afe::El(old) = self.afe[j] else { continue };
            let new = self.clone_element(old);
            let place = self.insertion_place(self.current());
            self.insert_at(place, new);
            self.push(new);
            self.afe[j] = Afe::El(new);
        }
    }

    pub(super) fn clear_afe_to_marker(&mut self) {
        while let Some(e) = self.afe.pop() {
            if e == Afe::Marker {
                break;
            }
        }
    }

    /// The adoption agency algorithm; false means "treat as any other end tag".
    pub(super) fn adoption(&mut self, subject: &str) -> bool {
        let cur = self.current();
        if self.html_name(cur) == subject && self.afe_index(cur).is_none() {
            self.pop();
            return true;
        }
        for _ in 0..8 {
            let mut found = None;
            for (i, e) in self.afe.iter().enumerate().rev() {
                match e {
                    Afe::Marker => break,
                    Afe::El(id) if self.html_name(*id) == subject => {
                        found = Some((i, *id));
                        break;
                    }
                    _ => {}
                }
            }
            let Some((fe_idx, fe)) = found else {
                return false;
            };
            if !self.open_contains(fe) {
                self.afe.remove(fe_idx);
                return true;
            }
            if !self.node_in_scope(fe) {
                return true;
            }
            let Some(fe_pos) = self.open.iter().position(|&x| x == fe) else {
                return true;
            };
            let fb_pos = (fe_pos + 1..self.open.len()).find(|&p| self.is_special(self.open[p]));
            let Some(mut fb_pos) = fb_pos else {
                self.pop_until_node(fe);
                if let Some(i) = self.afe_index(fe) {
                    self.afe.remove(i);
                }
                return true;
            };
            let fb = self.open[fb_pos];
            let common = self.open[fe_pos.saturating_sub(1)];
            let mut bookmark_after: Option<NodeId> = None;
            let mut node_pos = fb_pos;
            let mut last = fb;
            let mut inner = 0;
            loop {
                inner += 1;
                node_pos -= 1;
                let node = self.open[node_pos];
                if node == fe {
                    break;
                }
                if inner > 3 {
                    if let Some(i) = self.afe_index(node) {
                        self.afe.remove(i);
                    }
                }
                let Some(ai) = self.afe_index(node) else {
                    self.remove_open_at(node_pos);
                    fb_pos -= 1;
                    continue;
                };
                let new = self.clone_element(node);
                self.afe[ai] = Afe::El(new);
                self.is_open[node] = false;
                self.open[node_pos] = new;
                if self.is_open.len() <= new {
                    self.is_open.resize(new + 1, false);
                }
                self.is_open[new] = true;
                if last == fb {
                    bookmark_after = Some(new);
                }
                self.dom.append(new, last);
                last = new;
            }
            self.dom.detach(last);
            let place = self.insertion_place(common);
            self.insert_at(place, last);
            let new = self.clone_element(fe);
            self.dom.reparent_children(fb, new);
            self.dom.append(fb, new);
            match bookmark_after.and_then(|b| self.afe_index(b)) {
                Some(bi) => {
                    self.afe.insert(bi + 1, Afe::El(new));
                    if let Some(i) = self.afe_index(fe) {
                        self.afe.remove(i);
                    }
                }
                None => {
                    if let Some(i) = self.afe_index(fe) {
                        self.afe[i] = Afe::El(new);
                    }
                }
            }
            if let Some(p) = self.open.iter().position(|&x| x == fe) {
                self.remove_open_at(p);
                if p < fb_pos {
                    fb_pos -= 1;
                }
            }
            let at = (fb_pos + 1).min(self.open.len());
            self.open.insert(at, new);
            if self.is_open.len() <= new {
                self.is_open.resize(new + 1, false);
            }
            self.is_open[new] = true;
            self.counters(new, 1);
        }
        true
    }
}
