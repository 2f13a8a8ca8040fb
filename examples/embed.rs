//! Embedding obligo: load the bundled ruleset, give one practice's facts in
//! code (checked against the same schema as a facts file), print each
//! rule's status and the verdict, then explain one rule.
//!
//! Run it with `cargo run --example embed`; `cargo test` runs it too.

use chrono::NaiveDate;
use obligo::api::{self, Dates, FactsBuilder, Plan, Status};

/// Prints every rule's status for one made-up practice on 1 November 2023.
pub fn main() -> Result<(), api::Error> {
    let rules = api::load_bundled()?;
    let day = NaiveDate::from_ymd_opt(2023, 11, 1).unwrap_or_default();
    let plan = Plan::new(
        &rules,
        Dates {
            as_of: day,
            known_on: day,
        },
    );
    let practice = FactsBuilder::new(&rules)
        .name("Example Practice")
        .id("ZZ0001")
        .with("practice_in_england", true)?
        .with("contract_type", "GMS")?
        .with("ehr_computerised", true)?
        .with("clinical_system_supplier", "EMIS")?
        .with(
            "prospective_access_switch_on_date",
            NaiveDate::from_ymd_opt(2023, 10, 20).unwrap_or_default(),
        )?
        .with("pct_patients_excluded", 4.5)?
        .build();
    // A value the schema rejects is a typed error, worded as for a facts file.
    let rejected = FactsBuilder::new(&rules).with("contract_type", "GSM");
    if let Err(e) = &rejected {
        println!("rejected: {e}");
    }

    let outcomes = plan.evaluate(&practice);
    for o in &outcomes {
        let name = rules.get_rule(o.rule).map_or("?", |r| r.name.as_str());
        let missing = if o.status == Status::Unknown {
            format!(" (needs {} facts)", o.missing.len())
        } else {
            String::new()
        };
        println!("{:<16} {name}{missing}", o.status.code());
    }
    let verdict = plan.verdict(&outcomes);
    println!(
        "verdict: {} (exit code {})",
        verdict.code(),
        verdict.exit_code()
    );
    print!(
        "{}",
        api::explain(&plan, &practice, "prospective-record-access", false)?
    );
    Ok(())
}
