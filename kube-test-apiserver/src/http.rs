//! HTTP/1.1 on hyper: each connection is served by hyper's http1 server (keep-alive, chunked
//! bodies, upgrades). A request is read whole into an [`api::Request`] and answered by
//! [`api::handle`]; its [`Reply`] becomes a response — a JSON, text or document body, a watch
//! stream held open for a few seconds, or a `101 Switching Protocols` after which the upgraded
//! connection is handed to `spdy::serve`.

use std::convert::Infallible;
use std::fmt::Write as _;
use std::future::Future as _;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use http_body_util::BodyExt as _;
use hyper::body::{Body as HttpBody, Bytes, Frame, Incoming, SizeHint};
use hyper::header::{CONNECTION, CONTENT_TYPE, HeaderValue, UPGRADE, WARNING};
use hyper::service::service_fn;
use hyper::{Response, StatusCode};
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;

use crate::api::{self, Body, Reply};
use crate::spdy;
use crate::store::Store;
use crate::validate::go_quote;

/// A response body: all at once, or a watch's events and then an open stream until `hold` ends.
pub enum Out {
    Full(Option<Bytes>),
    Watch { events: Option<Bytes>, hold: Pin<Box<tokio::time::Sleep>> },
}

impl HttpBody for Out {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        match self.get_mut() {
            Self::Full(bytes) => Poll::Ready(bytes.take().map(|b| Ok(Frame::data(b)))),
            Self::Watch { events, hold } => match events.take() {
                Some(e) => Poll::Ready(Some(Ok(Frame::data(e)))),
                None => hold.as_mut().poll(cx).map(|()| None),
            },
        }
    }

    fn is_end_stream(&self) -> bool {
        matches!(self, Self::Full(None))
    }

    fn size_hint(&self) -> SizeHint {
        match self {
            Self::Full(b) => SizeHint::with_exact(b.as_ref().map_or(0, |b| b.len() as u64)),
            Self::Watch { .. } => SizeHint::default(),
        }
    }
}

/// Serves one connection until the client closes it.
pub async fn connection(stream: TcpStream, store: Arc<Mutex<Store>>) {
    // SPDY frames and watch events are small: send them at once.
    let _ = stream.set_nodelay(true);
    let service = service_fn(move |req| respond(req, Arc::clone(&store)));
    let _ = hyper::server::conn::http1::Builder::new()
        .serve_connection(TokioIo::new(stream), service)
        .with_upgrades()
        .await;
}

async fn respond(mut req: hyper::Request<Incoming>, store: Arc<Mutex<Store>>) -> Result<Response<Out>, Infallible> {
    // Taken before the body is read: the upgraded connection, if this request becomes one.
    let upgrade = hyper::upgrade::on(&mut req);
    let (parts, body) = req.into_parts();
    let body = body.collect().await.map(|b| b.to_bytes().to_vec()).unwrap_or_default();
    let query = parts
        .uri
        .query()
        .map(|q| form_urlencoded::parse(q.as_bytes()).map(|(k, v)| (k.into_owned(), v.into_owned())).collect())
        .unwrap_or_default();
    let headers = parts
        .headers
        .iter()
        .map(|(k, v)| (k.as_str().to_string(), String::from_utf8_lossy(v.as_bytes()).into_owned()))
        .collect();
    let request = api::Request {
        method: parts.method.as_str().to_string(),
        path: parts.uri.path().to_string(),
        query,
        headers,
        body,
    };
    let reply = api::handle(&store, &request);
    if std::env::var_os("KUBE_TEST_APISERVER_LOG").is_some() {
        eprintln!("{} {} {:?} -> {}", request.method, request.path, request.query, reply.code);
    }
    let Reply { code, body, warnings } = reply;
    let status = StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut response = match body {
        Body::Json(v) => full(status, "application/json", v.to_string().into()),
        Body::Text(t) => full(status, "text/plain", t.into()),
        Body::Static(content_type, bytes) => full(status, content_type, Bytes::from_static(bytes)),
        Body::Watch(events, hold) => {
            let lines = events.iter().fold(String::new(), |mut out, e| {
                let _ = writeln!(out, "{e}");
                out
            });
            let events = (!lines.is_empty()).then(|| Bytes::from(lines));
            let mut r = Response::new(Out::Watch { events, hold: Box::pin(tokio::time::sleep(hold)) });
            r.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
            r
        }
        Body::Upgrade(session) => {
            let mut r = Response::new(Out::Full(None));
            *r.status_mut() = StatusCode::SWITCHING_PROTOCOLS;
            let h = r.headers_mut();
            h.insert(CONNECTION, HeaderValue::from_static("Upgrade"));
            h.insert(UPGRADE, HeaderValue::from_static("SPDY/3.1"));
            h.insert("X-Stream-Protocol-Version", HeaderValue::from_static(session.protocol()));
            tokio::spawn(async move {
                if let Ok(upgraded) = upgrade.await {
                    spdy::serve(TokioIo::new(upgraded), session).await;
                }
            });
            r
        }
    };
    for w in warnings {
        // The real server's form: `299 - "text"`, which kubectl prints as `Warning: text`.
        if let Ok(v) = HeaderValue::from_str(&format!("299 - {}", go_quote(&w))) {
            response.headers_mut().append(WARNING, v);
        }
    }
    Ok(response)
}

fn full(status: StatusCode, content_type: &'static str, bytes: Bytes) -> Response<Out> {
    let mut r = Response::new(Out::Full(Some(bytes)));
    *r.status_mut() = status;
    r.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    r
}
