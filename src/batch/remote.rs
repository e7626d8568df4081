//! The rules across reports (D1, X1, X2, R1, R2) for outcomes read elsewhere: a Spark
//! executor parses its files and hands on each outcome's slim form as bytes ([`slim_bytes`]);
//! the driver gathers every one and runs the rules once over the whole batch ([`across`]),
//! exactly as `gongkai ingest` does after reading. A slim outcome is a few kilobytes (the
//! cells the rules read, the metadata, the narrative's fingerprint), so 100,000 of them fit on
//! one machine where the whole reports would not.

use crate::report::Outcome;

use super::across;

/// An outcome's slim form as bytes, for [`across`]: the report slimmed to what the rules
/// across reports read, its own findings dropped (they are in the executor's frames already).
pub fn slim_bytes(o: &Outcome) -> Vec<u8> {
    // Serialising plain data to memory cannot fail; an outcome is not `Clone`, so the copy
    // to slim is its own bytes read back.
    let whole = bincode::serialize(o).unwrap_or_default();
    let Ok(mut o) = bincode::deserialize::<Outcome>(&whole) else {
        return whole;
    };
    if let Ok(p) = &mut o.result {
        p.report.slim(across::reads);
        p.findings.clear();
    }
    bincode::serialize(&o).unwrap_or_default()
}

/// Runs the rules across reports over slim outcomes ([`slim_bytes`]) from anywhere; returns
/// them in path order with only the findings of these rules, and each one's batch columns
/// (`duplicate_of`, `reuse_previous`, `reuse_peer`) set: their `reports` frame's `errors`,
/// `warnings` and `infos` count those findings alone.
pub fn across(blobs: &[&[u8]]) -> Result<Vec<Outcome>, String> {
    let outcomes = blobs
        .iter()
        .enumerate()
        .map(|(i, b)| {
            bincode::deserialize::<Outcome>(b).map_err(|e| {
                format!("slim outcome {i}: {e}\nhint: every executor must run the same gongkai build as the driver")
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(super::finish(outcomes, Vec::new()).outcomes)
}
