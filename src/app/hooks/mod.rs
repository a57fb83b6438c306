//! Custom hooks: the asynchronous work behind the page (backend selection, fetching the
//! catalogue and datasets, smoke training, the search worker, the URL hash). Each reports back by dispatching
//! [`Action`](super::state::Action)s.

mod use_anytime;
mod use_backend;
mod use_dataset;
mod use_link;
mod use_search;
mod use_share;
mod use_smoke_train;

pub use use_anytime::use_anytime_curve;
pub use use_backend::use_backend_selection;
pub use use_dataset::{use_catalog, use_dataset_loader, use_user_sets};
pub use use_link::{url_with_hash, use_link};
pub use use_search::{use_search, SearchControls};
pub use use_share::{use_share, ShareControls};
pub use use_smoke_train::use_smoke_train;
