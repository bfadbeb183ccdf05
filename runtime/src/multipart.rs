//! `multipart/form-data` bodies (file uploads), streamed: a file part is
//! read from disk as the request is sent, never whole into memory, and
//! read again from the start when the request is sent again.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use bytes::{Bytes, BytesMut};
use tokio::io::AsyncReadExt;

use crate::error::Error;
use crate::transport::{Body, BoxFuture, StreamedBody};

/// A `multipart/form-data` body: text fields, in-memory parts and files,
/// sent in the order they were added, with `#[body(multipart)]`.
///
/// ```
/// # use hacktron_runtime::example::{Example, Token};
/// # use hacktron_runtime::transport::Canned;
/// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use hacktron_runtime::multipart::Multipart;
/// use hacktron_runtime::{ApiError, Client, endpoint};
/// # use hacktron_runtime::example::read;
///
/// trait Uploads {
///     #[endpoint(POST, "/uploads", scope = read)]
///     async fn upload(&self, #[body(multipart)] form: &Multipart) -> Result<serde_json::Value, ApiError>;
/// }
/// impl Uploads for Client<Token> {}
///
/// let path = std::env::temp_dir().join("multipart-doc-report.csv");
/// std::fs::write(&path, "id,title\n1,XSS\n")?;
/// let form = Multipart::new()
///     .text("kind", "report")
///     .file("report", &path)?; // checked now, read when sent
/// assert!(form.content_type().starts_with("multipart/form-data; boundary="));
/// # let canned = Canned::json(201, "{}");
/// # let client = Client::<Token>::builder("secret-key").transport(canned.clone()).build()?;
/// client.upload(&form).await?;
/// # let sent = canned.requests().lock().unwrap().remove(0);
/// # assert_eq!(sent.headers["content-type"], form.content_type());
/// # assert_eq!(sent.headers["content-length"], form.len().to_string());
/// # assert!(sent.body.is_none() && sent.stream.is_some());
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct Multipart {
    boundary: String,
    parts: Vec<Part>,
}

#[derive(Debug, Clone)]
enum Part {
    Bytes { head: Bytes, data: Bytes },
    File { head: Bytes, path: Arc<PathBuf>, len: u64 },
}

impl Default for Multipart {
    fn default() -> Self {
        Self::new()
    }
}

