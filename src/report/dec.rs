//! Exact decimals, never floats: 251000元 is 25.1 万元 to the last digit.

use std::fmt;

/// An exact decimal number.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Dec {
    pub(crate) mant: i128,
    pub(crate) scale: u32,
}

impl Dec {
    /// Appends the number as [`fmt::Display`] prints it; integers without the formatter (a
    /// batch prints tens of millions of cell values).
    pub fn push_to(&self, out: &mut String) {
        match i64::try_from(self.mant) {
            Ok(v) if self.scale == 0 => out.push_str(itoa::Buffer::new().format(v)),
            _ => {
                use fmt::Write as _;
                let _ = write!(out, "{self}");
            }
        }
    }

    pub fn int(v: i64) -> Dec {
        Dec {
            mant: v as i128,
            scale: 0,
        }
    }

    /// Parses `123`, `123.45` (ASCII digits only).
    pub fn parse(s: &str) -> Option<Dec> {
        if let Some(v) = small_int(s) {
            return Some(Dec::int(v));
        }
        let (int, frac) = match s.split_once('.') {
            Some((i, f)) => (i, f),
            None => (s, ""),
        };
        if int.is_empty() || !int.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        if !frac.bytes().all(|b| b.is_ascii_digit()) || (s.contains('.') && frac.is_empty()) {
            return None;
        }
        if int.len() + frac.len() > 30 {
            return None;
        }
        let mut mant: i128 = 0;
        for b in int.bytes().chain(frac.bytes()) {
            mant = mant * 10 + (b - b'0') as i128;
        }
        Some(
            Dec {
                mant,
                scale: frac.len() as u32,
            }
            .trimmed(),
        )
    }

    /// Multiplies by 10^exp (exp may be negative), exactly.
    pub fn shift(self, exp: i32) -> Dec {
        let mut d = self;
        if exp >= 0 {
            for _ in 0..exp {
                if d.scale > 0 {
                    d.scale -= 1;
                } else {
                    d.mant *= 10;
                }
            }
        } else {
            d.scale += exp.unsigned_abs();
        }
        d.trimmed()
    }

    fn trimmed(mut self) -> Dec {
        while self.scale > 0 && self.mant % 10 == 0 {
            self.mant /= 10;
            self.scale -= 1;
        }
        self
    }

    /// The value as an integer, if it is one.
    pub fn as_i64(self) -> Option<i64> {
        (self.scale == 0)
            .then(|| i64::try_from(self.mant).ok())
            .flatten()
    }

    pub fn is_integer(self) -> bool {
        self.scale == 0
    }

    pub fn is_negative(self) -> bool {
        self.mant < 0
    }

    /// The nearest `f64`, as parsing the decimal text would give. When the mantissa and
    /// the power of ten are both exact in an `f64`, one correctly rounded division is that
    /// nearest value (Clinger's fast path); else through the text.
    pub fn to_f64(self) -> f64 {
        const EXACT: u128 = 1 << 53;
        const POW10: [f64; 23] = [
            1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
            1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
        ];
        match POW10.get(self.scale as usize) {
            // Through i64: the same exact value (|mant| <= 2^53), without the 128-bit
            // conversion's library call (asked for every number of every wide frame).
            Some(p) if self.mant.unsigned_abs() <= EXACT => (self.mant as i64) as f64 / p,
            _ => self.to_string().parse().unwrap_or(f64::NAN),
        }
    }
}

/// `s` as an integer when it is 1 to 18 ASCII digits (most printed cells): read in one
/// pass, without the general path's splits and 128-bit arithmetic.
pub(crate) fn small_int(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if b.is_empty() || b.len() > 18 {
        return None;
    }
    let mut v: i64 = 0;
    for &c in b {
        let d = c.wrapping_sub(b'0');
        if d > 9 {
            return None;
        }
        v = v * 10 + i64::from(d);
    }
    Some(v)
}

impl fmt::Display for Dec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.scale == 0 {
            // i64 where it fits: formatting an i128 costs several times as much.
            return match i64::try_from(self.mant) {
                Ok(v) => write!(f, "{v}"),
                Err(_) => write!(f, "{}", self.mant),
            };
        }
        let digits = self.mant.unsigned_abs().to_string();
        let scale = self.scale as usize;
        let padded = format!("{digits:0>width$}", width = scale + 1);
        let (i, fr) = padded.split_at(padded.len() - scale);
        let sign = if self.mant < 0 { "-" } else { "" };
        write!(f, "{sign}{i}.{fr}")
    }
}
