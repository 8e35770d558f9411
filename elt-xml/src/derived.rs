//! Types chosen in the document: members of `xs:union`, and types named by `xsi:type`.

use crate::error::{ValueError, XmlError};
use crate::traits::XmlValue;

/// Tries one member type of an `xs:union` (in schema order, as XSD does): the value wrapped by
/// `wrap` if `text` is valid for `T`, else `None` with the reason added to `errors`.
pub fn union_member<T: XmlValue, U>(
    text: &str,
    wrap: fn(T) -> U,
    errors: &mut Vec<String>,
) -> Option<U> {
    match T::from_xml_text(text) {
        Ok(v) => Some(wrap(v)),
        Err(e) => {
            errors.push(e.message);
            None
        }
    }
}

/// The error for a value no member of the union `type_name` accepts.
pub fn union_error(type_name: &str, text: &str, errors: Vec<String>) -> ValueError {
    ValueError::new(format!(
        "{type_name}: {text:?} is not valid for any member type of the union ({})",
        errors.join("; ")
    ))
}

/// The type named by the `xsi:type` attribute of `node`, as `(namespace, local name)`, for an
/// element whose declared type `abstract_type` is abstract (so `xsi:type` is required).
pub fn xsi_type(
    node: roxmltree::Node<'_, '_>,
    abstract_type: &str,
) -> Result<(Option<String>, String), XmlError> {
    let Some(value) = node.attribute((crate::XSI_NAMESPACE, "type")) else {
        return Err(XmlError::at_node(
            node,
            format!(
                "the type {abstract_type} is abstract: the element needs xsi:type naming a type \
                 derived from it"
            ),
        ));
    };
    let value = value.trim();
    let (prefix, local) = match value.split_once(':') {
        Some((p, l)) => (Some(p), l),
        None => (None, value),
    };
    let ns = node.lookup_namespace_uri(prefix);
    if prefix.is_some() && ns.is_none() {
        return Err(XmlError::at_node(
            node,
            format!("xsi:type {value:?} uses an undeclared prefix"),
        ));
    }
    Ok((ns.map(str::to_owned), local.to_owned()))
}

/// The error for an `xsi:type` that names no type derived from `abstract_type` in the schema.
pub fn unknown_xsi_type(
    node: roxmltree::Node<'_, '_>,
    abstract_type: &str,
    found: &(Option<String>, String),
    known: &[(Option<&str>, &str)],
) -> XmlError {
    let list: Vec<String> = known
        .iter()
        .map(|(ns, l)| crate::read::describe(*ns, l))
        .collect();
    XmlError::at_node(
        node,
        format!(
            "xsi:type {} is not a type derived from {abstract_type} known to this schema \
             (known: {})",
            crate::read::describe(found.0.as_deref(), &found.1),
            if list.is_empty() {
                "none".to_owned()
            } else {
                list.join(", ")
            }
        ),
    )
}

/// Refuses an element whose `xsi:type` names a type other than its declared type `{ns}local`:
/// the generated code reads the declared type only, and would otherwise drop what the derived
/// type adds.
pub fn check_xsi_type(
    node: roxmltree::Node<'_, '_>,
    ns: Option<&str>,
    local: &str,
) -> Result<(), XmlError> {
    if node.attribute((crate::XSI_NAMESPACE, "type")).is_none() {
        return Ok(());
    }
    let found = xsi_type(node, local)?;
    if found.0.as_deref() == ns && found.1 == local {
        return Ok(());
    }
    Err(XmlError::at_node(
        node,
        format!(
            "xsi:type {} names a type derived from {}; only the declared type is read here \
             (refused rather than read in part)",
            crate::read::describe(found.0.as_deref(), &found.1),
            crate::read::describe(ns, local)
        ),
    ))
}