impl Multipart {
    /// An empty body, with a boundary of its own.
    pub fn new() -> Self {
        // Unique enough not to appear in the parts: the process, the time
        // and a counter.
        use std::sync::atomic::{AtomicU64, Ordering};
        static COUNT: AtomicU64 = AtomicU64::new(0);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as u64);
        let boundary = format!(
            "hacktron-{:x}-{:x}-{:x}",
            std::process::id(),
            nanos,
            COUNT.fetch_add(1, Ordering::Relaxed)
        );
        Multipart {
            boundary,
            parts: Vec::new(),
        }
    }

    /// Adds a text field `name=value`.
    pub fn text(mut self, name: &str, value: impl Into<String>) -> Self {
        let head = self.head(name, None, None);
        self.parts.push(Part::Bytes {
            head,
            data: Bytes::from(value.into()),
        });
        self
    }

    /// Adds a part from memory, with a file name and content type.
    pub fn bytes(mut self, name: &str, data: impl Into<Bytes>, file_name: &str, content_type: &str) -> Self {
        let head = self.head(name, Some(file_name), Some(content_type));
        self.parts.push(Part::Bytes {
            head,
            data: data.into(),
        });
        self
    }

    /// Adds the file at `path` as `application/octet-stream`, named by its
    /// file name; see [`file_as`](Self::file_as).
    pub fn file(self, name: &str, path: impl AsRef<Path>) -> Result<Self, Error> {
        let path = path.as_ref();
        let file_name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        self.file_as(name, path, &file_name, "application/octet-stream")
    }

    /// Adds the file at `path`, sent as `file_name` with `content_type`.
    /// The file is checked now (it must be a readable file; its size makes
    /// the request's `Content-Length`) and read as the request is sent,
    /// once per attempt: the size it had when added is sent (a file that
    /// grew since is cut there; one that shrank fails the call).
    pub fn file_as(
        mut self,
        name: &str,
        path: impl AsRef<Path>,
        file_name: &str,
        content_type: &str,
    ) -> Result<Self, Error> {
        let path = path.as_ref();
        let unreadable = |e: std::io::Error| Error::InvalidArgument {
            name: "multipart",
            reason: format!("cannot send `{}`: {e}", path.display()),
        };
        let meta = std::fs::metadata(path).map_err(unreadable)?;
        if !meta.is_file() {
            return Err(unreadable(std::io::Error::other("not a file")));
        }
        std::fs::File::open(path).map_err(unreadable)?;
        let head = self.head(name, Some(file_name), Some(content_type));
        self.parts.push(Part::File {
            head,
            path: Arc::new(path.to_owned()),
            len: meta.len(),
        });
        Ok(self)
    }

    /// The `Content-Type` to send it with, boundary included.
    pub fn content_type(&self) -> String {
        format!("multipart/form-data; boundary={}", self.boundary)
    }

    /// The body's length in bytes, as the files were when added.
    pub fn len(&self) -> u64 {
        let mut total = 0u64;
        for part in &self.parts {
            total += match part {
                Part::Bytes { head, data } => (head.len() + data.len()) as u64,
                Part::File { head, len, .. } => head.len() as u64 + len,
            } + 2;
        }
        total + self.boundary.len() as u64 + 6
    }

    /// Whether no part was added.
    pub fn is_empty(&self) -> bool {
        self.parts.is_empty()
    }

    /// `--boundary`, then the part's headers, then the blank line.
    fn head(&self, name: &str, file_name: Option<&str>, content_type: Option<&str>) -> Bytes {
        let mut head = format!(
            "--{}\r\nContent-Disposition: form-data; name=\"{}\"",
            self.boundary,
            escape(name)
        );
        if let Some(file_name) = file_name {
            head.push_str(&format!("; filename=\"{}\"", escape(file_name)));
        }
        head.push_str("\r\n");
        if let Some(content_type) = content_type {
            head.push_str(&format!("Content-Type: {}\r\n", content_type.replace(['\r', '\n'], "")));
        }
        head.push_str("\r\n");
        Bytes::from(head)
    }

    /// The body as the transport sends it: opened anew for each attempt.
    pub(crate) fn streamed(&self) -> StreamedBody {
        let parts = self.parts.clone();
        let end = Bytes::from(format!("--{}--\r\n", self.boundary));
        StreamedBody::new(Some(self.len()), move || {
            Box::new(Reader {
                parts: parts.clone(),
                end: end.clone(),
                at: 0,
                step: Step::Head,
                file: None,
                left: 0,
            })
        })
    }
}

/// A name or file name in a `Content-Disposition` header, as browsers
/// write it (WHATWG): `"`, CR and LF percent-encoded.
fn escape(name: &str) -> String {
    name.replace('"', "%22").replace('\r', "%0D").replace('\n', "%0A")
}

#[derive(Clone, Copy)]
enum Step {
    Head,
    Data,
    Crlf,
}

/// Reads a multipart body part by part, a file chunk by chunk.
struct Reader {
    parts: Vec<Part>,
    end: Bytes,
    at: usize,
    step: Step,
    file: Option<tokio::fs::File>,
    /// Bytes of the current file still to read.
    left: u64,
}

const CHUNK: usize = 64 * 1024;

