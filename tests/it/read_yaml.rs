//! The fast YAML subset reader gives exactly what the full parser gives.

use conv::read::{simple_yaml, yaml};
use proptest::prelude::*;

/// Front matter in the subset, and outside it (the fast reader must say
/// `None` for those or agree with the full parser).
const CASES: &[&str] = &[
    "title: '江苏省委书记：采取更坚决果断措施'\ncategories: \n - 金融\n - 新浪财经\nheadimg: 'https://n.sinaimg.cn/a.png'\nauthor: 新浪财经\ncomments: false\ndate: Mon, 14 Feb 2022 07:02:16 GMT\nthumbnail: 'https://n.sinaimg.cn/a.png'\n",
    "title: fix (path)_ Bangumi & feat(radar)_ add rules\ncategories: \n    - 编程\n    - GitHub - 仓库\nthumbnail: \n",
    "title: \"'Do Not Split'_ A film _video_\"\ndate: 2021-03-26 00:25:44\n",
    "title: '\"Polska-moje miejsce na świecie\"\"'\n",
    "title: 'It''s'\n",
    "title: It's plain\nn: 2020\nneg: -3\nz: 0\nbig: 99999999999999999999\nf: 1.5\ne: 1e5\nlead: 012\nhex: 0x1F\nplus: +1\nund: 1_000\n",
    "a: true\nb: False\nc: NULL\nd: ~\ne: yes\nf: inf\ng: .inf\nh: NaN\ni: -\nj: -x\n",
    "tags:\n- a\n-\n- \n- 'b'\n- \"c\"\n- 3\n",
    "tags:\n  - a\n - b\n",
    "tags: [a, b]\n",
    "t: |\n  block\n",
    "t: a # comment\n",
    "# comment\nt: a\n",
    "t: a\nt: b\n",
    "t: 'open\n  more'\n",
    "t: \"esc \\\" q\"\n",
    "t: &anchor a\nu: *anchor\n",
    "t: !tag a\n",
    "nested:\n  k: v\n",
    "categories:\n- [Tech, Rust]\n",
    "null: x\n",
    "2020: x\n",
    "t: a: b\n",
    "t: a:\n",
    "t:\ta\n",
    "",
    "\n\n",
    "t: \"\"\n",
    "t: ''\n",
    "t: '''\n",
    "key-with-dash: v\n_under: w\n",
    "t: x\r\nu: y\r\n",
    "list:\n- a\nafter: b\n",
    "empty:\nnext: 1\n",
];

fn agree(raw: &str) {
    if let Some(fast) = simple_yaml::parse(raw) {
        let full = yaml::full(raw)
            .unwrap_or_else(|e| panic!("{raw:?}: fast read it but full failed: {e:?}"));
        assert_eq!(fast, full, "{raw:?}");
    }
}

#[test]
fn table_agrees_with_the_full_parser() {
    for raw in CASES {
        agree(raw);
    }
}

#[test]
fn common_front_matter_takes_the_fast_path() {
    for raw in &CASES[..5] {
        assert!(simple_yaml::parse(raw).is_some(), "{raw:?}");
    }
    for raw in [
        "tags: [a, b]\n",
        "t: |\n  block\n",
        "t: a # c\n",
        "t: a\nt: b\n",
    ] {
        assert!(simple_yaml::parse(raw).is_none(), "{raw:?}");
    }
}

fn line() -> impl Strategy<Value = String> {
    let scalar = prop_oneof![
        "[a-zA-Z0-9 ,.:#'\"!&*%@|>{}\\[\\]~_+-]{0,10}",
        Just("true".to_string()),
        Just("null".to_string()),
        Just("0x10".to_string()),
        Just("-1".to_string()),
        Just("1.0".to_string()),
        Just("'a''b'".to_string()),
        Just("中文".to_string()),
    ];
    (0usize..4, "[a-z_]{1,3}", scalar).prop_map(|(kind, key, value)| match kind {
        0 => format!("{key}: {value}"),
        1 => format!("{key}:"),
        2 => format!(" - {value}"),
        _ => format!("- {value}"),
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4000))]
    #[test]
    fn random_front_matter_agrees(lines in proptest::collection::vec(line(), 0..8)) {
        let raw = lines.join("\n");
        if let Some(fast) = simple_yaml::parse(&raw) {
            let full = yaml::full(&raw);
            prop_assert!(full.is_ok(), "{:?}: full parser failed: {:?}", raw, full);
            prop_assert_eq!(Some(fast), full.ok(), "{:?}", raw);
        }
    }
}
