use std::time::Instant;
use zkevm_field::{ntt, Goldilocks};
fn main() {
    let n = 1 << 16;
    let cols: Vec<Vec<Goldilocks>> = (0..64)
        .map(|c| {
            (0..n as u64)
                .map(|i| Goldilocks::new(i * 7919 + c))
                .collect()
        })
        .collect();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    pool.install(|| {
        ntt::twiddles_for(n);
        for _ in 0..3 {
            let t = Instant::now();
            let out = ntt::coset_lde(&cols, 8, Goldilocks::MULTIPLICATIVE_GENERATOR);
            let total = t.elapsed();
            let mut v = cols[0].clone();
            let t = Instant::now();
            for _ in 0..64 * 9 {
                ntt::forward_to_bit_reversed(&mut v);
            }
            let ntts = t.elapsed();
            let mut out2 = vec![Goldilocks::ZERO; n * 8];
            let t = Instant::now();
            for _ in 0..64 {
                for k in 0..8 {
                    for (i, &x) in v.iter().enumerate() {
                        out2[i * 8 + k] = x;
                    }
                }
            }
            let scatter = t.elapsed();
            let t = Instant::now();
            let mut z: Vec<Vec<Goldilocks>> = (0..64)
                .map(|_| zkevm_field::alloc::zeroed_vec(n * 8))
                .collect();
            for c in z.iter_mut() {
                for x in c.iter_mut().step_by(512) {
                    *x = Goldilocks::ONE;
                }
            }
            let alloc = t.elapsed();
            println!(
                "lde {:?}  576 ntts {:?}  scatter {:?}  alloc {:?} {}",
                total, ntts, scatter, alloc, out[0][5]
            );
        }
    });
}
