//! Tables: column widths shared by natural width, cells set as blocks. A
//! table too wide for its column (most tables on an e-reader page) is set
//! stacked instead: a block per row, each cell after its column's name.

use super::*;

impl Flow<'_> {
    pub(super) fn table(&mut self, table: &Table, x: f32, width: f32) -> Vec<VLine> {
        let rows: Vec<(&Vec<Cell>, bool)> = table
            .head
            .iter()
            .map(|r| (r, true))
            .chain(table.body.iter().map(|r| (r, false)))
            .collect();
        let ncols = rows
            .iter()
            .map(|(r, _)| {
                r.iter()
                    .map(|c| c.colspan.clamp(1, 64) as usize)
                    .sum::<usize>()
            })
            .max()
            .unwrap_or(0);
        if ncols == 0 {
            return Vec::new();
        }
        let size = self.size * 0.9;
        let pad = size * 0.4;
        let natural = self.natural_widths(&rows, ncols, width, size, pad);
        if stacks(&natural, width, size) {
            return self.stacked(table, x, width);
        }
        let cols = share_widths(natural, width, size);
        let mut out = Vec::new();
        let n = rows.len();
        for (i, (row, head)) in rows.iter().enumerate() {
            let mut line = self.table_row(row, *head, &cols, x, size, pad);
            if i + 1 == n {
                line.items.push(hline(x, x + width, line.height));
            }
            line.keep_with_next = *head;
            if i == 0 {
                line.space_before = self.size * 0.6;
            }
            out.push(line);
        }
        out
    }

    /// Each column's natural width: its widest line of text, padded.
    fn natural_widths(
        &mut self,
        rows: &[(&Vec<Cell>, bool)],
        ncols: usize,
        width: f32,
        size: f32,
        pad: f32,
    ) -> Vec<f32> {
        let mut natural = vec![size * 2.0; ncols];
        for (row, _) in rows {
            let mut c = 0;
            for cell in row.iter() {
                let span = cell.colspan.clamp(1, 64) as usize;
                if span == 1 && c < ncols {
                    let text = crate::model::blocks_text(&cell.blocks);
                    let w = text
                        .lines()
                        .map(|l| self.text_width(l) * 0.9)
                        .fold(0.0, f32::max)
                        + 2.0 * pad;
                    natural[c] = natural[c].max(w.min(width));
                }
                c += span;
            }
        }
        natural
    }

    /// The table as a block per row: each cell a paragraph led by its
    /// column's name in bold ("参数：值"), rows parted by a short rule. On
    /// a page too narrow for the grid, cells would wrap a few characters a
    /// line and read across each other.
    fn stacked(&mut self, table: &Table, x: f32, width: f32) -> Vec<VLine> {
        // Column names from the last header row; earlier header rows (a
        // title over the grid) are set as bold lines.
        let names = table.column_names();
        let titles = table
            .head
            .split_last()
            .map_or(&[][..], |(_, titles)| titles);
        let colon = self.words.colon();
        let mut out = Vec::new();
        for row in titles {
            for cell in row {
                out.extend(self.stacked_cell(&cell.blocks, "", colon, x, width));
            }
        }
        for (r, row) in table.body.iter().enumerate() {
            if r > 0 || !out.is_empty() {
                out.push(self.rule(x, width));
            }
            let mut c = 0;
            for cell in row {
                let name = if cell.colspan > 1 {
                    ""
                } else {
                    names.get(c).map_or("", String::as_str)
                };
                out.extend(self.stacked_cell(&cell.blocks, name, colon, x, width));
                c += cell.colspan.clamp(1, 64) as usize;
            }
        }
        if let Some(first) = out.first_mut() {
            first.space_before = self.size * 0.6;
        }
        out
    }

    /// One cell of a stacked table: its blocks, the first paragraph led by
    /// `name` (none when the column has no name or the cell is empty).
    fn stacked_cell(
        &mut self,
        blocks: &[Block],
        name: &str,
        colon: &str,
        x: f32,
        width: f32,
    ) -> Vec<VLine> {
        if crate::model::blocks_text(blocks).trim().is_empty() {
            return Vec::new();
        }
        let mut blocks = blocks.to_vec();
        if !name.is_empty() {
            let mut lead = vec![Inline::Strong {
                content: vec![Inline::text(name)],
            }];
            lead.push(Inline::text(colon));
            match blocks.first_mut() {
                Some(Block::Paragraph { content }) => {
                    lead.append(content);
                    *content = lead;
                }
                _ => blocks.insert(0, Block::Paragraph { content: lead }),
            }
        }
        let ctx = Ctx {
            depth: 0,
            indent: false,
            justify: true,
        };
        let mut lines = self.blocks(&blocks, x, width, ctx);
        if let Some(first) = lines.first_mut() {
            first.space_before = self.size * 0.25;
        }
        lines
    }

    fn table_row(
        &mut self,
        row: &[Cell],
        head: bool,
        cols: &[f32],
        x: f32,
        size: f32,
        pad: f32,
    ) -> VLine {
        let mut items = Vec::new();
        let mut height: f32 = size * 1.5 + 2.0 * pad;
        let mut cx = x;
        let mut c = 0;
        let mut cells = Vec::new();
        for cell in row {
            let span = (cell.colspan.clamp(1, 64) as usize)
                .min(cols.len().saturating_sub(c))
                .max(1);
            let w: f32 = cols[c.min(cols.len() - 1)..(c + span).min(cols.len())]
                .iter()
                .sum();
            let saved = self.size;
            self.size = size;
            let mut lines = self.blocks(
                &cell.blocks,
                cx + pad,
                (w - 2.0 * pad).max(size),
                Ctx {
                    depth: 0,
                    indent: false,
                    justify: false,
                },
            );
            self.size = saved;
            if head || cell.header {
                for l in &mut lines {
                    for it in &mut l.items {
                        if let Item::Text(r) = it {
                            r.bold = true;
                        }
                    }
                }
            }
            let mut y = pad;
            let mut cell_items = Vec::new();
            for (k, l) in lines.into_iter().enumerate() {
                if k > 0 {
                    y += l.space_before;
                }
                cell_items.extend(l.items.into_iter().map(|it| it.shifted(0.0, y)));
                y += l.height;
            }
            height = height.max(y + pad);
            cells.push((cx, w, cell_items));
            cx += w;
            c += span;
        }
        if head {
            items.push(Item::Rect {
                x,
                y: 0.0,
                w: cols.iter().sum(),
                h: height,
                gray: 0.92,
            });
        }
        items.push(hline(x, x + cols.iter().sum::<f32>(), 0.0));
        for (cx, w, cell_items) in cells {
            items.push(Item::Line {
                x1: cx,
                y1: 0.0,
                x2: cx,
                y2: height,
                width: 0.4,
                gray: 0.5,
            });
            items.extend(cell_items);
            let _ = w;
        }
        let right = x + cols.iter().sum::<f32>();
        items.push(Item::Line {
            x1: right,
            y1: 0.0,
            x2: right,
            y2: height,
            width: 0.4,
            gray: 0.5,
        });
        VLine {
            height,
            baseline: pad + size * 1.2,
            items,
            ..VLine::default()
        }
    }
}

