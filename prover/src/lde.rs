//! Our `TraceLde`: the main trace extended with the field crate's SIMD coset LDE, stored
//! row-major, and committed with a parallel Merkle tree over Blake3 row hashes.
//!
//! The main LDE and tree are built once, by [`MainCommitment::build`], *before* the bus
//! challenges exist (the block transcript needs every component's root). The same object is
//! then handed to winterfell's prover, whose `new_trace_lde` takes it instead of extending the
//! trace again. The auxiliary segment (the LogUp columns, in the extension field) goes through
//! the same SIMD LDE: the evaluation domain lies in the base field, so an extension column
//! extends component by component, and its row-major base layout `[e₀.0, e₀.1, e₁.0, …]` is
//! exactly the extension row winterfell hashes and reads (canonical elements hash by their
//! bytes).
//!
//! Rows are padded to whole cache lines where that is cheap ([`RowMajor`]), so the LDE
//! streams them to memory. The constraint evaluator reads the rows in place ([`LdeRows`],
//! lent through the prover's [`RowsSlot`]) instead of copying frames out through the
//! `TraceLde` trait.

use crate::merkle::MerkleVc;
use crate::pool;
use crate::row_hash;
use rayon::prelude::*;
use std::sync::{Arc, Mutex};
use tracing::info_span;
use winter_air::proof::Queries;
use winter_crypto::{Digest, ElementHasher, Hasher, VectorCommitment};
use winterfell::matrix::ColMatrix;
use winterfell::{EvaluationFrame, StarkDomain, TraceInfo, TraceLde, TracePolyTable};
use zkevm_field::alloc::CACHE_LINE_BYTES;
use zkevm_field::{coordinate, from_coordinates, ntt, FieldElement, Goldilocks, StarkField};

/// Elements of one cache line.
const LINE: usize = CACHE_LINE_BYTES / core::mem::size_of::<Goldilocks>();

/// A row-major matrix of base-field elements, in a buffer from the [`pool`].
///
/// Rows start `stride ≥ width` elements apart; the cells after each row's `width` are padding
/// (zeros), never read. When padding costs at most an eighth more memory, the stride is a
/// whole number of cache lines and row 0 starts on one, so every row does: the LDE's last pass
/// then writes whole lines with streaming stores
/// ([`zkevm_field::PackedField::store_streaming`]) instead of first reading each line of a buffer far larger than the caches. That took the Keccak
/// bench's 211-column main LDE (stride 216) from 540–575 to 424 ms, measured alone.
#[derive(Debug)]
pub struct RowMajor {
    data: Vec<Goldilocks>,
    /// Index in `data` of row 0's first cell.
    start: usize,
    rows: usize,
    width: usize,
    stride: usize,
}

/// The stride of a [`RowMajor`] matrix of `width` columns: whole cache lines when that pads
/// the rows by at most an eighth, else `width`.
pub fn row_stride(width: usize) -> usize {
    let lined = width.next_multiple_of(LINE);
    if (lined - width) * 8 <= width {
        lined
    } else {
        width
    }
}

impl Drop for RowMajor {
    fn drop(&mut self) {
        pool::give(std::mem::take(&mut self.data));
    }
}

impl RowMajor {
    /// Row `i`.
    pub fn row(&self, i: usize) -> &[Goldilocks] {
        &self.data[self.start + i * self.stride..][..self.width]
    }

    /// Number of rows.
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// Number of columns.
    pub fn width(&self) -> usize {
        self.width
    }

    /// Elements from one row's start to the next's.
    pub fn stride(&self) -> usize {
        self.stride
    }

    /// Every row with its padding: `rows · stride` elements.
    pub fn cells(&self) -> &[Goldilocks] {
        &self.data[self.start..self.start + self.rows * self.stride]
    }
}

/// The committed main segment of one trace: its LDE, Merkle tree and polynomials.
pub struct MainCommitment<H: Hasher> {
    lde: Arc<RowMajor>,
    tree: MerkleVc<H>,
    polys: Option<ColMatrix<Goldilocks>>,
    blowup: usize,
}

