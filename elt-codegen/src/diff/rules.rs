//! The classification rules. Each kind of change is one [`Kind`], with an id such as
//! `new-required-element`, and an effect on the set of valid documents:
//!
//! - it *tightens* when some document valid before is invalid now: code written for the old
//!   contract may **send** what the new one rejects, so it breaks senders where the type is sent;
//! - it *relaxes* when some document valid now was invalid before: code generated from the old
//!   contract may **reject** what the other side now sends, so it breaks receivers where the type
//!   is received (unless an `xs:any` of the old type takes the new element, or the change is one
//!   the generated readers ignore, such as an unknown attribute);
//! - some changes break everyone whichever way the message goes (a removed operation, a changed
//!   SOAPAction or target namespace); some have no effect on the wire; some touch only prose.
//!
//! The rule named in the output is the kind's id prefixed by its class: `sender.`, `receiver.`,
//! `both.`, `compatible.` or `docs.`. A change in a type that is both sent and received can name
//! a sender and a receiver rule at once (and then it is breaking for both).

use serde::Serialize;

use super::direction::Direction;

/// What a change does to the set of valid documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    /// Some old documents are invalid now.
    Tightens,
    /// Some new documents were invalid before.
    Relaxes,
    /// Both (a changed type, a reordering).
    TightensAndRelaxes,
    /// Breaks every client whichever way the message goes.
    BreaksEveryone,
    /// No effect on the documents exchanged.
    Neutral,
    /// Prose only.
    Docs,
}

