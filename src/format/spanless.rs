//! What a rule file means, apart from where it says it: the AST with every
//! span set to zero. Two layouts of one file give equal span-free ASTs.
//!
//! Every struct is taken apart field by field, without `..`, so that a field
//! added to the AST does not compile until it is handled here.

use chrono::NaiveDate;

use crate::source::Span;
use crate::syntax::ast::*;

/// The file's AST with every span zeroed.
pub fn without_spans(mut file: File) -> File {
    file.unspan();
    file
}

/// Zeroes every span inside a value.
trait Unspan {
    fn unspan(&mut self);
}

/// Values that hold no span.
macro_rules! no_spans {
    ($($t:ty),*) => {$(
        impl Unspan for $t {
            fn unspan(&mut self) {}
        }
    )*};
}

no_spans!(
    String,
    NaiveDate,
    Length,
    BindingForce,
    RuleKind,
    ExceptionStatus
);

impl<T: Unspan> Unspan for Node<T> {
    fn unspan(&mut self) {
        self.span = Span::default();
        self.node.unspan();
    }
}

impl<T: Unspan> Unspan for Vec<T> {
    fn unspan(&mut self) {
        self.iter_mut().for_each(Unspan::unspan);
    }
}

impl<T: Unspan> Unspan for Option<T> {
    fn unspan(&mut self) {
        self.iter_mut().for_each(Unspan::unspan);
    }
}

impl<T: Unspan> Unspan for Box<T> {
    fn unspan(&mut self) {
        self.as_mut().unspan();
    }
}

impl Unspan for File {
    fn unspan(&mut self) {
        let Self { declarations } = self;
        declarations.unspan();
    }
}

impl Unspan for Declaration {
    fn unspan(&mut self) {
        match self {
            Self::Ruleset(x) => x.unspan(),
            Self::Authority(x) => x.unspan(),
            Self::Source(x) => x.unspan(),
            Self::Fact(x) => x.unspan(),
            Self::Item(x) => x.unspan(),
            Self::Define(x) => x.unspan(),
            Self::Rule(x) => x.unspan(),
        }
    }
}

impl Unspan for RulesetHeader {
    fn unspan(&mut self) {
        let Self {
            name,
            title,
            version,
            published,
            due_soon,
            organisation,
            headings,
        } = self;
        name.unspan();
        title.unspan();
        version.unspan();
        published.unspan();
        due_soon.unspan();
        organisation.unspan();
        headings.unspan();
    }
}

impl Unspan for OrganisationWords {
    fn unspan(&mut self) {
        let Self { one, many, id } = self;
        one.unspan();
        many.unspan();
        id.unspan();
    }
}

impl Unspan for Heading {
    fn unspan(&mut self) {
        let Self { force, title } = self;
        force.unspan();
        title.unspan();
    }
}

impl Unspan for Authority {
    fn unspan(&mut self) {
        let Self { name, title, force } = self;
        name.unspan();
        title.unspan();
        force.unspan();
    }
}

impl Unspan for Issuer {
    fn unspan(&mut self) {
        match self {
            Self::Authority(x) | Self::Text(x) => x.unspan(),
        }
    }
}

impl Unspan for Source {
    fn unspan(&mut self) {
        let Self {
            name,
            title,
            issuer,
            published,
            url,
        } = self;
        name.unspan();
        title.unspan();
        issuer.unspan();
        published.unspan();
        url.unspan();
    }
}

impl Unspan for FactType {
    fn unspan(&mut self) {
        if let Self::OneOf(variants) = self {
            variants.unspan();
        }
    }
}

impl Unspan for Fact {
    fn unspan(&mut self) {
        let Self {
            name,
            ty,
            optional: _,
            as_recorded: _,
            label,
            question,
        } = self;
        name.unspan();
        ty.unspan();
        label.unspan();
        question.unspan();
    }
}

impl Unspan for ItemKind {
    fn unspan(&mut self) {
        let Self {
            name,
            one,
            many,
            question,
            fields,
        } = self;
        name.unspan();
        one.unspan();
        many.unspan();
        question.unspan();
        fields.unspan();
    }
}

impl Unspan for ForEach {
    fn unspan(&mut self) {
        match self {
            Self::Item { kind, filter } => {
                kind.unspan();
                filter.unspan();
            }
            Self::Period(span) => *span = Span::default(),
        }
    }
}

impl Unspan for Define {
    fn unspan(&mut self) {
        let Self { name, label, value } = self;
        name.unspan();
        label.unspan();
        value.unspan();
    }
}

impl Unspan for Rule {
    fn unspan(&mut self) {
        let Self {
            kind,
            name,
            title,
            authority,
            each,
            versions,
            withdrawals,
            supersessions,
            positions,
        } = self;
        kind.unspan();
        name.unspan();
        title.unspan();
        authority.unspan();
        each.unspan();
        versions.unspan();
        withdrawals.unspan();
        supersessions.unspan();
        positions.unspan();
    }
}

