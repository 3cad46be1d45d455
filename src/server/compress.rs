//! Response compression, which the chat's streams go around.
//!
//! tower-http's compression wraps every body it passes in a
//! `CompressionBody`, compressed or not, and that type holds a brotli
//! encoder's state inline: 5,824 bytes, which axum then boxes. For a page
//! that is a moment; for a chat stream it is held as long as the answer
//! runs, 57 MiB at 10,000 streams (heaptrack under `chat_load`). The streams
//! are never compressed anyway (compression would hold their lines back),
//! so requests to their paths ([`crate::api::chat_stream::PATHS`]) skip the
//! layer and keep the body the handler made.

use std::{
    convert::Infallible,
    task::{Context, Poll},
};

use axum::{body::Body, extract::Request, response::Response};
use futures_util::{
    future::{Either, MapOk},
    TryFutureExt,
};
use tower::{util::Oneshot, Layer, Service, ServiceExt};
use tower_http::compression::{Compression, CompressionBody, CompressionLayer, Predicate};

/// [`CompressionLayer`] with `predicate`, for every request but the chat
/// streams'.
#[derive(Clone)]
pub struct CompressLayer<P>(CompressionLayer<P>);

impl<P: Predicate> CompressLayer<P> {
    /// Compresses what `predicate` allows.
    pub fn new(predicate: P) -> Self {
        Self(CompressionLayer::new().compress_when(predicate))
    }
}

impl<S: Clone, P: Predicate> Layer<S> for CompressLayer<P> {
    type Service = Compress<S, P>;

    fn layer(&self, inner: S) -> Self::Service {
        Compress {
            compressed: self.0.layer(inner.clone()),
            plain: inner,
        }
    }
}

/// The service of [`CompressLayer`].
#[derive(Clone)]
pub struct Compress<S, P> {
    compressed: Compression<S, P>,
    plain: S,
}

type Boxed = fn(Response<CompressionBody<Body>>) -> Response;

impl<S, P> Service<Request> for Compress<S, P>
where
    S: Service<Request, Response = Response, Error = Infallible> + Clone,
    P: Predicate,
{
    type Response = Response;
    type Error = Infallible;
    type Future = Either<Oneshot<S, Request>, MapOk<Oneshot<Compression<S, P>, Request>, Boxed>>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        // Each call readies its own clone (`oneshot`): which of the two
        // services a request needs is known only once it is here.
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, req: Request) -> Self::Future {
        if is_chat_stream(req.uri().path()) {
            Either::Left(self.plain.clone().oneshot(req))
        } else {
            let boxed: Boxed = |res| res.map(Body::new);
            Either::Right(self.compressed.clone().oneshot(req).map_ok(boxed))
        }
    }
}

fn is_chat_stream(path: &str) -> bool {
    crate::api::chat_stream::PATHS.contains(&path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_three_stream_paths_go_around() {
        assert!(is_chat_stream("/api/chat"));
        assert!(is_chat_stream("/api/chat/stream"));
        assert!(is_chat_stream("/api/chat/regenerate"));
        assert!(!is_chat_stream("/api/chat/stop"));
        assert!(!is_chat_stream("/api/conversations"));
        assert!(!is_chat_stream("/app"));
    }
}
