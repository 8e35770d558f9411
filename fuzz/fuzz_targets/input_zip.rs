//! The input reader on arbitrary bytes given as a zip: an error or a file set within the caps,
//! never a panic; a set that was read is then scanned (WSDLs and schemas collected).
#![no_main]

use elt_codegen::{FileSet, InputLimits};
use libfuzzer_sys::fuzz_target;

const LIMITS: InputLimits = InputLimits {
    max_entries: 64,
    max_entry_bytes: 1 << 20,
    max_total_bytes: 4 << 20,
};

fuzz_target!(|data: &[u8]| {
    if let Ok(set) = FileSet::from_zip_bytes("fuzz.zip", data, LIMITS) {
        assert!(set.len() <= LIMITS.max_entries);
        let total: usize = set.files().map(|(_, b)| b.len()).sum();
        assert!(total as u64 <= LIMITS.max_total_bytes);
        for (name, _) in set.files() {
            assert!(!name.starts_with('/') && !name.split('/').any(|p| p == ".." || p.is_empty()));
        }
        let _ = elt_codegen::xsd::collect(&set);
    }
});
