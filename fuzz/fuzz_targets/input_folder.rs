//! A folder's files as the reader builds them into a set: arbitrary relative paths (hostile ones
//! included) and contents go through `FileSet::insert`, which normalises and refuses paths as
//! reading a folder does; the set is then collected (every WSDL and schema parsed and scanned).
#![no_main]

use arbitrary::Arbitrary;
use elt_codegen::FileSet;
use libfuzzer_sys::fuzz_target;

#[derive(Arbitrary, Debug)]
struct Folder {
    files: Vec<(String, Vec<u8>)>,
}

fuzz_target!(|folder: Folder| {
    let mut set = FileSet::new("fuzz-folder");
    for (path, bytes) in folder.files.into_iter().take(32) {
        // Contract files only, as the folder reader keeps them.
        let path = if path.ends_with(".xsd") || path.ends_with(".wsdl") {
            path
        } else {
            format!("{path}.xsd")
        };
        if set.insert(&path, bytes).is_err() {
            continue;
        }
    }
    for (name, _) in set.files() {
        assert!(!name.starts_with('/') && !name.split('/').any(|p| p == ".." || p.is_empty()));
    }
    let _ = elt_codegen::xsd::collect(&set);
});