impl Body for Reader {
    fn next_chunk(&mut self) -> BoxFuture<'_, Result<Option<Bytes>, Error>> {
        Box::pin(async move {
            loop {
                let Some(part) = self.parts.get(self.at) else {
                    if self.end.is_empty() {
                        return Ok(None);
                    }
                    return Ok(Some(std::mem::take(&mut self.end)));
                };
                match (self.step, part) {
                    (Step::Head, Part::Bytes { head, .. } | Part::File { head, .. }) => {
                        self.step = Step::Data;
                        return Ok(Some(head.clone()));
                    }
                    (Step::Data, Part::Bytes { data, .. }) => {
                        self.step = Step::Crlf;
                        return Ok(Some(data.clone()));
                    }
                    (Step::Data, Part::File { path, len, .. }) => {
                        let failed = |e: std::io::Error| Error::InvalidArgument {
                            name: "multipart",
                            reason: format!("cannot read `{}` while sending it: {e}", path.display()),
                        };
                        if self.file.is_none() {
                            self.file = Some(tokio::fs::File::open(&**path).await.map_err(failed)?);
                            self.left = *len;
                        }
                        if self.left == 0 {
                            self.file = None;
                            self.step = Step::Crlf;
                            continue;
                        }
                        let want = self.left.min(CHUNK as u64) as usize;
                        let mut buf = BytesMut::zeroed(want);
                        let file = self
                            .file
                            .as_mut()
                            .ok_or_else(|| failed(std::io::Error::other("not open")))?;
                        let n = file.read(&mut buf).await.map_err(failed)?;
                        if n == 0 {
                            // Shorter than when it was added: the length sent
                            // would be a lie.
                            return Err(failed(std::io::Error::other(format!(
                                "it shrank to {} bytes after it was added",
                                len - self.left
                            ))));
                        }
                        buf.truncate(n);
                        self.left -= n as u64;
                        return Ok(Some(buf.freeze()));
                    }
                    (Step::Crlf, _) => {
                        self.step = Step::Head;
                        self.at += 1;
                        return Ok(Some(Bytes::from_static(b"\r\n")));
                    }
                }
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn collect(body: &StreamedBody) -> Vec<u8> {
        let mut reader = body.open();
        let mut out = Vec::new();
        while let Some(chunk) = reader.next_chunk().await.unwrap() {
            out.extend_from_slice(&chunk);
        }
        out
    }

    #[tokio::test]
    async fn the_body_is_what_rfc_7578_says_and_its_length_is_exact() {
        let dir = std::env::temp_dir().join(format!("multipart-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("big.bin");
        let data: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
        std::fs::write(&path, &data).unwrap();
        // A fixed boundary, to compare bytes.
        let form = Multipart {
            boundary: "B".to_owned(),
            parts: Vec::new(),
        }
        .text("title", "a \"quoted\"\r\nname")
        .file("upload", &path)
        .unwrap()
        .bytes("note", "hi", "note.txt", "text/plain");
        let body = form.streamed();
        let sent = collect(&body).await;
        let mut expected =
            b"--B\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\na \"quoted\"\r\nname\r\n".to_vec();
        expected.extend_from_slice(b"--B\r\nContent-Disposition: form-data; name=\"upload\"; filename=\"big.bin\"\r\nContent-Type: application/octet-stream\r\n\r\n");
        expected.extend_from_slice(&data);
        expected.extend_from_slice(b"\r\n--B\r\nContent-Disposition: form-data; name=\"note\"; filename=\"note.txt\"\r\nContent-Type: text/plain\r\n\r\nhi\r\n--B--\r\n");
        assert!(sent == expected, "the body differs");
        assert_eq!(form.len(), expected.len() as u64);
        assert_eq!(body.len(), Some(expected.len() as u64));
        // Opened again for a resend: the same bytes.
        assert!(collect(&body).await == expected);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_missing_file_is_refused_when_added() {
        let e = Multipart::new().file("upload", "/no/such/file.bin").unwrap_err();
        assert!(e.to_string().contains("cannot send `/no/such/file.bin`"), "{e}");
        let e = Multipart::new().file("upload", std::env::temp_dir()).unwrap_err();
        assert!(e.to_string().contains("not a file"), "{e}");
    }

    #[test]
    fn names_cannot_break_out_of_their_header() {
        let form = Multipart::new().bytes("a\"b", "x", "evil\r\nX-Injected: 1.txt", "text/plain\r\nX: y");
        let Part::Bytes { head, .. } = &form.parts[0] else {
            unreachable!()
        };
        let head = std::str::from_utf8(head).unwrap();
        assert!(
            head.contains("name=\"a%22b\"; filename=\"evil%0D%0AX-Injected: 1.txt\""),
            "{head}"
        );
        assert!(head.contains("Content-Type: text/plainX: y\r\n"), "{head}");
    }
}
