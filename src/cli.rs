//! The command line: arguments, colour and verbosity, and how results become output and exit
//! codes (0 ok, 1 content errors, 2 usage or I/O errors).

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use crate::config::{CONFIG_FILE, find_root};
use crate::diagnostic::{Diagnostic, Severity};
use crate::error::Error;

#[derive(Debug, Parser)]
#[command(
    name = "boardpack",
    version,
    about = "Board reports from Markdown to an accessible static site"
)]
pub struct Cli {
    /// The site root (default: the nearest directory at or above the current one holding
    /// boardpack.toml).
    #[arg(long, global = true, value_name = "DIR")]
    pub root: Option<PathBuf>,
    /// Print less: -q shows only errors, -qq prints nothing (the exit code says how it went).
    #[arg(short, long, global = true, action = clap::ArgAction::Count, conflicts_with = "verbose")]
    pub quiet: u8,
    /// Print more: timings and every file read.
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
    /// When to colour output.
    #[arg(long, global = true, value_enum, default_value_t = ColorWhen::Auto)]
    pub color: ColorWhen,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ColorWhen {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check every document and write the site.
    ///
    /// boardpack records the files it writes in the output's .boardpack-manifest, and a
    /// rebuild removes only files listed there whose bytes it wrote; anything else in the
    /// folder (.git, CNAME, files you added or edited) is left alone. A first build into a
    /// folder that holds other files is refused unless --force. If the build fails at any
    /// point, the previous output is left byte for byte.
    Build {
        /// Where to write the site (default: output/ under the root).
        #[arg(long, short, value_name = "DIR")]
        output: Option<PathBuf>,
        /// Write into a folder that holds files boardpack did not write (or has no manifest):
        /// replace those at the paths the site needs, and never delete any other.
        #[arg(long)]
        force: bool,
        /// Fail on warnings as well as errors.
        #[arg(long)]
        deny_warnings: bool,
        /// Include documents marked `draft = true`, each marked "DRAFT – not approved"
        /// (by default a build leaves them out).
        #[arg(long)]
        drafts: bool,
        /// Leave out who changed each report and figure, even where `[history]` allows it:
        /// for comparing the output of two checkouts, whose commits differ.
        #[arg(long, env = "BOARDPACK_NO_HISTORY", value_parser = clap::builder::FalseyValueParser::new())]
        no_history: bool,
        /// Who the site is for. `public` (the default) replaces every exempt item by a stub
        /// naming its paragraph and hides the authors' findings; `members` shows everything,
        /// each exempt item bannered "EXEMPT – not for publication", and needs --output, so
        /// that it never lands where the public site is published from.
        #[arg(long, value_enum, default_value_t = AudienceArg::Public)]
        audience: AudienceArg,
        /// Write each period's board pack as a PDF, even where `[pdf] enabled = false`.
        #[arg(long, conflicts_with = "no_pdf")]
        pdf: bool,
        /// Leave the PDF board packs out of this build, even where `[pdf]` has them on.
        #[arg(long)]
        no_pdf: bool,
        /// Publish at this address instead of `base_url` in boardpack.toml, for a staging or
        /// preview deploy: a web address (`https://example.org/board/`) or a path from the
        /// server's root (`/board/`).
        #[arg(long, value_name = "URL")]
        base_url: Option<String>,
    },
    /// Check every document and report every problem, without writing anything.
    ///
    /// Drafts are checked too: check is where their authors find their problems.
    Check {
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// Fail on warnings as well as errors.
        #[arg(long)]
        deny_warnings: bool,
    },
    /// Build the site into memory, serve it, and rebuild on every change with live reload.
    Serve {
        /// The port to listen on (0 picks a free one).
        #[arg(long, short, default_value_t = 1111)]
        port: u16,
        /// The address to listen on. The default serves this machine only.
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Open the site in a browser.
        #[arg(long)]
        open: bool,
        /// Leave out documents marked `draft = true`, as `build` does (by default serve shows
        /// them, each marked "DRAFT – not approved").
        #[arg(long)]
        no_drafts: bool,
        /// Who to show the site as: `members` (the default) shows exempt items with their
        /// banners and every finding with its source; `public` shows what `build` publishes.
        #[arg(long, value_enum, default_value_t = AudienceArg::Members)]
        audience: AudienceArg,
    },
    /// Write the next period's documents, each a draft, from the latest period's.
    ///
    /// Highlight reports, budgets, indicator sets and action plans of the period before PERIOD
    /// are copied with their comments and keys, moved on a period: figures of the period are
    /// cleared, open work is carried, and the narrative is carried for its author to update
    /// (check warns of each section left unchanged). Never overwrites: if any file it would
    /// write exists, or PERIOD has documents already, it writes nothing.
    NewPeriod {
        /// The period to make, such as "2009/10 Q3" (default: the one after the newest
        /// quarter, or the newest year where the site has no quarters). It must follow a
        /// period that has documents.
        period: Option<String>,
    },
    /// Create a new site with an example of each kind of report, and a .gitignore for output/.
    ///
    /// Never overwrites: if any file it would write exists, it writes nothing.
    Init {
        /// The directory to create the site in.
        dir: PathBuf,
        /// Also write a CI workflow that runs check --deny-warnings and build, and publishes the
        /// site to Pages: github (.github/workflows/boardpack.yml) or gitlab (.gitlab-ci.yml).
        /// Repeat for both. On a site that exists already, writes only the workflow.
        #[arg(long, value_enum, value_name = "SERVICE")]
        ci: Vec<CiArg>,
    },
}

/// A CI service `init --ci` writes a workflow for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CiArg {
    Github,
    Gitlab,
}