/// Whether a table is set stacked: its columns do not fit side by side at
/// their natural widths and would be narrower than ten ems each.
fn stacks(natural: &[f32], width: f32, size: f32) -> bool {
    let total: f32 = natural.iter().sum();
    natural.len() >= 2 && total > width && width / (natural.len() as f32) < size * 10.0
}

/// Column widths for the grid: natural widths plus an equal share of what
/// is left, or, when they do not fit, the width shared by the square root
/// of natural width with a floor for narrow columns.
fn share_widths(natural: Vec<f32>, width: f32, size: f32) -> Vec<f32> {
    let ncols = natural.len();
    let total: f32 = natural.iter().sum();
    if total <= width {
        let extra = (width - total) / ncols as f32;
        natural.iter().map(|w| w + extra).collect()
    } else {
        let floor = (width / ncols as f32 * 0.5).min(size * 4.0);
        let sqrt: Vec<f32> = natural.iter().map(|w| w.sqrt()).collect();
        let sum: f32 = sqrt.iter().sum();
        let raw: Vec<f32> = sqrt.iter().map(|s| (width * s / sum).max(floor)).collect();
        let k = width / raw.iter().sum::<f32>();
        raw.into_iter().map(|w| w * k).collect()
    }
}

fn hline(x1: f32, x2: f32, y: f32) -> Item {
    Item::Line {
        x1,
        y1: y,
        x2,
        y2: y,
        width: 0.4,
        gray: 0.5,
    }
}
