//! The integration tests: one crate (one link) instead of one binary per file.

mod adversarial;
mod bulk;
mod bundle_furniture;
mod cli;
#[allow(dead_code)]
mod common;
mod device;
mod diagnostics;
mod epub_images;
mod epub_kepub;
mod epub_kindle;
mod epub_safety;
mod epub_structure;
#[allow(dead_code)]
mod epub_support;
mod epub_templates;
mod epub_validity;
mod feeds;
mod golden;
mod html_differential;
mod html_fidelity;
mod html_hostile;
mod html_proptest;
mod html_read;
mod opds;
mod pages;
mod pdf_fonts;
mod pdf_samples;
mod read_body;
mod read_frontmatter;
mod read_hardening;
mod read_meta;
mod read_yaml;
mod roundtrip;
mod state;
mod validators;
