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

/// Largest WSDL or schema document parsed, in bytes: the input's per-file cap, enforced again
/// here for sets built in memory with [`FileSet::insert`].
pub const MAX_XML_BYTES: usize = 16 * 1024 * 1024;
/// Deepest element nesting accepted in a WSDL or schema document. Real contracts stay far
/// below; the XML parsers recurse per level, so deeper input is refused before parsing.
pub const MAX_XML_DEPTH: usize = 256;
/// Most bytes the entity references of one document may expand to (only schemas may carry a
/// DTD, for the W3C XMLDSig schema's internal subset, which declares entities it never uses).
pub const MAX_ENTITY_EXPANSION: u64 = 1024 * 1024;
/// Most nodes in one parsed document.
const MAX_XML_NODES: u32 = 2_000_000;

/// Line and column (1-based) lookups in one parsed document, for errors and source positions.
///
/// The line starts are found once, so each lookup is a binary search plus a count of the
/// characters before it on its line. (`roxmltree`'s `text_pos_at` rescans the text from its
/// start on every call; the checks record a position for every declaration and reference, so
/// that was quadratic in a schema's size.) Lines and columns are counted as `roxmltree` counts
/// them: a line ends at `\n`, and a column counts characters, not bytes.
pub(crate) struct Positions<'a> {
    text: &'a str,
    /// Byte offset of the start of every line after the first.
    line_starts: Vec<usize>,
}

impl<'a> Positions<'a> {
    /// Indexes the lines of `text`, the text a document was parsed from.
    pub(crate) fn new(text: &'a str) -> Self {
        let line_starts = text
            .bytes()
            .enumerate()
            .filter(|&(_, b)| b == b'\n')
            .map(|(i, _)| i + 1)
            .collect();
        Positions { text, line_starts }
    }

    /// Line and column of a node's start.
    pub(crate) fn of(&self, node: roxmltree::Node<'_, '_>) -> (u32, u32) {
        self.at(node.range().start)
    }

    /// Line and column of a byte offset (clamped to the text).
    pub(crate) fn at(&self, offset: usize) -> (u32, u32) {
        let offset = offset.min(self.text.len());
        // Lines that start at or before the offset, after the first one.
        let line = self.line_starts.partition_point(|&start| start <= offset);
        let start = if line == 0 {
            0
        } else {
            self.line_starts[line - 1]
        };
        let col = 1 + String::from_utf8_lossy(&self.text.as_bytes()[start..offset])
            .chars()
            .count();
        (
            u32::try_from(line + 1).unwrap_or(u32::MAX),
            u32::try_from(col).unwrap_or(u32::MAX),
        )
    }
}

/// Parses one WSDL or schema document with every cap applied before the parser sees it: size,
/// nesting depth and, when a DTD is allowed, entity expansion. External entities are never
/// fetched (`roxmltree` reads nothing but the text given; a reference to one is an error).
pub(crate) fn parse_xml<'a>(
    file: &str,
    text: &'a str,
    allow_dtd: bool,
) -> Result<roxmltree::Document<'a>> {
    let at = |offset: Option<usize>, message: String| crate::error::Error::Syntax {
        location: crate::error::Location {
            file: file.to_owned(),
            position: offset.map(|o| Positions::new(text).at(o)),
        },
        message,
    };
    if text.len() > MAX_XML_BYTES {
        return Err(at(
            None,
            format!(
                "the document is {} bytes, more than the limit of {MAX_XML_BYTES} bytes; refused",
                text.len()
            ),
        ));
    }
    if let Some(offset) = elt_xml::scan::deeper_than(text, MAX_XML_DEPTH) {
        return Err(at(
            Some(offset),
            format!("elements nested deeper than {MAX_XML_DEPTH} levels; refused"),
        ));
    }
    if allow_dtd {
        entity_expansion(text, MAX_ENTITY_EXPANSION).map_err(|(o, m)| at(Some(o), m))?;
    }
    roxmltree::Document::parse_with_options(
        text,
        roxmltree::ParsingOptions {
            allow_dtd,
            nodes_limit: MAX_XML_NODES,
        },
    )
    .map_err(|e| Error::xml(file, &e))
}

