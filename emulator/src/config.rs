//! Command-line / environment configuration. Flags win over `EMULATOR_*` variables, which win over
//! defaults. Parsing is a pure function of (args, env) so it is unit-tested without touching the process.

use std::fmt;

pub const DEFAULT_API_KEY: &str = "emulator-api-key";
pub const DEFAULT_JOB_DURATION_MS: u64 = 6000;

pub const USAGE: &str = "usage: zilliz-cloud-emulator [--host 127.0.0.1] [--port 0] [--api-key KEY] \
[--job-duration-ms MS] [--exit-on-stdin-eof]
env (used when the flag is absent): EMULATOR_HOST, EMULATOR_PORT, EMULATOR_API_KEY, EMULATOR_JOB_DURATION_MS";

#[derive(Clone, PartialEq, Eq)]
pub struct Config {
    pub host: String,
    /// 0 = let the OS pick a free port.
    pub port: u16,
    pub api_key: String,
    pub job_duration_ms: u64,
    pub exit_on_stdin_eof: bool,
}

// The key stays out of Debug output (logs, test failure messages).
impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("api_key", &"<redacted>")
            .field("job_duration_ms", &self.job_duration_ms)
            .field("exit_on_stdin_eof", &self.exit_on_stdin_eof)
            .finish()
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            host: "127.0.0.1".into(),
            port: 0,
            api_key: DEFAULT_API_KEY.into(),
            job_duration_ms: DEFAULT_JOB_DURATION_MS,
            exit_on_stdin_eof: false,
        }
    }
}

/// What the command line asked for.
#[derive(Debug, PartialEq, Eq)]
pub enum Command {
    Run(Config),
    Help,
}

impl Config {
    /// Parses `args` (without the program name); `env` looks up environment variables.
    pub fn from_args<I, S>(args: I, env: impl Fn(&str) -> Option<String>) -> Result<Command, String>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let mut host = None;
        let mut port = None;
        let mut api_key = None;
        let mut duration = None;
        let mut exit_on_stdin_eof = false;

        let mut args = args.into_iter().map(Into::into);
        while let Some(arg) = args.next() {
            // Accept both `--flag value` and `--flag=value`.
            let (flag, inline) = match arg.split_once('=') {
                Some((f, v)) if f.starts_with("--") => (f.to_string(), Some(v.to_string())),
                _ => (arg.clone(), None),
            };
            let mut value = |name: &str| -> Result<String, String> {
                inline
                    .clone()
                    .or_else(|| args.next())
                    .ok_or_else(|| format!("{name} needs a value"))
            };
            match flag.as_str() {
                "--host" => host = Some(value("--host")?),
                "--port" => port = Some(value("--port")?),
                "--api-key" => api_key = Some(value("--api-key")?),
                "--job-duration-ms" => duration = Some(value("--job-duration-ms")?),
                "--exit-on-stdin-eof" => exit_on_stdin_eof = true,
                "-h" | "--help" => return Ok(Command::Help),
                other => return Err(format!("unknown argument: {other}")),
            }
        }

        let defaults = Config::default();
        let host = host
            .or_else(|| env("EMULATOR_HOST"))
            .unwrap_or(defaults.host);
        let port = match port.or_else(|| env("EMULATOR_PORT")) {
            Some(p) => p
                .trim()
                .parse::<u16>()
                .map_err(|_| format!("invalid port: {p}"))?,
            None => defaults.port,
        };
        let api_key = api_key
            .or_else(|| env("EMULATOR_API_KEY"))
            .unwrap_or(defaults.api_key);
        if api_key.is_empty() {
            return Err("the api key must not be empty".into());
        }
        let job_duration_ms = match duration.or_else(|| env("EMULATOR_JOB_DURATION_MS")) {
            Some(d) => d
                .trim()
                .parse::<u64>()
                .map_err(|_| format!("invalid job duration: {d}"))?,
            None => defaults.job_duration_ms,
        };
        Ok(Command::Run(Config {
            host,
            port,
            api_key,
            job_duration_ms,
            exit_on_stdin_eof,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn no_env(_: &str) -> Option<String> {
        None
    }

    fn run(c: Command) -> Config {
        match c {
            Command::Run(c) => c,
            Command::Help => panic!("help"),
        }
    }

    #[test]
    fn defaults() {
        let c = run(Config::from_args(Vec::<String>::new(), no_env).unwrap());
        assert_eq!(c, Config::default());
        assert_eq!(c.port, 0);
        assert_eq!(c.job_duration_ms, 6000);
    }

    #[test]
    fn flags_win_over_env() {
        let env = |k: &str| match k {
            "EMULATOR_PORT" => Some("9000".to_string()),
            "EMULATOR_API_KEY" => Some("from-env".to_string()),
            "EMULATOR_JOB_DURATION_MS" => Some("100".to_string()),
            _ => None,
        };
        let c = run(Config::from_args(["--port", "9100", "--job-duration-ms=50"], env).unwrap());
        assert_eq!(
            (c.port, c.api_key.as_str(), c.job_duration_ms),
            (9100, "from-env", 50)
        );
        let c = run(Config::from_args(["--exit-on-stdin-eof"], env).unwrap());
        assert!(c.exit_on_stdin_eof);
        assert_eq!(c.port, 9000);
    }

    #[test]
    fn rejects_bad_input() {
        assert!(Config::from_args(["--port", "x"], no_env).is_err());
        assert!(Config::from_args(["--port"], no_env).is_err());
        assert!(Config::from_args(["--bogus"], no_env).is_err());
        assert_eq!(
            Config::from_args(["--help"], no_env).unwrap(),
            Command::Help
        );
    }

    #[test]
    fn debug_hides_key() {
        let c = Config {
            api_key: "secret-key".into(),
            ..Config::default()
        };
        assert!(!format!("{c:?}").contains("secret-key"));
    }
}
