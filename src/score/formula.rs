//! Indicator formulas over canonical keys: `(granted + partial) / total`,
//! `review.corrected / review.total`, `sum(denied_*)`, `disclosure.licensing.decisions`.
//!
//! Names resolve against the template's keys: `row` is a requests row's total column;
//! `group.col` a table-四 group or a table-二 row; `table.row.col` anything. `sum(prefix_*)`
//! adds the requests rows whose key starts with the prefix (subtotals excluded). Unknown names
//! are errors with the closest known key suggested.

use std::fmt;

use crate::template::{TOTAL, TableKind, all_keys, parse_key};

/// A canonical cell: (table, row, col).
pub(crate) type Key = (TableKind, &'static str, &'static str);

/// What a report says of itself beyond its cells, measured by gongkai: the names formulas
/// use for them (`report.completeness`, …) are [`Measure::name`].
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum Measure {
    /// Share of the report's template cells printed as a value, blank or not-applicable
    /// (not missing, unparsed or ambiguous), over the tables its layout has.
    Completeness,
    /// Identity failures (I1–I5, severity error: sums that disagree) the report's own
    /// numbers show.
    IdentityFailures,
    /// Share of the narrative copied from the issuer's previous report (R1's measure).
    ReusePrevious,
    /// 1 when the report says it charged 信息处理费, 0 when it says it charged none.
    FeeCharged,
}

impl Measure {
    pub const ALL: [Measure; 4] = [
        Measure::Completeness,
        Measure::IdentityFailures,
        Measure::ReusePrevious,
        Measure::FeeCharged,
    ];

    /// The name formulas use.
    pub fn name(self) -> &'static str {
        match self {
            Measure::Completeness => "report.completeness",
            Measure::IdentityFailures => "report.identity_failures",
            Measure::ReusePrevious => "report.reuse_previous",
            Measure::FeeCharged => "report.fee_charged",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum Expr {
    Num(f64),
    Cell(Key),
    Measure(Measure),
    Sum(Vec<Key>),
    Neg(Box<Expr>),
    Bin(char, Box<Expr>, Box<Expr>),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct FormulaError {
    /// Character offset in the formula.
    pub at: usize,
    pub message: String,
}

impl fmt::Display for FormulaError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "at character {}: {}", self.at + 1, self.message)
    }
}

/// Keys `sum(prefix*)` covers: requests rows (total column) starting with `prefix`.
fn glob(prefix: &str) -> Vec<Key> {
    let mut out: Vec<Key> = all_keys()
        .iter()
        .copied()
        .filter(|&(t, r, c)| {
            t == TableKind::Requests
                && c == TOTAL
                && r.starts_with(prefix)
                && !r.ends_with("_subtotal")
        })
        .collect();
    out.dedup();
    out
}

fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for i in 1..=a.len() {
        let mut cur = vec![i; b.len() + 1];
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            cur[j] = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// The known name closest to `name`, for "did you mean".
pub(crate) fn suggest(name: &str) -> Option<String> {
    let mut names: Vec<String> = Vec::new();
    for &(t, r, c) in all_keys() {
        names.push(format!("{}.{r}.{c}", t.key()));
        match t {
            TableKind::Requests if c == TOTAL => names.push(r.to_owned()),
            TableKind::Requests => {}
            _ => names.push(format!("{r}.{c}")),
        }
    }
    names.extend(Measure::ALL.map(|m| m.name().to_owned()));
    names
        .into_iter()
        .map(|n| (edit_distance(name, &n), n))
        .filter(|(d, n)| *d <= (n.len() / 3).max(2))
        .min()
        .map(|(_, n)| n)
}

struct Parser<'a> {
    chars: Vec<char>,
    pos: usize,
    src: &'a str,
}

pub(crate) fn parse(src: &str) -> Result<Expr, FormulaError> {
    let mut p = Parser {
        chars: src.chars().collect(),
        pos: 0,
        src,
    };
    let e = p.expr()?;
    p.ws();
    if p.pos < p.chars.len() {
        return Err(p.err(format!("unexpected {:?}", p.chars[p.pos])));
    }
    Ok(e)
}

