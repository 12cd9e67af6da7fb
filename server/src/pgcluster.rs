//! A private PostgreSQL cluster started from the Postgres binaries installed on the machine.
//!
//! This is the embedded default of the server (no `DATABASE_URL`) and the throwaway cluster
//! of the test suites: one code path for both. The cluster listens only on a unix socket in
//! a directory of its own (mode 0700), so no other local user can reach it. Postgres refuses
//! to run as root: when we are root, initdb and postgres run as the `postgres` OS user.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// The port only names the socket file: the cluster has no TCP listener, and the socket
/// lives in a private directory, so a fixed number cannot collide with anything.
const PORT: u16 = 5432;
pub const SUPERUSER: &str = "postgres";

#[derive(Debug, thiserror::Error)]
pub enum ClusterError {
    #[error("PostgreSQL binaries not found: install the `postgresql` package or set OBIETTIVI_PG_BIN to the folder holding initdb and postgres")]
    BinariesNotFound,
    #[error("running as root, but the OS user `postgres` does not exist (PostgreSQL refuses to run as root)")]
    NoPostgresUser,
    #[error("the OS user `postgres` cannot reach {0}: choose a data folder it can traverse (OBIETTIVI_DATA_DIR)")]
    Unreachable(PathBuf),
    #[error("{step} failed: {detail}")]
    Command { step: &'static str, detail: String },
    #[error("PostgreSQL did not become ready within {0:?}; see {1}")]
    NotReady(Duration, PathBuf),
    #[error("I/O error on {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> ClusterError + '_ {
    move |source| ClusterError::Io {
        path: path.to_path_buf(),
        source,
    }
}

#[derive(Clone, Debug, Default)]
pub struct ClusterOptions {
    /// Throwaway data (tests): trade durability for speed.
    pub ephemeral: bool,
}

pub struct LocalCluster {
    root: PathBuf,
    bin: PathBuf,
    pid: Option<u32>,
    /// The thread that spawned postgres and waits for it. The kernel's parent-death signal
    /// follows the *thread* that forked, so it must live exactly as long as postgres does.
    keeper: Option<JoinHandle<std::io::Result<ExitStatus>>>,
    /// True when `start` had to run initdb: the caller loads first-start data.
    pub freshly_initialised: bool,
}

impl LocalCluster {
    /// Starts (initialising if needed) the cluster kept under `root`:
    /// `root/pgdata` holds the data, `root/run` the socket, `root/postgres.log` the log.
    pub fn start(root: &Path, options: &ClusterOptions) -> Result<Self, ClusterError> {
        let bin = find_binaries()?;
        let owner = os_owner()?;
        fs::create_dir_all(root).map_err(io_err(root))?;
        let root = root.canonicalize().map_err(io_err(root))?;
        let data = root.join("pgdata");
        let run = root.join("run");
        fs::create_dir_all(&run).map_err(io_err(&run))?;
        fs::set_permissions(&run, fs::Permissions::from_mode(0o700)).map_err(io_err(&run))?;
        if let Some((uid, gid)) = owner {
            chown(&root, uid, gid)?;
            chown(&run, uid, gid)?;
            check_reachable(&root, uid, gid)?;
        }

        let freshly_initialised = !data.join("PG_VERSION").exists();
        if freshly_initialised {
            let status = command(&bin.join("initdb"), owner)
                .arg("-D")
                .arg(&data)
                .args([
                    "-U",
                    SUPERUSER,
                    "--auth=trust",
                    "-E",
                    "UTF8",
                    "--locale=C.UTF-8",
                    "--no-sync",
                ])
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .output()
                .map_err(io_err(&data))?;
            if !status.status.success() {
                return Err(ClusterError::Command {
                    step: "initdb",
                    detail: String::from_utf8_lossy(&status.stderr).into_owned(),
                });
            }
        }

        let log_path = root.join("postgres.log");
        let log = fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&log_path)
            .map_err(io_err(&log_path))?;
        if let Some((uid, gid)) = owner {
            chown(&log_path, uid, gid)?;
        }
        let mut cmd = command(&bin.join("postgres"), owner);
        cmd.arg("-D")
            .arg(&data)
            .arg("-k")
            .arg(&run)
            .args(["-p", &PORT.to_string(), "-c", "listen_addresses="])
            .stdin(Stdio::null())
            .stdout(log.try_clone().map_err(io_err(&log_path))?)
            .stderr(log);
        if options.ephemeral {
            cmd.args([
                "-c",
                "fsync=off",
                "-c",
                "synchronous_commit=off",
                "-c",
                "full_page_writes=off",
                "-c",
                "max_connections=300",
            ]);
        }
        // If this process dies without stopping the cluster, the kernel stops it for us.
        // Set after the uid change (which clears it), just before exec.
        unsafe {
            cmd.pre_exec(|| {
                if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGTERM) != 0 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
        let (tx, rx) = mpsc::channel();
        let keeper = std::thread::Builder::new()
            .name("postgres".into())
            .spawn(move || {
                let mut child = match cmd.spawn() {
                    Ok(child) => child,
                    Err(e) => {
                        let _ = tx.send(Err(e));
                        return Err(std::io::Error::other("postgres did not start"));
                    }
                };
                let _ = tx.send(Ok(child.id()));
                child.wait()
            })
            .map_err(io_err(&data))?;
        let pid = rx
            .recv()
            .map_err(|_| ClusterError::Command {
                step: "postgres",
                detail: "the starter thread died".into(),
            })?
            .map_err(io_err(&data))?;
        let mut cluster = LocalCluster {
            root,
            bin,
            pid: Some(pid),
            keeper: Some(keeper),
            freshly_initialised,
        };
        cluster.wait_ready(Duration::from_secs(60), &log_path)?;
        Ok(cluster)
    }

    fn wait_ready(&mut self, timeout: Duration, log: &Path) -> Result<(), ClusterError> {
        let started = Instant::now();
        loop {
            if self.keeper.as_ref().is_some_and(|k| k.is_finished()) {
                let status = self.keeper.take().map(|k| k.join());
                self.pid = None;
                {
                    let tail = fs::read_to_string(log).unwrap_or_default();
                    let tail: String = tail.lines().rev().take(5).collect::<Vec<_>>().join(" | ");
                    return Err(ClusterError::Command {
                        step: "postgres",
                        detail: format!("exited ({status:?}): {tail}"),
                    });
                }
            }
            let ready = Command::new(self.bin.join("pg_isready"))
                .arg("-h")
                .arg(self.socket_dir())
                .args(["-p", &PORT.to_string(), "-U", SUPERUSER, "-q"])
                .status()
                .map(|s| s.success())
                .unwrap_or(false);
            if ready {
                return Ok(());
            }
            if started.elapsed() > timeout {
                return Err(ClusterError::NotReady(timeout, log.to_path_buf()));
            }
            std::thread::sleep(Duration::from_millis(25));
        }
    }

    pub fn socket_dir(&self) -> PathBuf {
        self.root.join("run")
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn pid(&self) -> Option<u32> {
        self.pid
    }

    /// Connection URL of the superuser to `database`, over the private socket.
    pub fn url(&self, database: &str) -> String {
        format!(
            "postgres://{SUPERUSER}@localhost:{PORT}/{database}?host={}",
            self.socket_dir().display()
        )
    }

    /// The `psql` command line that opens `database`.
    pub fn psql_hint(&self, database: &str) -> String {
        format!(
            "psql -h {} -p {PORT} -U {SUPERUSER} {database}",
            self.socket_dir().display()
        )
    }

    /// Fast shutdown: ends sessions, checkpoints, and waits for the postmaster to exit.
    pub fn stop(&mut self) {
        if let Some(pid) = self.pid.take() {
            unsafe {
                libc::kill(pid as libc::pid_t, libc::SIGINT);
            }
        }
        if let Some(keeper) = self.keeper.take() {
            let _ = keeper.join();
        }
    }
}

impl Drop for LocalCluster {
    fn drop(&mut self) {
        self.stop();
    }
}

fn command(program: &Path, owner: Option<(u32, u32)>) -> Command {
    let mut cmd = Command::new(program);
    cmd.env_remove("PGDATA").env("LC_ALL", "C.UTF-8");
    if let Some((uid, gid)) = owner {
        // std drops root's supplementary groups when it changes the uid.
        cmd.uid(uid).gid(gid);
    }
    cmd
}

/// `Some((uid, gid))` of the `postgres` OS user when we run as root, `None` otherwise.
fn os_owner() -> Result<Option<(u32, u32)>, ClusterError> {
    if unsafe { libc::geteuid() } != 0 {
        return Ok(None);
    }
    let name = std::ffi::CString::new("postgres").expect("static string");
    let pw = unsafe { libc::getpwnam(name.as_ptr()) };
    if pw.is_null() {
        return Err(ClusterError::NoPostgresUser);
    }
    let (uid, gid) = unsafe { ((*pw).pw_uid, (*pw).pw_gid) };
    Ok(Some((uid, gid)))
}

fn chown(path: &Path, uid: u32, gid: u32) -> Result<(), ClusterError> {
    std::os::unix::fs::chown(path, Some(uid), Some(gid)).map_err(io_err(path))
}

/// Postgres, running as its own user, must be able to traverse every parent folder.
fn check_reachable(root: &Path, uid: u32, gid: u32) -> Result<(), ClusterError> {
    let status = Command::new("test")
        .arg("-w")
        .arg(root)
        .uid(uid)
        .gid(gid)
        .status()
        .map_err(io_err(root))?;
    if status.success() {
        Ok(())
    } else {
        Err(ClusterError::Unreachable(root.to_path_buf()))
    }
}

/// Finds the folder holding `initdb`, `postgres` and `pg_isready`: OBIETTIVI_PG_BIN, then
/// PATH, then the newest /usr/lib/postgresql/*/bin (Debian keeps them off PATH).
pub fn find_binaries() -> Result<PathBuf, ClusterError> {
    let has_all = |dir: &Path| {
        ["initdb", "postgres", "pg_isready"]
            .iter()
            .all(|b| dir.join(b).is_file())
    };
    if let Some(dir) = std::env::var_os("OBIETTIVI_PG_BIN") {
        let dir = PathBuf::from(dir);
        return if has_all(&dir) {
            Ok(dir)
        } else {
            Err(ClusterError::BinariesNotFound)
        };
    }
    if let Some(path) = std::env::var_os("PATH") {
        if let Some(dir) = std::env::split_paths(&path).find(|d| has_all(d)) {
            return Ok(dir);
        }
    }
    let mut candidates: Vec<(u32, PathBuf)> = fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let version = e.file_name().to_str()?.parse::<u32>().ok()?;
            let bin = e.path().join("bin");
            has_all(&bin).then_some((version, bin))
        })
        .collect();
    candidates.sort();
    candidates
        .pop()
        .map(|(_, bin)| bin)
        .ok_or(ClusterError::BinariesNotFound)
}
