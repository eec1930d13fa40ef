//! Provenance from git: a site in a real temporary repository, made with the git CLI (only the
//! test uses it; boardpack reads the repository with gix), built with history, outside git, from
//! a shallow clone, and twice for identical bytes.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::{boardpack, copy_dir, page, run, sel, text};

const BUDGET: &str = "content/2026-27-q2/budget.md";
const PAGE: &str = "budget/2026-27-q2/index.html";

/// Run git in `dir` as `author` at `date`, with no user or system configuration.
fn git(dir: &Path, args: &[&str], author: &str, date: &str) -> String {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", author)
        .env(
            "GIT_AUTHOR_EMAIL",
            format!("{}@example.org", author.to_lowercase()),
        )
        .env("GIT_AUTHOR_DATE", date)
        .env("GIT_COMMITTER_NAME", author)
        .env("GIT_COMMITTER_EMAIL", "ci@example.org")
        .env("GIT_COMMITTER_DATE", date)
        .output()
        .expect("git is installed (scripts/test installs it)");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// Set the waste crews' actual spend in the site's budget.
fn set_actual(site: &Path, actual: &str) {
    let path = site.join(BUDGET);
    let text = std::fs::read_to_string(&path).unwrap();
    let line = text
        .lines()
        .skip_while(|l| *l != "id = \"staff-waste-crews\"")
        .find(|l| l.starts_with("actual = "))
        .expect("the line has an actual")
        .to_string();
    let text = text.replacen(&line, &format!("actual = \"{actual}\""), 1);
    std::fs::write(path, text).unwrap();
}

/// A repository whose `site/` folder is a boardpack site, with three commits by three authors
/// that set the crews' actual spend to 571,900, then 580,000, then 590,000; and the commits' ids.
fn repository(dir: &Path) -> (PathBuf, Vec<String>) {
    let site = dir.join("site");
    let init = run(boardpack().arg("init").arg(&site));
    assert_eq!(init.code, 0, "{}", init.stderr);
    git(dir, &["init", "-q"], "Setup", "2026-10-01T09:00:00+01:00");
    let mut ids = Vec::new();
    for (author, date, actual) in [
        ("Ann Archer", "2026-10-01T10:00:00+01:00", "571,900"),
        ("Bo Baker", "2026-10-08T11:00:00+01:00", "580,000"),
        ("Cy Carter", "2026-10-15T12:00:00+01:00", "590,000"),
    ] {
        set_actual(&site, actual);
        git(dir, &["add", "-A"], author, date);
        git(dir, &["commit", "-q", "-m", actual], author, date);
        ids.push(git(dir, &["rev-parse", "--short=7", "HEAD"], author, date));
    }
    (site, ids)
}

fn build(site: &Path, out: &Path) {
    let r = run(boardpack()
        .env_remove("BOARDPACK_NO_HISTORY")
        .arg("--root")
        .arg(site)
        .arg("build")
        .arg("--output")
        .arg(out));
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
}

/// Every file of an output folder with its bytes, sorted by path.
fn files(out: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut all: Vec<(PathBuf, Vec<u8>)> = walkdir::WalkDir::new(out)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(out).unwrap().to_path_buf();
            (rel, std::fs::read(e.path()).unwrap())
        })
        .collect();
    all.sort();
    all
}

#[test]
fn three_authors_changes_to_a_budget_figure_are_its_history() {
    let dir = tempfile::tempdir().unwrap();
    let (site, ids) = repository(dir.path());
    let out = dir.path().join("out");
    build(&site, &out);
    let html = page(&out, PAGE);

    let provenance = html
        .select(&sel(".bp-provenance"))
        .next()
        .expect("provenance");
    assert_eq!(
        text(provenance),
        format!(
            "Last changed on 15 October 2026 by Cy Carter, in commit {}.",
            ids[2]
        )
    );

    let items: Vec<_> = html.select(&sel("details.bp-history")).collect();
    assert_eq!(items.len(), 1, "only the line whose figure changed");
    let summary = items[0].select(&sel("summary")).next().unwrap();
    assert_eq!(text(summary), "Waste and recycling crews");
    let rows: Vec<Vec<String>> = items[0]
        .select(&sel("tbody tr"))
        .map(|tr| tr.select(&sel("th, td")).map(text).collect())
        .collect();
    let row = |value: &str, who: &str, date: &str, id: &str| {
        ["Actual to date", value, who, date, id]
            .map(String::from)
            .to_vec()
    };
    assert_eq!(
        rows,
        [
            row("£590,000", "Cy Carter", "15/10/2026", &ids[2]),
            row("£580,000", "Bo Baker", "08/10/2026", &ids[1]),
            row("£571,900", "Ann Archer", "01/10/2026", &ids[0]),
        ]
    );

    // The same commits give the same bytes.
    let again = dir.path().join("again");
    build(&site, &again);
    assert_eq!(files(&out), files(&again));

    // Edited but not committed: the page says so, and the history is still the committed one.
    set_actual(&site, "600,000");
    let edited = dir.path().join("edited");
    build(&site, &edited);
    let html = page(&edited, PAGE);
    let provenance = html.select(&sel(".bp-provenance")).next().unwrap();
    assert!(text(provenance).ends_with("This copy has changes not yet committed."));
    assert_eq!(html.select(&sel("details.bp-history tbody tr")).count(), 3);
}