impl<H> MainCommitment<H>
where
    H: ElementHasher<BaseField = Goldilocks> + 'static,
    H::Digest: Send + Sync,
{
    /// Interpolates `columns` (each a power-of-two length ≥ 8), extends them by `blowup` over
    /// the coset `g·⟨ω⟩` (g = winterfell's domain offset) and commits to the rows. The
    /// extension starts from the interpolated coefficients, which winterfell also needs.
    pub fn build<C: AsRef<[Goldilocks]> + Sync>(columns: &[C], blowup: usize) -> Self {
        let n = columns.first().map_or(0, |c| c.as_ref().len());
        let width = columns.len();
        let lde_rows = n * blowup;
        let polys = info_span!("interpolate_main", columns = width, rows = n).in_scope(|| {
            let coefficients: Vec<Vec<Goldilocks>> = columns
                .par_iter()
                .map(|column| {
                    let mut c = column.as_ref().to_vec();
                    ntt::intt(&mut c);
                    c
                })
                .collect();
            ColMatrix::new(coefficients)
        });

        let inputs: Vec<&[Goldilocks]> = polys.columns().collect();
        let (lde, tree) = extend_and_commit(Segment::Main, &inputs, blowup);
        debug_assert_eq!(lde.rows(), lde_rows);
        Self {
            lde: Arc::new(lde),
            tree,
            polys: Some(polys),
            blowup,
        }
    }

    /// The Merkle root of the main LDE: the commitment winterfell writes into the proof.
    pub fn root(&self) -> H::Digest {
        self.tree.commitment()
    }

    /// The extended main trace.
    pub fn lde(&self) -> &RowMajor {
        &self.lde
    }
}

/// The trace segment an LDE belongs to, which names its profiling spans.
#[derive(Clone, Copy)]
enum Segment {
    Main,
    Aux,
}

/// The span of one phase of [`extend_and_commit`]: `extend_*` (the row-major LDE), `hash_*`
/// (Blake3 row hashes), `commit_*` (the Merkle tree), for `*` = main or aux.
fn phase_span(segment: Segment, phase: usize, lde_rows: usize) -> tracing::Span {
    match (segment, phase) {
        (Segment::Main, 0) => info_span!("extend_main", lde_rows),
        (Segment::Main, 1) => info_span!("hash_main", lde_rows),
        (Segment::Main, _) => info_span!("commit_main", lde_rows),
        (Segment::Aux, 0) => info_span!("extend_aux", lde_rows),
        (Segment::Aux, 1) => info_span!("hash_aux", lde_rows),
        (Segment::Aux, _) => info_span!("commit_aux", lde_rows),
    }
}

/// Scratch [`extend_rows`] may hold at once: its group of column-major columns (8 columns of
/// 2^21 rows, 32 of 2^19), small beside the row-major result.
const EXTEND_SCRATCH_BYTES: usize = 128 << 20;
/// Columns extended at once by [`extend_rows`]: at least enough for both threads; more when
/// they fit the scratch, since each group is one more pass writing into every row.
const EXTEND_GROUP_MIN: usize = 8;
const EXTEND_GROUP_MAX: usize = 32;

/// The group size [`extend_rows`] uses for columns of `lde_rows` rows.
fn extend_group(lde_rows: usize) -> usize {
    let fits = EXTEND_SCRATCH_BYTES / (lde_rows.max(1) * core::mem::size_of::<Goldilocks>());
    fits.clamp(EXTEND_GROUP_MIN, EXTEND_GROUP_MAX)
}

/// The LDE of coefficient columns (equal lengths) by `blowup` over the coset `offset·⟨ω⟩`,
/// row-major ([`RowMajor`]). The columns are extended a group of
/// [`extend_group`] columns at a time through reused column-major scratch (at blowup 8 each
/// group's last transform pass writes straight into the rows): the whole LDE is never held
/// column-major as well (touching fresh memory is the dearest part of a large LDE here).
pub fn extend_rows(coefficients: &[&[Goldilocks]], blowup: usize, offset: Goldilocks) -> RowMajor {
    let width = coefficients.len();
    let rows = coefficients.first().map_or(0, |c| c.len()) * blowup;
    let stride = row_stride(width);
    let cells = rows * stride;
    // Room to start row 0 on a cache line: the buffer is 8-byte aligned.
    let len = cells + LINE - 1;
    let mut data = pool::take_empty(len);
    let spare = &mut data.spare_capacity_mut()[..len];
    let start = spare.as_ptr().align_offset(CACHE_LINE_BYTES).min(LINE - 1);
    let (head, rest) = spare.split_at_mut(start);
    let (body, tail) = rest.split_at_mut(cells);
    for cell in head.iter_mut().chain(tail) {
        cell.write(Goldilocks::ZERO);
    }
    let group = extend_group(rows).min(width).max(1);
    let mut scratch: Vec<Vec<Goldilocks>> = (0..group).map(|_| pool::take(rows)).collect();
    ntt::coset_lde_rows_from_coefficients_into(
        coefficients,
        blowup,
        offset,
        &mut scratch,
        body,
        stride,
    );
    scratch.into_iter().for_each(pool::give);
    // SAFETY: the capacity is at least `len`; the head and the tail were written above, and
    // the LDE writes every cell of the body, each row's padding included (its contract).
    unsafe { data.set_len(len) };
    RowMajor {
        data,
        start,
        rows,
        width,
        stride,
    }
}

