use std::time::Instant;
use zkevm_field::{ntt, Goldilocks};
fn main() {
    let n = 1 << 20;
    let v: Vec<Goldilocks> = (0..n as u64).map(|i| Goldilocks::new(i * 7919)).collect();
    let pool = rayon::ThreadPoolBuilder::new().num_threads(1).build().unwrap();
    pool.install(|| {
        ntt::twiddles_for(n);
        for _ in 0..5 {
            let t = Instant::now(); let mut w = v.clone(); let c = t.elapsed();
            let t = Instant::now(); ntt::forward_to_bit_reversed(&mut w); let d = t.elapsed();
            let t = Instant::now(); ntt::bit_reverse_permute(&mut w); let b = t.elapsed();
            println!("clone {c:?} dif {d:?} bitrev {b:?}");
        }
    });
}
