//! Clean-up of scraped pages on the DOM, before mapping to the model:
//! scripts, styles, forms, comments and tracking pixels go, and promotion
//! blocks go through declarative rules kept in one data file
//! (`rules.toml`, built in; users add their own with `--rules FILE`).

use super::dom::{Dom, NodeData, NodeId, ROOT};
use super::elements;
use crate::diag::line_column;
use crate::error::{Error, Result};
use serde::Deserialize;
use std::path::Path;

/// The built-in rules file.
const BUILTIN: &str = include_str!("rules.toml");

/// Default size limits: a rule never removes more text than this.
const CLASS_MAX_CHARS: usize = 1000;
const TEXT_MAX_CHARS: usize = 200;

/// What a rule looks at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Matcher {
    /// The class attribute contains this.
    Class(String),
    /// The id attribute contains this.
    Id(String),
    /// The text contains this.
    Text(String),
}

/// One remove or keep rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    /// What it matches.
    pub matcher: Matcher,
    /// Largest text (in characters) of an element it may remove.
    pub max_chars: usize,
}

/// The clean-up rules: built-in plus any user file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rules {
    /// Elements to remove.
    pub remove: Vec<Rule>,
    /// Elements protected from removal.
    pub keep: Vec<Rule>,
    /// Image hosts that serve tracking pixels.
    pub tracker_hosts: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RulesFile {
    #[serde(default)]
    tracker_hosts: Vec<String>,
    #[serde(default)]
    remove: Vec<RuleDef>,
    #[serde(default)]
    keep: Vec<RuleDef>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleDef {
    class: Option<String>,
    id: Option<String>,
    text: Option<String>,
    max_chars: Option<usize>,
    #[allow(dead_code)]
    note: Option<String>,
}

impl Rules {
    /// The built-in rules plus, when given, those of a user file of the same
    /// form. A broken file is [`Error::Rules`] naming the file and line.
    pub fn load(extra: Option<&Path>) -> Result<Rules> {
        let mut rules = Rules::parse(BUILTIN, "rules.toml (built in)")?;
        if let Some(path) = extra {
            let text = std::fs::read_to_string(path)
                .map_err(|e| Error::io(format!("reading rules file {}", path.display()), e))?;
            let user = Rules::parse(&text, &path.display().to_string())?;
            rules.remove.extend(user.remove);
            rules.keep.extend(user.keep);
            rules.tracker_hosts.extend(user.tracker_hosts);
        }
        Ok(rules)
    }

    /// The built-in rules alone.
    pub fn builtin() -> Rules {
        // The built-in file is checked by a test, so this cannot fail in a
        // release; an empty rule set is the safe fallback regardless.
        Rules::parse(BUILTIN, "rules.toml").unwrap_or_default()
    }

    /// Rules from the text of a rules file; `name` is used in errors.
    pub fn parse(text: &str, name: &str) -> Result<Rules> {
        let file: RulesFile = toml::from_str(text).map_err(|e| {
            let at = e
                .span()
                .map(|s| {
                    let (l, c) = line_column(text, s.start);
                    format!("line {l}, column {c}: ")
                })
                .unwrap_or_default();
            Error::Rules {
                path: name.to_string(),
                message: format!("{at}{}", e.message()),
            }
        })?;
        let convert = |defs: Vec<RuleDef>, section: &str| -> Result<Vec<Rule>> {
            defs.into_iter()
                .enumerate()
                .map(|(i, d)| {
                    rule_of(d).ok_or_else(|| Error::Rules {
                        path: name.to_string(),
                        message: format!(
                        "[[{section}]] entry {}: give exactly one of class, id or text (non-empty)",
                        i + 1
                    ),
                    })
                })
                .collect()
        };
        Ok(Rules {
            remove: convert(file.remove, "remove")?,
            keep: convert(file.keep, "keep")?,
            tracker_hosts: file.tracker_hosts,
        })
    }
}

fn rule_of(d: RuleDef) -> Option<Rule> {
    let matcher = match (d.class, d.id, d.text) {
        (Some(c), None, None) if !c.is_empty() => Matcher::Class(c),
        (None, Some(i), None) if !i.is_empty() => Matcher::Id(i),
        (None, None, Some(t)) if !t.is_empty() => Matcher::Text(t),
        _ => return None,
    };
    let default = match matcher {
        Matcher::Text(_) => TEXT_MAX_CHARS,
        _ => CLASS_MAX_CHARS,
    };
    Some(Rule {
        matcher,
        max_chars: d.max_chars.unwrap_or(default),
    })
}

/// A form wrapping this much text is the page itself (ASP.NET sites), not a
/// form: it is unwrapped instead of dropped.
const FORM_PAGE_CHARS: usize = 200;

/// Removes everything clean-up drops from `dom`.
pub fn clean(dom: &mut Dom<'_>, rules: &Rules) {
    let mut doomed = Vec::new();
    let mut cur = dom.node(ROOT).first_child();
    while let Some(id) = cur {
        let drop = should_drop(dom, id, rules);
        if drop {
            doomed.push(id);
        }
        cur = dom.next_in(ROOT, id, drop);
    }
    for id in doomed {
        dom.detach(id);
    }
    apply_text_rules(dom, rules);
}

fn should_drop(dom: &Dom<'_>, id: NodeId, rules: &Rules) -> bool {
    let el = match &dom.node(id).data {
        NodeData::Comment(_) => return true,
        NodeData::Element(e) => e,
        _ => return false,
    };
    let name = el.name.as_ref();
    if elements::is(name, elements::DROP) {
        return true;
    }
    if name == "form" {
        return char_len(&dom.text_of(id)) < FORM_PAGE_CHARS;
    }
    if name == "img" && is_tracker(el, rules) {
        return true;
    }
    let class = el.attr("class").unwrap_or("");
    let eid = el.attr("id").unwrap_or("");
    let hit = rules.remove.iter().find(|r| match &r.matcher {
        Matcher::Class(c) => class.contains(c.as_str()),
        Matcher::Id(i) => eid.contains(i.as_str()),
        Matcher::Text(_) => false,
    });
    match hit {
        Some(rule) => char_len(&dom.text_of(id)) <= rule.max_chars && !protected(dom, id, rules),
        None => false,
    }
}

fn char_len(s: &str) -> usize {
    s.chars().filter(|c| !c.is_whitespace()).count()
}

/// Whether `id` or anything under it matches a keep rule.
fn protected(dom: &Dom<'_>, id: NodeId, rules: &Rules) -> bool {
    if rules.keep.is_empty() {
        return false;
    }
    let mut cur = Some(id);
    while let Some(n) = cur {
        if let Some(el) = dom.element(n) {
            let class = el.attr("class").unwrap_or("");
            let eid = el.attr("id").unwrap_or("");
            let text = || dom.text_of(n);
            let kept = rules.keep.iter().any(|r| match &r.matcher {
                Matcher::Class(c) => class.contains(c.as_str()),
                Matcher::Id(i) => eid.contains(i.as_str()),
                Matcher::Text(t) => n == id && text().contains(t.as_str()),
            });
            if kept {
                return true;
            }
        }
        cur = dom.next_in(id, n, false);
    }
    false
}

/// 1×1 images and images from tracker hosts.
fn is_tracker(el: &super::dom::Element<'_>, rules: &Rules) -> bool {
    let one = |v: Option<&str>| {
        v.map(|s| s.trim().trim_end_matches("px").trim())
            .is_some_and(|s| s == "1" || s == "0")
    };
    if one(el.attr("width")) && one(el.attr("height")) {
        return true;
    }
    let src = el.attr("src").unwrap_or("");
    // The host of an absolute or protocol-relative URL, without a full parse.
    let Some(rest) = src.split_once("//").map(|(_, r)| r) else {
        return false;
    };
    let host = rest
        .split(['/', '?', '#', ':'])
        .next()
        .unwrap_or("")
        .rsplit('@')
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    rules.tracker_hosts.iter().any(|t| {
        host == *t
            || host
                .strip_suffix(t.as_str())
                .is_some_and(|p| p.ends_with('.'))
    })
}

/// Text rules: the smallest block around a matching text goes, if small.
fn apply_text_rules(dom: &mut Dom<'_>, rules: &Rules) {
    let text_rules: Vec<&Rule> = rules
        .remove
        .iter()
        .filter(|r| matches!(r.matcher, Matcher::Text(_)))
        .collect();
    if text_rules.is_empty() {
        return;
    }
    let mut doomed = Vec::new();
    let mut cur = dom.node(ROOT).first_child();
    while let Some(id) = cur {
        if let NodeData::Text(t) = &dom.node(id).data {
            let hit = text_rules.iter().find(|r| match &r.matcher {
                Matcher::Text(p) => t.contains(p.as_str()),
                _ => false,
            });
            if let Some(rule) = hit {
                let target = block_ancestor(dom, id).unwrap_or(id);
                let text = if target == id {
                    t.to_string()
                } else {
                    dom.text_of(target)
                };
                if char_len(&text) <= rule.max_chars && !protected(dom, target, rules) {
                    doomed.push(target);
                }
            }
        }
        cur = dom.next_in(ROOT, id, false);
    }
    for id in doomed {
        dom.detach(id);
    }
}

fn block_ancestor(dom: &Dom<'_>, id: NodeId) -> Option<NodeId> {
    let mut cur = dom.node(id).parent();
    while let Some(p) = cur {
        if p == ROOT {
            return None;
        }
        if elements::is(dom.name(p), elements::TEXT_BLOCK) {
            return Some(p);
        }
        cur = dom.node(p).parent();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::super::tree::parse;
    use super::*;

    #[test]
    fn builtin_rules_parse() {
        let rules = Rules::parse(BUILTIN, "rules.toml").map_err(|e| e.to_string());
        let rules = rules.unwrap_or_default();
        assert!(rules.remove.len() >= 5);
        assert!(!rules.keep.is_empty());
        assert!(!rules.tracker_hosts.is_empty());
    }

    #[test]
    fn broken_file_names_file_and_line() {
        let err = Rules::parse("[[remove]]\nclass = \"a\"\nclass = b\n", "my.toml")
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.contains("my.toml"), "{err}");
        assert!(err.contains("line 3"), "{err}");
        let err = Rules::parse("[[remove]]\nnote = \"x\"\n", "my.toml")
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.contains("entry 1"), "{err}");
    }

    #[test]
    fn removes_promotion_keeps_editor() {
        let html = r#"<p>正文</p><div class="x appendQr_wrap"><img src="q.png"><div>尽在新浪财经APP</div></div>
<p>扫描二维码关注</p><p class="article-editor">责任编辑：某 share</p><script>x</script><!-- c -->"#;
        let mut dom = parse(html);
        clean(&mut dom, &Rules::builtin());
        let text = dom.text_content();
        assert!(text.contains("正文"));
        assert!(text.contains("责任编辑"));
        assert!(!text.contains("新浪财经APP"));
        assert!(!text.contains("扫描"));
        assert!(!text.contains('x'));
    }

    #[test]
    fn text_rule_spares_long_paragraphs() {
        let long = "很长的正文。".repeat(60);
        let html = format!("<p>{long}关注公众号</p>");
        let mut dom = parse(&html);
        clean(&mut dom, &Rules::builtin());
        assert!(dom.text_content().contains("关注公众号"));
    }

    #[test]
    fn tracking_pixels() {
        let html = r#"<img src="a.png" width="1" height="1"><img src="https://hm.baidu.com/x.gif"><img src="b.png">"#;
        let mut dom = parse(html);
        clean(&mut dom, &Rules::builtin());
        assert_eq!(dom.children(ROOT).count(), 1);
    }
}
