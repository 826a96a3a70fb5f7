//! Where the server starts: a listener served on a tokio runtime of its own, and the kubeconfig
//! that points kubectl at it. [`serve`] blocks, so that a test can run a server on a thread
//! (`std::thread::spawn(move || serve(listener, store))`) and the binary in `main`.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::http;
use crate::store::Store;

/// Serves until the process ends.
///
/// # Panics
/// When the tokio runtime or the listener cannot be set up (no threads or file descriptors).
pub fn serve(listener: std::net::TcpListener, store: Arc<Mutex<Store>>) {
    // One thread is plenty: every request holds the store's lock only briefly, and the streams
    // (watches, exec, port-forward) wait without blocking it.
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("tokio runtime");
    runtime.block_on(run(listener, store));
}

/// Accepts connections and serves each on a task of its own.
///
/// # Panics
/// When `listener` cannot be made non-blocking or registered with tokio.
pub async fn run(listener: std::net::TcpListener, store: Arc<Mutex<Store>>) {
    listener.set_nonblocking(true).expect("non-blocking listener");
    let listener = tokio::net::TcpListener::from_std(listener).expect("tokio listener");
    loop {
        match listener.accept().await {
            Ok((stream, _)) => {
                tokio::spawn(http::connection(stream, Arc::clone(&store)));
            }
            // Out of file descriptors, say: try again shortly rather than spin.
            Err(_) => tokio::time::sleep(Duration::from_millis(50)).await,
        }
    }
}

/// A kubeconfig for the server at `addr`.
#[must_use]
pub fn kubeconfig(addr: &str) -> String {
    format!(
        "apiVersion: v1\nkind: Config\nclusters:\n- name: playbook-test\n  cluster:\n    server: http://{addr}\ncontexts:\n- name: playbook-test\n  context:\n    cluster: playbook-test\n    user: playbook-test\n    namespace: default\ncurrent-context: playbook-test\nusers:\n- name: playbook-test\n  user:\n    token: playbook-test\n"
    )
}
