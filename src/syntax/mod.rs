//! Rule text to a spanned AST.

pub mod ast;
mod parser;

pub use parser::{MAX_NAME, parse_file};
