//! `cargo xtask bench [SPEC…]`: times `clientgen generate` on the documents in `specs/` (and any
//! given), with a release build, and prints the figures. A measurement, not a test: nothing fails
//! when it is slow.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

const RUNS: usize = 5;

pub fn run(root: &Path, extra: &[String]) -> Result<(), String> {
    let binary = crate::release_clientgen(root)?;
    let manifest = crate::manifest::read(&root.join("specs"))?;
    let mut specs: Vec<PathBuf> = manifest.api.iter().map(|api| root.join("specs").join(&api.spec)).collect();
    specs.extend(extra.iter().map(PathBuf::from));
    let out = std::env::temp_dir().join(format!("clientgen-bench-{}", std::process::id()));
    println!("{:<28} {:>8} {:>8} {:>8}   stages of the fastest run", "document", "min", "median", "max");
    for spec in &specs {
        let mut times: Vec<(Duration, String)> = Vec::new();
        for _ in 0..RUNS {
            let started = Instant::now();
            let output = Command::new(&binary)
                .arg("generate")
                .arg(spec)
                .args(["--out", &out.to_string_lossy(), "--name", "bench", "--timings"])
                .output()
                .map_err(|e| format!("cannot run clientgen: {e}"))?;
            let elapsed = started.elapsed();
            if !output.status.success() {
                return Err(format!("{}: {}", spec.display(), String::from_utf8_lossy(&output.stderr)));
            }
            let stages = String::from_utf8_lossy(&output.stderr)
                .lines()
                .find_map(|l| l.strip_prefix("timings: ").map(str::to_string))
                .unwrap_or_default();
            times.push((elapsed, stages));
        }
        times.sort();
        let ms = |d: Duration| format!("{:.0} ms", d.as_secs_f64() * 1000.0);
        let name = spec.file_name().map_or_else(|| spec.display().to_string(), |n| n.to_string_lossy().into_owned());
        println!(
            "{name:<28} {:>8} {:>8} {:>8}   {}",
            ms(times[0].0),
            ms(times[RUNS / 2].0),
            ms(times[RUNS - 1].0),
            times[0].1
        );
    }
    let _ = std::fs::remove_dir_all(&out);
    println!(
        "{RUNS} runs each of the release `clientgen generate`, wall time including process start and writing the files"
    );
    Ok(())
}
