//! Background work: the pollers that keep the inventory fresh. They talk to the rest only over
//! a channel; every event names its scope.

pub(crate) mod caps;
pub mod poller;
