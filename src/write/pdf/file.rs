//! A PDF file written object by object: each object goes to the output as
//! soon as it is complete, and only its offset is remembered for the
//! cross-reference table. This is what keeps a thousand-article PDF bundle
//! from being held in memory whole.

use lopdf::{Dictionary, Object, StringFormat};
use std::io::{self, Write};

/// The output file, with the offsets of the objects written so far.
pub struct PdfFile<W: Write> {
    out: W,
    written: u64,
    /// Offset of each object by number (index 0 is the free list head).
    offsets: Vec<Option<u64>>,
}

impl<W: Write> PdfFile<W> {
    /// Starts a PDF 1.7 file (the binary comment marks it as binary).
    pub fn new(out: W) -> io::Result<Self> {
        let mut file = PdfFile {
            out,
            written: 0,
            offsets: vec![None],
        };
        file.raw(b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n")?;
        Ok(file)
    }

    /// A new object number, to refer to before the object is written.
    pub fn reserve(&mut self) -> u32 {
        self.offsets.push(None);
        (self.offsets.len() - 1) as u32
    }

    /// Writes `object` as number `id` (from [`PdfFile::reserve`]).
    pub fn object(&mut self, id: u32, object: &Object) -> io::Result<()> {
        self.begin(id)?;
        let mut buf = Vec::new();
        serialise(object, &mut buf);
        self.raw(&buf)?;
        self.raw(b"\nendobj\n")
    }

    /// Writes a new object and returns its number.
    pub fn add(&mut self, object: &Object) -> io::Result<u32> {
        let id = self.reserve();
        self.object(id, object)?;
        Ok(id)
    }

    /// Writes a stream object: `dict` gets its `/Length`, and `/Filter
    /// /FlateDecode` when `deflate` asks for the data to be compressed.
    pub fn stream(
        &mut self,
        id: u32,
        mut dict: Dictionary,
        data: &[u8],
        deflate: bool,
    ) -> io::Result<()> {
        let compressed;
        let body = if deflate {
            compressed = deflated(data)?;
            dict.set("Filter", Object::Name(b"FlateDecode".to_vec()));
            &compressed[..]
        } else {
            data
        };
        dict.set("Length", Object::Integer(body.len() as i64));
        self.begin(id)?;
        let mut head = Vec::new();
        serialise(&Object::Dictionary(dict), &mut head);
        head.extend_from_slice(b"\nstream\n");
        self.raw(&head)?;
        self.raw(body)?;
        self.raw(b"\nendstream\nendobj\n")
    }

    /// Writes a new stream object and returns its number.
    pub fn add_stream(&mut self, dict: Dictionary, data: &[u8], deflate: bool) -> io::Result<u32> {
        let id = self.reserve();
        self.stream(id, dict, data, deflate)?;
        Ok(id)
    }

    /// Writes the cross-reference table and trailer; returns the output.
    pub fn finish(mut self, mut trailer: Dictionary) -> io::Result<W> {
        let start = self.written;
        let mut table = format!("xref\n0 {}\n0000000000 65535 f \n", self.offsets.len());
        for offset in &self.offsets[1..] {
            match offset {
                Some(at) => table.push_str(&format!("{at:010} 00000 n \n")),
                // Reserved and never written: a free entry keeps the
                // table whole.
                None => table.push_str("0000000000 00000 f \n"),
            }
        }
        trailer.set("Size", Object::Integer(self.offsets.len() as i64));
        let mut tail = table.into_bytes();
        tail.extend_from_slice(b"trailer\n");
        serialise(&Object::Dictionary(trailer), &mut tail);
        tail.extend_from_slice(format!("\nstartxref\n{start}\n%%EOF\n").as_bytes());
        self.raw(&tail)?;
        Ok(self.out)
    }

    fn begin(&mut self, id: u32) -> io::Result<()> {
        if let Some(slot) = self.offsets.get_mut(id as usize) {
            *slot = Some(self.written);
        }
        self.raw(format!("{id} 0 obj\n").as_bytes())
    }

    fn raw(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.out.write_all(bytes)?;
        self.written += bytes.len() as u64;
        Ok(())
    }
}

/// `data` zlib-compressed, as `/FlateDecode` expects.
pub fn deflated(data: &[u8]) -> io::Result<Vec<u8>> {
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    z.write_all(data)?;
    z.finish()
}

/// Appends the PDF syntax of `object` (streams are written by
/// [`PdfFile::stream`], never nested).
pub fn serialise(object: &Object, out: &mut Vec<u8>) {
    match object {
        Object::Null | Object::Stream(_) => out.extend_from_slice(b"null"),
        Object::Boolean(b) => out.extend_from_slice(if *b { b"true" } else { b"false" }),
        Object::Integer(i) => out.extend_from_slice(i.to_string().as_bytes()),
        Object::Real(r) => out.extend_from_slice(real(*r).as_bytes()),
        Object::Name(name) => name_bytes(name, out),
        Object::String(bytes, StringFormat::Hexadecimal) => {
            out.push(b'<');
            for b in bytes {
                out.extend_from_slice(format!("{b:02X}").as_bytes());
            }
            out.push(b'>');
        }
        Object::String(bytes, StringFormat::Literal) => literal(bytes, out),
        Object::Array(items) => {
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b' ');
                }
                serialise(item, out);
            }
            out.push(b']');
        }
        Object::Dictionary(dict) => {
            out.extend_from_slice(b"<<");
            for (key, value) in dict.iter() {
                name_bytes(key, out);
                out.push(b' ');
                serialise(value, out);
            }
            out.extend_from_slice(b">>");
        }
        Object::Reference((id, gen)) => out.extend_from_slice(format!("{id} {gen} R").as_bytes()),
    }
}

