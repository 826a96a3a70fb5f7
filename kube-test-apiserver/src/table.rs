//! Server-side `Table` responses, which `kubectl get` asks for (`Accept: …;as=Table`) so that it
//! prints the real columns of each kind.

use serde_json::{Value, json};

use crate::store::{Kind, now};

fn age(obj: &Value) -> String {
    let Some(ts) = obj.pointer("/metadata/creationTimestamp").and_then(Value::as_str) else {
        return "<unknown>".into();
    };
    // Both are RFC 3339 in UTC from this server: compare as seconds of the day when same day.
    let secs = |t: &str| -> Option<i64> {
        let (date, time) = t.split_once('T')?;
        let d: Vec<i64> = date.split('-').filter_map(|x| x.parse().ok()).collect();
        let h: Vec<i64> = time.trim_end_matches('Z').split(':').filter_map(|x| x.parse().ok()).collect();
        let days = d.first()? * 372 + d.get(1)? * 31 + d.get(2)?;
        Some(days * 86_400 + h.first()? * 3600 + h.get(1)? * 60 + h.get(2)?)
    };
    let diff = secs(&now()).zip(secs(ts)).map_or(0, |(a, b)| (a - b).max(0));
    match diff {
        d if d < 120 => format!("{d}s"),
        d if d < 7200 => format!("{}m", d / 60),
        d => format!("{}h", d / 3600),
    }
}

fn column(name: &str, ty: &str) -> Value {
    json!({"name": name, "type": ty, "format": if name == "Name" { "name" } else { "" }, "description": "", "priority": 0})
}

/// The cells of one table row.
type Cells = dyn Fn(&Value) -> Vec<Value>;

/// A server-side `Table`, as `kubectl get` asks for it.
#[must_use]
pub fn table(kind: Kind, objects: &[Value], version: u64) -> Value {
    let (columns, cells): (Vec<Value>, Box<Cells>) = match kind.plural {
        "deployments" => (
            vec![
                column("Name", "string"),
                column("Ready", "string"),
                column("Up-to-date", "integer"),
                column("Available", "integer"),
                column("Age", "string"),
            ],
            Box::new(|o: &Value| {
                let want = o.pointer("/spec/replicas").and_then(Value::as_u64).unwrap_or(1);
                let ready = o.pointer("/status/readyReplicas").and_then(Value::as_u64).unwrap_or(0);
                vec![
                    o["metadata"]["name"].clone(),
                    format!("{ready}/{want}").into(),
                    o.pointer("/status/updatedReplicas").cloned().unwrap_or(0.into()),
                    o.pointer("/status/availableReplicas").cloned().unwrap_or(0.into()),
                    age(o).into(),
                ]
            }),
        ),
        "replicasets" => (
            vec![
                column("Name", "string"),
                column("Desired", "integer"),
                column("Current", "integer"),
                column("Ready", "integer"),
                column("Age", "string"),
            ],
            Box::new(|o: &Value| {
                vec![
                    o["metadata"]["name"].clone(),
                    o.pointer("/spec/replicas").cloned().unwrap_or(0.into()),
                    o.pointer("/status/replicas").cloned().unwrap_or(0.into()),
                    o.pointer("/status/readyReplicas").cloned().unwrap_or(0.into()),
                    age(o).into(),
                ]
            }),
        ),
        "pods" => (
            vec![
                column("Name", "string"),
                column("Ready", "string"),
                column("Status", "string"),
                column("Restarts", "string"),
                column("Age", "string"),
            ],
            Box::new(|o: &Value| {
                let n = o.pointer("/spec/containers").and_then(Value::as_array).map_or(0, Vec::len);
                let ready = o
                    .pointer("/status/containerStatuses")
                    .and_then(Value::as_array)
                    .map_or(0, |s| s.iter().filter(|c| c["ready"] == true).count());
                vec![
                    o["metadata"]["name"].clone(),
                    format!("{ready}/{n}").into(),
                    o.pointer("/status/phase").cloned().unwrap_or("Pending".into()),
                    "0".into(),
                    age(o).into(),
                ]
            }),
        ),
        "nodes" => (
            vec![
                column("Name", "string"),
                column("Status", "string"),
                column("Roles", "string"),
                column("Age", "string"),
                column("Version", "string"),
            ],
            Box::new(|o: &Value| {
                vec![
                    o["metadata"]["name"].clone(),
                    "Ready".into(),
                    "control-plane".into(),
                    age(o).into(),
                    o.pointer("/status/nodeInfo/kubeletVersion").cloned().unwrap_or("".into()),
                ]
            }),
        ),
        "services" => (
            vec![
                column("Name", "string"),
                column("Type", "string"),
                column("Cluster-IP", "string"),
                column("External-IP", "string"),
                column("Port(s)", "string"),
                column("Age", "string"),
            ],
            Box::new(|o: &Value| {
                let ports: Vec<String> = o
                    .pointer("/spec/ports")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .map(|p| format!("{}/{}", p["port"], p["protocol"].as_str().unwrap_or("TCP")))
                    .collect();
                vec![
                    o["metadata"]["name"].clone(),
                    o.pointer("/spec/type").cloned().unwrap_or("ClusterIP".into()),
                    o.pointer("/spec/clusterIP").cloned().unwrap_or("10.96.0.10".into()),
                    "<none>".into(),
                    ports.join(",").into(),
                    age(o).into(),
                ]
            }),
        ),
        "namespaces" => (
            vec![column("Name", "string"), column("Status", "string"), column("Age", "string")],
            Box::new(|o: &Value| {
                vec![
                    o["metadata"]["name"].clone(),
                    o.pointer("/status/phase").cloned().unwrap_or("Active".into()),
                    age(o).into(),
                ]
            }),
        ),
        "events" => (
            vec![
                column("Last Seen", "string"),
                column("Type", "string"),
                column("Reason", "string"),
                column("Object", "string"),
                column("Message", "string"),
            ],
            Box::new(|o: &Value| {
                let obj = format!(
                    "{}/{}",
                    o.pointer("/involvedObject/kind").and_then(Value::as_str).unwrap_or("").to_ascii_lowercase(),
                    o.pointer("/involvedObject/name").and_then(Value::as_str).unwrap_or("")
                );
                vec![age(o).into(), o["type"].clone(), o["reason"].clone(), obj.into(), o["message"].clone()]
            }),
        ),
        _ => (
            vec![column("Name", "string"), column("Age", "string")],
            Box::new(|o: &Value| vec![o["metadata"]["name"].clone(), age(o).into()]),
        ),
    };
    let rows: Vec<Value> = objects
        .iter()
        .map(|o| {
            json!({"cells": cells(o), "object": {"kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1", "metadata": o["metadata"]}})
        })
        .collect();
    json!({"kind": "Table", "apiVersion": "meta.k8s.io/v1", "metadata": {"resourceVersion": version.to_string()},
           "columnDefinitions": columns, "rows": rows})
}
