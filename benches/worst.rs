//! `cargo bench --bench worst`: the worst inputs up to 1 MB we could construct, each answered
//! (edited or refused) by the core's `scaffold`, which must take at most 100 ms (issue 13).
//!
//! Each input runs `RUNS` times; the median is reported and compared with the bound. The process
//! exits 1 when any input is over it, so the bound is asserted, not just printed. Set
//! `WORST_DUMP=DIR` to also write every input as a repository under DIR (for timing the CLI).
//! Results and the machine are recorded in BENCHMARKS.md.

use std::fmt::Write as _;
use std::time::{Duration, Instant};

use ecr_registrar::{Config, Files, Request, Validator};

const MB: usize = 1 << 20;
const BOUND: Duration = Duration::from_millis(100);
const RUNS: usize = 7;

const CATALOG_HEAD: &str = "version: \"1.0\"\nlast_updated: \"2026-01-09\"\n";
const SMALL_CATALOG: &str = "version: \"1.0\"\nlast_updated: \"2026-01-09\"\nrepositories:\n  web:\n    metadata:\n      id: REGISTRY_WEB\n      owner: app-team\n      risk: low\n      environment: dev\n";
const SMALL_TFVARS: &str = "aws_region = \"eu-west-2\"\n\necr_repositories = {\n  \"web\" = {\n    metadata = {\n      id = \"REGISTRY_WEB\"\n    }\n  }\n}\n";

/// Repeat `unit` (built from its index) until `budget` bytes would be passed.
fn fill(out: &mut String, budget: usize, mut unit: impl FnMut(usize) -> String) {
    let mut i = 0;
    loop {
        let u = unit(i);
        if out.len() + u.len() > budget {
            return;
        }
        out.push_str(&u);
        i += 1;
    }
}

fn nested(open: &str, close: &str, depth: usize, inner: &str) -> String {
    format!("{}{inner}{}", open.repeat(depth), close.repeat(depth))
}

/// A catalog whose `repositories` block comes after `rest` (top-level keys) and holds one entry.
fn catalog_with_rest(rest: impl FnOnce(&mut String, usize)) -> String {
    let mut s = String::from(CATALOG_HEAD);
    let tail = &SMALL_CATALOG[CATALOG_HEAD.len()..];
    rest(&mut s, MB - tail.len());
    s.push_str(tail);
    s
}

/// A tfvars file whose map comes after `rest` (top-level attributes) and holds one entry.
fn tfvars_with_rest(rest: impl FnOnce(&mut String, usize)) -> String {
    let mut s = String::new();
    rest(&mut s, MB - SMALL_TFVARS.len());
    s.push_str(SMALL_TFVARS);
    s
}