/// Checks the entities of a document's internal DTD subset before `roxmltree` expands them:
/// entity values must not hold markup, references must not nest deeper than `roxmltree`
/// allows, and all references in the document together must expand to at most `max` bytes
/// (this stops the billion-laughs bomb and its quadratic cousin, a large entity referenced
/// many times). Returns the offset and the reason on refusal.
pub(crate) fn entity_expansion(text: &str, max: u64) -> std::result::Result<(), (usize, String)> {
    let Some(doctype) = text.find("<!DOCTYPE") else {
        return Ok(());
    };
    let b = text.as_bytes();
    // Find the internal subset `[ ... ]`, skipping quoted literals.
    let mut i = doctype + "<!DOCTYPE".len();
    let mut quote = None;
    let subset_start = loop {
        let Some(&c) = b.get(i) else { return Ok(()) };
        match (quote, c) {
            (None, b'"' | b'\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, b'>') => return Ok(()), // no internal subset: nothing is declared
            (None, b'[') => break i + 1,
            _ => {}
        }
        i += 1;
    };
    // By name, the first declaration winning (as in `roxmltree`): value and offset.
    let mut entities: std::collections::HashMap<&str, (Option<&str>, usize)> =
        std::collections::HashMap::new();
    let mut i = subset_start;
    let subset_end = loop {
        while b.get(i).is_some_and(u8::is_ascii_whitespace) {
            i += 1;
        }
        let Some(&c) = b.get(i) else { return Ok(()) }; // unterminated: the parser reports it
        if c == b']' {
            break i + 1;
        }
        let rest = &b[i..];
        let find = |pat: &[u8]| rest.windows(pat.len()).position(|w| w == pat);
        if rest.starts_with(b"<!--") {
            match find(b"-->") {
                Some(e) => i += e + 3,
                None => return Ok(()),
            }
            continue;
        }
        if c == b'%' {
            // A parameter-entity reference between declarations.
            match find(b";") {
                Some(e) => i += e + 1,
                None => return Ok(()),
            }
            continue;
        }
        if c != b'<' {
            i += 1; // not a declaration: the parser reports it
            continue;
        }
        if rest.starts_with(b"<!ENTITY") {
            let decl = i;
            let mut j = i + "<!ENTITY".len();
            let skip_ws = |j: &mut usize| {
                while b.get(*j).is_some_and(u8::is_ascii_whitespace) {
                    *j += 1;
                }
            };
            skip_ws(&mut j);
            if b.get(j) == Some(&b'%') {
                j += 1;
                skip_ws(&mut j);
            }
            let name_start = j;
            while b
                .get(j)
                .is_some_and(|c| !c.is_ascii_whitespace() && !matches!(c, b'"' | b'\'' | b'>'))
            {
                j += 1;
            }
            let name = &text[name_start..j];
            skip_ws(&mut j);
            let value = match b.get(j) {
                Some(&q @ (b'"' | b'\'')) => {
                    let start = j + 1;
                    let Some(len) = b[start..].iter().position(|&c| c == q) else {
                        return Ok(());
                    };
                    j = start + len + 1;
                    Some(&text[start..start + len])
                }
                _ => None, // SYSTEM/PUBLIC: external, never fetched; references fail to parse
            };
            if value.is_some_and(|v| v.contains('<')) {
                return Err((
                    decl,
                    format!(
                        "the DTD entity `{name}` holds markup; entities with markup are refused"
                    ),
                ));
            }
            entities.entry(name).or_insert((value, decl));
            i = j;
        }
        // Skip the rest of this declaration (or any other `<!...>`, `<?...?>`, `%pe;`).
        let mut quote = None;
        loop {
            let Some(&c) = b.get(i) else { return Ok(()) };
            i += 1;
            match (quote, c) {
                (None, b'"' | b'\'') => quote = Some(c),
                (Some(q), c) if c == q => quote = None,
                (None, b'>') => break,
                (None, b']') => {
                    i -= 1;
                    break;
                }
                _ => {}
            }
        }
        if entities.len() > 10_000 {
            return Err((doctype, "more than 10000 DTD entities; refused".into()));
        }
    };
    if entities.is_empty() {
        return Ok(());
    }
    // Expanded size of each entity, through the references in its value.
    fn refs(text: &str) -> impl Iterator<Item = &str> {
        // Linear: a name run stops at the next `&`, so no byte is scanned twice.
        text.match_indices('&').filter_map(move |(at, _)| {
            let rest = &text[at + 1..];
            let end = rest.find(|c: char| {
                c.is_whitespace() || matches!(c, ';' | '&' | '<' | '>' | '"' | '\'')
            })?;
            let name = &rest[..end];
            (rest[end..].starts_with(';') && !name.is_empty() && !name.starts_with('#'))
                .then_some(name)
        })
    }
    /// Expanded size and nesting height (1 for an entity without references) of `name`;
    /// `depth` guards the recursion against loops while heights are not yet known.
    fn size(
        name: &str,
        entities: &std::collections::HashMap<&str, (Option<&str>, usize)>,
        memo: &mut std::collections::HashMap<String, (u64, usize)>,
        depth: usize,
    ) -> std::result::Result<(u64, usize), String> {
        if let Some(&known) = memo.get(name) {
            return Ok(known);
        }
        let Some((value, _)) = entities.get(name) else {
            return Ok((0, 0)); // predefined (`amp`, ...) or undeclared: the parser decides
        };
        if depth >= 10 {
            return Err(format!(
                "DTD entity references nest deeper than 10 levels (at `{name}`); refused"
            ));
        }
        let value = value.unwrap_or("");
        let mut total = value.len() as u64;
        let mut height = 1;
        for (i, r) in refs(value).enumerate() {
            if i >= 255 {
                return Err(format!(
                    "the DTD entity `{name}` holds more than 255 references; refused"
                ));
            }
            let (s, h) = size(r, entities, memo, depth + 1)?;
            total = total.saturating_add(s);
            height = height.max(h + 1);
        }
        if height > 10 {
            return Err(format!(
                "DTD entity references nest deeper than 10 levels (at `{name}`); refused"
            ));
        }
        memo.insert(name.to_owned(), (total, height));
        Ok((total, height))
    }
    let mut memo = std::collections::HashMap::new();
    let mut total = 0u64;
    // In document order, so the refusal named is always the same.
    let mut order: Vec<(&str, usize)> = entities.iter().map(|(n, (_, d))| (*n, *d)).collect();
    order.sort_by_key(|(_, d)| *d);
    for (name, decl) in order {
        size(name, &entities, &mut memo, 0).map_err(|m| (decl, m))?;
    }
    for r in refs(&text[subset_end..]) {
        total = total.saturating_add(memo.get(r).map_or(0, |(size, _)| *size));
        if total > max {
            return Err((
                doctype,
                format!(
                    "the DTD's entity references would expand to more than {max} bytes; refused \
                     (entity expansion is capped)"
                ),
            ));
        }
    }
    Ok(())
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

    #[test]
    fn positions_agree_with_roxmltree_on_every_node() {
        // Multi-byte characters before a node on its line, CRLF and LF line ends, a first line
        // without a break, and a node on the last line.
        let text = "<?xml version=\"1.0\"?>\r\n<a>\n  <b x=\"å\"/><c>ö</c>\r\n\n\t<d><!-- é --><e/></d></a>";
        let doc = roxmltree::Document::parse(text).unwrap();
        let positions = Positions::new(text);
        let mut checked = 0;
        for node in doc.descendants() {
            let want = doc.text_pos_at(node.range().start);
            assert_eq!(positions.of(node), (want.row, want.col), "{node:?}");
            checked += 1;
        }
        assert!(checked >= 8);
        let end = doc.text_pos_at(text.len());
        assert_eq!(positions.at(text.len() + 5), (end.row, end.col));
    }

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
