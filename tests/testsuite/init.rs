//! `boardpack init`: the `.gitignore`, what it suggests next, and the CI workflows of
//! `--ci`, parsed as YAML and read for the commands they run.

use std::path::Path;

use yaml_rust2::{Yaml, YamlLoader};

use crate::common::{boardpack, run};

fn init(dir: &Path, extra: &[&str]) -> crate::common::Run {
    run(boardpack().arg("init").args(extra).arg(dir))
}

fn yaml(path: &Path) -> Yaml {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut docs = YamlLoader::load_from_str(&text)
        .unwrap_or_else(|e| panic!("{} is not YAML: {e}", path.display()));
    assert_eq!(docs.len(), 1);
    docs.remove(0)
}

/// Every command of a job's steps or script, flattened as the CI services flatten them.
fn commands(list: &Yaml) -> Vec<String> {
    let mut out = Vec::new();
    for item in list.as_vec().into_iter().flatten() {
        match item {
            Yaml::String(s) => out.push(s.clone()),
            Yaml::Array(_) => out.extend(commands(item)),
            Yaml::Hash(_) => {
                if let Some(s) = item["run"].as_str() {
                    out.push(s.to_string());
                }
                if let Some(s) = item["uses"].as_str() {
                    out.push(format!("uses {s}"));
                }
            }
            _ => {}
        }
    }
    out
}

#[test]
fn init_ignores_the_output_and_suggests_serve_and_build() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("site");
    let r = init(&dir, &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let ignore = std::fs::read_to_string(dir.join(".gitignore")).unwrap();
    assert!(ignore.lines().any(|l| l == "output/"), "{ignore}");
    assert!(
        r.stderr
            .contains(&format!("boardpack --root {} serve", dir.display())),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr
            .contains(&format!("boardpack --root {} build", dir.display())),
        "{}",
        r.stderr
    );
    assert!(!dir.join(".github").exists() && !dir.join(".gitlab-ci.yml").exists());
    // The new site's build is what .gitignore leaves out.
    let b = run(boardpack().arg("--root").arg(&dir).args(["-q", "build"]));
    assert_eq!(b.code, 0, "{}", b.stderr);
    assert!(dir.join("output/index.html").is_file());
}

#[test]
fn the_github_workflow_checks_builds_and_deploys_to_pages() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("site");
    let r = init(&dir, &["--ci", "github"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let w = yaml(&dir.join(".github/workflows/boardpack.yml"));
    let build = commands(&w["jobs"]["build"]["steps"]);
    let at = |needle: &str| {
        build
            .iter()
            .position(|c| c.contains(needle))
            .unwrap_or_else(|| panic!("no step runs {needle}: {build:?}"))
    };
    assert!(at("cargo install --locked --git") < at("boardpack check --deny-warnings"));
    assert!(at("boardpack check --deny-warnings") < at("boardpack build"));
    assert!(at("boardpack build") < at("uses actions/upload-pages-artifact@"));
    let deploy = &w["jobs"]["deploy"];
    assert_eq!(deploy["needs"].as_str(), Some("build"));
    assert_eq!(deploy["permissions"]["pages"].as_str(), Some("write"));
    assert_eq!(deploy["permissions"]["id-token"].as_str(), Some("write"));
    assert!(
        commands(&deploy["steps"])
            .iter()
            .any(|c| c.starts_with("uses actions/deploy-pages@"))
    );
    // It uploads the folder the build writes.
    let upload = (w["jobs"]["build"]["steps"].as_vec().unwrap().iter())
        .find(|s| {
            s["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("actions/upload-pages-artifact"))
        })
        .unwrap();
    assert_eq!(upload["with"]["path"].as_str(), Some("output"));
}

#[test]
fn the_gitlab_pipeline_builds_into_public_and_publishes_it() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("site");
    let r = init(&dir, &["--ci", "gitlab"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let p = yaml(&dir.join(".gitlab-ci.yml"));
    let pages = &p["pages"];
    let script = commands(&pages["script"]);
    let at = |needle: &str| {
        script
            .iter()
            .position(|c| c.contains(needle))
            .unwrap_or_else(|| panic!("no command runs {needle}: {script:?}"))
    };
    assert!(at("cargo install --locked --git") < at("boardpack check --deny-warnings"));
    assert!(at("boardpack check --deny-warnings") < at("boardpack build --output public"));
    assert_eq!(pages["artifacts"]["paths"][0].as_str(), Some("public"));
    assert!(
        commands(&p["check"]["script"])
            .iter()
            .any(|c| c == "boardpack check --deny-warnings")
    );
}

#[test]
fn init_ci_on_an_existing_site_adds_only_the_workflow_and_never_overwrites() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("site");
    assert_eq!(init(&dir, &[]).code, 0);
    let toml = dir.join("boardpack.toml");
    std::fs::write(&toml, "organisation = \"Mine\"\ntitle = \"Mine\"\n").unwrap();
    let r = init(
        &dir,
        &["--ci", "github", "--ci", "gitlab", "--ci", "github"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("added .github/workflows/boardpack.yml and .gitlab-ci.yml"),
        "{}",
        r.stderr
    );
    assert_eq!(
        std::fs::read_to_string(&toml).unwrap(),
        "organisation = \"Mine\"\ntitle = \"Mine\"\n"
    );
    // A second time, the workflow is there: nothing is written.
    let workflow = dir.join(".gitlab-ci.yml");
    std::fs::write(&workflow, "mine\n").unwrap();
    let r = init(&dir, &["--ci", "gitlab"]);
    assert_ne!(r.code, 0);
    assert!(r.stderr.contains("never overwrites"), "{}", r.stderr);
    assert_eq!(std::fs::read_to_string(&workflow).unwrap(), "mine\n");
}
