//! `/api/stream`: server-sent events, one `alert` event per alert that matches the page's
//! filter. Memory stays bounded on the server: every page reads from one broadcast ring of
//! shared alerts, and a page that falls behind by more than the ring is told how many it
//! skipped (`lagged`) rather than buffered for.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use futures_util::StreamExt as _;
use http_body_util::{BodyExt, StreamBody};
use hyper::body::{Bytes, Frame};
use saker_server::Body;
use tokio_stream::wrappers::errors::BroadcastStreamRecvError;
use tokio_stream::wrappers::{BroadcastStream, IntervalStream};

use crate::query::AlertFilter;
use crate::{Shared, lock};

/// Alerts a reconnecting page may catch up on; beyond that it is told to reload its list.
const BACKLOG_MAX: usize = 1000;

/// A comment line this often lets both ends notice a dead connection.
const KEEP_ALIVE: Duration = Duration::from_secs(15);

/// Live events sent in one write at most (they queue up at high alert rates).
const EVENTS_PER_WRITE: usize = 256;

/// The event stream: `hello` (the instance and the newest id), the alerts after `since` that
/// the page missed, then live alerts. Call on the server's runtime (the keep-alive timer).
pub(crate) fn body(shared: &Arc<Shared>, filter: AlertFilter, since: Option<u64>) -> Body {
    // Subscribe before reading the history: an alert kept in between then arrives live,
    // and `sent_up_to` keeps it from arriving twice.
    let receiver = shared.live.subscribe();
    let mut head = Vec::new();
    let sent_up_to = {
        let history = lock(&shared.history);
        let last_id = history.last_id();
        let hello = serde_json::json!({ "instance": shared.instance, "last_id": last_id });
        head.extend_from_slice(format!("retry: 2000\nevent: hello\ndata: {hello}\n\n").as_bytes());
        if let Some(since) = since.filter(|since| *since < last_id) {
            match history.after(since, &filter, BACKLOG_MAX) {
                Some(missed) => {
                    for alert in missed {
                        head.extend_from_slice(alert.frame());
                    }
                }
                None => head.extend_from_slice(b"event: reset\ndata: {}\n\n"),
            }
        }
        last_id
    };
    let live =
        tokio_stream::StreamExt::filter_map(
            BroadcastStream::new(receiver),
            move |item| match item {
                Ok(alert) => {
                    (alert.id > sent_up_to && filter.matches(&alert)).then(|| alert.frame().clone())
                }
                Err(BroadcastStreamRecvError::Lagged(skipped)) => Some(Bytes::from(format!(
                    "event: lagged\ndata: {{\"skipped\":{skipped}}}\n\n"
                ))),
            },
        );
    let keep_alive = IntervalStream::new(tokio::time::interval_at(
        tokio::time::Instant::now() + KEEP_ALIVE,
        KEEP_ALIVE,
    ))
    .map(|_| Bytes::from_static(b": keep-alive\n\n"));
    let events = tokio_stream::StreamExt::merge(live, keep_alive)
        .ready_chunks(EVENTS_PER_WRITE)
        .map(|chunk| Ok::<_, Infallible>(Frame::data(concat(chunk))));
    let stream =
        futures_util::stream::once(
            async move { Ok::<_, Infallible>(Frame::data(Bytes::from(head))) },
        )
        .chain(events);
    StreamBody::new(stream).boxed_unsync()
}

fn concat(mut chunk: Vec<Bytes>) -> Bytes {
    if chunk.len() == 1 {
        return chunk.pop().unwrap_or_default();
    }
    let mut joined = Vec::with_capacity(chunk.iter().map(Bytes::len).sum());
    for bytes in &chunk {
        joined.extend_from_slice(bytes);
    }
    Bytes::from(joined)
}
