//! Custom hooks: the asynchronous work behind the page (the search worker, which also
//! picks the backend and runs smoke training; fetching the catalogue, datasets and the shipped example run; reading the
//! user's files in the file reader worker; the URL hash). Each reports back by dispatching
//! [`Action`](super::state::Action)s.

mod use_anytime;
mod use_candidate;
mod use_compare;
mod use_dataset;
mod use_example;
mod use_link;
mod use_page_callbacks;
mod use_reader;
mod use_search;
mod use_share;
mod use_smoke_train;
mod use_stable;
mod use_user_supernet;
mod use_worker;
mod worker_events;

pub use use_anytime::use_anytime_curve;
pub use use_candidate::{use_histograms, use_scored};
pub use use_compare::{use_compare, CompareControls};
pub use use_dataset::{use_catalog, use_dataset_loader, use_user_sets};
pub use use_example::use_example;
pub use use_link::{url_with_hash, use_link};
pub use use_page_callbacks::{use_auto_train_linked, use_page_callbacks, PageCallbacks};
pub use use_reader::{use_reader, Preview, ReadState, Reader};
pub use use_search::{use_search, SearchControls};
pub use use_share::{use_share, ShareControls};
pub use use_smoke_train::use_smoke_train;
pub use use_stable::use_stable_callback;
pub use use_user_supernet::{use_user_supernet, UserSupernet};
pub use use_worker::use_worker;
