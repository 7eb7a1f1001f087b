//! A bundle's pictures on disk. A bundle of thousands of articles with
//! pictures would otherwise hold every picture's bytes until its book is
//! written (1,000 articles with a 650 KB picture each: 2.4 GB at the peak,
//! for a 644 MB book). Bytes are appended to one temporary file as the
//! articles are read, and read back when a writer embeds them; the file is
//! deleted when the run ends, however it ends (an unnamed temporary file).

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::sync::{Mutex, MutexGuard};

/// The temporary file of one run's spooled pictures.
#[derive(Debug)]
pub struct Spool {
    file: Mutex<File>,
}

/// Where one picture's bytes are in the spool.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Extent {
    at: u64,
    len: usize,
}

impl Spool {
    /// An empty spool in the system's temporary folder.
    pub fn new() -> io::Result<Spool> {
        Ok(Spool {
            file: Mutex::new(tempfile::tempfile()?),
        })
    }

    /// Appends `bytes`, returning where they are.
    pub fn put(&self, bytes: &[u8]) -> io::Result<Extent> {
        let mut file = self.file();
        let at = file.seek(SeekFrom::End(0))?;
        file.write_all(bytes)?;
        Ok(Extent {
            at,
            len: bytes.len(),
        })
    }

    /// The bytes at `extent`.
    pub fn get(&self, extent: Extent) -> io::Result<Vec<u8>> {
        let mut file = self.file();
        file.seek(SeekFrom::Start(extent.at))?;
        let mut bytes = vec![0; extent.len];
        file.read_exact(&mut bytes)?;
        Ok(bytes)
    }

    fn file(&self) -> MutexGuard<'_, File> {
        // A panic while holding the file leaves it usable: every put and
        // get seeks first.
        self.file.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_come_back_as_they_went_in() {
        let spool = Spool::new().unwrap();
        let a = spool.put(b"first picture").unwrap();
        let b = spool.put(&[0u8, 1, 2, 255]).unwrap();
        let empty = spool.put(b"").unwrap();
        assert_eq!(spool.get(b).unwrap(), vec![0u8, 1, 2, 255]);
        assert_eq!(spool.get(a).unwrap(), b"first picture");
        assert_eq!(spool.get(empty).unwrap(), b"");
    }
}
