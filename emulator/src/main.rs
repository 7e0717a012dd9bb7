//! `zilliz-cloud-emulator`: prints one line when ready, serves until SIGINT/SIGTERM (or stdin EOF with
//! `--exit-on-stdin-eof`, so a crashed test harness does not leave it running).

use std::io::Write;

use zilliz_cloud_emulator::config::{Command, Config, USAGE};

fn main() {
    let config = match Config::from_args(std::env::args().skip(1), |k| std::env::var(k).ok()) {
        Ok(Command::Run(c)) => c,
        Ok(Command::Help) => {
            println!("{USAGE}");
            return;
        }
        Err(e) => {
            eprintln!("zilliz-cloud-emulator: {e}\n{USAGE}");
            std::process::exit(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("zilliz-cloud-emulator: cannot start the runtime: {e}");
            std::process::exit(1);
        }
    };
    let result = runtime.block_on(run(config));
    // Do not wait for blocked threads (none should remain, but exiting must never hang).
    runtime.shutdown_background();
    if let Err(e) = result {
        eprintln!("zilliz-cloud-emulator: {e}");
        std::process::exit(1);
    }
}

async fn run(config: Config) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind((config.host.as_str(), config.port)).await?;
    let addr = listener.local_addr()?;
    {
        let mut out = std::io::stdout().lock();
        writeln!(out, "zilliz-cloud-emulator listening on http://{addr}")?;
        out.flush()?;
    }
    let exit_on_eof = config.exit_on_stdin_eof;
    zilliz_cloud_emulator::serve(listener, config, shutdown_signal(exit_on_eof)).await
}

/// Completes on SIGINT, SIGTERM, or (if asked) stdin EOF.
async fn shutdown_signal(exit_on_stdin_eof: bool) {
    let eof = async move {
        if !exit_on_stdin_eof {
            return std::future::pending::<()>().await;
        }
        let (eof_tx, eof_rx) = tokio::sync::oneshot::channel::<()>();
        // A plain thread, not tokio's stdin: a blocked read there would keep the runtime from exiting.
        std::thread::spawn(move || {
            let mut sink = [0u8; 1024];
            let mut stdin = std::io::stdin().lock();
            while let Ok(n) = std::io::Read::read(&mut stdin, &mut sink) {
                if n == 0 {
                    break;
                }
            }
            let _ = eof_tx.send(());
        });
        let _ = eof_rx.await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = term => {}
        _ = eof => {}
    }
}
