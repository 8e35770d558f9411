//! Code generated at build time (see `build.rs`) from the feature fixtures in
//! `elt-codegen/tests/fixtures/features/`, one module per fixture, and from the real-world
//! cases in `../shared/corpus` when that folder is present (`cfg(corpus)`). Compiling this
//! crate is the proof that the generated code compiles; the tests in `tests/` check it on the
//! wire.

macro_rules! generated {
    ($($(#[$attr:meta])* $name:ident => $file:literal,)*) => {$(
        $(#[$attr])*
        #[rustfmt::skip]
        #[allow(missing_docs, clippy::all)]
        pub mod $name {
            include!(concat!(env!("OUT_DIR"), "/", $file));
        }
    )*};
}

generated! {
    /// `xs:all`.
    all => "all.rs",
    /// `xs:anyAttribute`.
    any_attribute => "any_attribute.rs",
    /// `xs:anyType` and elements without a type.
    any_type => "any_type.rs",
    /// A schema without a namespace, included and redefined in three namespaces.
    chameleon => "chameleon.rs",
    /// Names that collide in Rust.
    collisions => "collisions.rs",
    /// complexContent extension and restriction.
    derivation => "derivation.rs",
    /// Attributes inherited along derivation chains.
    inheritance => "inheritance.rs",
    /// `xs:list`.
    list => "list.rs",
    /// A folder whose schemas import and include files named without an extension.
    extensionless => "extensionless.rs",
    /// Wildcards inherited from a base in another namespace.
    inherited_wildcards => "inherited_wildcards.rs",
    /// Mixed content.
    mixed => "mixed.rs",
    /// A group redefined in terms of itself (`xs:redefine`).
    redefine_group => "redefine_group.rs",
    /// Imports naming web addresses: linked by namespace, the XML namespace's schema built in.
    remote_imports => "remote_imports.rs",
    /// `nillable="true"`.
    nillable => "nillable.rs",
    /// Patterns across derivation steps.
    pattern_steps => "pattern_steps.rs",
    /// An rpc/literal service: wrapper types and client stubs.
    rpc_literal => "rpc_literal.rs",
    /// Recursive types.
    recursive => "recursive.rs",
    /// Substitution groups.
    substitution => "substitution.rs",
    /// `xs:union`.
    union => "union.rs",
    /// Abstract types and `xsi:type`.
    xsi_type => "xsi_type.rs",
}

/// The real-world cases of `../shared/corpus`, generated at build time.
#[cfg(corpus)]
pub mod corpus {
    generated! {
        /// Försäkringskassan's SHS services (ELT and its sister service), with client stubs.
        fk_shs_emottagning => "fk_shs_emottagning.rs",
        /// Bolagsverket's SSBT services, with client stubs.
        bolagsverket_ssbt => "bolagsverket_ssbt.rs",
        /// The CDYNE weather .NET asmx service, with client stubs.
        cdyne_weather_asmx => "cdyne_weather_asmx.rs",
        /// Inera's RIV-TA certificate contracts (types only).
        inera_riv_certificate_v3 => "inera_riv_certificate_v3.rs",
        /// ISDOC 6.0.2 invoices.
        isdoc_6_0_2 => "isdoc_6_0_2.rs",
        /// SAML 2.0 protocol and metadata.
        saml2 => "saml2.rs",
        /// Skatteverket's Kontrolluppgifter 8.0.
        skatteverket_kontrolluppgifter_8_0 => "skatteverket_kontrolluppgifter_8_0.rs",
    }
}
