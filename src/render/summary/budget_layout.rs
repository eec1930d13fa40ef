//! The order of a budget statement's rows: each group, then its lines, then its child groups.
//! Templates get it as `report.layout.rows`, and the summary's statement is built from it.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::content::Budget;

/// Budget rows in table order: each group, then its lines, then its child groups.
#[derive(Serialize)]
pub(crate) struct BudgetLayout {
    pub(crate) rows: Vec<BudgetRow>,
}

#[derive(Serialize)]
pub(crate) struct BudgetRow {
    /// `group` or `line`.
    pub(crate) row: &'static str,
    /// Depth in the group hierarchy, 1 for top-level groups and their lines' parents.
    pub(crate) depth: usize,
    /// Index into `report.data.groups` or `report.data.lines`.
    pub(crate) index: usize,
}

pub(crate) fn budget_layout(b: &Budget) -> BudgetLayout {
    let n = b.groups.len();
    let index: BTreeMap<&str, usize> = b
        .groups
        .iter()
        .enumerate()
        .map(|(i, g)| (g.id.as_str(), i))
        .collect();
    let parent: Vec<Option<usize>> = b
        .groups
        .iter()
        .map(|g| g.parent.as_deref().and_then(|p| index.get(p).copied()))
        .collect();
    // Where each group first appears among the lines, counting its subgroups' lines: a group's
    // children (lines and subgroups) are laid out in the order the paper lists them.
    let mut first_line = vec![usize::MAX; n];
    for (i, l) in b.lines.iter().enumerate() {
        let mut g = index.get(l.group.as_str()).copied();
        let mut steps = 0;
        while let Some(gi) = g {
            first_line[gi] = first_line[gi].min(i);
            g = parent[gi];
            steps += 1;
            if steps > n {
                break; // a cycle: reported by `check`, never followed here
            }
        }
    }
    struct Walk<'a> {
        b: &'a Budget,
        parent: &'a [Option<usize>],
        first_line: &'a [usize],
        placed_groups: Vec<bool>,
        placed_lines: Vec<bool>,
        rows: Vec<BudgetRow>,
    }
    impl Walk<'_> {
        fn visit(&mut self, g: usize, depth: usize) {
            if self.placed_groups[g] {
                return;
            }
            self.placed_groups[g] = true;
            self.rows.push(BudgetRow {
                row: "group",
                depth,
                index: g,
            });
            // (position, is a group, index): lines by their own position, groups by their first line.
            let mut children: Vec<(usize, bool, usize)> = Vec::new();
            for (i, l) in self.b.lines.iter().enumerate() {
                if l.group == self.b.groups[g].id && !self.placed_lines[i] {
                    children.push((i, false, i));
                }
            }
            for (c, p) in self.parent.iter().enumerate() {
                if *p == Some(g) && c != g {
                    children.push((self.first_line[c], true, c));
                }
            }
            children.sort();
            for (_, is_group, i) in children {
                if is_group {
                    self.visit(i, depth + 1);
                } else if !self.placed_lines[i] {
                    self.placed_lines[i] = true;
                    self.rows.push(BudgetRow {
                        row: "line",
                        depth: depth + 1,
                        index: i,
                    });
                }
            }
        }
    }
    let mut walk = Walk {
        b,
        parent: &parent,
        first_line: &first_line,
        placed_groups: vec![false; n],
        placed_lines: vec![false; b.lines.len()],
        rows: Vec::with_capacity(n + b.lines.len()),
    };
    for (g, p) in parent.iter().enumerate() {
        if p.is_none() {
            walk.visit(g, 1);
        }
    }
    // Groups caught in a cycle, and lines whose group is unknown (both errors `check` reports),
    // still appear, last.
    for g in 0..n {
        walk.visit(g, 1);
    }
    for i in 0..b.lines.len() {
        if !walk.placed_lines[i] {
            walk.placed_lines[i] = true;
            walk.rows.push(BudgetRow {
                row: "line",
                depth: 1,
                index: i,
            });
        }
    }
    BudgetLayout { rows: walk.rows }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::{Budget, Data, parse_document};
    use crate::source::SourceFile;

    fn budget(text: &str) -> Budget {
        let f = SourceFile::new("b.md", "b.md", text.to_string());
        match parse_document(f, "b.md").0.unwrap().data {
            Data::Budget(b) => b,
            _ => unreachable!(),
        }
    }

    #[test]
    fn budget_rows_follow_the_group_hierarchy() {
        let b = budget(
            "+++\nkind = \"budget\"\ntitle = \"B\"\nperiod = \"2009/10\"\n\
             groups = [{ id = \"inc\", title = \"Income\", kind = \"income\" }, { id = \"exp\", title = \"Exp\", kind = \"expenditure\" }, { id = \"staff\", title = \"Staff\", parent = \"exp\" }]\n\
             lines = [{ id = \"s1\", title = \"S1\", group = \"staff\", approved = 1 }, { id = \"i1\", title = \"I1\", group = \"inc\", approved = -1 }, { id = \"e1\", title = \"E1\", group = \"exp\", approved = 2 }]\n+++\n",
        );
        let rows: Vec<(&str, usize, usize)> = budget_layout(&b)
            .rows
            .iter()
            .map(|r| (r.row, r.depth, r.index))
            .collect();
        assert_eq!(
            rows,
            [
                ("group", 1, 0),
                ("line", 2, 1),
                ("group", 1, 1),
                ("group", 2, 2),
                ("line", 3, 0),
                ("line", 2, 2),
            ]
        );
    }
}
