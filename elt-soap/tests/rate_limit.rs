//! The rate limit as the server sees it: concurrent calls through clones of one client arrive
//! at least the interval apart, and none is refused.
//!
//! Alone in its own test binary, so no other test competes for the CPU while arrivals are
//! stamped.

mod common;

use std::time::Duration;

use common::*;

#[tokio::test]
async fn rate_limit_spreads_concurrent_calls_through_clones() {
    let interval = Duration::from_millis(50);
    // Arrivals are stamped by a server on its own OS threads, so the stamps do not depend on
    // this test's runtime getting its turn.
    let server = ThreadServer::start(
        http(200, "text/xml; charset=utf-8", &ok_response_11(), true),
        8,
    );
    let client = elt_soap::Client::builder(&server.url())
        .rate_limit(Some(interval))
        .request_timeout(Duration::from_secs(20))
        .build()
        .expect("client");
    // Warm up: open the pooled connection, so that connection set-up does not shift one
    // arrival against the others.
    client.call(&SKICKA_11, &request()).await.expect("warm-up");

    let mut tasks = Vec::new();
    for _ in 0..5 {
        let client = client.clone();
        // tokio::spawn also proves the call future is Send.
        tasks.push(tokio::spawn(async move {
            client.call(&SKICKA_11, &request()).await
        }));
    }
    for task in tasks {
        let response = task.await.expect("task").expect("no call is rejected");
        assert_eq!(response.tx_id, TX_ID);
    }
    let mut arrivals = server.arrivals();
    assert_eq!(arrivals.len(), 6);
    arrivals.sort();
    let tolerance = Duration::from_millis(1);
    for pair in arrivals.windows(2) {
        let gap = pair[1] - pair[0];
        assert!(gap + tolerance >= interval, "calls {gap:?} apart");
    }
}