/// A real number without exponent, trailing zeros trimmed.
fn real(r: f32) -> String {
    let r = if r.is_finite() { r } else { 0.0 };
    let s = format!("{r:.4}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s.is_empty() || s == "-" || s == "-0" {
        "0".to_string()
    } else {
        s.to_string()
    }
}

fn name_bytes(name: &[u8], out: &mut Vec<u8>) {
    out.push(b'/');
    for &b in name {
        if b.is_ascii_graphic() && !b"#()<>[]{}/%".contains(&b) {
            out.push(b);
        } else {
            out.extend_from_slice(format!("#{b:02X}").as_bytes());
        }
    }
}

fn literal(bytes: &[u8], out: &mut Vec<u8>) {
    out.push(b'(');
    for &b in bytes {
        match b {
            b'(' | b')' | b'\\' => out.extend_from_slice(&[b'\\', b]),
            b' '..=b'~' => out.push(b),
            _ => out.extend_from_slice(format!("\\{b:03o}").as_bytes()),
        }
    }
    out.push(b')');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn objects_serialise_as_pdf_syntax() {
        let mut d = Dictionary::new();
        d.set("Type", Object::Name(b"Font".to_vec()));
        d.set("N", Object::Name(b"A B#".to_vec()));
        d.set("R", Object::Real(0.5));
        d.set("S", Object::string_literal("a(b)\\\n"));
        d.set(
            "K",
            Object::Array(vec![Object::Reference((3, 0)), Object::Integer(-2)]),
        );
        let mut out = Vec::new();
        serialise(&Object::Dictionary(d), &mut out);
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "<</Type /Font/N /A#20B#23/R 0.5/S (a\\(b\\)\\\\\\012)/K [3 0 R -2]>>"
        );
    }

    #[test]
    fn a_written_file_parses_and_lists_its_objects() {
        let mut f = PdfFile::new(Vec::new()).unwrap();
        let pages = f.reserve();
        let unused = f.reserve();
        let page = f
            .add(&Object::Dictionary(Dictionary::from_iter(vec![
                ("Type", Object::Name(b"Page".to_vec())),
                ("Parent", Object::Reference((pages, 0))),
                (
                    "MediaBox",
                    Object::Array(vec![0.into(), 0.into(), 100.into(), 100.into()]),
                ),
            ])))
            .unwrap();
        f.object(
            pages,
            &Object::Dictionary(Dictionary::from_iter(vec![
                ("Type", Object::Name(b"Pages".to_vec())),
                ("Kids", Object::Array(vec![Object::Reference((page, 0))])),
                ("Count", Object::Integer(1)),
            ])),
        )
        .unwrap();
        let catalog = f
            .add(&Object::Dictionary(Dictionary::from_iter(vec![
                ("Type", Object::Name(b"Catalog".to_vec())),
                ("Pages", Object::Reference((pages, 0))),
            ])))
            .unwrap();
        let bytes = f
            .finish(Dictionary::from_iter(vec![(
                "Root",
                Object::Reference((catalog, 0)),
            )]))
            .unwrap();
        let doc = lopdf::Document::load_mem(&bytes).unwrap();
        assert_eq!(doc.get_pages().len(), 1);
        assert!(unused > 0);
    }

    #[test]
    fn reals_have_no_exponent_or_trailing_zeros() {
        assert_eq!(real(1.0), "1");
        assert_eq!(real(0.25), "0.25");
        assert_eq!(real(-0.00001), "0");
        assert_eq!(real(f32::NAN), "0");
        assert_eq!(real(1e20), "100000002004087734272");
    }
}
