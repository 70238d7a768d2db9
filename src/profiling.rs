//! Where a run's time and memory go: a tracing layer that sums span lifetimes by name (and,
//! for spans carrying a `component` field, by component), and the process's peak resident
//! memory.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};
use tracing::field::{Field, Visit};
use tracing::span;
use tracing_subscriber::layer::{Context, SubscriberExt};
use tracing_subscriber::registry::LookupSpan;
use tracing_subscriber::Layer;
use zkevm_air::ComponentId;

/// Wall time of every span name, summed.
pub type Phases = BTreeMap<&'static str, Duration>;

/// Each component proof's wall time with its component's name, in the order they ended.
pub type ComponentTimes = Vec<(&'static str, Duration)>;

/// What [`profile_run`] measured.
#[derive(Debug, Clone, Default)]
pub struct RunProfile {
    pub elapsed: Duration,
    /// Summed span times by span name.
    pub phases: Phases,
    /// The lifetime of each `prove_component` span with its component's name, in the order
    /// they ended: the block's order, since components are proven one after another (the
    /// block's main-trace commitments come before them and are not included).
    pub components: ComponentTimes,
    /// Peak resident memory of the process during the run (bytes), where the OS tells.
    pub peak_memory: Option<u64>,
}

#[derive(Clone, Default)]
struct SpanTimes {
    totals: Arc<Mutex<(Phases, ComponentTimes)>>,
}

struct Started {
    at: Instant,
    component: Option<&'static str>,
}

/// Finds the registered component named by a span's `component` field.
struct ComponentField(Option<&'static str>);

impl Visit for ComponentField {
    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == "component" {
            self.0 = ComponentId::ALL
                .into_iter()
                .map(ComponentId::name)
                .find(|name| *name == value);
        }
    }

    fn record_debug(&mut self, _field: &Field, _value: &dyn std::fmt::Debug) {}
}

impl<S> Layer<S> for SpanTimes
where
    S: tracing::Subscriber + for<'a> LookupSpan<'a>,
{
    fn on_new_span(&self, attrs: &span::Attributes<'_>, id: &span::Id, ctx: Context<'_, S>) {
        if let Some(span) = ctx.span(id) {
            let mut component = ComponentField(None);
            attrs.record(&mut component);
            span.extensions_mut().insert(Started {
                at: Instant::now(),
                component: component.0,
            });
        }
    }

    fn on_close(&self, id: span::Id, ctx: Context<'_, S>) {
        let Some(span) = ctx.span(&id) else { return };
        let extensions = span.extensions();
        let Some(started) = extensions.get::<Started>() else {
            return;
        };
        let elapsed = started.at.elapsed();
        if let Ok(mut totals) = self.totals.lock() {
            *totals.0.entry(span.name()).or_default() += elapsed;
            if let (Some(component), "prove_component") = (started.component, span.name()) {
                totals.1.push((component, elapsed));
            }
        }
    }
}

/// The process-wide timing layer, installed as the global subscriber on first use so that
/// spans opened on rayon's worker threads are timed too. `None` when another global subscriber
/// was installed first.
fn global_times() -> Option<&'static SpanTimes> {
    static TIMES: OnceLock<Option<SpanTimes>> = OnceLock::new();
    TIMES
        .get_or_init(|| {
            let layer = SpanTimes::default();
            let subscriber = tracing_subscriber::registry().with(layer.clone());
            tracing::subscriber::set_global_default(subscriber)
                .ok()
                .map(|()| layer)
        })
        .as_ref()
}

/// Runs `f` once with span timing on and peak-memory tracking reset. Runs must not overlap
/// (the timing layer is process-wide).
pub fn profile_run<T>(f: impl FnOnce() -> T) -> (T, RunProfile) {
    let local = SpanTimes::default();
    let times = global_times();
    if let Some(global) = times {
        if let Ok(mut totals) = global.totals.lock() {
            *totals = Default::default();
        }
    }
    reset_peak_memory();
    let start = Instant::now();
    let out = match times {
        Some(_) => f(),
        None => {
            let subscriber = tracing_subscriber::registry().with(local.clone());
            tracing::subscriber::with_default(subscriber, f)
        }
    };
    let elapsed = start.elapsed();
    let peak_memory = peak_memory();
    let source = times.unwrap_or(&local);
    let (phases, components) = source.totals.lock().map(|t| t.clone()).unwrap_or_default();
    let profile = RunProfile {
        elapsed,
        phases,
        components,
        peak_memory,
    };
    (out, profile)
}

/// [`profile_run`] for a closure without result: its wall time, phase times and peak memory.
pub fn profile(f: &mut dyn FnMut()) -> (Duration, Phases, Option<u64>) {
    let ((), p) = profile_run(f);
    (p.elapsed, p.phases, p.peak_memory)
}

fn reset_peak_memory() {
    // Linux: writing 5 resets the peak resident set size (VmHWM) of this process.
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

fn peak_memory() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}
