//! Tables: rows and cells to [`Table`]; one-column layout tables flatten.

use super::flow::Flow;
use super::Mapper;
use crate::model::{Block, Cell, Row, Table};
use crate::read::html::dom::{Dom, NodeId};

impl Mapper<'_, '_, '_> {
    pub(super) fn table(&mut self, flow: &mut Flow, id: NodeId) {
        let mut rows: Vec<(NodeId, bool)> = Vec::new();
        let mut caption = None;
        for c in self.dom.children(id) {
            match self.dom.name(c) {
                "tr" => rows.push((c, false)),
                "thead" | "tbody" | "tfoot" => {
                    let head = self.dom.name(c) == "thead";
                    rows.extend(
                        self.dom
                            .children(c)
                            .filter(|&r| self.dom.name(r) == "tr")
                            .map(|r| (r, head)),
                    );
                }
                "caption" => caption = Some(c),
                _ => {}
            }
        }
        let cells_of = |dom: &Dom<'_>, r: NodeId| -> Vec<NodeId> {
            dom.children(r)
                .filter(|&c| matches!(dom.name(c), "td" | "th"))
                .collect()
        };
        let width = rows
            .iter()
            .map(|&(r, _)| cells_of(self.dom, r).len())
            .max()
            .unwrap_or(0);
        if let Some(c) = caption {
            let content = self.inlines_of(c);
            if !content.is_empty() {
                flow.block(Block::Paragraph { content });
            }
        }
        // A one-column table is page layout, not data: flatten it.
        if width <= 1 {
            for (r, _) in rows {
                for cell in cells_of(self.dom, r) {
                    flow.flush();
                    self.children(flow, cell);
                    flow.flush();
                }
            }
            return;
        }
        let mut table = Table::default();
        let mut leading_th = true;
        for (r, in_head) in rows {
            let mut row: Row = Vec::new();
            for cell in cells_of(self.dom, r) {
                let header = self.dom.name(cell) == "th";
                let colspan = self
                    .dom
                    .element(cell)
                    .and_then(|e| e.attr("colspan"))
                    .and_then(|s| s.trim().parse::<u32>().ok())
                    .map_or(1, |n| n.clamp(1, 1000));
                let blocks = self.blocks_of(cell);
                row.push(Cell {
                    header,
                    colspan,
                    blocks,
                });
            }
            let all_th = !row.is_empty() && row.iter().all(|c| c.header);
            if in_head || (leading_th && all_th && table.body.is_empty()) {
                table.head.push(row);
            } else {
                leading_th = false;
                table.body.push(row);
            }
        }
        let empty = |rows: &[Row]| rows.iter().flatten().all(|c| c.blocks.is_empty());
        if empty(&table.head) {
            table.head.clear();
        }
        // After clearing an empty head, a table with no content at all is dropped.
        if !(empty(&table.head) && empty(&table.body)) {
            flow.block(Block::Table(table));
        }
    }
}
