//! The page's panels, one component per file. Components are pure views: they read
//! props and report user intent through callbacks.

mod backend_badge;
mod dataset_picker;
mod error_banner;
mod header;
mod sample_grid;
mod smoke_panel;
mod sparkline;

pub use backend_badge::BackendBadge;
pub use dataset_picker::DatasetPicker;
pub use error_banner::ErrorBanner;
pub use header::Header;
pub use sample_grid::SampleGrid;
pub use smoke_panel::SmokePanel;
pub use sparkline::Sparkline;