/// Extends coefficient columns by `blowup` over the coset `g·⟨ω⟩` (g = winterfell's domain
/// offset) and commits to the rows of the result.
fn extend_and_commit<H>(
    segment: Segment,
    coefficients: &[&[Goldilocks]],
    blowup: usize,
) -> (RowMajor, MerkleVc<H>)
where
    H: ElementHasher<BaseField = Goldilocks> + 'static,
    H::Digest: Send + Sync,
{
    let lde_rows = coefficients.first().map_or(0, |c| c.len()) * blowup;
    let lde = phase_span(segment, 0, lde_rows)
        .in_scope(|| extend_rows(coefficients, blowup, Goldilocks::GENERATOR));
    let leaves = phase_span(segment, 1, lde_rows)
        .in_scope(|| row_hash::hash_all_rows::<H>(lde.cells(), lde.width(), lde.stride()));
    let tree = phase_span(segment, 2, lde_rows)
        .in_scope(|| MerkleVc::build(leaves).expect("LDE row count is a power of two"));
    (lde, tree)
}

/// The extended rows of one trace, main and (once extended) auxiliary: what the constraint
/// evaluator reads in place, where winterfell's `TraceLde` would copy each frame out.
#[derive(Clone)]
pub struct LdeRows {
    /// The bytes of the main LDE's Merkle root: which trace these rows are.
    pub main_root: [u8; 32],
    pub main: Arc<RowMajor>,
    /// Base-field components, `E::EXTENSION_DEGREE` per extension element.
    pub aux: Option<Arc<RowMajor>>,
}

/// Where a [`ZkTraceLde`] leaves its [`LdeRows`] for the prover's constraint evaluator
/// (winterfell hands the evaluator only the `TraceLde` trait, which can copy rows but not
/// lend them).
pub type RowsSlot = Arc<Mutex<Option<LdeRows>>>;

/// winterfell's view of our trace LDE.
pub struct ZkTraceLde<E: FieldElement<BaseField = Goldilocks>, H: Hasher> {
    main: MainCommitment<H>,
    /// The auxiliary LDE, row-major in base-field components (`E::EXTENSION_DEGREE` per
    /// element), and its tree.
    aux: Option<(Arc<RowMajor>, MerkleVc<H>)>,
    trace_info: TraceInfo,
    /// Kept up to date with the rows extended so far, when the prover asked for them.
    shared: Option<RowsSlot>,
    _extension: core::marker::PhantomData<E>,
}

impl<E, H> ZkTraceLde<E, H>
where
    E: FieldElement<BaseField = Goldilocks>,
    H: ElementHasher<BaseField = Goldilocks> + 'static,
    H::Digest: Send + Sync,
{
    /// Wraps a main commitment; returns it with the main-trace polynomials winterfell needs
    /// for the out-of-domain evaluation.
    pub fn new(mut main: MainCommitment<H>, trace_info: &TraceInfo) -> (Self, TracePolyTable<E>) {
        let polys = main.polys.take().expect("main polynomials are taken once");
        (
            Self {
                main,
                aux: None,
                trace_info: trace_info.clone(),
                shared: None,
                _extension: core::marker::PhantomData,
            },
            TracePolyTable::new(polys),
        )
    }

    /// Leaves the rows in `slot`, now and whenever the auxiliary segment is extended.
    pub fn sharing_rows(mut self, slot: RowsSlot) -> Self {
        if let Ok(mut rows) = slot.lock() {
            *rows = Some(LdeRows {
                main_root: self.main.root().as_bytes(),
                main: Arc::clone(&self.main.lde),
                aux: None,
            });
        }
        self.shared = Some(slot);
        self
    }
}

fn queries<H, F>(rows: Vec<Vec<F>>, tree: &MerkleVc<H>, positions: &[usize]) -> Queries
where
    H: ElementHasher<BaseField = Goldilocks> + 'static,
    H::Digest: Send + Sync,
    F: FieldElement<BaseField = Goldilocks>,
{
    let (_, opening) = tree
        .open_many(positions)
        .expect("query positions lie inside the LDE domain");
    Queries::new::<H, F, MerkleVc<H>>(opening, rows)
}

