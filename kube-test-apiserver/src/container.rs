//! What a "container" does here, since nothing runs on the host:
//! * exec runs a small set of built-in commands against the pod's spec (`env`/`printenv` print
//!   the container's environment, `echo`, `hostname`, `true`, `false`, `cat /etc/hostname`);
//!   anything else fails as an unknown executable would (exit 127).
//! * port-forward (in `spdy.rs`) connects to the address in the pod annotation
//!   `playbook.test/port-N` (`127.0.0.1:PORT`), so tests put a real server behind a pod's port.

use std::fmt::Write as _;

use serde_json::Value;

/// The container's side of exec: `(stdout, stderr, exit status)`.
pub fn builtin(command: &[String], pod: &str, env: &[(String, String)]) -> (String, String, i32) {
    let args: Vec<&str> = command.iter().map(String::as_str).collect();
    match args.as_slice() {
        ["env" | "printenv"] => {
            let out = env.iter().fold(String::new(), |mut out, (k, v)| {
                let _ = writeln!(out, "{k}={v}");
                out
            });
            (out, String::new(), 0)
        }
        ["printenv", names @ ..] => {
            let found: Vec<String> =
                names.iter().filter_map(|n| env.iter().find(|(k, _)| k == n).map(|(_, v)| format!("{v}\n"))).collect();
            let code = i32::from(found.len() != names.len());
            (found.concat(), String::new(), code)
        }
        ["echo", rest @ ..] => (format!("{}\n", rest.join(" ")), String::new(), 0),
        ["hostname"] | ["cat", "/etc/hostname"] => (format!("{pod}\n"), String::new(), 0),
        ["true"] => (String::new(), String::new(), 0),
        ["false"] => (String::new(), String::new(), 1),
        [program, ..] => (
            String::new(),
            format!(
                "exec: \"{program}\": executable file not found in $PATH (kube-test-apiserver runs only env, printenv, echo, hostname, true, false)\n"
            ),
            127,
        ),
        [] => (String::new(), "no command\n".into(), 126),
    }
}

/// The container's environment as `env` inside it would print it.
#[must_use]
pub fn env(pod: &Value, container: &Value, configmaps: &dyn Fn(&str) -> Option<Value>) -> Vec<(String, String)> {
    let mut env = vec![
        ("PATH".to_string(), "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin".to_string()),
        ("HOSTNAME".to_string(), pod.pointer("/metadata/name").and_then(Value::as_str).unwrap_or_default().to_string()),
    ];
    for from in container.get("envFrom").and_then(Value::as_array).into_iter().flatten() {
        if let Some(cm) = from.pointer("/configMapRef/name").and_then(Value::as_str).and_then(configmaps)
            && let Some(data) = cm.get("data").and_then(Value::as_object)
        {
            env.extend(data.iter().map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string())));
        }
    }
    for e in container.get("env").and_then(Value::as_array).into_iter().flatten() {
        let Some(name) = e.get("name").and_then(Value::as_str) else { continue };
        let value = if let Some(v) = e.get("value").and_then(Value::as_str) {
            v.to_string()
        } else if let Some(r) = e.pointer("/valueFrom/configMapKeyRef") {
            let cm = r.get("name").and_then(Value::as_str).and_then(configmaps);
            let key = r.get("key").and_then(Value::as_str).unwrap_or_default();
            cm.and_then(|c| c.pointer(&format!("/data/{key}")).and_then(Value::as_str).map(str::to_string))
                .unwrap_or_default()
        } else {
            String::new()
        };
        env.retain(|(k, _)| k != name);
        env.push((name.to_string(), value));
    }
    env.push(("HOME".to_string(), "/root".to_string()));
    env
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn env_resolves_config_map_references() {
        let pod = json!({"metadata": {"name": "web-1"}});
        let c = json!({"env": [{"name": "A", "value": "1"},
                               {"name": "LOG_LEVEL", "valueFrom": {"configMapKeyRef": {"name": "cfg", "key": "LOG_LEVEL"}}}]});
        let cm = json!({"data": {"LOG_LEVEL": "DEBUG"}});
        let vars = env(&pod, &c, &|n| (n == "cfg").then(|| cm.clone()));
        let keys: Vec<String> = vars.iter().map(|(k, v)| format!("{k}={v}")).collect();
        assert_eq!(keys[1], "HOSTNAME=web-1");
        assert!(keys.contains(&"LOG_LEVEL=DEBUG".to_string()));
        assert!(keys.contains(&"A=1".to_string()));
        assert_eq!(builtin(&["printenv".into(), "A".into()], "web-1", &vars), ("1\n".into(), String::new(), 0));
        assert_eq!(builtin(&["sh".into()], "web-1", &vars).2, 127);
    }
}
