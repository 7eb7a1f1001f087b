//! The words conv writes itself, in the book's language: what a bundle adds
//! around its articles (its default title, the date range, the article
//! count, its author line, the contents), the labels of generated EPUB
//! pages, and what stands for a picture that is not drawn. So a Chinese
//! book says "2018年10月1日 – 2022年9月10日 · 40 篇" and "[图片]", not
//! "Articles 2018-10-01 – 2022-09-10, 40 articles" and "[image]".

use chrono::{Datelike, NaiveDate};

use crate::model::Image;

/// The languages conv's own words are written in; anything else is English.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Words {
    Chinese,
    Japanese,
    English,
}

impl Words {
    /// From a BCP 47 tag (`zh-CN`, `ja`, `en-US`…); unknown or none: English.
    pub fn of(tag: Option<&str>) -> Words {
        match tag
            .unwrap_or("")
            .split(['-', '_'])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase()
            .as_str()
        {
            "zh" => Words::Chinese,
            "ja" => Words::Japanese,
            _ => Words::English,
        }
    }

    /// One day: "2018年10月1日" or "1 October 2018".
    pub fn day(self, d: NaiveDate) -> String {
        match self {
            Words::Chinese | Words::Japanese => {
                format!("{}年{}月{}日", d.year(), d.month(), d.day())
            }
            Words::English => {
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
            Words::Chinese => format!("{n} 篇"),
            Words::Japanese => format!("{n} 本"),
            Words::English if n == 1 => "1 article".to_string(),
            Words::English => format!("{n} articles"),
        }
    }

    /// The title of a bundle the user gave none: the word for a collection
    /// of articles, with the date range when there is one.
    pub fn default_title(self, range: &str) -> String {
        let word = match self {
            Words::Chinese => "文章合集",
            Words::Japanese => "記事集",
            Words::English => "Articles",
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
            Words::Chinese => "目录",
            Words::Japanese => "目次",
            Words::English => "Contents",
        }
    }

    /// What an article without a title is listed as.
    pub fn untitled(self) -> &'static str {
        match self {
            Words::Chinese => "无标题",
            Words::Japanese => "無題",
            Words::English => "Untitled",
        }
    }

    /// The section of articles with no source or category.
    pub fn other(self) -> &'static str {
        match self {
            Words::Chinese => "其他",
            Words::Japanese => "その他",
            Words::English => "Other",
        }
    }

    /// The section of articles with no date.
    pub fn undated(self) -> &'static str {
        match self {
            Words::Chinese => "日期不详",
            Words::Japanese => "日付不明",
            Words::English => "Undated",
        }
    }

    /// The table-of-contents entry of a book's title page.
    pub fn title_page(self) -> &'static str {
        match self {
            Words::Chinese => "扉页",
            Words::Japanese => "扉",
            Words::English => "Title Page",
        }
    }

    /// "Source:" before an article's source link, punctuation included.
    pub fn source(self) -> &'static str {
        match self {
            Words::Chinese => "来源：",
            Words::Japanese => "出典：",
            Words::English => "Source: ",
        }
    }

    /// Between authors or subjects in a list.
    pub fn separator(self) -> &'static str {
        match self {
            Words::Chinese | Words::Japanese => "、",
            Words::English => ", ",
        }
    }

    /// A colon after a label: full-width in Chinese and Japanese.
    pub fn colon(self) -> &'static str {
        match self {
            Words::Chinese | Words::Japanese => "：",
            Words::English => ": ",
        }
    }

    /// What stands for a picture that is not drawn: "[image]" when there is
    /// nothing to call it, else "[image: harbour.jpg]" / "[图片：港口]".
    pub fn picture(self, what: Option<&str>) -> String {
        let word = match self {
            Words::Chinese => "图片",
            Words::Japanese => "画像",
            Words::English => "image",
        };
        let colon = self.colon();
        match what.map(str::trim).filter(|w| !w.is_empty()) {
            Some(what) => format!("[{word}{colon}{what}]"),
            None => format!("[{word}]"),
        }
    }

    /// An inline picture shown as text: a short alt (an emoji or symbol
    /// drawn as a picture) as itself, else [`Words::picture`] of its label.
    pub fn inline_picture(self, image: &Image) -> String {
        match image.symbol() {
            Some(symbol) => symbol.to_string(),
            None => self.picture(image.label().as_deref()),
        }
    }

    /// The book's author line from its sources (most frequent first): at
    /// most three named, then "等" / "ほか" / "and others".
    pub fn sources(self, names: &[String]) -> String {
        let (sep, more) = match self {
            Words::Chinese => ("、", "等"),
            Words::Japanese => ("、", "ほか"),
            Words::English => (", ", " and others"),
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
        let zh = Words::of(Some("zh-CN"));
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
    fn pictures_are_named_in_the_books_language() {
        let hashed = Image {
            src: "https://x.test/4499e616cc5ee57a9b.jpg".into(),
            ..Image::default()
        };
        let named = Image {
            src: "https://x.test/harbour.jpg".into(),
            ..Image::default()
        };
        assert_eq!(Words::English.inline_picture(&hashed), "[image]");
        assert_eq!(Words::Chinese.inline_picture(&hashed), "[图片]");
        assert_eq!(
            Words::Japanese.inline_picture(&named),
            "[画像：harbour.jpg]"
        );
        assert_eq!(
            Words::English.picture(Some("a harbour")),
            "[image: a harbour]"
        );
        let emoji = Image {
            alt: "😀".into(),
            ..named
        };
        assert_eq!(Words::Chinese.inline_picture(&emoji), "😀");
    }

    #[test]
    fn japanese_and_english_furniture() {
        let ja = Words::of(Some("ja"));
        assert_eq!(ja.count(3), "3 本");
        let en = Words::of(Some("en-GB"));
        assert_eq!(en.count(1), "1 article");
        assert_eq!(
            en.range(day(2022, 2, 14), day(2022, 2, 14)),
            "14 February 2022"
        );
        assert_eq!(Words::of(None), Words::English);
        assert_eq!(Words::of(Some("fr")), Words::English);
    }
}