impl From<CiArg> for crate::init::Ci {
    fn from(c: CiArg) -> Self {
        match c {
            CiArg::Github => crate::init::Ci::Github,
            CiArg::Gitlab => crate::init::Ci::Gitlab,
        }
    }
}

/// Who a site is built for (see [`crate::content::exempt::Audience`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AudienceArg {
    Public,
    Members,
}

impl From<AudienceArg> for crate::content::exempt::Audience {
    fn from(a: AudienceArg) -> Self {
        match a {
            AudienceArg::Public => crate::content::exempt::Audience::Public,
            AudienceArg::Members => crate::content::exempt::Audience::Members,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Human,
    Json,
}

/// Output settings shared by every command.
pub struct Out {
    pub color: bool,
    pub quiet: u8,
    pub verbose: u8,
}

impl Out {
    fn from_cli(cli: &Cli) -> Self {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let color = match cli.color {
            ColorWhen::Always => true,
            ColorWhen::Never => false,
            ColorWhen::Auto => !no_color && std::io::stderr().is_terminal(),
        };
        Self {
            color,
            quiet: cli.quiet,
            verbose: cli.verbose,
        }
    }

    /// Print diagnostics to stderr, warnings hidden under `-q`.
    pub fn diagnostics(&self, diags: &[Diagnostic]) {
        if self.quiet > 1 {
            return;
        }
        let mut err = std::io::stderr().lock();
        for d in diags {
            if self.quiet > 0 && d.severity() == Severity::Warning {
                continue;
            }
            let _ = writeln!(err, "{}", d.render(self.color));
        }
    }

    /// Print diagnostics grouped by file under a heading, so each report's problems and
    /// findings read together.
    pub fn grouped(&self, diags: &[Diagnostic]) {
        if self.quiet > 1 {
            return;
        }
        let shown: Vec<&Diagnostic> = diags
            .iter()
            .filter(|d| self.quiet == 0 || d.severity() == Severity::Error)
            .collect();
        let mut err = std::io::stderr().lock();
        let mut i = 0;
        while i < shown.len() {
            let file = shown[i].file.as_ref().map(|f| f.display.clone());
            let n = shown[i..]
                .iter()
                .take_while(|d| d.file.as_ref().map(|f| &f.display) == file.as_ref())
                .count();
            let group = &shown[i..i + n];
            let (errors, warnings) = counts_of(group.iter().copied());
            let name = crate::source::escape(file.as_deref().unwrap_or("(site)"));
            let heading = format!(
                "── {name}: {}, {}",
                plural(errors, "error"),
                plural(warnings, "warning")
            );
            let _ = if self.color {
                writeln!(err, "\x1b[1m{heading}\x1b[0m\n")
            } else {
                writeln!(err, "{heading}\n")
            };
            for d in group {
                let _ = writeln!(err, "{}", d.render(self.color));
            }
            i += n;
        }
    }

    /// A status line on stderr, hidden under `-q`.
    pub fn status(&self, line: &str) {
        if self.quiet == 0 {
            eprintln!("{line}");
        }
    }
}

/// Run the command line and return the process exit code.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    let out = Out::from_cli(&cli);
    match run(&cli, &out) {
        Ok(code) => code,
        Err(e) => {
            out.diagnostics(e.diagnostics());
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

/// The site root, canonical: absolute, with no `..` and no symbolic links. Every later path
/// (the watcher's events, the symlink checks, the default output folder) is compared against it,
/// so a relative `--root`, an absolute one and one found by searching upwards must all become
/// the same path here, once.
fn resolve_root(cli: &Cli) -> Result<PathBuf, Error> {
    let root = match &cli.root {
        Some(r) => {
            if !r.join(CONFIG_FILE).is_file() {
                return Err(Error::NotASite {
                    path: r.clone(),
                    file: CONFIG_FILE,
                });
            }
            r.clone()
        }
        None => {
            let cwd = std::env::current_dir().map_err(|source| Error::Read {
                path: PathBuf::from("."),
                source,
            })?;
            find_root(&cwd).ok_or(Error::NoRoot {
                start: cwd,
                file: CONFIG_FILE,
            })?
        }
    };
    std::fs::canonicalize(&root).map_err(|source| Error::Read { path: root, source })
}

fn counts(diags: &[Diagnostic]) -> (usize, usize) {
    counts_of(diags.iter())
}

fn counts_of<'a>(diags: impl Iterator<Item = &'a Diagnostic>) -> (usize, usize) {
    diags.fold(
        (0, 0),
        |(e, w), d| if d.is_error() { (e + 1, w) } else { (e, w + 1) },
    )
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

fn run(cli: &Cli, out: &Out) -> Result<ExitCode, Error> {
    match &cli.command {
        Command::Init { dir, ci } => {
            let mut services: Vec<crate::init::Ci> = Vec::new();
            for c in ci {
                let c = crate::init::Ci::from(*c);
                if !services.contains(&c) {
                    services.push(c);
                }
            }
            // As `init_with` decides: a site that exists gains only its workflows.
            let existing = !services.is_empty() && dir.join(CONFIG_FILE).is_file();
            let written = crate::init::init_with(dir, &services)?;
            let root = dir.display();
            if existing {
                let names: Vec<String> = (written.iter())
                    .filter_map(|p| p.strip_prefix(dir).ok())
                    .map(|p| p.display().to_string())
                    .collect();
                out.status(&format!(
                    "added {} to the site in {root}; the top of each says what to set before its first run",
                    names.join(" and ")
                ));
            } else {
                out.status(&format!(
                    "created a boardpack site in {root} ({} files); try: boardpack --root {root} serve to see it as you edit, and boardpack --root {root} build to write it to {}",
                    written.len(),
                    dir.join("output").display()
                ));
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Check {
            format,
            deny_warnings,
        } => {
            let root = resolve_root(cli)?;
            let started = std::time::Instant::now();
            let loaded = match crate::site::load(&root) {
                Err(e @ Error::Config { .. }) if *format == Format::Json => {
                    // Tools reading JSON must see configuration problems too.
                    print_json(e.diagnostics());
                    return Ok(ExitCode::from(2));
                }
                other => other?,
            };
            let diags = loaded.all_diagnostics();
            let (errors, warnings) = counts(&diags);
            match format {
                Format::Json => print_json(&diags),
                Format::Human => {
                    out.grouped(&diags);
                    out.status(&format!(
                        "checked {} in {:.0?}: {}, {}",
                        plural(loaded.content.files, "document"),
                        started.elapsed(),
                        plural(errors, "error"),
                        plural(warnings, "warning"),
                    ));
                }
            }
            exit_without_freeing(loaded);
            Ok(exit_for(errors, warnings, *deny_warnings))
        }
        Command::Serve {
            port,
            bind,
            open,
            no_drafts,
            audience,
        } => {
            let root = resolve_root(cli)?;
            let opts = crate::serve::Options {
                bind: *bind,
                port: *port,
                open: *open,
                color: out.color,
                quiet: out.quiet > 0,
                drafts: !*no_drafts,
                audience: (*audience).into(),
            };
            crate::serve::run(&root, &opts)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::NewPeriod { period } => {
            let root = resolve_root(cli)?;
            match crate::new_period::run(&root, period.as_deref())? {
                crate::new_period::Outcome::Errors(diags) => {
                    out.grouped(&diags);
                    let (errors, _) = counts(&diags);
                    out.status(&format!(
                        "new-period wrote nothing: the site has {}; fix them first (boardpack check)",
                        plural(errors, "error")
                    ));
                    Ok(ExitCode::from(1))
                }
                crate::new_period::Outcome::Written { from, to, files } => {
                    // The files made, one a line on stdout, for scripts; the rest on stderr.
                    let mut stdout = std::io::stdout().lock();
                    for f in &files {
                        let _ = writeln!(stdout, "{}", crate::source::escape(f));
                    }
                    out.status(&format!(
                        "made {} for {to} from {from}, each marked draft = true; \
                         next: update them, then boardpack check",
                        plural(files.len(), "document")
                    ));
                    Ok(ExitCode::SUCCESS)
                }
            }
        }
        Command::Build {
            output,
            force,
            deny_warnings,
            drafts,
            no_history,
            audience,
            pdf,
            no_pdf,
            base_url,
        } => {
            let root = resolve_root(cli)?;
            let base_url = match base_url.as_deref().map(base_url_override).transpose() {
                Ok(url) => url,
                Err(message) => {
                    eprintln!("{message}");
                    return Ok(ExitCode::from(2));
                }
            };
            if *audience == AudienceArg::Members && output.is_none() {
                out.status(
                    "build --audience members needs --output DIR: the members' view holds \
                     exempt information, so it is never written where the public site is built",
                );
                return Ok(ExitCode::from(2));
            }
            let out_dir = output.clone().unwrap_or_else(|| root.join("output"));
            let started = std::time::Instant::now();
            let keep = if *drafts {
                crate::content::Drafts::Include
            } else {
                crate::content::Drafts::LeaveOut
            };
            let (mut loaded, left_out) = crate::site::load_with(&root, keep, (*audience).into())?;
            if let Some(url) = base_url {
                // After the checks, whose links are written against the configured address;
                // the pages and every link on them are then written under this one.
                loaded.config.base_url = url;
            }
            if left_out > 0 {
                out.status(&format!(
                    "left out {} (build --drafts to include them)",
                    plural(left_out, "draft")
                ));
            }
            let diags = loaded.all_diagnostics();
            let (errors, warnings) = counts(&diags);
            out.diagnostics(&diags);
            if errors > 0 || (*deny_warnings && warnings > 0) {
                out.status(&format!(
                    "build failed: {}, {}; {} left untouched",
                    plural(errors, "error"),
                    plural(warnings, "warning"),
                    display(&out_dir)
                ));
                return Ok(exit_for(errors, warnings, *deny_warnings));
            }
            if !*no_history {
                loaded.read_history();
            }
            if *pdf || *no_pdf {
                loaded.config.pdf = *pdf;
            }
            let options = crate::site::write::Options { force: *force };
            let report = crate::site::build(&loaded, &out_dir, options, |dir| {
                out.status(&format!(
                    "waiting for another boardpack build into {} to finish",
                    display(dir)
                ))
            })?;
            if !report.written.replaced.is_empty() {
                out.status(&format!(
                    "warning: --force replaced {} that boardpack had not written: {}",
                    plural(report.written.replaced.len(), "file"),
                    report.written.replaced.join(", ")
                ));
            }
            if !report.written.kept.is_empty() {
                out.status(&format!(
                    "warning: left {} that the site no longer has, because each was changed \
                     since boardpack wrote it: {}",
                    plural(report.written.kept.len(), "file"),
                    report.written.kept.join(", ")
                ));
            }
            out.status(&format!(
                "built {} into {} in {:.0?} ({} of {} changed, {} removed), {}",
                plural(report.pages, "page"),
                display(&out_dir),
                started.elapsed(),
                report.written.changed,
                plural(report.written.files, "file"),
                report.written.removed,
                plural(warnings, "warning"),
            ));
            exit_without_freeing(loaded);
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// `build --base-url`, checked by the rule `base_url` in boardpack.toml is, and ending in `/`
/// as every link is written after it.
fn base_url_override(url: &str) -> Result<String, String> {
    match crate::config::base_url_problem(url) {
        Some(reason) => Err(format!(
            "error: --base-url `{}` {reason}; give a web address, such as \
             https://example.org/board/, or a path starting with /",
            crate::source::escape(url)
        )),
        None if url.ends_with('/') => Ok(url.to_string()),
        None => Ok(format!("{url}/")),
    }
}

/// The command is about to end, and the process with it: freeing a large site's model one
/// allocation at a time (millions at 10,000 reports) would only delay the exit. The operating
/// system takes the memory back at once.
fn exit_without_freeing<T>(value: T) {
    std::mem::forget(value);
}

fn print_json(diags: &[Diagnostic]) {
    let json: Vec<_> = diags.iter().map(Diagnostic::to_json).collect();
    let text = serde_json::to_string_pretty(&json).unwrap_or_else(|_| "[]".into());
    println!("{text}");
}

fn display(p: &Path) -> String {
    p.display().to_string()
}

fn exit_for(errors: usize, warnings: usize, deny_warnings: bool) -> ExitCode {
    if errors > 0 || (deny_warnings && warnings > 0) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
