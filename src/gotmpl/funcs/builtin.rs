//! Go's builtin template functions (`text/template`'s `builtins()`): `and`, `or` (their
//! short-circuit is the executor's), `not`, `len`, `index`, `slice`, `print`, `printf`,
//! `println`, `html`, `js`, `urlquery`, `call`, and the comparisons.

use super::Func;

pub const FUNCS: &[Func] = &[];