#[test]
fn outside_git_or_never_committed_the_site_builds_and_shows_no_history() {
    let dir = tempfile::tempdir().unwrap();
    let (site, _) = repository(dir.path());
    let outside = tempfile::tempdir().unwrap();
    // Outside any repository, and inside one but never committed (untracked).
    for copy in [outside.path().join("site"), dir.path().join("untracked")] {
        copy_dir(&site, &copy);
        let out = outside.path().join("out");
        build(&copy, &out);
        let html = page(&out, PAGE);
        assert_eq!(html.select(&sel(".bp-provenance")).count(), 0, "{copy:?}");
        assert_eq!(html.select(&sel(".bp-history")).count(), 0, "{copy:?}");
        // The figure itself is there: only its history is not.
        assert!(text(html.root_element()).contains("590,000"));
    }
}

#[test]
fn a_shallow_clone_builds_and_says_where_its_history_ends() {
    let dir = tempfile::tempdir().unwrap();
    repository(dir.path());
    let clone = dir.path().join("clone");
    let url = format!("file://{}", dir.path().display());
    git(
        dir.path(),
        &["clone", "-q", "--depth", "1", &url, clone.to_str().unwrap()],
        "Setup",
        "2026-10-16T09:00:00+01:00",
    );
    let out = dir.path().join("out");
    build(&clone.join("site"), &out);
    let html = page(&out, PAGE);
    let provenance = html
        .select(&sel(".bp-provenance"))
        .next()
        .expect("provenance");
    assert_eq!(
        text(provenance),
        "Unchanged since at least 15 October 2026: history unavailable beyond that date."
    );
    assert_eq!(html.select(&sel(".bp-history")).count(), 0);
}

#[test]
fn history_off_in_the_configuration_shows_none() {
    let dir = tempfile::tempdir().unwrap();
    let (site, _) = repository(dir.path());
    let config = site.join("boardpack.toml");
    let mut text = std::fs::read_to_string(&config).unwrap();
    text.push_str("\n[history]\nenabled = false\n");
    std::fs::write(&config, text).unwrap();
    let out = dir.path().join("out");
    build(&site, &out);
    let html = page(&out, PAGE);
    assert_eq!(html.select(&sel(".bp-provenance")).count(), 0);
    assert_eq!(html.select(&sel(".bp-history")).count(), 0);
}

/// `BOARDPACK_NO_HISTORY=1`, as scripts/output-digest sets it, turns history off like
/// `--no-history`; `0` leaves it on.
#[test]
fn the_environment_variable_turns_history_off() {
    let out = tempfile::tempdir().unwrap();
    let page = |value: &str, dir: &str| {
        let target = out.path().join(dir);
        crate::common::boardpack()
            .env("BOARDPACK_NO_HISTORY", value)
            .args(["-qq", "--root"])
            .arg(crate::common::repo_root())
            .arg("build")
            .arg("--output")
            .arg(&target)
            .assert()
            .success();
        crate::common::page(
            &target,
            "programmes/improving-capacity/2009-10-q2/index.html",
        )
    };
    let off = page("1", "off");
    assert_eq!(off.select(&crate::common::sel(".bp-provenance")).count(), 0);
    let on = page("0", "on");
    // The repository's own history, where this checkout has one.
    let in_git = crate::common::repo_root().join(".git").exists();
    assert_eq!(
        on.select(&crate::common::sel(".bp-provenance")).count(),
        usize::from(in_git)
    );
}
