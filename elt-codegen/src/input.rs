//! Reading the contract: a zip, a folder or a single file into an in-memory file set.
//!
//! Paths are normalised to `/`-separated relative paths. Entries that would escape the root
//! (`..`, absolute paths, symlinks) are refused, and entry count and sizes are capped, so a
//! hostile zip cannot write outside the set or exhaust memory.
//!
//! A folder or zip gives its `.wsdl` and `.xsd` files, and then every other file of it that one
//! of those names in a `schemaLocation` or `wsdl:import` `location` (transitively), whatever its
//! extension: published sets write `schemaLocation="./xmlmime"`. Other files are never read.

mod referenced;

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Component, Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
pub use crate::xml::{MAX_ENTITY_EXPANSION, MAX_XML_BYTES, MAX_XML_DEPTH};

/// Safety caps for reading an input.
#[derive(Debug, Clone, Copy)]
pub struct InputLimits {
    /// Most files (zip entries or folder files) read.
    pub max_entries: usize,
    /// Largest single file, uncompressed, in bytes.
    pub max_entry_bytes: u64,
    /// Largest total, uncompressed, in bytes.
    pub max_total_bytes: u64,
}

impl Default for InputLimits {
    fn default() -> Self {
        Self {
            max_entries: 1_000,
            max_entry_bytes: 16 * 1024 * 1024,
            max_total_bytes: 64 * 1024 * 1024,
        }
    }
}

/// The contract's files, by normalised relative path, in sorted order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FileSet {
    files: BTreeMap<String, Vec<u8>>,
    /// Where the set came from (for messages and the generated header).
    pub origin: String,
    /// Paths on disk that were read to build the set (for `cargo:rerun-if-changed`).
    pub read_paths: Vec<PathBuf>,
}

fn is_contract_file(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.ends_with(".wsdl") || lower.ends_with(".xsd")
}

impl FileSet {
    /// An empty set named `origin`.
    pub fn new(origin: impl Into<String>) -> Self {
        Self {
            origin: origin.into(),
            ..Self::default()
        }
    }

    /// Reads a zip (`*.zip`), a folder (every `.wsdl` and `.xsd` below it, and every other file
    /// in it that those name as a schema or WSDL location) or a single `.wsdl`/`.xsd` file.
    pub fn read(path: &Path) -> Result<Self> {
        Self::read_with_limits(path, InputLimits::default())
    }

    /// As [`FileSet::read`], with explicit limits.
    pub fn read_with_limits(path: &Path, limits: InputLimits) -> Result<Self> {
        let meta = std::fs::metadata(path).map_err(|source| Error::Io {
            path: path.to_owned(),
            source,
        })?;
        let mut set = FileSet::new(path.display().to_string());
        if meta.is_dir() {
            set.add_folder(path, limits)?;
        } else {
            let bytes = std::fs::read(path).map_err(|source| Error::Io {
                path: path.to_owned(),
                source,
            })?;
            set.read_paths.push(path.to_owned());
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            if name.to_ascii_lowercase().ends_with(".zip") {
                set.add_zip(&bytes, limits)?;
            } else if is_contract_file(&name) {
                set.insert(&name, bytes)?;
            } else {
                return Err(Error::Input {
                    input: set.origin.clone(),
                    message: "expected a .zip, a .wsdl or .xsd file, or a folder".into(),
                });
            }
        }
        if set.files.is_empty() {
            return Err(Error::Input {
                input: set.origin.clone(),
                message: "no .wsdl or .xsd file found".into(),
            });
        }
        Ok(set)
    }

    /// Builds a set from a zip held in memory.
    pub fn from_zip_bytes(origin: &str, bytes: &[u8], limits: InputLimits) -> Result<Self> {
        let mut set = FileSet::new(origin);
        set.add_zip(bytes, limits)?;
        Ok(set)
    }

