//! Inventory benchmarks at 100,000 sandbox instances: filtering by a three-term expression,
//! sorting by two keys, and the memory one instance row takes. Run with
//! `cargo bench --bench inventory`; figures are recorded in docs/performance.md.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use criterion::{criterion_group, Criterion};

use nephos::domain::Instance;
use nephos::filter::Filter;
use nephos::inventory::{select, SortKeys, Table};
use nephos::providers::sandbox;

/// Counts live heap bytes, to measure what the rows hold.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        LIVE.fetch_add(l.size(), Ordering::Relaxed);
        unsafe { System.alloc(l) }
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        LIVE.fetch_sub(l.size(), Ordering::Relaxed);
        unsafe { System.dealloc(p, l) }
    }
    unsafe fn realloc(&self, p: *mut u8, l: Layout, new: usize) -> *mut u8 {
        LIVE.fetch_sub(l.size(), Ordering::Relaxed);
        LIVE.fetch_add(new, Ordering::Relaxed);
        unsafe { System.realloc(p, l, new) }
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

const N: usize = 100_000;
const FILTER: &str = "provider:aws state:running prod";
const POWER: &str = "state:running|stopped vcpus>=4 10.0";
const SORT: &str = "region,name";

fn table() -> Table<Instance> {
    table_and_disks().0
}

fn table_and_disks() -> (Table<Instance>, Vec<nephos::domain::Disk>) {
    let (instances, disks, _) = sandbox::sample(N, 42);
    let mut t = Table::default();
    // As the pollers deliver them: one bucket per account and region.
    let mut by_scope: std::collections::BTreeMap<(String, String), Vec<Instance>> =
        Default::default();
    for i in instances {
        by_scope
            .entry((i.account().to_string(), i.region().to_string()))
            .or_default()
            .push(i);
    }
    for ((a, r), rows) in by_scope {
        t.replace(&a, &nephos::providers::ListScope::aws_region(&r), rows);
    }
    (t, disks)
}

fn memory_per_row() {
    let before = LIVE.load(Ordering::Relaxed);
    let t = table();
    let after = LIVE.load(Ordering::Relaxed);
    let per_row = (after - before) as f64 / t.len() as f64;
    println!(
        "memory: {} rows hold {:.1} MiB of heap: {:.0} bytes per instance row (struct {} bytes)",
        t.len(),
        (after - before) as f64 / (1 << 20) as f64,
        per_row,
        std::mem::size_of::<Instance>()
    );
}

fn bench(c: &mut Criterion) {
    let (t, disks) = table_and_disks();
    let catalog = nephos::prices::Catalog::bundled();
    println!("pricing {} instances and {} disks", t.len(), disks.len());
    c.bench_function("price 100k instances and their disks", |b| {
        b.iter(|| {
            let mut total = 0.0;
            for i in t.iter() {
                total += nephos::prices::estimate::instance(&catalog, i)
                    .hourly_usd
                    .unwrap_or(0.0);
            }
            for d in &disks {
                total += nephos::prices::estimate::disk(&catalog, d)
                    .hourly_usd
                    .unwrap_or(0.0);
            }
            total
        })
    });
    let filter = Filter::parse(FILTER).unwrap();
    let none = SortKeys::default();
    let keys = SortKeys::parse(SORT).unwrap();
    let matched = select(t.iter(), &filter, &none).len();
    println!("filter '{FILTER}' matches {matched} of {}", t.len());
    c.bench_function("filter 100k instances by 3 terms", |b| {
        b.iter(|| select(t.iter(), &filter, &none).len())
    });
    // The filter language of issue 15: alternatives, a comparison, an address fragment.
    let power = Filter::parse(POWER).unwrap();
    println!(
        "filter '{POWER}' matches {} of {}",
        select(t.iter(), &power, &none).len(),
        t.len()
    );
    c.bench_function(
        "filter 100k instances by alternatives, vcpus>=4, an address",
        |b| b.iter(|| select(t.iter(), &power, &none).len()),
    );
    let all: Vec<&Instance> = t.iter().collect();
    c.bench_function("sort 100k instances by region,name", |b| {
        b.iter_batched(
            || all.clone(),
            |mut rows| keys.sort(&mut rows),
            criterion::BatchSize::LargeInput,
        )
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = bench
}

fn main() {
    memory_per_row();
    benches();
    Criterion::default().configure_from_args().final_summary();
}
