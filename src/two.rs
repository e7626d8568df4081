//! One or two values held inline. A printed cell fills one canonical cell or two (a 增/减
//! pair), and is read as one value or two; both are asked for every cell of every report,
//! and the glued-run search keeps thousands per row, so a `Vec` each was most of their cost.

/// One or two `T`s, read as a slice.
#[derive(Copy, Clone, Debug)]
pub struct UpToTwo<T: Copy> {
    items: [T; 2],
    len: u8,
}

impl<T: Copy> UpToTwo<T> {
    pub fn one(v: T) -> Self {
        UpToTwo {
            items: [v, v],
            len: 1,
        }
    }

    pub fn two(a: T, b: T) -> Self {
        UpToTwo {
            items: [a, b],
            len: 2,
        }
    }
}

impl<T: Copy> std::ops::Deref for UpToTwo<T> {
    type Target = [T];

    fn deref(&self) -> &[T] {
        &self.items[..self.len as usize]
    }
}

impl<T: Copy> IntoIterator for UpToTwo<T> {
    type Item = T;
    type IntoIter = std::iter::Take<std::array::IntoIter<T, 2>>;

    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter().take(self.len as usize)
    }
}

impl<T: Copy + PartialEq> PartialEq for UpToTwo<T> {
    fn eq(&self, other: &Self) -> bool {
        **self == **other
    }
}

impl<T: Copy + Eq> Eq for UpToTwo<T> {}

impl<T: Copy + PartialEq, const N: usize> PartialEq<[T; N]> for UpToTwo<T> {
    fn eq(&self, other: &[T; N]) -> bool {
        **self == other[..]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_as_its_items_only() {
        let one = UpToTwo::one(7);
        assert_eq!(&*one, &[7]);
        assert_eq!(one.into_iter().collect::<Vec<_>>(), [7]);
        assert_eq!(UpToTwo::two(1, 2), [1, 2]);
        assert_ne!(UpToTwo::one(1), UpToTwo::two(1, 1));
    }
}