    fn add_zip(&mut self, bytes: &[u8], limits: InputLimits) -> Result<()> {
        let input = self.origin.clone();
        let err = |message: String| Error::Input {
            input: input.clone(),
            message,
        };
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes))
            .map_err(|e| err(format!("not a readable zip archive: {e}")))?;
        if zip.len() > limits.max_entries {
            return Err(err(format!(
                "{} entries, more than the limit of {}",
                zip.len(),
                limits.max_entries
            )));
        }
        let mut total = 0u64;
        // Entries without a contract extension, read only when a contract file names them.
        let mut others: BTreeMap<String, usize> = BTreeMap::new();
        for i in 0..zip.len() {
            let entry = zip
                .by_index(i)
                .map_err(|e| err(format!("entry {i} cannot be read: {e}")))?;
            let raw_name = entry.name().to_owned();
            if entry.is_dir() {
                continue;
            }
            if entry.is_symlink() {
                return Err(err(format!(
                    "entry {raw_name:?} is a symbolic link; refused"
                )));
            }
            let name =
                normalize_path(&raw_name).map_err(|m| err(format!("entry {raw_name:?}: {m}")))?;
            drop(entry);
            if !is_contract_file(&name) {
                others.insert(name, i);
                continue;
            }
            let data = read_zip_entry(&mut zip, i, limits, &mut total).map_err(err)?;
            self.insert(&name, data)?;
        }
        self.add_referenced(!others.is_empty(), |name, _| match others.get(name) {
            Some(&i) => read_zip_entry(&mut zip, i, limits, &mut total)
                .map(|bytes| Some((bytes, None)))
                .map_err(err),
            None => Ok(None),
        })
    }

    fn add_folder(&mut self, root: &Path, limits: InputLimits) -> Result<()> {
        let mut stack = vec![root.to_owned()];
        let mut total = 0u64;
        // Files without a contract extension, read only when a contract file names them.
        let mut others: BTreeMap<String, PathBuf> = BTreeMap::new();
        while let Some(dir) = stack.pop() {
            let entries = std::fs::read_dir(&dir).map_err(|source| Error::Io {
                path: dir.clone(),
                source,
            })?;
            let mut entries: Vec<_> = entries.filter_map(|e| e.ok()).collect();
            entries.sort_by_key(|e| e.file_name());
            for entry in entries {
                let path = entry.path();
                let ft = entry.file_type().map_err(|source| Error::Io {
                    path: path.clone(),
                    source,
                })?;
                if ft.is_symlink() {
                    continue; // never follow links out of the folder
                }
                if ft.is_dir() {
                    stack.push(path);
                    continue;
                }
                let name = entry.file_name().to_string_lossy().into_owned();
                let rel = path.strip_prefix(root).unwrap_or(&path);
                let rel = normalize_path(&rel.to_string_lossy().replace('\\', "/"));
                if !is_contract_file(&name) {
                    // A name no location can spell (a drive prefix, say) is simply never read.
                    if let Ok(rel) = rel {
                        others.insert(rel, path);
                    }
                    continue;
                }
                let rel = rel.map_err(|message| Error::Input {
                    input: self.origin.clone(),
                    message,
                })?;
                let bytes =
                    read_folder_file(&self.origin, &path, self.files.len(), limits, &mut total)?;
                self.read_paths.push(path);
                self.insert(&rel, bytes)?;
            }
        }
        let origin = self.origin.clone();
        self.add_referenced(!others.is_empty(), |rel, count| match others.get(rel) {
            Some(path) => read_folder_file(&origin, path, count, limits, &mut total)
                .map(|bytes| Some((bytes, Some(path.clone())))),
            None => Ok(None),
        })?;
        self.read_paths.sort();
        Ok(())
    }

    /// Adds, transitively, every file that a file of the set names as a schema or WSDL
    /// location and that `fetch` finds among the input's other files (those without a
    /// contract extension; `has_others` is false when there are none), given the number of files read so far; it returns the bytes and,
    /// for a file on disk, its path. Names `fetch` does not know are left for the link check,
    /// which reports the reference's file, line and column.
    fn add_referenced(
        &mut self,
        has_others: bool,
        mut fetch: impl FnMut(&str, usize) -> Result<Option<(Vec<u8>, Option<PathBuf>)>>,
    ) -> Result<()> {
        if !has_others {
            return Ok(()); // nothing to find: spare the extra parse of every file
        }
        let mut queue: Vec<String> = self.files.keys().cloned().collect();
        while let Some(path) = queue.pop() {
            for target in referenced::targets(&path, &self.files[&path]) {
                if self.files.contains_key(&target) {
                    continue;
                }
                if let Some((bytes, on_disk)) = fetch(&target, self.files.len())? {
                    self.read_paths.extend(on_disk);
                    self.insert(&target, bytes)?;
                    queue.push(target);
                }
            }
        }
        Ok(())
    }

    /// Adds a file under a normalised path.
    pub fn insert(&mut self, path: &str, bytes: Vec<u8>) -> Result<()> {
        let name = normalize_path(path).map_err(|message| Error::Input {
            input: self.origin.clone(),
            message: format!("{path:?}: {message}"),
        })?;
        if self.files.insert(name.clone(), bytes).is_some() {
            return Err(Error::Input {
                input: self.origin.clone(),
                message: format!("{name:?} appears twice"),
            });
        }
        Ok(())
    }

    /// The files, in path order.
    pub fn files(&self) -> impl Iterator<Item = (&str, &[u8])> {
        self.files.iter().map(|(k, v)| (k.as_str(), v.as_slice()))
    }

    /// One file's bytes.
    pub fn get(&self, path: &str) -> Option<&[u8]> {
        self.files.get(path).map(Vec::as_slice)
    }

    /// Number of files.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// True when the set holds no file.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// SHA-256 over every path and its bytes, in path order: the input's identity in the
    /// generated header.
    pub fn sha256(&self) -> String {
        let mut h = Sha256::new();
        for (name, bytes) in &self.files {
            h.update((name.len() as u64).to_be_bytes());
            h.update(name.as_bytes());
            h.update((bytes.len() as u64).to_be_bytes());
            h.update(bytes);
        }
        hex(&h.finalize())
    }

    /// A file as text (UTF-8, BOM removed).
    pub fn text(&self, path: &str) -> Result<&str> {
        let bytes = self.get(path).ok_or_else(|| Error::Input {
            input: self.origin.clone(),
            message: format!("{path:?} is not in the input"),
        })?;
        let text = std::str::from_utf8(bytes).map_err(|e| Error::Syntax {
            location: crate::error::Location {
                file: path.to_owned(),
                position: None,
            },
            message: format!("not UTF-8 text ({e}); only UTF-8 contracts are supported"),
        })?;
        Ok(text.strip_prefix('\u{feff}').unwrap_or(text))
    }
}