/// The inputs: (what, catalog, tfvars). Every file is at most 1 MB.
fn inputs() -> Vec<(&'static str, String, String)> {
    let small_tf = || SMALL_TFVARS.to_string();
    let small_cat = || SMALL_CATALOG.to_string();
    let mut v: Vec<(&'static str, String, String)> = Vec::new();

    // ---- catalog ----
    v.push((
        "catalog: `x: [[[…]]]` 40,000 deep",
        catalog_with_rest(|s, _| {
            s.push_str("x: ");
            s.push_str(&nested("[", "]", 40_000, "a"));
            s.push('\n');
        }),
        small_tf(),
    ));
    v.push((
        "catalog: `x: [[[…]]]` as deep as 1 MB allows",
        catalog_with_rest(|s, b| {
            let d = (b - s.len() - 10) / 2;
            s.push_str("x: ");
            s.push_str(&nested("[", "]", d, "a"));
            s.push('\n');
        }),
        small_tf(),
    ));
    v.push((
        "catalog: flow collections 60 deep, one per key, to 1 MB",
        catalog_with_rest(|s, b| {
            fill(s, b, |i| {
                format!("k{i}: {}\n", nested("[{a: ", "}]", 30, "b"))
            })
        }),
        small_tf(),
    ));
    v.push((
        "catalog: flow collections 16 deep, one per key, to 1 MB",
        catalog_with_rest(|s, b| fill(s, b, |i| format!("k{i}: {}\n", nested("[", "]", 16, "b")))),
        small_tf(),
    ));
    v.push((
        "catalog: one flow sequence of small maps, 1 MB",
        catalog_with_rest(|s, b| {
            s.push_str("x: [");
            fill(s, b - 2, |_| "{a: 1}, ".into());
            s.push_str("]\n");
        }),
        small_tf(),
    ));
    v.push((
        "catalog: one flow sequence of plain scalars, 1 MB",
        catalog_with_rest(|s, b| {
            s.push_str("x: [");
            fill(s, b - 2, |_| "a, ".into());
            s.push_str("]\n");
        }),
        small_tf(),
    ));
    v.push((
        "catalog: block mappings nested 1,400 deep",
        catalog_with_rest(|s, _| {
            for d in 0..1_400 {
                let _ = writeln!(s, "{}k:", " ".repeat(d));
            }
            let _ = writeln!(s, "{}v", " ".repeat(1_400));
        }),
        small_tf(),
    ));
    v.push((
        "catalog: block sequences nested as deep as 1 MB allows",
        catalog_with_rest(|s, b| {
            let mut d = 0;
            while s.len() + 2 * d + 4 < b - 200 {
                let _ = writeln!(s, "{}- ", " ".repeat(2 * d));
                d += 1;
            }
        }),
        small_tf(),
    ));
    v.push((
        "catalog: one 1 MB plain scalar",
        catalog_with_rest(|s, b| {
            s.push_str("x: ");
            s.push_str(&"a".repeat(b - s.len() - 2));
            s.push('\n');
        }),
        small_tf(),
    ));
    v.push((
        "catalog: one 1 MB double-quoted scalar with escapes",
        catalog_with_rest(|s, b| {
            s.push_str("x: \"");
            fill(s, b - 3, |_| "\\u00e9\\t".into());
            s.push_str("\"\n");
        }),
        small_tf(),
    ));
    v.push((
        "catalog: 1 MB block scalar",
        catalog_with_rest(|s, b| {
            s.push_str("x: |\n");
            fill(s, b, |i| format!("  line {i} of a long block scalar\n"));
        }),
        small_tf(),
    ));
    v.push((
        "catalog: 1 MB of comments",
        catalog_with_rest(|s, b| fill(s, b, |i| format!("# comment {i}\n"))),
        small_tf(),
    ));
    v.push((
        "catalog: 1 MB of top-level keys",
        catalog_with_rest(|s, b| fill(s, b, |i| format!("k{i}: v\n"))),
        small_tf(),
    ));
    v.push((
        "catalog: anchors and aliases doubling 20 times (billion laughs)",
        catalog_with_rest(|s, _| {
            s.push_str("a0: &a0 [x, x]\n");
            for i in 1..=20 {
                let _ = writeln!(s, "a{i}: &a{i} [*a{}, *a{}]", i - 1, i - 1);
            }
        }),
        small_tf(),
    ));
    v.push((
        "catalog: 1 MB of aliases to one anchor",
        catalog_with_rest(|s, b| {
            s.push_str("a: &a [x]\nb: [");
            fill(s, b - 2, |_| "*a, ".into());
            s.push_str("]\n");
        }),
        small_tf(),
    ));
    v.push((
        "catalog: entries in the platform's layout, to 1 MB",
        {
            let mut s = String::from("version: \"1.0\"\nlast_updated: \"2026-01-09\"\nrepositories:\n");
            fill(&mut s, MB, |i| {
                format!("  service-{i:06}:\n    metadata:\n      id: REGISTRY_SERVICE_{i:06}\n      owner: app-team\n      risk: low\n      environment: dev\n      created_date: \"2026-01-05\"\n      status: active\n")
            });
            s
        },
        small_tf(),
    ));
    v.push((
        "catalog: entries as flow mappings, to 1 MB",
        {
            let mut s =
                String::from("version: \"1.0\"\nlast_updated: \"2026-01-09\"\nrepositories:\n");
            fill(&mut s, MB, |i| {
                format!("  s{i}: {{metadata: {{id: R{i}, owner: a, tags: [[[[a]]]]}}}}\n")
            });
            s
        },
        small_tf(),
    ));

    // ---- tfvars ----
    v.push((
        "tfvars: 23 lines of unclosed `{`/`(` (found by cargo fuzz)",
        small_cat(),
        {
            let mut s = String::from(SMALL_TFVARS);
            s.push_str("x = ");
            for i in 0..23 {
                s.push_str(if i % 2 == 0 { "{a = (\n" } else { "(\n" });
            }
            s
        },
    ));
    v.push((
        "tfvars: `{` nested as deep as 1 MB allows",
        small_cat(),
        tfvars_with_rest(|s, b| {
            let d = (b - 10) / 2;
            s.push_str("x = ");
            s.push_str(&nested("[", "]", d, "1"));
            s.push('\n');
        }),
    ));
    v.push((
        "tfvars: objects nested 12 deep, one per attribute, to 1 MB",
        small_cat(),
        tfvars_with_rest(|s, b| {
            fill(s, b, |i| {
                format!("k{i} = {}\n", nested("{a = ", "}", 12, "1"))
            })
        }),
    ));
    v.push((
        "tfvars: entries in the platform's layout, to 1 MB",
        small_cat(),
        {
            let mut s = String::from("aws_region = \"eu-west-2\"\n\necr_repositories = {\n");
            fill(&mut s, MB - 2, |i| {
                format!("  \"service-{i:06}\" = {{\n    metadata = {{\n      id    = \"REGISTRY_SERVICE_{i:06}\"\n      owner = \"app-team\"\n      risk  = \"low\"\n    }}\n  }}\n")
            });
            s.push_str("}\n");
            s
        },
    ));
    v.push(("tfvars: one-line entries, to 1 MB", small_cat(), {
        let mut s = String::from("ecr_repositories = {\n");
        fill(&mut s, MB - 2, |i| {
            format!("  \"s{i}\" = {{ metadata = {{ id = \"R{i}\" }} }}\n")
        });
        s.push_str("}\n");
        s
    }));
    v.push((
        "tfvars: one 1 MB string",
        small_cat(),
        tfvars_with_rest(|s, b| {
            s.push_str("x = \"");
            s.push_str(&"a".repeat(b - 7));
            s.push_str("\"\n");
        }),
    ));
    v.push((
        "tfvars: 1 MB heredoc",
        small_cat(),
        tfvars_with_rest(|s, b| {
            s.push_str("x = <<EOT\n");
            fill(s, b - 4, |i| format!("line {i} of a long heredoc ${{a}}\n"));
            s.push_str("EOT\n");
        }),
    ));
    v.push((
        "tfvars: `${a}` templates in one string, to 1 MB",
        small_cat(),
        tfvars_with_rest(|s, b| {
            s.push_str("x = \"");
            fill(s, b - 2, |_| "${a}".into());
            s.push_str("\"\n");
        }),
    ));
    v.push((
        "tfvars: 1 MB of top-level attributes",
        small_cat(),
        tfvars_with_rest(|s, b| fill(s, b, |i| format!("k{i} = 1\n"))),
    ));
    v.push((
        "tfvars: one list of 1 MB",
        small_cat(),
        tfvars_with_rest(|s, b| {
            s.push_str("x = [");
            fill(s, b - 2, |_| "1, ".into());
            s.push_str("]\n");
        }),
    ));
    v.push((
        "tfvars: 1 MB of comments",
        small_cat(),
        tfvars_with_rest(|s, b| fill(s, b, |i| format!("# comment {i}\n"))),
    ));
    v
}

/// A shape grown by a count of units: (catalog, tfvars) with `n` units.
type Grow = Box<dyn Fn(usize) -> (String, String)>;

/// Shapes that the node budget (`MAX_*_REFERENCE_NODES`) refuses when large: each is run at the
/// largest size still edited (found by bisection), the slowest case the budget lets through.
fn at_the_limit() -> Vec<(&'static str, Grow)> {
    let cat = |rest: fn(&mut String, usize)| -> Grow {
        Box::new(move |n| {
            let mut s = String::from(CATALOG_HEAD);
            rest(&mut s, n);
            s.push_str(&SMALL_CATALOG[CATALOG_HEAD.len()..]);
            (s, SMALL_TFVARS.to_string())
        })
    };
    let tf = |rest: fn(&mut String, usize)| -> Grow {
        Box::new(move |n| {
            let mut s = String::new();
            rest(&mut s, n);
            s.push_str(SMALL_TFVARS);
            (SMALL_CATALOG.to_string(), s)
        })
    };
    vec![
        (
            "catalog: top-level keys",
            cat(|s, n| {
                (0..n).for_each(|i| {
                    let _ = writeln!(s, "k{i}: v");
                })
            }),
        ),
        (
            "catalog: flow collections 16 deep, one per key",
            cat(|s, n| {
                (0..n).for_each(|i| {
                    let _ = writeln!(s, "k{i}: {}", nested("[", "]", 16, "b"));
                })
            }),
        ),
        (
            "catalog: one flow sequence of small maps",
            cat(|s, n| {
                s.push_str("x: [");
                (0..n).for_each(|_| s.push_str("{a: 1}, "));
                s.push_str("]\n");
            }),
        ),
        (
            "catalog: aliases to one anchor",
            cat(|s, n| {
                s.push_str("a: &a [x]\nb: [");
                (0..n).for_each(|_| s.push_str("*a, "));
                s.push_str("]\n");
            }),
        ),
        (
            "catalog: entries as flow mappings (the full parser)",
            Box::new(|n| {
                let mut s = String::from(CATALOG_HEAD);
                s.push_str("repositories:\n");
                for i in 0..n {
                    let _ = writeln!(s, "  s{i}: {{metadata: {{id: R{i}, owner: a, tags: [a]}}}}");
                }
                (s, SMALL_TFVARS.to_string())
            }),
        ),
        (
            "catalog: platform entries, one with a block scalar (the full parser)",
            Box::new(|n| {
                let mut s = String::from(CATALOG_HEAD);
                s.push_str("repositories:\n  first:\n    notes: |\n      a block scalar\n");
                for i in 0..n {
                    let _ = write!(
                        s,
                        "  service-{i:06}:\n    metadata:\n      id: REGISTRY_SERVICE_{i:06}\n      owner: app-team\n      risk: low\n      environment: dev\n      created_date: \"2026-01-05\"\n      status: active\n"
                    );
                }
                (s, SMALL_TFVARS.to_string())
            }),
        ),
        (
            "tfvars: top-level attributes",
            tf(|s, n| {
                (0..n).for_each(|i| {
                    let _ = writeln!(s, "k{i} = 1");
                })
            }),
        ),
        (
            "tfvars: one list",
            tf(|s, n| {
                s.push_str("x = [");
                (0..n).for_each(|_| s.push_str("1, "));
                s.push_str("]\n");
            }),
        ),
        (
            "tfvars: `${a}` templates in one string",
            tf(|s, n| {
                s.push_str("x = \"");
                (0..n).for_each(|_| s.push_str("${a}"));
                s.push_str("\"\n");
            }),
        ),
        (
            "tfvars: heredoc lines with a template each",
            tf(|s, n| {
                s.push_str("x = <<EOT\n");
                (0..n).for_each(|i| {
                    let _ = writeln!(s, "line {i} of a long heredoc ${{a}}");
                });
                s.push_str("EOT\n");
            }),
        ),
        (
            "tfvars: objects nested 12 deep, one per attribute",
            tf(|s, n| {
                (0..n).for_each(|i| {
                    let _ = writeln!(s, "k{i} = {}", nested("{a = ", "}", 12, "1"));
                })
            }),
        ),
        (
            "tfvars: platform entries, one with an expression (the full parser)",
            Box::new(|n| {
                let mut s = String::from(
                    "ecr_repositories = {\n  \"first\" = { metadata = { id = var.id } }\n",
                );
                for i in 0..n {
                    let _ = write!(
                        s,
                        "  \"service-{i:06}\" = {{\n    metadata = {{\n      id    = \"REGISTRY_SERVICE_{i:06}\"\n      owner = \"app-team\"\n      risk  = \"low\"\n    }}\n  }}\n"
                    );
                }
                s.push_str("}\n");
                (SMALL_CATALOG.to_string(), s)
            }),
        ),
    ]
}

/// Whether scaffold edits both files (rather than refusing).
fn edits(v: &Validator, req: &Request, (catalog, tfvars): (String, String)) -> bool {
    let files = Files {
        catalog: Some(catalog),
        tfvars: Some(tfvars),
    };
    ecr_registrar::scaffold_with(v, req, &files, "2026-11-23").is_ok()
}

/// The largest `n` (up to 1 MB of input) at which `grow` is still edited.
fn largest_edited(v: &Validator, req: &Request, grow: &Grow) -> usize {
    let fits = |n: usize| {
        let (c, t) = grow(n);
        c.len() <= MB && t.len() <= MB
    };
    let (mut lo, mut hi) = (1usize, 2usize);
    while fits(hi) && edits(v, req, grow(hi)) {
        lo = hi;
        hi *= 2;
    }
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        if fits(mid) && edits(v, req, grow(mid)) {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    lo
}

fn request() -> Request {
    Request {
        name: "payments-api".into(),
        owner: "platform-team".into(),
        requester: None,
        domain: None,
        environment: "dev".into(),
        risk: "low".into(),
        id: None,
        ..Request::default()
    }
}

fn dump(dir: &std::path::Path, i: usize, catalog: &str, tfvars: &str) -> std::io::Result<()> {
    let repo = dir.join(format!("{i:02}"));
    let cat = repo.join("docs/20-contracts/resource-catalogs");
    let env = repo.join("envs/dev");
    std::fs::create_dir_all(&cat)?;
    std::fs::create_dir_all(&env)?;
    std::fs::write(cat.join("ecr-catalog.yaml"), catalog)?;
    std::fs::write(env.join("terraform.tfvars"), tfvars)
}

fn main() {
    // `cargo bench` passes `--bench`; a filter argument selects inputs by substring.
    let filter: Option<String> = std::env::args().skip(1).find(|a| !a.starts_with("--"));
    let dump_dir = std::env::var_os("WORST_DUMP").map(std::path::PathBuf::from);
    let v = Validator::new(&Config::default()).expect("default config");
    let req = request();
    let mut over = 0;
    println!("| # | input (≤ 1 MB) | answer | median of {RUNS} | max |");
    println!("| --- | --- | --- | --- | --- |");
    type Make<'a> = Box<dyn Fn() -> (String, String) + 'a>;
    let fixed = inputs().into_iter().map(|(what, c, t)| {
        let make: Make = Box::new(move || (c.clone(), t.clone()));
        (what.to_string(), make)
    });
    let limits = at_the_limit().into_iter().map(|(what, grow)| {
        let (v, req) = (&v, &req);
        let make: Make = Box::new(move || grow(largest_edited(v, req, &grow)));
        (format!("{what}, at the limit"), make)
    });
    for (i, (what, make)) in fixed.chain(limits).enumerate() {
        if filter.as_deref().is_some_and(|f| !what.contains(f)) {
            continue;
        }
        let (catalog, tfvars) = make();
        let size = catalog.len().max(tfvars.len());
        assert!(size <= MB, "{what} is over 1 MB");
        if let Some(d) = &dump_dir {
            dump(d, i, &catalog, &tfvars).expect("write the input");
        }
        let files = Files {
            catalog: Some(catalog),
            tfvars: Some(tfvars),
        };
        let mut times = Vec::with_capacity(RUNS);
        let mut answer = String::new();
        for _ in 0..RUNS {
            let t = Instant::now();
            let out =
                ecr_registrar::scaffold_with(&v, &req, std::hint::black_box(&files), "2026-11-23");
            times.push(t.elapsed());
            answer = match out {
                Ok(o) if o.catalog.changed && o.tfvars.changed => "edited".into(),
                Ok(_) => "unchanged".into(),
                Err(e) => format!("refused ({})", e.code.as_str()),
            };
        }
        times.sort();
        let median = times[RUNS / 2];
        let flag = if median > BOUND {
            over += 1;
            " **over**"
        } else {
            ""
        };
        println!(
            "| {i} | {what} ({} KB) | {answer} | {:.1} ms{flag} | {:.1} ms |",
            size / 1024,
            median.as_secs_f64() * 1e3,
            times[RUNS - 1].as_secs_f64() * 1e3
        );
    }
    if over > 0 {
        eprintln!("{over} input(s) over the bound of {} ms", BOUND.as_millis());
        std::process::exit(1);
    }
}