macro_rules! kinds {
    ($( $(#[$m:meta])* $v:ident = $id:literal, $effect:ident, $desc:literal; )*) => {
        /// A kind of change: the rule applied to it.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
        #[serde(into = "&'static str")]
        pub enum Kind {
            $( $(#[$m])* $v, )*
        }

        impl Kind {
            /// Every kind, in the order of this table.
            pub const ALL: &'static [Kind] = &[$(Kind::$v),*];

            /// The id, without the class prefix (`new-required-element`).
            pub fn id(self) -> &'static str {
                match self { $(Kind::$v => $id,)* }
            }

            /// What it does to the set of valid documents.
            pub fn effect(self) -> Effect {
                match self { $(Kind::$v => Effect::$effect,)* }
            }

            /// Why it is classified as it is.
            pub fn description(self) -> &'static str {
                match self { $(Kind::$v => $desc,)* }
            }
        }
    };
}

kinds! {
    /// A new element with `minOccurs` ≥ 1.
    NewRequiredElement = "new-required-element", TightensAndRelaxes,
        "a new element that must be present: old senders do not write it, old readers reject it";
    /// A new optional element.
    NewOptionalElement = "new-optional-element", Relaxes,
        "a new optional element: old senders may leave it out, old readers reject it when it comes";
    /// A removed element that had to be present.
    RemovedRequiredElement = "removed-required-element", TightensAndRelaxes,
        "a required element was removed: old senders still write it, old readers still expect it";
    /// A removed optional element.
    RemovedElement = "removed-element", Tightens,
        "an element was removed: old senders may still write it and the new schema rejects it";
    /// `minOccurs` went up.
    RaisedMinOccurs = "raised-min-occurs", Tightens,
        "minOccurs went up: old senders may write fewer than now required";
    /// `minOccurs` went down.
    LoweredMinOccurs = "lowered-min-occurs", Relaxes,
        "minOccurs went down: old readers expect occurrences that may now be missing";
    /// `maxOccurs` went down.
    LoweredMaxOccurs = "lowered-max-occurs", Tightens,
        "maxOccurs went down: old senders may write more than now allowed";
    /// `maxOccurs` went up.
    RaisedMaxOccurs = "raised-max-occurs", Relaxes,
        "maxOccurs went up: old readers reject the extra occurrences";
    /// A different type.
    ChangedType = "changed-type", TightensAndRelaxes,
        "the type changed: old code writes and reads values of the old type";
    /// An element or attribute in another namespace (or qualified differently).
    ChangedNamespace = "changed-namespace", TightensAndRelaxes,
        "the element or attribute is now in another namespace on the wire";
    /// `nillable` was added.
    NowNillable = "now-nillable", Relaxes,
        "the element may now be nil (xsi:nil), which old readers do not expect";
    /// `nillable` was removed.
    NoLongerNillable = "no-longer-nillable", Tightens,
        "the element may no longer be nil";
    /// Elements of a sequence in another order.
    ReorderedElements = "reordered-elements", TightensAndRelaxes,
        "the elements of a sequence are in another order: old code writes and reads the old order";
    /// A new branch of a choice.
    NewChoiceBranch = "new-choice-branch", Relaxes,
        "a new branch of a choice: old senders never pick it, old readers reject it";
    /// A removed branch of a choice.
    RemovedChoiceBranch = "removed-choice-branch", Tightens,
        "a branch of a choice was removed: old senders may still pick it";
    /// A new element or type may stand in for this one: a member of its substitution group,
    /// or a type derived from it when it is abstract.
    NewSubstitute = "new-substitute", Relaxes,
        "a new element or type may stand in for this one (a substitution group member, a type derived from an abstract type): old senders never use it, old readers reject it";
    /// An element or type may no longer stand in for this one.
    RemovedSubstitute = "removed-substitute", Tightens,
        "an element or type may no longer stand in for this one: old senders may still use it";
    /// The content model changed shape (compositor, mixed, simple versus element content).
    ChangedStructure = "changed-structure", TightensAndRelaxes,
        "the content model changed shape: old code writes and reads the old structure";
    /// A new `xs:any`.
    NewWildcard = "new-wildcard", Relaxes,
        "a new xs:any: old readers reject the elements it now allows";
    /// A removed `xs:any`.
    RemovedWildcard = "removed-wildcard", Tightens,
        "an xs:any was removed: old senders may still write such elements";
    /// An `xs:any` that allows less.
    NarrowedWildcard = "narrowed-wildcard", Tightens,
        "an xs:any allows fewer namespaces or validates strictly now";
    /// An `xs:any` that allows more.
    WidenedWildcard = "widened-wildcard", Relaxes,
        "an xs:any allows more namespaces now, which old readers reject";
    /// An `xs:any` with another, incomparable namespace list.
    ChangedWildcard = "changed-wildcard", TightensAndRelaxes,
        "an xs:any allows another set of namespaces";
    /// A new required attribute.
    NewRequiredAttribute = "new-required-attribute", Tightens,
        "a new required attribute: old senders do not write it (generated readers skip unknown attributes)";
    /// A new optional attribute.
    NewOptionalAttribute = "new-optional-attribute", Neutral,
        "a new optional attribute: old senders need not write it, generated readers skip unknown attributes";
    /// A removed required attribute.
    RemovedRequiredAttribute = "removed-required-attribute", TightensAndRelaxes,
        "a required attribute was removed: old senders write it, old readers require it";
    /// A removed optional attribute.
    RemovedAttribute = "removed-attribute", Tightens,
        "an attribute was removed: old senders may still write it";
    /// An optional attribute became required.
    AttributeNowRequired = "attribute-now-required", Tightens,
        "an optional attribute became required: old senders may leave it out";
    /// A required attribute became optional.
    AttributeNowOptional = "attribute-now-optional", Relaxes,
        "a required attribute became optional: old readers require it";
    /// Another default value.
    ChangedDefault = "changed-default", TightensAndRelaxes,
        "the default value changed: an absent attribute (or an empty element) now means something else";
    /// The generated field or variant of an element now holds its value in a `Box`, or no
    /// longer does.
    ChangedBoxing = "changed-boxing", Neutral,
        "the generated field or variant holds its value in a Box now, or no longer does (a cycle of types through it, or a value grown or shrunk past the size that is boxed): nothing changes on the wire, code that builds or matches the field changes";
    /// A `fixed` value where there was none.
    NewFixed = "new-fixed", Tightens,
        "the element or attribute now has a fixed value: old senders may write another value (generated code does not check fixed values)";
    /// A `fixed` value removed.
    RemovedFixed = "removed-fixed", Relaxes,
        "the element or attribute no longer has a fixed value: senders may write other values, which old validating readers reject";
    /// Another `fixed` value.
    ChangedFixed = "changed-fixed", TightensAndRelaxes,
        "the fixed value changed: old senders write the old value, old validating readers expect it";
    /// A facet that allows fewer values.
    TightenedFacet = "tightened-facet", Tightens,
        "a facet allows fewer values (a new pattern, a shorter length, a narrower range, fewer digits): old senders may write values now rejected";
    /// A facet that allows more values.
    RelaxedFacet = "relaxed-facet", Relaxes,
        "a facet allows more values: generated readers check facets and reject the new values";
    /// Another pattern. Patterns are not compared as languages: any change of a pattern counts
    /// as tightened and as relaxed, unless the pattern was only added (tightened) or removed
    /// (relaxed).
    ChangedPattern = "changed-pattern", TightensAndRelaxes,
        "the pattern changed; patterns are not compared as languages, so a changed pattern counts as tightened (old senders' values may be rejected) and as relaxed (old readers may reject new values)";
    /// A facet changed in a way that is not ordered (white space, a non-numeric bound).
    ChangedFacet = "changed-facet", TightensAndRelaxes,
        "a facet changed in a way that is neither clearly tighter nor looser";
    /// A new enumeration value.
    NewEnumerationValue = "new-enumeration-value", Relaxes,
        "a new enumeration value: old readers reject it";
    /// A removed enumeration value.
    RemovedEnumerationValue = "removed-enumeration-value", Tightens,
        "an enumeration value was removed: old senders may still write it";
    /// A new named type.
    NewType = "new-type", Neutral,
        "a new named type; it affects messages only where an element uses it";
    /// A removed named type.
    RemovedType = "removed-type", Neutral,
        "a named type was removed; the elements that used it are listed as their own changes";
    /// A new global element.
    NewGlobalElement = "new-global-element", Neutral,
        "a new global element (a new message or document)";
    /// A removed global element.
    RemovedGlobalElement = "removed-global-element", Tightens,
        "a global element was removed: old senders may still send that message or document";
    /// A new operation.
    NewOperation = "new-operation", Neutral,
        "a new operation: old code does not call it";
    /// A removed operation.
    RemovedOperation = "removed-operation", BreaksEveryone,
        "an operation was removed: old code calls it";
    /// An operation under a new name (same request and response).
    RenamedOperation = "renamed-operation", BreaksEveryone,
        "an operation was renamed (same request and response elements): old code calls the old name";
    /// Another SOAPAction.
    ChangedSoapAction = "changed-soap-action", BreaksEveryone,
        "the SOAPAction changed: old code sends the old one and the service dispatches on it";
    /// Another SOAP version, style, use or transport.
    ChangedBinding = "changed-binding", BreaksEveryone,
        "the binding changed (SOAP version, style, use, transport or the binding a port uses): old code speaks the old protocol";
    /// Another element in a message.
    ChangedMessageElement = "changed-message-element", TightensAndRelaxes,
        "a message now carries another element";
    /// A new fault.
    NewFault = "new-fault", Relaxes,
        "a new fault: old code does not know its detail";
    /// A removed fault.
    RemovedFault = "removed-fault", Tightens,
        "a fault was removed: the service no longer sends it";
    /// A new SOAP header in the request.
    NewHeader = "new-header", TightensAndRelaxes,
        "a new SOAP header in the request: old senders do not write it";
    /// A removed SOAP header.
    RemovedHeader = "removed-header", Tightens,
        "a SOAP header of the request was removed: old senders still write it";
    /// A new service or port.
    NewPort = "new-port", Neutral,
        "a new service or port";
    /// A removed service or port.
    RemovedPort = "removed-port", BreaksEveryone,
        "a port was removed: old code calls it";
    /// Another endpoint address.
    ChangedAddress = "changed-address", BreaksEveryone,
        "the endpoint address changed: old code that uses the generated default endpoint calls the old address";
    /// A schema's target namespace changed.
    ChangedTargetNamespace = "changed-target-namespace", BreaksEveryone,
        "the target namespace changed: every element of the schema is in another namespace on the wire";
    /// Documentation.
    Documentation = "documentation", Docs,
        "documentation only";
    /// A schema's `version` attribute.
    SchemaVersion = "schema-version", Docs,
        "the schema's version attribute; the content is compared on its own";
}

impl From<Kind> for &'static str {
    fn from(k: Kind) -> &'static str {
        k.id()
    }
}

