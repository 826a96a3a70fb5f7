//! `kube-test-apiserver --listen 127.0.0.1:PORT [--write-kubeconfig FILE]`

use std::sync::{Arc, Mutex};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut listen = "127.0.0.1:0".to_string();
    let mut kubeconfig = None;
    let mut i = 0;
    while i < args.len() {
        match (args[i].as_str(), args.get(i + 1)) {
            ("--listen", Some(v)) => listen.clone_from(v),
            ("--write-kubeconfig", Some(v)) => kubeconfig = Some(v.clone()),
            ("-h" | "--help", _) => {
                println!("usage: kube-test-apiserver --listen 127.0.0.1:PORT [--write-kubeconfig FILE]");
                return;
            }
            (other, _) => {
                eprintln!("kube-test-apiserver: unexpected argument `{other}`");
                std::process::exit(2);
            }
        }
        i += 2;
    }
    let listener = match std::net::TcpListener::bind(&listen) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("kube-test-apiserver: cannot listen on {listen}: {e}");
            std::process::exit(1);
        }
    };
    let addr = listener.local_addr().map(|a| a.to_string()).unwrap_or(listen);
    if let Some(path) = kubeconfig
        && let Err(e) = std::fs::write(&path, kube_test_apiserver::server::kubeconfig(&addr))
    {
        eprintln!("kube-test-apiserver: cannot write {path}: {e}");
        std::process::exit(1);
    }
    println!("kube-test-apiserver listening on http://{addr}");
    kube_test_apiserver::server::serve(listener, Arc::new(Mutex::new(kube_test_apiserver::store::Store::new())));
}
