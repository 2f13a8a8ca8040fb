//! Each input's sha256, taken as it is read (standard input too), so a
//! batch's summary names exactly the bytes it judged without reading any
//! input twice.

use std::io::{self, Read};
use std::sync::{Arc, Mutex};

use sha2::{Digest as _, Sha256};

/// The sha256 of each input, by its place in the list: `None` until the
/// input has been read to its end (an input that could not be opened, or
/// that the run stopped reading, has none).
#[derive(Debug, Clone, Default)]
pub struct Digests(Arc<Mutex<Vec<Option<String>>>>);

impl Digests {
    /// Room for `inputs` digests, none taken yet.
    pub fn new(inputs: usize) -> Self {
        Self(Arc::new(Mutex::new(vec![None; inputs])))
    }

    /// A reader of input `index` that hashes what passes through it.
    pub fn reader(&self, index: usize, inner: Box<dyn Read + Send>) -> Hashing {
        Hashing {
            inner,
            hasher: Some(Sha256::new()),
            index,
            digests: self.clone(),
        }
    }

    /// Each input's sha256 (hex), if it was read to its end.
    pub fn taken(&self) -> Vec<Option<String>> {
        self.0.lock().map(|d| d.clone()).unwrap_or_default()
    }

    fn set(&self, index: usize, hex: String) {
        if let Ok(mut d) = self.0.lock()
            && let Some(slot) = d.get_mut(index)
        {
            *slot = Some(hex);
        }
    }
}

/// A reader that hashes the bytes it passes on; at the end of the input it
/// records the digest.
pub struct Hashing {
    inner: Box<dyn Read + Send>,
    /// `None` once the digest is recorded.
    hasher: Option<Sha256>,
    index: usize,
    digests: Digests,
}

impl Read for Hashing {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        match (n, self.hasher.as_mut()) {
            (0, Some(_)) if !buf.is_empty() => {
                if let Some(h) = self.hasher.take() {
                    self.digests.set(self.index, hex(&h.finalize()));
                }
            }
            (n, Some(h)) => h.update(buf.get(..n).unwrap_or_default()),
            (_, None) => {}
        }
        Ok(n)
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn the_digest_is_taken_at_the_end_of_the_input() {
        let digests = Digests::new(2);
        let mut r = digests.reader(1, Box::new(&b"abc"[..]));
        let mut first = [0u8; 2];
        r.read_exact(&mut first).unwrap();
        assert_eq!(digests.taken(), [None, None], "not read to its end yet");
        let mut rest = Vec::new();
        r.read_to_end(&mut rest).unwrap();
        assert_eq!(
            digests.taken(),
            [
                None,
                Some("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad".into())
            ]
        );
    }
}
