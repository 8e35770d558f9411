//! The Rust type each XSD built-in type becomes.

/// The Rust type of an XSD built-in type: a path of the standard library (or a primitive), or
/// a type of the XML runtime crate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Builtin {
    /// A primitive or a `::std` path, written as is.
    Std(&'static str),
    /// A type of the XML runtime crate (`elt_xml::Decimal`), by its name there.
    Runtime(&'static str),
}

impl Builtin {
    /// The type as Rust source, with the runtime crate at `runtime` (`elt_xml`).
    #[cfg_attr(not(any(feature = "diff", feature = "inspect")), allow(dead_code))]
    pub(crate) fn path(self, runtime: &str) -> String {
        match self {
            Builtin::Std(p) => p.to_owned(),
            Builtin::Runtime(n) => format!("::{runtime}::{n}"),
        }
    }
}

/// The Rust type for the XSD built-in type `name` (a local name in the XSD namespace, or one of
/// the engine's own Rust-named built-ins), when there is one.
pub(crate) fn builtin(name: &str) -> Option<Builtin> {
    use Builtin::{Runtime, Std};
    Some(match name {
        "string" | "normalizedString" | "token" | "language" | "Name" | "NCName" | "ID"
        | "IDREF" | "IDREFS" | "ENTITY" | "ENTITIES" | "NMTOKEN" | "NMTOKENS" | "QName"
        | "NOTATION" | "anyURI" | "anySimpleType" | "duration" | "gYearMonth" | "gYear"
        | "gMonthDay" | "gDay" | "gMonth" | "String" | "str" => Std("::std::string::String"),
        "boolean" | "bool" => Std("bool"),
        "decimal" => Runtime("Decimal"),
        "integer" | "long" | "nonPositiveInteger" | "negativeInteger" | "i64" | "isize" => {
            Std("i64")
        }
        "int" | "i32" => Std("i32"),
        "short" | "i16" => Std("i16"),
        "byte" | "i8" => Std("i8"),
        "nonNegativeInteger" | "positiveInteger" | "unsignedLong" | "u64" | "usize" => Std("u64"),
        "unsignedInt" | "u32" => Std("u32"),
        "unsignedShort" | "u16" => Std("u16"),
        "unsignedByte" | "u8" => Std("u8"),
        "float" | "f32" => Std("f32"),
        "double" | "f64" => Std("f64"),
        "dateTime" => Runtime("DateTime"),
        "time" => Runtime("Time"),
        "date" => Runtime("Date"),
        "hexBinary" => Runtime("HexBinary"),
        "base64Binary" => Runtime("Base64Binary"),
        "anyType" => Runtime("AnyContent"),
        _ => return None,
    })
}
