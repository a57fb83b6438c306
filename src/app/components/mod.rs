//! The page's panels, one component per file. Components are pure views: they read
//! props and report user intent through callbacks.

mod anytime_chart;
mod arch_diagram;
mod axes;
mod backend_badge;
mod candidate_panel;
mod dataset_picker;
mod deferred;
mod drop_zone;
mod error_banner;
mod exit_histograms;
mod header;
mod hv_chart;
mod lesson_panel;
mod link_notice;
mod pareto_panel;
mod pareto_plot;
mod predictor_taus;
mod sample_exit_grid;
mod sample_grid;
mod search_panel;
mod search_progress;
mod share_panel;
mod smoke_panel;
mod sparkline;
mod synced_input;
mod term;
mod threshold_panel;
mod user_data_panel;

pub use backend_badge::BackendBadge;
pub use candidate_panel::CandidatePanel;
pub use dataset_picker::DatasetPicker;
pub use deferred::Deferred;
pub use error_banner::ErrorBanner;
pub use header::Header;
pub use lesson_panel::LessonPanel;
pub use link_notice::LinkNotice;
pub use pareto_panel::ParetoPanel;
pub use sample_grid::SampleGrid;
pub use search_panel::SearchPanel;
pub use share_panel::SharePanel;
pub use smoke_panel::SmokePanel;
pub use sparkline::Sparkline;
pub use user_data_panel::UserDataPanel;
