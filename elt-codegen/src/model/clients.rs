//! The names of the client stubs: for every SOAP port, the module it lands in, the client type,
//! and per operation its descriptor constant, fault enum and variants, rpc wrapper types and
//! method. Claimed after every type name of the module (see [`super::naming`]), in the order
//! the renderer emits the stubs.

use std::collections::BTreeMap;

use super::naming::Naming;
use crate::names::{self, NameSet};
use crate::wsdl::{Definitions, QName};

/// A port by position: WSDL, service and port index in the input's order.
pub(crate) type PortKey = (usize, usize, usize);

/// The client stubs' names.
#[derive(Debug, Clone, Default)]
pub(crate) struct ClientNaming {
    pub ports: BTreeMap<PortKey, PortNames>,
    /// Modules made for WSDL namespaces that declare no schema types: module → namespace.
    pub wsdl_modules: BTreeMap<String, Option<String>>,
}

/// One SOAP port's client.
#[derive(Debug, Clone)]
pub(crate) struct PortNames {
    /// The `wsdl:port` name.
    #[cfg_attr(not(any(feature = "diff", feature = "inspect")), allow(dead_code))]
    pub port: String,
    pub module: String,
    pub client: String,
    /// By the index of the operation in the port's binding.
    pub operations: BTreeMap<usize, OperationNames>,
}

/// One operation of a client.
#[derive(Debug, Clone)]
pub(crate) struct OperationNames {
    /// The WSDL operation's name.
    #[cfg_attr(not(any(feature = "diff", feature = "inspect")), allow(dead_code))]
    pub operation: String,
    /// The `Operation` descriptor constant.
    pub constant: String,
    /// The enum of the declared faults, and `(fault name, variant)` in the faults' order.
    pub fault_enum: Option<String>,
    pub fault_variants: Vec<(String, String)>,
    /// rpc style: the request and response wrappers, each `(type, RootElement constant)`.
    pub wrappers: Option<[(String, String); 2]>,
    /// The client's method.
    pub method: String,
}

/// The component named `name` among those `list` gives of each WSDL (bindings, port types).
fn declared<'w, T>(
    wsdls: &'w [Definitions],
    name: &QName,
    list: impl Fn(&'w Definitions) -> &'w Vec<T>,
    name_of: impl Fn(&T) -> &String,
) -> Option<&'w T> {
    wsdls
        .iter()
        .filter(|d| d.target_namespace == name.namespace)
        .flat_map(list)
        .find(|x| *name_of(x) == name.local)
}

/// Names the client stub of every SOAP port whose binding and port type the WSDLs declare,
/// claiming in `naming`'s module name sets.
pub(crate) fn name_clients(naming: &mut Naming, wsdls: &[Definitions]) -> ClientNaming {
    let mut out = ClientNaming::default();
    for (w, defs) in wsdls.iter().enumerate() {
        for (s, service) in defs.services.iter().enumerate() {
            for (p, port) in service.ports.iter().enumerate() {
                let Some(binding) = declared(wsdls, &port.binding, |d| &d.bindings, |b| &b.name)
                else {
                    continue;
                };
                if binding.soap.is_none() {
                    continue; // HTTP GET/POST bindings carry no SOAP operations
                }
                let Some(port_type) =
                    declared(wsdls, &binding.port_type, |d| &d.port_types, |p| &p.name)
                else {
                    continue;
                };
                let module = naming.wsdl_module(&mut out.wsdl_modules, defs);
                let taken = naming
                    .used
                    .entry(module.clone())
                    .or_insert_with(|| NameSet::with_reserved(&["NAMESPACE"]));
                let client =
                    taken.claim(&names::type_name(&format!("{}Client", port.name)), "Stub");
                let mut methods = NameSet::with_reserved(&["new", "soap", "with_endpoint"]);
                let mut operations = BTreeMap::new();
                for (k, bop) in binding.operations.iter().enumerate() {
                    let Some(op) = port_type.operations.iter().find(|o| o.name == bop.name) else {
                        continue;
                    };
                    let constant = taken.claim(&names::const_name(&op.name), "_OPERATION");
                    let (fault_enum, fault_variants) = if op.faults.is_empty() {
                        (None, Vec::new())
                    } else {
                        let fault =
                            taken.claim(&names::type_name(&format!("{}Fault", op.name)), "Enum");
                        let mut variants = NameSet::default();
                        let names = op
                            .faults
                            .iter()
                            .map(|(fname, _)| {
                                let v = variants.claim(&names::type_name(fname), "Fault");
                                (fname.clone(), v)
                            })
                            .collect();
                        (Some(fault), names)
                    };
                    let style = bop.style.as_deref().or(binding.style.as_deref());
                    let wrappers = (style == Some("rpc")).then(|| {
                        [
                            format!("{}Request", op.name),
                            format!("{}Response", op.name),
                        ]
                        .map(|base| {
                            (
                                taken.claim(&names::type_name(&base), "Wrapper"),
                                taken.claim(&names::const_name(&base), "_ELEMENT"),
                            )
                        })
                    });
                    let method = methods.claim(&names::field_name(&op.name), "_op");
                    operations.insert(
                        k,
                        OperationNames {
                            operation: op.name.clone(),
                            constant,
                            fault_enum,
                            fault_variants,
                            wrappers,
                            method,
                        },
                    );
                }
                out.ports.insert(
                    (w, s, p),
                    PortNames {
                        port: port.name.clone(),
                        module,
                        client,
                        operations,
                    },
                );
            }
        }
    }
    out
}
