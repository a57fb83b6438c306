//! The file reader worker's messages ([`protocol`]); the worker itself runs in
//! `app::reader`.

pub mod protocol;
