//! The arena DOM the tree builder produces: nodes in one `Vec`, linked by
//! index (parent, first/last child, previous/next sibling), so moving a node
//! (as the adoption agency and foster parenting do) is O(1) and no walk over
//! the tree needs recursion.

use super::elements;
use std::borrow::Cow;

/// Index of a node in [`Dom::nodes`].
pub type NodeId = usize;

/// The namespace of an element.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ns {
    /// Ordinary HTML.
    Html,
    /// Inside `<svg>`.
    Svg,
    /// Inside `<math>`.
    MathMl,
}

/// An element: lowercase name and attributes (names lowercase, values with
/// character references decoded; the first of duplicate names wins).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Element<'a> {
    /// Lowercase tag name.
    pub name: Cow<'a, str>,
    /// Namespace.
    pub ns: Ns,
    /// `(name, value)` pairs in source order (a boxed slice: 8 bytes less
    /// per element than a vector, which nothing grows once parsed).
    pub attrs: Box<[(Cow<'a, str>, Cow<'a, str>)]>,
}

impl Element<'_> {
    /// The value of attribute `name` (lowercase), if present.
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_ref())
    }
}

/// What a node is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NodeData<'a> {
    /// The fragment root (one per DOM, index 0).
    Root,
    /// An element.
    Element(Element<'a>),
    /// Text, references decoded.
    Text(Cow<'a, str>),
    /// A comment's inside.
    Comment(&'a str),
}

/// A node id or none, in 4 bytes (`u32::MAX` is none): a node's six
/// links and offset took 96 bytes as `Option<usize>`s, and a million tiny
/// elements make two million nodes.
#[derive(Clone, Copy, PartialEq, Eq)]
struct Link(u32);

impl Link {
    const NONE: Link = Link(u32::MAX);

    /// `None` also for an id past `u32::MAX - 1`, which no input reaches
    /// (each node costs tens of bytes).
    fn to(id: Option<usize>) -> Link {
        id.and_then(|i| u32::try_from(i).ok())
            .map_or(Link::NONE, Link)
    }

    fn get(self) -> Option<usize> {
        (self != Link::NONE).then_some(self.0 as usize)
    }
}

impl std::fmt::Debug for Link {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.get().fmt(f)
    }
}

/// One node and its links.
#[derive(Debug, Clone)]
pub struct Node<'a> {
    /// The node's content.
    pub data: NodeData<'a>,
    parent: Link,
    first_child: Link,
    last_child: Link,
    prev: Link,
    next: Link,
    offset: Link,
}

impl Node<'_> {
    fn new(data: NodeData<'_>, offset: Option<usize>) -> Node<'_> {
        Node {
            data,
            parent: Link::NONE,
            first_child: Link::NONE,
            last_child: Link::NONE,
            prev: Link::NONE,
            next: Link::NONE,
            offset: Link::to(offset),
        }
    }

    /// Parent, None for the root and for detached nodes.
    pub fn parent(&self) -> Option<NodeId> {
        self.parent.get()
    }

    /// First child.
    pub fn first_child(&self) -> Option<NodeId> {
        self.first_child.get()
    }

    /// Last child.
    pub fn last_child(&self) -> Option<NodeId> {
        self.last_child.get()
    }

    /// Previous sibling.
    pub fn prev(&self) -> Option<NodeId> {
        self.prev.get()
    }

    /// Next sibling.
    pub fn next(&self) -> Option<NodeId> {
        self.next.get()
    }

    /// Byte offset, in the parsed text, of the start tag that made this
    /// element (None for implied elements, text and the root, and past
    /// 4 GiB), so the mapping's warnings can say where.
    pub fn offset(&self) -> Option<usize> {
        self.offset.get()
    }
}

/// A parsed HTML fragment. Text and names borrow from the input where no
/// decoding was needed.
#[derive(Debug, Clone)]
pub struct Dom<'a> {
    /// All nodes ever created; detached ones are unreachable from the root.
    pub nodes: Vec<Node<'a>>,
}

/// The root's id.
pub const ROOT: NodeId = 0;

impl<'a> Dom<'a> {
    /// A DOM holding only the root.
    pub fn new() -> Self {
        Dom {
            nodes: vec![Node::new(NodeData::Root, None)],
        }
    }

    /// Adds a detached node.
    pub fn create(&mut self, data: NodeData<'a>) -> NodeId {
        self.create_at(data, None)
    }

    /// Adds a detached node made by the tag at byte `offset` of the text.
    pub fn create_at(&mut self, data: NodeData<'a>, offset: Option<usize>) -> NodeId {
        self.nodes.push(Node::new(data, offset));
        self.nodes.len() - 1
    }

