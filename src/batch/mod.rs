//! `obligo batch`: many organisations at once. Rows of JSON Lines, CSV or
//! YAML facts files are read in bounded chunks, judged in parallel by the
//! one status path ([`crate::eval::Plan`]) and written in input order; an
//! invalid row gives an error record and the run goes on. Memory stays
//! flat: nothing is kept of a row once written but its counts ([`Tally`]).

mod digest;
pub mod input;
pub mod run;
pub mod tally;

pub use input::{Format, Input, inputs};
pub use run::{Finished, Settings, Sink, run};
pub use tally::Tally;
