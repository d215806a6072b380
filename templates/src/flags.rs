//! The helpers behind flags enumerations.

/// A flags enumeration: a set of members written as `"a,b,c"` on the wire.
pub trait Flags: Sized {
    /// Member names and values in declaration order.
    const MEMBERS: &'static [(&'static str, u64)];
    /// Builds a set from known bits and unrecognized names.
    fn from_parts(bits: u64, unrecognized: Vec<String>) -> Self;
    /// The known bits and unrecognized names.
    fn parts(&self) -> (u64, &[String]);
}

/// Parses `"a, b"` into a set; names that are not members are kept as unrecognized.
pub fn flags_parse<F: Flags>(wire: &str) -> F {
    let mut bits = 0;
    let mut unrecognized = Vec::new();
    for name in wire.split(',').map(str::trim).filter(|n| !n.is_empty()) {
        match F::MEMBERS.iter().find(|(n, _)| *n == name) {
            Some((_, v)) => bits |= v,
            None => unrecognized.push(name.to_owned()),
        }
    }
    F::from_parts(bits, unrecognized)
}

/// Writes a set as member names, then the unrecognized names. Members covering more bits
/// are chosen first (so `15` is written `Full` rather than the four members it combines),
/// each only when all its bits are set and it adds bits not yet covered; the chosen names
/// are written in declaration order. An empty set is the zero-valued member, or `""`.
pub fn flags_format<F: Flags>(flags: &F) -> String {
    let (bits, unrecognized) = flags.parts();
    let mut order: Vec<usize> = (0..F::MEMBERS.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(F::MEMBERS[i].1.count_ones()));
    let mut chosen = vec![false; F::MEMBERS.len()];
    let mut covered = 0u64;
    for i in order {
        let value = F::MEMBERS[i].1;
        if value != 0 && bits & value == value && covered | value != covered {
            chosen[i] = true;
            covered |= value;
        }
    }
    let mut names: Vec<&str> =
        F::MEMBERS.iter().zip(&chosen).filter(|(_, c)| **c).map(|((name, _), _)| *name).collect();
    if bits == 0 && unrecognized.is_empty() {
        if let Some((zero, _)) = F::MEMBERS.iter().find(|(_, v)| *v == 0) {
            names.push(zero);
        }
    }
    names.extend(unrecognized.iter().map(String::as_str));
    names.join(",")
}

/// The union of two sets.
pub fn flags_union<F: Flags>(a: F, b: F) -> F {
    let (bits_a, unrecognized_a) = a.parts();
    let (bits_b, unrecognized_b) = b.parts();
    let mut unrecognized = unrecognized_a.to_vec();
    for u in unrecognized_b {
        if !unrecognized.contains(u) {
            unrecognized.push(u.clone());
        }
    }
    F::from_parts(bits_a | bits_b, unrecognized)
}