    /// The node `id`.
    pub fn node(&self, id: NodeId) -> &Node<'a> {
        &self.nodes[id]
    }

    /// The element at `id`, if it is one.
    pub fn element(&self, id: NodeId) -> Option<&Element<'a>> {
        match &self.nodes.get(id)?.data {
            NodeData::Element(e) => Some(e),
            _ => None,
        }
    }

    /// Lowercase name of the element at `id`; empty for other nodes.
    pub fn name(&self, id: NodeId) -> &str {
        self.element(id).map_or("", |e| e.name.as_ref())
    }

    /// Children of `id`, in order.
    pub fn children(&self, id: NodeId) -> Children<'_, 'a> {
        Children {
            dom: self,
            next: self.nodes.get(id).and_then(Node::first_child),
        }
    }

    /// Unlinks `id` from its parent and siblings (its subtree goes with it).
    pub fn detach(&mut self, id: NodeId) {
        let (parent, prev, next) = {
            let n = &self.nodes[id];
            (n.parent(), n.prev, n.next)
        };
        if let Some(p) = prev.get() {
            self.nodes[p].next = next;
        } else if let Some(par) = parent {
            self.nodes[par].first_child = next;
        }
        if let Some(nx) = next.get() {
            self.nodes[nx].prev = prev;
        } else if let Some(par) = parent {
            self.nodes[par].last_child = prev;
        }
        let n = &mut self.nodes[id];
        n.parent = Link::NONE;
        n.prev = Link::NONE;
        n.next = Link::NONE;
    }

    /// Appends `child` (detaching it first) as the last child of `parent`.
    pub fn append(&mut self, parent: NodeId, child: NodeId) {
        self.detach(child);
        let last = self.nodes[parent].last_child;
        let (parent_link, child_link) = (Link::to(Some(parent)), Link::to(Some(child)));
        self.nodes[child].parent = parent_link;
        self.nodes[child].prev = last;
        match last.get() {
            Some(l) => self.nodes[l].next = child_link,
            None => self.nodes[parent].first_child = child_link,
        }
        self.nodes[parent].last_child = child_link;
    }

    /// Inserts `child` (detaching it first) just before `sibling`.
    pub fn insert_before(&mut self, sibling: NodeId, child: NodeId) {
        let Some(parent) = self.nodes[sibling].parent() else {
            return;
        };
        self.detach(child);
        let prev = self.nodes[sibling].prev;
        let child_link = Link::to(Some(child));
        self.nodes[child].parent = Link::to(Some(parent));
        self.nodes[child].prev = prev;
        self.nodes[child].next = Link::to(Some(sibling));
        self.nodes[sibling].prev = child_link;
        match prev.get() {
            Some(p) => self.nodes[p].next = child_link,
            None => self.nodes[parent].first_child = child_link,
        }
    }

    /// Moves all children of `from` to the end of `to`.
    pub fn reparent_children(&mut self, from: NodeId, to: NodeId) {
        while let Some(c) = self.nodes[from].first_child() {
            self.append(to, c);
        }
    }

    /// Next node after `id` in document order within the subtree of
    /// `scope`, skipping the children of `id` when `skip_children`.
    pub fn next_in(&self, scope: NodeId, id: NodeId, skip_children: bool) -> Option<NodeId> {
        if !skip_children {
            if let Some(c) = self.nodes[id].first_child() {
                return Some(c);
            }
        }
        let mut cur = id;
        loop {
            if cur == scope {
                return None;
            }
            if let Some(n) = self.nodes[cur].next() {
                return Some(n);
            }
            cur = self.nodes[cur].parent()?;
        }
    }

    /// The text a reader sees under `id`, in document order: all text nodes
    /// except the content of script, style, noscript and similar elements.
    pub fn text_of(&self, id: NodeId) -> String {
        let mut out = String::new();
        let mut cur = self.nodes[id].first_child();
        while let Some(n) = cur {
            let mut skip = false;
            match &self.nodes[n].data {
                NodeData::Text(t) => out.push_str(t),
                NodeData::Element(e) => skip = elements::is(&e.name, elements::HIDDEN),
                _ => {}
            }
            cur = self.next_in(id, n, skip);
        }
        out
    }

    /// [`Dom::text_of`] the whole fragment.
    pub fn text_content(&self) -> String {
        self.text_of(ROOT)
    }
}

impl Default for Dom<'_> {
    fn default() -> Self {
        Self::new()
    }
}

/// Iterator over a node's children.
pub struct Children<'d, 'a> {
    dom: &'d Dom<'a>,
    next: Option<NodeId>,
}

impl Iterator for Children<'_, '_> {
    type Item = NodeId;
    fn next(&mut self) -> Option<NodeId> {
        let cur = self.next?;
        self.next = self.dom.nodes[cur].next();
        Some(cur)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 9: a million `<b>x</b>` make two million nodes, which took
    /// 152 bytes each with `Option<usize>` links.
    #[test]
    fn nodes_stay_compact() {
        assert!(std::mem::size_of::<Node<'_>>() <= 72);
    }

    #[test]
    fn links_survive_moves() {
        let mut dom = Dom::new();
        let a = dom.create_at(NodeData::Comment("a"), Some(7));
        let b = dom.create(NodeData::Comment("b"));
        dom.append(ROOT, b);
        dom.insert_before(b, a);
        assert_eq!(dom.children(ROOT).collect::<Vec<_>>(), [a, b]);
        assert_eq!(dom.node(b).prev(), Some(a));
        assert_eq!(dom.node(a).offset(), Some(7));
        assert_eq!(dom.node(b).offset(), None);
        dom.detach(a);
        assert_eq!(dom.node(ROOT).first_child(), Some(b));
        assert_eq!(dom.node(a).parent(), None);
    }
}