impl Parser<'_> {
    fn err(&self, message: String) -> FormulaError {
        FormulaError {
            at: self.pos,
            message,
        }
    }

    fn ws(&mut self) {
        while self.pos < self.chars.len() && self.chars[self.pos].is_whitespace() {
            self.pos += 1;
        }
    }

    fn peek(&mut self) -> Option<char> {
        self.ws();
        self.chars.get(self.pos).copied()
    }

    fn expr(&mut self) -> Result<Expr, FormulaError> {
        let mut left = self.term()?;
        while let Some(op @ ('+' | '-')) = self.peek() {
            self.pos += 1;
            let right = self.term()?;
            left = Expr::Bin(op, Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn term(&mut self) -> Result<Expr, FormulaError> {
        let mut left = self.factor()?;
        while let Some(op @ ('*' | '/')) = self.peek() {
            self.pos += 1;
            let right = self.factor()?;
            left = Expr::Bin(op, Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn factor(&mut self) -> Result<Expr, FormulaError> {
        match self.peek() {
            Some('(') => {
                self.pos += 1;
                let e = self.expr()?;
                if self.peek() != Some(')') {
                    return Err(self.err("expected `)`".into()));
                }
                self.pos += 1;
                Ok(e)
            }
            Some('-') => {
                self.pos += 1;
                Ok(Expr::Neg(Box::new(self.factor()?)))
            }
            Some(c) if c.is_ascii_digit() || c == '.' => {
                let start = self.pos;
                while self
                    .chars
                    .get(self.pos)
                    .is_some_and(|c| c.is_ascii_digit() || *c == '.')
                {
                    self.pos += 1;
                }
                let text: String = self.chars[start..self.pos].iter().collect();
                text.parse().map(Expr::Num).map_err(|_| FormulaError {
                    at: start,
                    message: format!("bad number {text:?}"),
                })
            }
            Some(c) if c.is_ascii_alphabetic() || c == '_' => self.name(),
            Some(c) => Err(self.err(format!("unexpected {c:?}"))),
            None => Err(self.err("formula ends too early".into())),
        }
    }

    fn name(&mut self) -> Result<Expr, FormulaError> {
        let start = self.pos;
        while self
            .chars
            .get(self.pos)
            .is_some_and(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '.' || *c == '*')
        {
            self.pos += 1;
        }
        let name: String = self.chars[start..self.pos].iter().collect();
        if name == "sum" && self.peek() == Some('(') {
            self.pos += 1;
            self.ws();
            let arg_start = self.pos;
            while self.chars.get(self.pos).is_some_and(|c| *c != ')') {
                self.pos += 1;
            }
            if self.pos >= self.chars.len() {
                return Err(self.err("expected `)` after sum(".into()));
            }
            let arg: String = self.chars[arg_start..self.pos].iter().collect();
            self.pos += 1;
            let arg = arg.trim();
            let keys = match arg.strip_suffix('*') {
                Some(prefix) => glob(prefix),
                None => arg
                    .split(',')
                    .map(|a| parse_key(a.trim()))
                    .collect::<Option<Vec<_>>>()
                    .unwrap_or_default(),
            };
            if keys.is_empty() {
                return Err(FormulaError {
                    at: arg_start,
                    message: format!("sum({arg}) names no cells"),
                });
            }
            return Ok(Expr::Sum(keys));
        }
        if let Some(m) = Measure::ALL.into_iter().find(|m| m.name() == name) {
            return Ok(Expr::Measure(m));
        }
        parse_key(&name).map(Expr::Cell).ok_or_else(|| {
            let hint = suggest(&name)
                .map(|s| format!("; did you mean `{s}`?"))
                .unwrap_or_default();
            FormulaError {
                at: start,
                message: format!("unknown key `{name}` in `{}`{hint}", self.src),
            }
        })
    }
}

impl Expr {
    /// Evaluates with cell values and measures; a missing cell or measure or a division by
    /// zero gives no value. In `sum`, missing cells count as absent, but at least one must be
    /// present.
    pub fn eval(
        &self,
        value: &dyn Fn(Key) -> Option<f64>,
        measure: &dyn Fn(Measure) -> Option<f64>,
    ) -> Option<f64> {
        match self {
            Expr::Num(n) => Some(*n),
            Expr::Cell(k) => value(*k),
            Expr::Measure(m) => measure(*m),
            Expr::Sum(keys) => {
                let vals: Vec<f64> = keys.iter().filter_map(|k| value(*k)).collect();
                (!vals.is_empty()).then(|| vals.iter().sum())
            }
            Expr::Neg(e) => e.eval(value, measure).map(|v| -v),
            Expr::Bin(op, a, b) => {
                let (a, b) = (a.eval(value, measure)?, b.eval(value, measure)?);
                match op {
                    '+' => Some(a + b),
                    '-' => Some(a - b),
                    '*' => Some(a * b),
                    _ => (b != 0.0).then(|| a / b),
                }
            }
        }
    }

    /// Every measure the formula reads.
    pub fn measures(&self) -> Vec<Measure> {
        match self {
            Expr::Measure(m) => vec![*m],
            Expr::Num(_) | Expr::Cell(_) | Expr::Sum(_) => Vec::new(),
            Expr::Neg(e) => e.measures(),
            Expr::Bin(_, a, b) => {
                let mut m = a.measures();
                m.extend(b.measures());
                m
            }
        }
    }

    /// Every cell the formula reads.
    pub fn keys(&self) -> Vec<Key> {
        match self {
            Expr::Num(_) | Expr::Measure(_) => Vec::new(),
            Expr::Cell(k) => vec![*k],
            Expr::Sum(ks) => ks.clone(),
            Expr::Neg(e) => e.keys(),
            Expr::Bin(_, a, b) => {
                let mut k = a.keys();
                k.extend(b.keys());
                k
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vals(k: Key) -> Option<f64> {
        match k {
            (TableKind::Requests, "granted", "total") => Some(6.0),
            (TableKind::Requests, "partial", "total") => Some(2.0),
            (TableKind::Requests, "total", "total") => Some(10.0),
            (TableKind::Requests, "denied_law", "total") => Some(1.0),
            (TableKind::Requests, "denied_query", "total") => Some(2.0),
            (TableKind::ReviewLitigation, "review", "corrected") => Some(1.0),
            (TableKind::ReviewLitigation, "review", "total") => Some(0.0),
            _ => None,
        }
    }

    fn no_measure(_: Measure) -> Option<f64> {
        None
    }

    #[test]
    fn measures_are_names_too() {
        let e = parse("1 - report.completeness").unwrap();
        assert_eq!(e.measures(), [Measure::Completeness]);
        assert_eq!(e.eval(&vals, &|_| Some(0.25)), Some(0.75));
        assert_eq!(e.eval(&vals, &no_measure), None);
        let err = parse("report.completenes").unwrap_err();
        assert!(
            err.message.contains("report.completeness"),
            "{}",
            err.message
        );
    }

    #[test]
    fn formulas_of_the_issue_parse_and_evaluate() {
        let e = parse("(granted + partial) / total").unwrap();
        assert_eq!(e.eval(&vals, &no_measure), Some(0.8));
        assert_eq!(
            parse("sum(denied_*)").unwrap().eval(&vals, &no_measure),
            Some(3.0)
        );
        // Division by zero is no value, not infinity.
        assert_eq!(
            parse("review.corrected / review.total")
                .unwrap()
                .eval(&vals, &no_measure),
            None
        );
        assert_eq!(
            parse("disclosure.licensing.decisions").unwrap(),
            Expr::Cell((TableKind::Disclosure, "licensing", "decisions"))
        );
        assert_eq!(
            parse("-granted * 2 + 1").unwrap().eval(&vals, &no_measure),
            Some(-11.0)
        );
    }

    #[test]
    fn errors_say_where_and_suggest() {
        let e = parse("(granted + partal) / total").unwrap_err();
        assert_eq!(e.at, 11);
        assert!(
            e.message.contains("did you mean `partial`"),
            "{}",
            e.message
        );
        assert!(
            parse("(granted")
                .unwrap_err()
                .message
                .contains("expected `)`")
        );
        assert!(
            parse("sum(nothing_*)")
                .unwrap_err()
                .message
                .contains("names no cells")
        );
        assert!(parse("granted +").is_err());
    }
}
