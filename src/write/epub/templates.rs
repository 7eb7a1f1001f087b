//! The templates of the generated pages: built-in defaults compiled into the
//! binary, any of which (and the stylesheet) a file of the same name in
//! `Options::template_dir` replaces. Errors name the file and line.

use crate::error::{Error, Result};
use crate::options::Options;
use minijinja::{AutoEscape, Environment};
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

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
    dir: Option<PathBuf>,
}

/// The XML declaration every XHTML file must start with (Send to Kindle
/// reads a file without one as Latin-1).
const XML_DECLARATION: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";

impl Templates {
    /// The built-in templates with the overrides of `opts.template_dir`.
    /// The built-in set is compiled once per process.
    pub fn load(opts: &Options) -> Result<Arc<Templates>> {
        match &opts.template_dir {
            Some(dir) => Ok(Arc::new(Templates::build(Some(dir))?)),
            None => {
                static DEFAULT: OnceLock<Arc<Templates>> = OnceLock::new();
                if let Some(t) = DEFAULT.get() {
                    return Ok(t.clone());
                }
                let built = Arc::new(Templates::build(None)?);
                Ok(DEFAULT.get_or_init(|| built).clone())
            }
        }
    }

    fn build(dir: Option<&Path>) -> Result<Templates> {
        if let Some(dir) = dir {
            if !dir.is_dir() {
                return Err(Error::Template {
                    name: dir.display().to_string(),
                    line: None,
                    message: "template folder not found".into(),
                });
            }
        }
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
            env.set_loader(minijinja::path_loader(dir));
        }
        let templates = Templates {
            env,
            css: String::new(),
            dir: dir.map(Path::to_path_buf),
        };
        templates.fill(dir)
    }

    fn fill(mut self, dir: Option<&Path>) -> Result<Templates> {
        for (name, source) in DEFAULTS {
            let result = match override_file(dir, name)? {
                Some(text) => self.env.add_template_owned(name, text),
                None => self.env.add_template(name, source),
            };
            result.map_err(|e| self.error(name, &e))?;
        }
        self.css = override_file(dir, STYLESHEET)?.unwrap_or_else(|| DEFAULT_CSS.to_string());
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
            Some(dir) if dir.join(failing).is_file() => dir.join(failing).display().to_string(),
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

/// The text of `dir/name` if the override exists.
fn override_file(dir: Option<&Path>, name: &str) -> Result<Option<String>> {
    let Some(path) = dir.map(|d| d.join(name)).filter(|p| p.exists()) else {
        return Ok(None);
    };
    std::fs::read_to_string(&path)
        .map(Some)
        .map_err(|e| Error::Template {
            name: path.display().to_string(),
            line: None,
            message: e.to_string(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_dir(files: &[(&str, &str)]) -> (tempfile::TempDir, Options) {
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in files {
            std::fs::write(dir.path().join(name), text).unwrap();
        }
        let opts = Options {
            template_dir: Some(dir.path().to_path_buf()),
            ..Options::default()
        };
        (dir, opts)
    }

    #[test]
    fn defaults_compile_and_start_with_the_xml_declaration() {
        let t = Templates::load(&Options::default()).unwrap();
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
        let t = Templates::load(&opts).unwrap();
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
        let Err(Error::Template { name, line, .. }) = Templates::load(&opts) else {
            panic!("expected a template error");
        };
        assert_eq!(name, dir.path().join(TITLE).display().to_string());
        assert!(line.is_some());
    }

    #[test]
    fn a_missing_include_or_folder_is_a_template_error() {
        let (_dir, opts) = with_dir(&[(CHAPTER, "a\n{% include \"nope.xhtml\" %}")]);
        let t = Templates::load(&opts).unwrap();
        let err = t.render(CHAPTER, minijinja::context! {}).unwrap_err();
        let text = err.to_string();
        assert!(text.contains("nope.xhtml"), "{text}");
        let opts = Options {
            template_dir: Some("/nonexistent/conv-templates".into()),
            ..Options::default()
        };
        assert!(matches!(
            Templates::load(&opts),
            Err(Error::Template { .. })
        ));
    }
}
