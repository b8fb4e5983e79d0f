//! EC2's paging loop, written once: each page waits for the region's read budget, sends the
//! request with the last page's `NextToken`, lets the caller read the page, and stops when no
//! (or an empty) token comes back.

/// `ec2_pages!(client, builder, map_err, page => { … })` runs `builder` (an EC2 fluent builder,
/// re-made for every page) until the last page, binding each answer to `page`.
macro_rules! ec2_pages {
    ($c:expr, $builder:expr, $err:expr, $page:ident => $body:block) => {{
        let mut token: Option<String> = None;
        loop {
            $c.ec2_budget.take().await;
            let $page = $builder
                .set_next_token(token.take())
                .send()
                .await
                .map_err($err)?;
            $body
            match $page.next_token() {
                Some(t) if !t.is_empty() => token = Some(t.to_string()),
                _ => break,
            }
        }
    }};
}
pub(super) use ec2_pages;