impl Unspan for Citation {
    fn unspan(&mut self) {
        let Self { source, pinpoint } = self;
        source.unspan();
        pinpoint.unspan();
    }
}

impl Unspan for Version {
    fn unspan(&mut self) {
        let Self {
            span,
            from,
            until,
            published,
            citations,
            applies_when,
            deadline,
            every,
            due_soon,
            met_when,
            met_on,
            exceptions,
        } = self;
        *span = Span::default();
        from.unspan();
        until.unspan();
        published.unspan();
        citations.unspan();
        applies_when.unspan();
        deadline.unspan();
        every.unspan();
        due_soon.unspan();
        met_when.unspan();
        met_on.unspan();
        exceptions.unspan();
    }
}

impl Unspan for Recurrence {
    fn unspan(&mut self) {
        let Self {
            unit: _,
            from,
            due_after,
            span,
        } = self;
        from.unspan();
        due_after.unspan();
        *span = Span::default();
    }
}

impl Unspan for Exception {
    fn unspan(&mut self) {
        let Self {
            condition,
            status,
            reason,
            citations,
        } = self;
        condition.unspan();
        status.unspan();
        reason.unspan();
        citations.unspan();
    }
}

impl Unspan for Withdrawal {
    fn unspan(&mut self) {
        let Self {
            span,
            on,
            published,
            reason,
            citations,
        } = self;
        *span = Span::default();
        on.unspan();
        published.unspan();
        reason.unspan();
        citations.unspan();
    }
}

impl Unspan for Supersession {
    fn unspan(&mut self) {
        let Self {
            span,
            successor,
            on,
            published,
            citations,
        } = self;
        *span = Span::default();
        successor.unspan();
        on.unspan();
        published.unspan();
        citations.unspan();
    }
}

impl Unspan for Position {
    fn unspan(&mut self) {
        let Self {
            authority,
            stance,
            citations,
        } = self;
        authority.unspan();
        stance.unspan();
        citations.unspan();
    }
}

impl Unspan for ExprKind {
    fn unspan(&mut self) {
        match self {
            Self::Bool(_)
            | Self::Integer(_)
            | Self::Decimal(_)
            | Self::Percent(_)
            | Self::Date(_)
            | Self::DateTime(_)
            | Self::Month(_)
            | Self::Duration(..)
            | Self::Text(_)
            | Self::Today
            | Self::Unstated
            | Self::Period
            | Self::Name(_) => {}
            Self::Field(kind, field) => {
                kind.unspan();
                field.unspan();
            }
            Self::Aggregate {
                kind,
                field,
                filter,
                ..
            } => {
                kind.unspan();
                field.unspan();
                filter.unspan();
            }
            Self::Not(x) | Self::Neg(x) | Self::IsSet(x) | Self::IsMissing(x) => x.unspan(),
            Self::Binary(_, a, b) => {
                a.unspan();
                b.unspan();
            }
            Self::OneOf(x, variants) => {
                x.unspan();
                variants.unspan();
            }
            Self::If(c, a, b) => {
                c.unspan();
                a.unspan();
                b.unspan();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::FileId;
    use crate::syntax::parse_file;

    fn meaning(text: &str) -> File {
        without_spans(parse_file(FileId(0), text).unwrap_or_default())
    }

    const RULE: &str = "obligation r \"R\" by a version from 2023-01-01 published 2023-01-01 \
        cites s at \"p\" applies when x is one of (A, B) and -y < 2 deadline 28 days after d \
        met when if z then x else y unless q -> met \"why\" cites s \
        position b \"stance\" cites s";

    #[test]
    fn layout_does_not_change_meaning() {
        // A duration's number and unit must share a line.
        let spread = RULE.replace(' ', "\n \t").replace("28\n \t", "28\t ");
        assert_ne!(
            parse_file(FileId(0), RULE).ok(),
            parse_file(FileId(0), &spread).ok()
        );
        assert_eq!(meaning(RULE), meaning(&spread));
        assert!(!meaning(RULE).declarations.is_empty());
    }

    #[test]
    fn every_change_of_content_does() {
        for (from, to) in [
            ("\"p\"", "\"q\""),
            ("(A, B)", "(B, A)"),
            ("-y < 2", "-y <= 2"),
            ("28 days", "28 weeks"),
            ("-> met", "-> overdue"),
            ("if z then x else y", "if z then y else x"),
            ("position b", "position c"),
        ] {
            assert_ne!(
                meaning(RULE),
                meaning(&RULE.replace(from, to)),
                "{from} -> {to}"
            );
        }
    }
}