impl<E, H> TraceLde<E> for ZkTraceLde<E, H>
where
    E: FieldElement<BaseField = Goldilocks>,
    H: ElementHasher<BaseField = Goldilocks> + Sync + 'static,
    H::Digest: Send + Sync,
{
    type HashFn = H;
    type VC = MerkleVc<H>;

    fn get_main_trace_commitment(&self) -> H::Digest {
        self.main.root()
    }

    fn set_aux_trace(
        &mut self,
        aux_trace: &ColMatrix<E>,
        domain: &StarkDomain<Goldilocks>,
    ) -> (ColMatrix<E>, H::Digest) {
        let _span = info_span!("extend_and_commit_aux", columns = aux_trace.num_cols()).entered();
        // Base component `c` of extension column `j` is base column `j·d + c`, so the LDE's
        // base rows are the extension rows' element-by-element layout. The interpolation's
        // twiddles lie in the base field, so it acts on each component alone: the field
        // crate's transform interpolates the components, and winterfell gets them back as
        // extension polynomials.
        let d = E::EXTENSION_DEGREE;
        let components: Vec<Vec<Goldilocks>> = (0..aux_trace.num_cols() * d)
            .into_par_iter()
            .map(|k| {
                let mut component = coordinate(aux_trace.get_column(k / d), k % d);
                ntt::intt(&mut component);
                component
            })
            .collect();
        let polys = ColMatrix::new(
            components
                .chunks(d)
                .map(|parts| {
                    let parts: Vec<&[Goldilocks]> = parts.iter().map(Vec::as_slice).collect();
                    from_coordinates::<E>(&parts)
                })
                .collect(),
        );
        let inputs: Vec<&[Goldilocks]> = components.iter().map(Vec::as_slice).collect();
        let blowup = domain.trace_to_lde_blowup();
        let (lde, tree) = extend_and_commit::<H>(Segment::Aux, &inputs, blowup);
        let root = tree.commitment();
        let lde = Arc::new(lde);
        if let Some(Ok(mut slot)) = self.shared.as_ref().map(|s| s.lock()) {
            if let Some(rows) = slot.as_mut() {
                rows.aux = Some(Arc::clone(&lde));
            }
        }
        self.aux = Some((lde, tree));
        (polys, root)
    }

    fn read_main_trace_frame_into(&self, lde_step: usize, frame: &mut EvaluationFrame<Goldilocks>) {
        let rows = self.main.lde.rows();
        let next = (lde_step + self.main.blowup) % rows;
        frame
            .current_mut()
            .copy_from_slice(self.main.lde.row(lde_step));
        frame.next_mut().copy_from_slice(self.main.lde.row(next));
    }

    fn read_aux_trace_frame_into(&self, lde_step: usize, frame: &mut EvaluationFrame<E>) {
        if let Some((lde, _)) = &self.aux {
            let next = (lde_step + self.main.blowup) % lde.rows();
            let row = |i: usize| E::slice_from_base_elements(lde.row(i));
            frame.current_mut().copy_from_slice(row(lde_step));
            frame.next_mut().copy_from_slice(row(next));
        }
    }

    fn query(&self, positions: &[usize]) -> Vec<Queries> {
        let main_rows = positions
            .iter()
            .map(|&p| self.main.lde.row(p).to_vec())
            .collect();
        let mut out = vec![queries::<H, Goldilocks>(
            main_rows,
            &self.main.tree,
            positions,
        )];
        if let Some((lde, tree)) = &self.aux {
            let rows = (positions.iter())
                .map(|&p| E::slice_from_base_elements(lde.row(p)).to_vec())
                .collect();
            out.push(queries::<H, E>(rows, tree, positions));
        }
        out
    }

    fn trace_len(&self) -> usize {
        self.main.lde.rows()
    }

    fn blowup(&self) -> usize {
        self.main.blowup
    }

    fn trace_info(&self) -> &TraceInfo {
        &self.trace_info
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use zkevm_field::Quadratic;

    /// A trace LDE of `main_width` and `aux_width` (extension) columns of `n` rows extended
    /// by 8, with its auxiliary segment set, lending its rows to the slot returned; with the
    /// auxiliary columns and the polynomials `set_aux_trace` returned for them.
    pub(crate) fn trace_lde(
        n: usize,
        main_width: usize,
        aux_width: usize,
    ) -> (
        ZkTraceLde<Quadratic, crate::Hash>,
        RowsSlot,
        ColMatrix<Quadratic>,
        ColMatrix<Quadratic>,
    ) {
        let element = |i: usize| Goldilocks::new((i as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15));
        let main: Vec<Vec<Goldilocks>> = (0..main_width)
            .map(|c| (0..n).map(|r| element(c * n + r)).collect())
            .collect();
        let aux = ColMatrix::new(
            (0..aux_width)
                .map(|c| {
                    (0..n)
                        .map(|r| Quadratic::new(element(1000 + c * n + r), element(5000 + r)))
                        .collect()
                })
                .collect(),
        );
        let blowup = 8;
        let info = TraceInfo::new_multi_segment(main_width, aux_width, 2, n, vec![]);
        let commitment = MainCommitment::<crate::Hash>::build(&main, blowup);
        let (lde, _) = ZkTraceLde::<Quadratic, crate::Hash>::new(commitment, &info);
        let slot = RowsSlot::default();
        let mut lde = lde.sharing_rows(RowsSlot::clone(&slot));
        let twiddles = winter_math::fft::get_twiddles::<Goldilocks>(n);
        let domain = StarkDomain::from_twiddles(twiddles, blowup, Goldilocks::GENERATOR);
        let (polys, _) = lde.set_aux_trace(&aux, &domain);
        (lde, slot, aux, polys)
    }

    /// The auxiliary polynomials winterfell gets (interpolated by the field crate, component
    /// by component) are exactly its own interpolation of the columns.
    #[test]
    fn auxiliary_polynomials_are_winterfells_interpolation() {
        let (_, _, aux, polys) = trace_lde(64, 3, 5);
        let expected = aux.interpolate_columns();
        assert_eq!(polys.num_cols(), expected.num_cols());
        for c in 0..polys.num_cols() {
            assert_eq!(polys.get_column(c), expected.get_column(c), "column {c}");
        }
    }

    /// `extend_rows` builds its rows in a buffer it does not clear (fresh, or a pooled one
    /// holding an earlier matrix): every cell it exposes is the LDE's, each row's padding zeros.
    #[test]
    fn extended_rows_are_the_lde_with_zero_padding_in_any_buffer() {
        // No columns; a width that needs no padding (16) and ones that do (211 → 216, 11 →
        // 11: more than an eighth, so unpadded; 6 → 6).
        for width in [0, 6, 11, 16, 211] {
            for dirty in [false, true] {
                // Long enough to be pooled.
                let n = ((1 << 18) / (8 * row_stride(width).max(1)))
                    .next_power_of_two()
                    .max(64);
                let rows = n * 8;
                let mut given = None;
                if dirty && width > 0 {
                    // A buffer this request takes, full of what an earlier matrix left.
                    let buffer = vec![Goldilocks::new(77); rows * row_stride(width) + LINE];
                    given = Some(buffer.as_ptr());
                    pool::give(buffer);
                }
                let columns: Vec<Vec<Goldilocks>> = (0..width)
                    .map(|c| {
                        (0..n)
                            .map(|r| Goldilocks::new((c * n + r) as u64 * 7 + 1))
                            .collect()
                    })
                    .collect();
                let inputs: Vec<&[Goldilocks]> = columns.iter().map(Vec::as_slice).collect();
                let lde = extend_rows(&inputs, 8, Goldilocks::GENERATOR);
                // (Another test of this process may take the pooled buffer first.)
                if given.is_some_and(|at| at != lde.data.as_ptr()) {
                    eprintln!("width {width}: the pooled buffer went elsewhere");
                }
                let mut expected = vec![vec![Goldilocks::ZERO; rows]; width];
                ntt::coset_lde_from_coefficients_into(
                    &inputs,
                    8,
                    Goldilocks::GENERATOR,
                    &mut expected,
                );
                // (Without columns there are no rows either.)
                let expected_rows = if width == 0 { 0 } else { rows };
                assert_eq!((lde.rows(), lde.width()), (expected_rows, width));
                for (r, row) in lde.cells().chunks(lde.stride().max(1)).enumerate() {
                    for c in 0..width {
                        assert_eq!(row[c], expected[c][r], "width {width}: row {r}, column {c}");
                    }
                    assert!(
                        row[width..].iter().all(|&cell| cell == Goldilocks::ZERO),
                        "width {width}, dirty {dirty}: padding of row {r}"
                    );
                }
            }
        }
    }
}
