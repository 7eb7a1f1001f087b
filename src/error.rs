//! The library's typed errors. The binary wraps them with anyhow and the file
//! name at its edge; inside the library an error says what went wrong and,
//! where there is one, where (line:column in the input file).

use thiserror::Error;

/// Everything that can stop a conversion.
#[derive(Debug, Error)]
pub enum Error {
    /// The front matter could not be read at all (even leniently).
    #[error("front matter ({format}) at line {line}, column {column}: {message}")]
    FrontMatter {
        format: &'static str,
        line: usize,
        column: usize,
        message: String,
    },
    /// A JSON document of the model could not be read.
    #[error("JSON document: {0}")]
    Json(String),
    /// A JSON document of another major schema version.
    #[error("JSON document has schema version {found}; this conv reads version {supported}")]
    SchemaVersion { found: String, supported: String },
    /// A feed (RSS, Atom, JSON Feed) could not be read.
    #[error("feed: {0}")]
    Feed(String),
    /// The input is not text in any encoding we read.
    #[error("input is not text: {0}")]
    NotText(String),
    /// The input is larger or deeper than conv accepts.
    #[error("input too large: {0}")]
    TooLarge(String),
    /// An unknown input or output format name.
    #[error("unknown format '{0}' (see --list-formats)")]
    UnknownFormat(String),
    /// A template could not be loaded or rendered.
    #[error("template {name}{}: {message}", line.map(|l| format!(":{l}")).unwrap_or_default())]
    Template {
        name: String,
        line: Option<usize>,
        message: String,
    },
    /// A font could not be loaded or used.
    #[error("font {path}: {message}")]
    Font { path: String, message: String },
    /// A rules file for the clean-up could not be read.
    #[error("rules file {path}: {message}")]
    Rules { path: String, message: String },
    /// The writer failed to produce its format.
    #[error("{format} writer: {message}")]
    Write {
        format: &'static str,
        message: String,
    },
    /// A bad option value (the CLI exits with status 2).
    #[error("{0}")]
    Usage(String),
    /// Reading or writing a file failed.
    #[error("{context}: {source}")]
    Io {
        context: String,
        #[source]
        source: std::io::Error,
    },
}

impl Error {
    /// An I/O error with what was being done.
    pub fn io(context: impl Into<String>, source: std::io::Error) -> Self {
        Error::Io {
            context: context.into(),
            source,
        }
    }

    /// A writer failure.
    pub fn write(format: &'static str, message: impl std::fmt::Display) -> Self {
        Error::Write {
            format,
            message: message.to_string(),
        }
    }
}

impl Clone for Error {
    /// A copy for every article that needs what failed once (a font or
    /// template loaded once per run); an I/O error keeps its kind and text.
    fn clone(&self) -> Self {
        match self {
            Error::Feed(message) => Error::Feed(message.clone()),
            Error::FrontMatter {
                format,
                line,
                column,
                message,
            } => Error::FrontMatter {
                format,
                line: *line,
                column: *column,
                message: message.clone(),
            },
            Error::Json(m) => Error::Json(m.clone()),
            Error::SchemaVersion { found, supported } => Error::SchemaVersion {
                found: found.clone(),
                supported: supported.clone(),
            },
            Error::NotText(m) => Error::NotText(m.clone()),
            Error::TooLarge(m) => Error::TooLarge(m.clone()),
            Error::UnknownFormat(m) => Error::UnknownFormat(m.clone()),
            Error::Template {
                name,
                line,
                message,
            } => Error::Template {
                name: name.clone(),
                line: *line,
                message: message.clone(),
            },
            Error::Font { path, message } => Error::Font {
                path: path.clone(),
                message: message.clone(),
            },
            Error::Rules { path, message } => Error::Rules {
                path: path.clone(),
                message: message.clone(),
            },
            Error::Write { format, message } => Error::Write {
                format,
                message: message.clone(),
            },
            Error::Usage(m) => Error::Usage(m.clone()),
            Error::Io { context, source } => Error::Io {
                context: context.clone(),
                source: std::io::Error::new(source.kind(), source.to_string()),
            },
        }
    }
}

/// Result with the library's error.
pub type Result<T, E = Error> = std::result::Result<T, E>;
