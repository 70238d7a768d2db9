//! Columns of equal height stored one after another in a single buffer.

use crate::Goldilocks;

/// `width` columns of `height` elements each, column `c` at `values[c·height … (c+1)·height)`.
///
/// The buffer comes from [`crate::alloc::zeroed_vec`], so a large matrix is backed by huge
/// pages where the OS allows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Columns {
    values: Vec<Goldilocks>,
    width: usize,
    height: usize,
}

impl Columns {
    /// `width` columns of `height` zeros.
    ///
    /// # Panics
    /// If `width · height` overflows `usize`.
    pub fn zeroed(width: usize, height: usize) -> Self {
        let len = width.checked_mul(height).expect("matrix size overflows");
        Self {
            values: crate::alloc::zeroed_vec(len),
            width,
            height,
        }
    }

    /// Elements per column.
    pub fn height(&self) -> usize {
        self.height
    }

    /// Number of columns.
    pub fn width(&self) -> usize {
        self.width
    }

    /// Column `index`.
    ///
    /// # Panics
    /// If `index ≥ width`.
    pub fn column(&self, index: usize) -> &[Goldilocks] {
        assert!(index < self.width(), "column {index} out of range");
        &self.values[index * self.height..(index + 1) * self.height]
    }

    /// The columns in order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = &[Goldilocks]> + '_ {
        (0..self.width).map(|c| &self.values[c * self.height..(c + 1) * self.height])
    }

    /// The columns in order, mutably.
    pub fn columns_mut(&mut self) -> impl Iterator<Item = &mut [Goldilocks]> + '_ {
        // A zero-height matrix yields `width` empty columns, like `iter`.
        let (values, height) = (&mut self.values[..], self.height);
        let mut rest = values;
        (0..self.width).map(move |_| {
            let (column, tail) = core::mem::take(&mut rest).split_at_mut(height);
            rest = tail;
            column
        })
    }

    /// The whole buffer, column after column.
    pub fn into_values(self) -> Vec<Goldilocks> {
        self.values
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_consecutive_slices() {
        let mut m = Columns::zeroed(3, 4);
        assert_eq!((m.width(), m.height()), (3, 4));
        for (c, column) in m.columns_mut().enumerate() {
            column[1] = Goldilocks::new(c as u64 + 1);
        }
        assert_eq!(m.column(2)[1], Goldilocks::new(3));
        assert_eq!(m.iter().count(), 3);
        assert_eq!(m.clone().into_values()[4 + 1], Goldilocks::new(2));
        assert_eq!(Columns::zeroed(0, 5).iter().count(), 0);
        let mut flat = Columns::zeroed(4, 0);
        assert_eq!((flat.width(), flat.iter().count()), (4, 4));
        assert_eq!(flat.columns_mut().filter(|c| c.is_empty()).count(), 4);
    }
}