/// Reads one file of a folder within the limits (`count` files already read).
fn read_folder_file(
    origin: &str,
    path: &Path,
    count: usize,
    limits: InputLimits,
    total: &mut u64,
) -> Result<Vec<u8>> {
    let refuse = |message: String| Error::Input {
        input: origin.to_owned(),
        message,
    };
    if count >= limits.max_entries {
        return Err(refuse(format!("more than {} files", limits.max_entries)));
    }
    let too_large = || refuse(format!("{} is larger than the size limit", path.display()));
    let len = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    *total += len;
    if len > limits.max_entry_bytes || *total > limits.max_total_bytes {
        return Err(too_large());
    }
    let bytes = std::fs::read(path).map_err(|source| Error::Io {
        path: path.to_owned(),
        source,
    })?;
    // The file may have grown since its size was checked.
    if bytes.len() as u64 > limits.max_entry_bytes {
        return Err(too_large());
    }
    Ok(bytes)
}

/// Reads entry `i` of a zip within the limits, adding its size to `total`.
fn read_zip_entry(
    zip: &mut zip::ZipArchive<std::io::Cursor<&[u8]>>,
    i: usize,
    limits: InputLimits,
    total: &mut u64,
) -> std::result::Result<Vec<u8>, String> {
    let entry = zip
        .by_index(i)
        .map_err(|e| format!("entry {i} cannot be read: {e}"))?;
    let raw_name = entry.name().to_owned();
    let mut data = Vec::new();
    // Read one byte past the cap: the size in the header may lie.
    entry
        .take(limits.max_entry_bytes + 1)
        .read_to_end(&mut data)
        .map_err(|e| format!("entry {raw_name:?} cannot be decompressed: {e}"))?;
    if data.len() as u64 > limits.max_entry_bytes {
        return Err(format!(
            "entry {raw_name:?} expands past the limit of {} bytes",
            limits.max_entry_bytes
        ));
    }
    *total += data.len() as u64;
    if *total > limits.max_total_bytes {
        return Err(format!(
            "entries expand past the total limit of {} bytes",
            limits.max_total_bytes
        ));
    }
    Ok(data)
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Normalises a relative path: `/` separators, no `.`; refuses `..`, absolute paths and
/// drive prefixes.
pub fn normalize_path(path: &str) -> std::result::Result<String, String> {
    let unified = path.replace('\\', "/");
    if unified.starts_with('/') {
        return Err("absolute paths are refused".into());
    }
    let mut parts: Vec<&str> = Vec::new();
    for part in unified.split('/') {
        match part {
            "" | "." => {}
            ".." => return Err("paths that leave the root (`..`) are refused".into()),
            p if p.contains(':') => return Err("drive or scheme prefixes are refused".into()),
            p => parts.push(p),
        }
    }
    if parts.is_empty() {
        return Err("empty path".into());
    }
    debug_assert!(
        Path::new(&parts.join("/"))
            .components()
            .all(|c| matches!(c, Component::Normal(_)))
    );
    Ok(parts.join("/"))
}

/// Resolves `location` (as written in an import or include) relative to the file `from`.
/// Returns `None` for absolute URLs and for paths that leave the set.
pub fn resolve_relative(from: &str, location: &str) -> Option<String> {
    if location.contains("://") || location.starts_with('/') {
        return None;
    }
    let base = match from.rfind('/') {
        Some(i) => &from[..i],
        None => "",
    };
    let mut parts: Vec<&str> = base.split('/').filter(|p| !p.is_empty()).collect();
    let unified = location.replace('\\', "/");
    for part in unified.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    fn zip_with(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut buf = std::io::Cursor::new(Vec::new());
        let mut w = zip::ZipWriter::new(&mut buf);
        for (name, data) in entries {
            w.start_file(*name, zip::write::SimpleFileOptions::default())
                .unwrap();
            w.write_all(data).unwrap();
        }
        w.finish().unwrap();
        buf.into_inner()
    }

    #[test]
    fn paths_are_normalised_and_escapes_refused() {
        assert_eq!(normalize_path("a\\b/./c.xsd").unwrap(), "a/b/c.xsd");
        assert!(normalize_path("../x.xsd").is_err());
        assert!(normalize_path("a/../../x.xsd").is_err());
        assert!(normalize_path("/etc/x.xsd").is_err());
        assert!(normalize_path("C:/x.xsd").is_err());
        assert_eq!(
            resolve_relative("dir/a.wsdl", "../b.xsd").as_deref(),
            Some("b.xsd")
        );
        assert_eq!(resolve_relative("a.wsdl", "../b.xsd"), None);
        assert_eq!(resolve_relative("a.wsdl", "http://example.org/b.xsd"), None);
    }

    #[test]
    fn zip_entries_that_escape_are_refused() {
        for bad in ["../x.xsd", "/etc/x.xsd"] {
            let z = zip_with(&[(bad, b"<x/>")]);
            let e = FileSet::from_zip_bytes("t.zip", &z, InputLimits::default()).unwrap_err();
            assert!(e.to_string().contains("refused"), "{bad}: {e}");
        }
    }

    #[test]
    fn zip_caps_are_enforced() {
        let big = vec![b' '; 5000];
        let z = zip_with(&[("a.xsd", &big)]);
        let limits = InputLimits {
            max_entry_bytes: 4096,
            ..InputLimits::default()
        };
        let e = FileSet::from_zip_bytes("t.zip", &z, limits).unwrap_err();
        assert!(e.to_string().contains("expands past"), "{e}");
        let z = zip_with(&[("a.xsd", b"1"), ("b.xsd", b"2"), ("c.xsd", b"3")]);
        let limits = InputLimits {
            max_entries: 2,
            ..InputLimits::default()
        };
        let e = FileSet::from_zip_bytes("t.zip", &z, limits).unwrap_err();
        assert!(e.to_string().contains("more than the limit"), "{e}");
        let limits = InputLimits {
            max_total_bytes: 2,
            ..InputLimits::default()
        };
        let e = FileSet::from_zip_bytes("t.zip", &z, limits).unwrap_err();
        assert!(e.to_string().contains("total limit"), "{e}");
    }

    #[test]
    fn not_a_zip_is_an_error() {
        let e = FileSet::from_zip_bytes("t.zip", b"not a zip at all", InputLimits::default())
            .unwrap_err();
        assert!(e.to_string().contains("not a readable zip"), "{e}");
    }

    #[test]
    fn only_contract_files_are_kept_in_order() {
        let z = zip_with(&[("b.xsd", b"1"), ("readme.txt", b"x"), ("a/A.WSDL", b"2")]);
        let set = FileSet::from_zip_bytes("t.zip", &z, InputLimits::default()).unwrap();
        let names: Vec<&str> = set.files().map(|(n, _)| n).collect();
        assert_eq!(names, ["a/A.WSDL", "b.xsd"]);
    }
}
