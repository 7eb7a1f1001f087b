//! The words a bundle adds around its articles — its default title, the date
//! range, the article count, its author line — in the book's language, so a
//! Chinese book says "2018年10月1日 – 2022年9月10日 · 40 篇" and not
//! "Articles 2018-10-01 – 2022-09-10, 40 articles".

use chrono::{Datelike, NaiveDate};

/// The languages bundle furniture is written in; anything else is English.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FurnitureLanguage {
    Chinese,
    Japanese,
    English,
}

impl FurnitureLanguage {
    /// From a BCP 47 tag (`zh-CN`, `ja`, `en-US`…); unknown or none: English.
    pub fn of(tag: Option<&str>) -> FurnitureLanguage {
        match tag
            .unwrap_or("")
            .split(['-', '_'])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase()
            .as_str()
        {
            "zh" => FurnitureLanguage::Chinese,
            "ja" => FurnitureLanguage::Japanese,
            _ => FurnitureLanguage::English,
        }
    }

    /// One day: "2018年10月1日" or "1 October 2018".
    pub fn day(self, d: NaiveDate) -> String {
        match self {
            FurnitureLanguage::Chinese | FurnitureLanguage::Japanese => {
                format!("{}年{}月{}日", d.year(), d.month(), d.day())
            }
            FurnitureLanguage::English => {
                format!("{} {} {}", d.day(), MONTHS[d.month0() as usize], d.year())
            }
        }
    }

    /// The span of the articles' days, or empty when none is dated.
    pub fn range(self, first: Option<NaiveDate>, last: Option<NaiveDate>) -> String {
        match (first, last) {
            (Some(a), Some(b)) if a == b => self.day(a),
            (Some(a), Some(b)) => format!("{} – {}", self.day(a), self.day(b)),
            _ => String::new(),
        }
    }

    /// "40 篇", "40 本", "40 articles" (and "1 article").
    pub fn count(self, n: usize) -> String {
        match self {
            FurnitureLanguage::Chinese => format!("{n} 篇"),
            FurnitureLanguage::Japanese => format!("{n} 本"),
            FurnitureLanguage::English if n == 1 => "1 article".to_string(),
            FurnitureLanguage::English => format!("{n} articles"),
        }
    }

    /// The title of a bundle the user gave none: the word for a collection
    /// of articles, with the date range when there is one.
    pub fn default_title(self, range: &str) -> String {
        let word = match self {
            FurnitureLanguage::Chinese => "文章合集",
            FurnitureLanguage::Japanese => "記事集",
            FurnitureLanguage::English => "Articles",
        };
        if range.is_empty() {
            word.to_string()
        } else {
            format!("{word} {range}")
        }
    }

    /// The description line: date range and count, "·"-separated.
    pub fn description(self, range: &str, n: usize) -> String {
        if range.is_empty() {
            self.count(n)
        } else {
            format!("{range} · {}", self.count(n))
        }
    }

    /// The heading of the printed table of contents.
    pub fn contents(self) -> &'static str {
        match self {
            FurnitureLanguage::Chinese => "目录",
            FurnitureLanguage::Japanese => "目次",
            FurnitureLanguage::English => "Contents",
        }
    }

    /// What an article without a title is listed as.
    pub fn untitled(self) -> &'static str {
        match self {
            FurnitureLanguage::Chinese => "无标题",
            FurnitureLanguage::Japanese => "無題",
            FurnitureLanguage::English => "Untitled",
        }
    }

    /// The section of articles with no source or category.
    pub fn other(self) -> &'static str {
        match self {
            FurnitureLanguage::Chinese => "其他",
            FurnitureLanguage::Japanese => "その他",
            FurnitureLanguage::English => "Other",
        }
    }

    /// The section of articles with no date.
    pub fn undated(self) -> &'static str {
        match self {
            FurnitureLanguage::Chinese => "日期不详",
            FurnitureLanguage::Japanese => "日付不明",
            FurnitureLanguage::English => "Undated",
        }
    }

    /// The book's author line from its sources (most frequent first): at
    /// most three named, then "等" / "ほか" / "and others".
    pub fn sources(self, names: &[String]) -> String {
        let (sep, more) = match self {
            FurnitureLanguage::Chinese => ("、", "等"),
            FurnitureLanguage::Japanese => ("、", "ほか"),
            FurnitureLanguage::English => (", ", " and others"),
        };
        let shown = names.iter().take(3).cloned().collect::<Vec<_>>().join(sep);
        if names.len() > 3 {
            format!("{shown}{more}")
        } else {
            shown
        }
    }
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, d)
    }

    #[test]
    fn chinese_bundle_furniture_has_no_english() {
        let zh = FurnitureLanguage::of(Some("zh-CN"));
        let range = zh.range(day(2018, 10, 1), day(2022, 9, 10));
        assert_eq!(range, "2018年10月1日 – 2022年9月10日");
        assert_eq!(
            zh.description(&range, 40),
            "2018年10月1日 – 2022年9月10日 · 40 篇"
        );
        assert_eq!(zh.default_title(""), "文章合集");
        let sources: Vec<String> = ["新浪", "网易", "人民网", "澎湃"].map(String::from).into();
        assert_eq!(zh.sources(&sources), "新浪、网易、人民网等");
        for word in [zh.contents(), zh.untitled(), zh.other(), zh.undated()] {
            assert!(!word.chars().any(|c| c.is_ascii_alphabetic()), "{word}");
        }
    }

    #[test]
    fn japanese_and_english_furniture() {
        let ja = FurnitureLanguage::of(Some("ja"));
        assert_eq!(ja.count(3), "3 本");
        let en = FurnitureLanguage::of(Some("en-GB"));
        assert_eq!(en.count(1), "1 article");
        assert_eq!(
            en.range(day(2022, 2, 14), day(2022, 2, 14)),
            "14 February 2022"
        );
        assert_eq!(FurnitureLanguage::of(None), FurnitureLanguage::English);
        assert_eq!(
            FurnitureLanguage::of(Some("fr")),
            FurnitureLanguage::English
        );
    }
}
