//! A stream written as an async function: the function puts each item with
//! [`Out::put`], and the consumer's polls run it. There is no task and no
//! channel in between: the response body polls the reader, so a line goes
//! from the answer's broadcast to the connection with one wake-up (a task
//! and a channel took two, and a queue of lines per stream), and a client
//! that goes away drops the reader with its body.

use std::{
    future::Future,
    pin::Pin,
    sync::{Arc, Mutex},
    task::{Context, Poll},
};

use futures_util::Stream;

/// Where the function puts its items: a slot for one, which the stream
/// empties before it runs the function again.
pub struct Out<T>(Arc<Mutex<Option<T>>>);

impl<T> Out<T> {
    /// Hands `item` to the consumer; returns when the consumer asks for
    /// the next one.
    pub async fn put(&self, item: T) {
        // A put cut short after it filled the slot (its future dropped by a
        // `select!` whose other branch won) left its item there: that one
        // goes first.
        while self.slot().is_some() {
            Handed(false).await;
        }
        *self.slot() = Some(item);
        Handed(false).await;
    }

    fn slot(&self) -> std::sync::MutexGuard<'_, Option<T>> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Pending once, without a wake-up: the stream, seeing an item in the
/// slot, returns it at once, and polls the function again only when it is
/// asked for the next item.
struct Handed(bool);

impl Future for Handed {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<()> {
        if self.0 {
            Poll::Ready(())
        } else {
            self.0 = true;
            Poll::Pending
        }
    }
}

/// The items that `write` puts, in order; it ends when `write` returns.
pub fn stream<T, F, Fut>(write: F) -> impl Stream<Item = T> + Send + 'static
where
    T: Send + 'static,
    F: FnOnce(Out<T>) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let slot = Arc::new(Mutex::new(None));
    Polled {
        writer: Some(Box::pin(write(Out(slot.clone())))),
        slot,
    }
}

struct Polled<T, Fut> {
    writer: Option<Pin<Box<Fut>>>,
    slot: Arc<Mutex<Option<T>>>,
}

impl<T, Fut: Future<Output = ()>> Stream for Polled<T, Fut> {
    type Item = T;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<T>> {
        let Some(writer) = self.writer.as_mut() else {
            return Poll::Ready(None);
        };
        let finished = writer.as_mut().poll(cx).is_ready();
        if finished {
            self.writer = None;
        }
        let item = self.slot.lock().unwrap_or_else(|e| e.into_inner()).take();
        match item {
            Some(item) => Poll::Ready(Some(item)),
            None if finished => Poll::Ready(None),
            None => Poll::Pending,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use futures_util::StreamExt;

    use super::*;

    #[tokio::test]
    async fn items_come_in_order_and_the_stream_ends_with_the_function() {
        let items: Vec<u32> = stream(|out| async move {
            out.put(1).await;
            tokio::time::sleep(Duration::from_millis(5)).await;
            out.put(2).await;
            out.put(3).await;
        })
        .collect()
        .await;
        assert_eq!(items, [1, 2, 3]);
    }

    #[tokio::test]
    async fn an_item_put_by_a_future_dropped_midway_still_comes_first() {
        let items: Vec<u32> = stream(|out| async move {
            // The first branch fills the slot and waits; the second is
            // ready at once and wins, dropping the first.
            tokio::select! {
                biased;
                () = out.put(1) => {}
                () = std::future::ready(()) => {}
            }
            out.put(2).await;
        })
        .collect()
        .await;
        assert_eq!(items, [1, 2]);
    }

    #[tokio::test]
    async fn the_function_runs_only_as_items_are_asked_for_and_stops_when_dropped() {
        let ran = Arc::new(Mutex::new(Vec::new()));
        let log = ran.clone();
        let mut items = Box::pin(stream(move |out| async move {
            for n in 0..100u32 {
                log.lock().unwrap().push(n);
                out.put(n).await;
            }
        }));
        assert_eq!(items.next().await, Some(0));
        assert_eq!(items.next().await, Some(1));
        drop(items);
        // The writer went no further than the item after the last one taken.
        assert_eq!(*ran.lock().unwrap(), [0, 1]);
    }
}
