//! The playground's state and rules without yew or the browser: what the page shows and
//! how it changes, compiled and tested natively like the engine. The views, hooks, workers
//! and browser I/O that use it live in `app` (wasm only).
//!
//! - [`app_state`] (the whole page's state and its reducer, by kind of action), [`catalog`]
//!   and [`data_state`] (the datasets and the selected one's test images), [`errors_state`]
//!   (the error banner's notes);
//! - [`settings`] (the user's settings) and [`setting_fields`] (their one table), [`link`] (the shareable link's codec),
//!   [`controls`] and [`lesson`] / [`lesson_apply`] (classroom links), [`page`];
//! - [`run_state`] (the search's reducer) and [`run_view`] (the results card's figures), [`smoke_state`], [`compare_state`] and
//!   [`compare_view`] ("compare methods"), [`backend`] and [`backend_measure`] (the badge);
//! - [`candidate_view`] (the selected candidate's scores, tuning, histograms);
//! - [`transfer`] (run and candidate files), [`import_check`], [`user_data`] (the user's
//!   datasets: naming, limits), [`storage_plan`] (what fits in browser storage),
//!   [`pool_size`];
//! - [`worker`] and [`reader`]: the messages of the search worker and the file reader;
//!   [`worker_build`]: which build of the search worker the page loads;
//! - [`plot`] (scales, ticks, colours) and [`shared`] (an `Rc` compared by identity).

pub mod app_state;
pub mod backend;
pub mod backend_measure;
pub mod candidate_view;
pub mod catalog;
pub mod compare_state;
pub mod compare_view;
pub mod controls;
pub mod data_state;
pub mod errors_state;
pub mod import_check;
pub mod lesson;
pub mod lesson_apply;
pub mod link;
pub mod page;
pub mod plot;
pub mod pool_size;
pub mod reader;
pub mod run_state;
pub mod run_view;
pub mod setting_fields;
pub mod settings;
pub mod shared;
pub mod smoke_state;
pub mod storage_plan;
pub mod transfer;
pub mod user_data;
pub mod worker;
pub mod worker_build;