/// How a change affects code written for the old contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Class {
    /// Breaks code on both sides.
    BreakingBoth,
    /// Breaks what we send.
    BreakingSenders,
    /// Breaks what we parse.
    BreakingReceivers,
    /// Old code keeps working.
    Compatible,
    /// Prose only.
    DocsOnly,
}

impl Class {
    /// Every class, most severe first.
    pub const ALL: [Class; 5] = [
        Class::BreakingBoth,
        Class::BreakingSenders,
        Class::BreakingReceivers,
        Class::Compatible,
        Class::DocsOnly,
    ];

    /// `breaking for senders`, ...
    pub fn label(self) -> &'static str {
        match self {
            Class::BreakingBoth => "breaking for both",
            Class::BreakingSenders => "breaking for senders",
            Class::BreakingReceivers => "breaking for receivers",
            Class::Compatible => "compatible",
            Class::DocsOnly => "docs only",
        }
    }

    /// Whether old code breaks.
    pub fn is_breaking(self) -> bool {
        matches!(
            self,
            Class::BreakingBoth | Class::BreakingSenders | Class::BreakingReceivers
        )
    }
}

/// The class and rule ids of a change of `kind` in something travelling `dir`; `absorbed`
/// when the old readers take the change anyway (an `xs:any` of the old type).
pub fn classify(kind: Kind, dir: Direction, absorbed: bool) -> (Class, Vec<String>) {
    let id = kind.id();
    match kind.effect() {
        Effect::Docs => (Class::DocsOnly, vec![format!("docs.{id}")]),
        Effect::BreaksEveryone => (Class::BreakingBoth, vec![format!("both.{id}")]),
        Effect::Neutral => (Class::Compatible, vec![format!("compatible.{id}")]),
        effect => {
            let tightens = matches!(effect, Effect::Tightens | Effect::TightensAndRelaxes);
            let relaxes = matches!(effect, Effect::Relaxes | Effect::TightensAndRelaxes);
            let senders = dir.sent && tightens;
            let receivers = dir.received && relaxes && !absorbed;
            let mut rules = Vec::new();
            if senders {
                rules.push(format!("sender.{id}"));
            }
            if receivers {
                rules.push(format!("receiver.{id}"));
            }
            let class = match (senders, receivers) {
                (true, true) => Class::BreakingBoth,
                (true, false) => Class::BreakingSenders,
                (false, true) => Class::BreakingReceivers,
                (false, false) => {
                    rules.push(format!("compatible.{id}"));
                    Class::Compatible
                }
            };
            (class, rules)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_kebab_case() {
        let mut seen = std::collections::BTreeSet::new();
        for k in Kind::ALL {
            assert!(seen.insert(k.id()), "duplicate id {}", k.id());
            assert!(k.id().chars().all(|c| c.is_ascii_lowercase() || c == '-'));
            assert!(!k.description().is_empty());
        }
    }

    #[test]
    fn tightening_breaks_senders_only() {
        let k = Kind::RaisedMinOccurs;
        assert_eq!(
            classify(k, Direction::SENT, false),
            (
                Class::BreakingSenders,
                vec!["sender.raised-min-occurs".to_owned()]
            )
        );
        assert_eq!(classify(k, Direction::RECEIVED, false).0, Class::Compatible);
        assert_eq!(
            classify(k, Direction::RECEIVED, false).1,
            vec!["compatible.raised-min-occurs".to_owned()]
        );
        assert_eq!(
            classify(k, Direction::BOTH, false).0,
            Class::BreakingSenders
        );
        assert_eq!(classify(k, Direction::NONE, false).0, Class::Compatible);
    }

    #[test]
    fn relaxing_breaks_receivers_unless_absorbed() {
        let k = Kind::NewOptionalElement;
        assert_eq!(classify(k, Direction::SENT, false).0, Class::Compatible);
        assert_eq!(
            classify(k, Direction::RECEIVED, false),
            (
                Class::BreakingReceivers,
                vec!["receiver.new-optional-element".to_owned()]
            )
        );
        assert_eq!(classify(k, Direction::RECEIVED, true).0, Class::Compatible);
    }

    #[test]
    fn changed_type_breaks_each_direction_it_travels() {
        let k = Kind::ChangedType;
        assert_eq!(
            classify(k, Direction::SENT, false).0,
            Class::BreakingSenders
        );
        assert_eq!(
            classify(k, Direction::RECEIVED, false).0,
            Class::BreakingReceivers
        );
        assert_eq!(
            classify(k, Direction::BOTH, false),
            (
                Class::BreakingBoth,
                vec![
                    "sender.changed-type".to_owned(),
                    "receiver.changed-type".to_owned()
                ]
            )
        );
    }

    #[test]
    fn operation_level_rules_ignore_direction() {
        for k in [
            Kind::RemovedOperation,
            Kind::ChangedSoapAction,
            Kind::ChangedTargetNamespace,
        ] {
            for d in [
                Direction::NONE,
                Direction::SENT,
                Direction::RECEIVED,
                Direction::BOTH,
            ] {
                assert_eq!(classify(k, d, false).0, Class::BreakingBoth);
            }
        }
        assert_eq!(
            classify(Kind::NewOperation, Direction::BOTH, false).0,
            Class::Compatible
        );
        assert_eq!(
            classify(Kind::Documentation, Direction::BOTH, false),
            (Class::DocsOnly, vec!["docs.documentation".to_owned()])
        );
    }
}
