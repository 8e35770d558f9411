//! [`Builder`]: the one entry point for `build.rs`, the CLI and `cargo xtask regen`.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::input::FileSet;
use crate::output::{self, GeneratedFile};

/// How the generated modules are laid out in files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Layout {
    /// `mod.rs` declaring one file per XML namespace: for a checked-in crate.
    ModuleTree,
    /// One file with every module inline, for `include!` from `OUT_DIR`.
    SingleFile(String),
}

/// Configures and runs code generation, in the manner of `prost_build::Config`.
///
/// ```no_run
/// // build.rs
/// elt_codegen::Builder::new()
///     .input("contract/ELT.zip")
///     .emit_rerun_if_changed(true)
///     .write()
///     .unwrap();
/// ```
#[derive(Debug, Clone)]
pub struct Builder {
    layout: Layout,
    inputs: Vec<PathBuf>,
    out_dir: Option<PathBuf>,
    runtime_crate: String,
    format: bool,
    emit_rerun_if_changed: bool,
}

impl Default for Builder {
    fn default() -> Self {
        Self::new()
    }
}

impl Builder {
    /// A builder with defaults: formatted output, runtime crate `elt_xml`, `OUT_DIR` as output.
    pub fn new() -> Self {
        Self {
            layout: Layout::ModuleTree,
            inputs: Vec::new(),
            out_dir: None,
            runtime_crate: "elt_xml".into(),
            format: true,
            emit_rerun_if_changed: false,
        }
    }

    /// Adds an input: a zip, a folder or a `.wsdl`/`.xsd` file. Several inputs form one contract.
    pub fn input(mut self, path: impl AsRef<Path>) -> Self {
        self.inputs.push(path.as_ref().to_owned());
        self
    }

    /// Where [`Builder::write`] puts the files; defaults to the `OUT_DIR` environment variable.
    pub fn out_dir(mut self, dir: impl AsRef<Path>) -> Self {
        self.out_dir = Some(dir.as_ref().to_owned());
        self
    }

    /// The file layout (default [`Layout::ModuleTree`]).
    pub fn layout(mut self, layout: Layout) -> Self {
        self.layout = layout;
        self
    }

    /// Name of the runtime crate the generated code calls (default `elt_xml`).
    pub fn runtime_crate(mut self, name: impl Into<String>) -> Self {
        self.runtime_crate = name.into();
        self
    }

    /// Whether to format the output with `prettyplease` (default true).
    pub fn format(mut self, on: bool) -> Self {
        self.format = on;
        self
    }

    /// Print `cargo:rerun-if-changed` for every file read. Off by default: any such line turns
    /// off Cargo's default scanning of the whole package, so it must be the caller's choice.
    pub fn emit_rerun_if_changed(mut self, on: bool) -> Self {
        self.emit_rerun_if_changed = on;
        self
    }

    /// Reads every input into one file set.
    pub fn load_inputs(&self) -> Result<FileSet> {
        if self.inputs.is_empty() {
            return Err(Error::Input {
                input: "(none)".into(),
                message: "no input given; call Builder::input".into(),
            });
        }
        let mut set = FileSet::new(
            self.inputs
                .iter()
                .map(|p| display_name(p))
                .collect::<Vec<_>>()
                .join(", "),
        );
        for p in &self.inputs {
            let one = FileSet::read(p)?;
            for (name, bytes) in one.files() {
                set.insert(name, bytes.to_vec())?;
            }
            set.read_paths.extend(one.read_paths);
        }
        Ok(set)
    }

    /// Generates the files in memory.
    pub fn generate(&self) -> Result<Vec<GeneratedFile>> {
        let set = self.load_inputs()?;
        self.generate_from(&set)
    }

    /// Generates the files for an already loaded file set.
    pub fn generate_from(&self, set: &FileSet) -> Result<Vec<GeneratedFile>> {
        let loaded = crate::xsd::load(set)?;
        let modules = crate::render::render(&loaded.types, &self.runtime_crate)?;
        let header = output::header(&set.origin, &set.sha256());
        match &self.layout {
            Layout::ModuleTree => output::module_files(
                modules,
                proc_macro2::TokenStream::new(),
                &header,
                self.format,
            ),
            Layout::SingleFile(name) => Ok(vec![output::single_file(
                name,
                modules,
                &header,
                self.format,
            )?]),
        }
    }

    /// Generates and writes into the output folder, touching only changed files; returns the
    /// files written.
    pub fn write(&self) -> Result<Vec<String>> {
        let set = self.load_inputs()?;
        let files = self.generate_from(&set)?;
        let dir = match &self.out_dir {
            Some(d) => d.clone(),
            None => std::env::var_os("OUT_DIR")
                .map(PathBuf::from)
                .ok_or_else(|| Error::Input {
                    input: "OUT_DIR".into(),
                    message: "no out_dir set and OUT_DIR is not set (not in a build script?)"
                        .into(),
                })?,
        };
        if self.emit_rerun_if_changed {
            for p in &set.read_paths {
                println!("cargo:rerun-if-changed={}", p.display());
            }
        }
        output::write_files(&dir, &files, false)
    }
}

/// The file name only: the header must not depend on where the checkout lives.
fn display_name(p: &Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| p.display().to_string())
}
