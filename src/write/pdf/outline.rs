//! The PDF outline (bookmarks): headings nested by level.

use super::faces::utf16;
use super::file::PdfFile;
use super::io_error;
use crate::error::Result;
use crate::layout::OutlineEntry;
use lopdf::{Dictionary, Object};
use std::io::Write;

/// Writes the headings as a nested outline (level n under the nearest
/// shallower heading before it); `None` when there are none.
pub(super) fn write_outline<W: Write>(
    file: &mut PdfFile<W>,
    entries: &[OutlineEntry],
    pages: &[u32],
) -> Result<Option<u32>> {
    if entries.is_empty() || pages.is_empty() {
        return Ok(None);
    }
    let root = file.reserve();
    let ids: Vec<u32> = entries.iter().map(|_| file.reserve()).collect();
    // parent[i]: the entry i hangs under; children lists built in one pass.
    let mut parent: Vec<Option<usize>> = Vec::with_capacity(entries.len());
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); entries.len()];
    let mut top = Vec::new();
    let mut stack: Vec<usize> = Vec::new();
    for (i, e) in entries.iter().enumerate() {
        while stack.last().is_some_and(|&s| entries[s].level >= e.level) {
            stack.pop();
        }
        let p = stack.last().copied();
        match p {
            Some(p) => children[p].push(i),
            None => top.push(i),
        }
        parent.push(p);
        stack.push(i);
    }
    let siblings_of = |i: usize| match parent[i] {
        Some(p) => &children[p],
        None => &top,
    };
    // Position of each entry among its siblings, also in one pass.
    let mut position = vec![0usize; entries.len()];
    for list in children.iter().chain(std::iter::once(&top)) {
        for (pos, &i) in list.iter().enumerate() {
            position[i] = pos;
        }
    }
    for (i, e) in entries.iter().enumerate() {
        let siblings = siblings_of(i);
        let pos = position[i];
        let page = pages.get(e.page).copied().unwrap_or(pages[0]);
        let mut d = Dictionary::from_iter(vec![
            ("Title", utf16(&e.title)),
            (
                "Parent",
                Object::Reference((parent[i].map_or(root, |p| ids[p]), 0)),
            ),
            (
                "Dest",
                Object::Array(vec![
                    Object::Reference((page, 0)),
                    Object::Name(b"XYZ".to_vec()),
                    Object::Null,
                    Object::Real(e.y),
                    Object::Null,
                ]),
            ),
        ]);
        if pos > 0 {
            d.set("Prev", Object::Reference((ids[siblings[pos - 1]], 0)));
        }
        if let Some(&next) = siblings.get(pos + 1) {
            d.set("Next", Object::Reference((ids[next], 0)));
        }
        let kids = &children[i];
        if let (Some(&first), Some(&last)) = (kids.first(), kids.last()) {
            d.set("First", Object::Reference((ids[first], 0)));
            d.set("Last", Object::Reference((ids[last], 0)));
            // Negative: closed by default below the first level.
            let n = kids.len() as i64;
            d.set("Count", Object::Integer(if e.level >= 2 { -n } else { n }));
        }
        file.object(ids[i], &Object::Dictionary(d))
            .map_err(io_error)?;
    }
    let mut r = Dictionary::from_iter(vec![("Type", Object::Name(b"Outlines".to_vec()))]);
    if let (Some(&first), Some(&last)) = (top.first(), top.last()) {
        r.set("First", Object::Reference((ids[first], 0)));
        r.set("Last", Object::Reference((ids[last], 0)));
        r.set("Count", Object::Integer(top.len() as i64));
    }
    file.object(root, &Object::Dictionary(r))
        .map_err(io_error)?;
    Ok(Some(root))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outline_of_many_entries_is_written_in_linear_time() {
        // 40,000 headings used to take seconds (a children scan per entry).
        let entries: Vec<OutlineEntry> = (0..40_000)
            .map(|i| OutlineEntry {
                level: 1 + (i % 3) as u8,
                title: format!("h{i}"),
                page: 0,
                y: 0.0,
            })
            .collect();
        let mut file = PdfFile::new(Vec::new()).unwrap();
        let page = file.reserve();
        assert!(write_outline(&mut file, &entries, &[page])
            .unwrap()
            .is_some());
    }
}
