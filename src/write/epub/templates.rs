//! The templates of the generated pages: built-in defaults compiled into the
//! binary, any of which (and the stylesheet) a file of the same name in
//! `Options::template_dir` replaces. Errors name the file and line.

use crate::error::{Error, Result};
use minijinja::{AutoEscape, Environment};
use serde::Serialize;
use std::collections::HashMap;
use std::path::PathBuf;

/// The title page.
pub const TITLE: &str = "title.xhtml";
/// One article.
pub const CHAPTER: &str = "chapter.xhtml";
/// The opening page of a section of a bundle.
pub const SECTION: &str = "section.xhtml";
/// The stylesheet (used as is, not a template).
pub const STYLESHEET: &str = "style.css";

const DEFAULTS: [(&str, &str); 3] = [
    (TITLE, include_str!("../../../templates/epub/title.xhtml")),
    (
        CHAPTER,
        include_str!("../../../templates/epub/chapter.xhtml"),
    ),
    (
        SECTION,
        include_str!("../../../templates/epub/section.xhtml"),
    ),
];
const DEFAULT_CSS: &str = include_str!("../../../templates/epub/style.css");

/// Compiled templates and the stylesheet for one conversion.
pub struct Templates {
    env: Environment<'static>,
    css: String,
    /// The override folder, to name override files in errors.
    dir: Option<TemplateFiles>,
}

/// The XML declaration every XHTML file must start with (Send to Kindle
/// reads a file without one as Latin-1).
const XML_DECLARATION: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";

/// The files of a `--template-dir`, read by the session (this module does
/// no I/O): names relative to the folder, with `/` between parts.
#[derive(Debug, Clone, Default)]
pub struct TemplateFiles {
    /// The folder, to name override files in errors.
    pub dir: PathBuf,
    /// Relative name → text.
    pub files: HashMap<String, String>,
}

impl Templates {
    /// The built-in templates with the overrides of `dir` (`--template-dir`,
    /// read once per run by the session).
    pub fn load(dir: Option<&TemplateFiles>) -> Result<Templates> {
        let mut env = Environment::new();
        env.set_keep_trailing_newline(true);
        // Everything but the stylesheet is XHTML: escape by default.
        env.set_auto_escape_callback(|name| {
            if name.ends_with(".css") {
                AutoEscape::None
            } else {
                AutoEscape::Html
            }
        });
        if let Some(dir) = dir {
            // Override templates may include or extend further files there.
            let files = dir.files.clone();
            env.set_loader(move |name| Ok(files.get(name).cloned()));
        }
        let templates = Templates {
            env,
            css: String::new(),
            dir: dir.cloned(),
        };
        templates.fill(dir)
    }

    fn fill(mut self, dir: Option<&TemplateFiles>) -> Result<Templates> {
        let overridden = |name: &str| dir.and_then(|d| d.files.get(name)).cloned();
        for (name, source) in DEFAULTS {
            let result = match overridden(name) {
                Some(text) => self.env.add_template_owned(name, text),
                None => self.env.add_template(name, source),
            };
            result.map_err(|e| self.error(name, &e))?;
        }
        self.css = overridden(STYLESHEET).unwrap_or_else(|| DEFAULT_CSS.to_string());
        Ok(self)
    }

    /// The stylesheet's text.
    pub fn css(&self) -> &str {
        &self.css
    }

    /// Renders the XHTML template `name` with `context`, guaranteeing the
    /// XML declaration at the top.
    pub fn render(&self, name: &str, context: impl Serialize) -> Result<String> {
        let template = self
            .env
            .get_template(name)
            .map_err(|e| self.error(name, &e))?;
        let text = template.render(context).map_err(|e| self.error(name, &e))?;
        let body = text.trim_start_matches('\u{feff}').trim_start();
        if body.starts_with("<?xml") {
            Ok(body.to_string())
        } else {
            Ok(format!("{XML_DECLARATION}{body}"))
        }
    }

    /// A template error naming the file (the override's path when there is
    /// one) and the line.
    fn error(&self, name: &str, e: &minijinja::Error) -> Error {
        let failing = e.name().unwrap_or(name);
        let name = match &self.dir {
            Some(dir) if dir.files.contains_key(failing) => {
                dir.dir.join(failing).display().to_string()
            }
            _ => failing.to_string(),
        };
        let message = match e.detail() {
            Some(detail) => format!("{}: {detail}", e.kind()),
            None => e.kind().to_string(),
        };
        Error::Template {
            name,
            line: e.line(),
            message,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_dir(files: &[(&str, &str)]) -> (PathBuf, Option<TemplateFiles>) {
        let dir = PathBuf::from("/templates");
        let files = files
            .iter()
            .map(|(name, text)| (name.to_string(), text.to_string()))
            .collect();
        let set = TemplateFiles {
            dir: dir.clone(),
            files,
        };
        (dir, Some(set))
    }

    #[test]
    fn defaults_compile_and_start_with_the_xml_declaration() {
        let t = Templates::load(None).unwrap();
        let ctx = minijinja::context! { title => "a<b", lang => "en", body => "", css => "x.css" };
        for name in [TITLE, CHAPTER, SECTION] {
            let out = t.render(name, &ctx).unwrap();
            assert!(out.starts_with(XML_DECLARATION), "{name}");
            assert!(out.contains("a&lt;b"), "{name}");
        }
        assert!(t.css().contains("text-indent: 2em"));
        for rule in [
            "font-family: monospace, monospace",
            "overflow-wrap: anywhere",
            "text-spacing-trim",
            "text-autospace",
        ] {
            assert!(t.css().contains(rule), "{rule}");
        }
    }

    #[test]
    fn overrides_replace_templates_and_css() {
        let (_dir, opts) = with_dir(&[
            (
                CHAPTER,
                "<html>{{ title }}{% include \"part.xhtml\" %}</html>",
            ),
            ("part.xhtml", "[part]"),
            (STYLESHEET, "p { color: red }"),
        ]);
        let t = Templates::load(opts.as_ref()).unwrap();
        let out = t
            .render(CHAPTER, minijinja::context! { title => "T&" })
            .unwrap();
        assert_eq!(out, format!("{XML_DECLARATION}<html>T&amp;[part]</html>"));
        assert_eq!(t.css(), "p { color: red }");
        // Templates not overridden are the built-in ones.
        assert!(t.render(TITLE, minijinja::context! {}).is_ok());
    }

    #[test]
    fn a_broken_override_names_file_and_line() {
        let (dir, opts) = with_dir(&[(TITLE, "<p>\n\n{% if x %}\n</p>")]);
        let Err(Error::Template { name, line, .. }) = Templates::load(opts.as_ref()) else {
            panic!("expected a template error");
        };
        assert_eq!(name, dir.join(TITLE).display().to_string());
        assert!(line.is_some());
    }

    #[test]
    fn a_missing_include_or_folder_is_a_template_error() {
        let (_dir, opts) = with_dir(&[(CHAPTER, "a\n{% include \"nope.xhtml\" %}")]);
        let t = Templates::load(opts.as_ref()).unwrap();
        let err = t.render(CHAPTER, minijinja::context! {}).unwrap_err();
        let text = err.to_string();
        assert!(text.contains("nope.xhtml"), "{text}");
    }
}
