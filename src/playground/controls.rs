//! The page's named parts that a link can address: [`Control`]s a classroom link hides
//! (`hide=`) and the [`View`] it opens at (`view=`).

/// A control or panel a teacher can hide.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Control {
    /// The dataset picker.
    Dataset,
    /// The search-method picker.
    Method,
    /// The MAC target.
    Target,
    /// The exit-rule picker of the search.
    Rule,
    /// The cost-convention picker.
    Cost,
    /// The search budget (initial sample, iterations, candidates, epochs, images).
    Budget,
    /// The seed.
    Seed,
    /// The backend choice.
    Backend,
    /// The tuning buttons under the threshold sliders.
    Tuning,
    /// The per-exit confidence histograms.
    Histograms,
    /// The anytime curve.
    Anytime,
    /// The hypervolume chart.
    Hypervolume,
    /// The compute check and the test-image grid at the bottom of the page.
    Compute,
    /// Copy link, export and import.
    Share,
}

impl Control {
    /// Every control, in the order of the classroom panel.
    pub const ALL: [Control; 14] = [
        Control::Dataset,
        Control::Method,
        Control::Target,
        Control::Rule,
        Control::Cost,
        Control::Budget,
        Control::Seed,
        Control::Backend,
        Control::Tuning,
        Control::Histograms,
        Control::Anytime,
        Control::Hypervolume,
        Control::Compute,
        Control::Share,
    ];

    /// The name in links.
    pub fn name(self) -> &'static str {
        match self {
            Control::Dataset => "dataset",
            Control::Method => "method",
            Control::Target => "target",
            Control::Rule => "rule",
            Control::Cost => "cost",
            Control::Budget => "budget",
            Control::Seed => "seed",
            Control::Backend => "backend",
            Control::Tuning => "tuning",
            Control::Histograms => "histograms",
            Control::Anytime => "anytime",
            Control::Hypervolume => "hv",
            Control::Compute => "compute",
            Control::Share => "share",
        }
    }

    /// What the classroom panel calls it.
    pub fn label(self) -> &'static str {
        match self {
            Control::Dataset => "Dataset picker",
            Control::Method => "Search method",
            Control::Target => "MAC target",
            Control::Rule => "Exit rule",
            Control::Cost => "Cost convention",
            Control::Budget => "Search budget",
            Control::Seed => "Seed",
            Control::Backend => "Backend",
            Control::Tuning => "Tuning buttons",
            Control::Histograms => "Confidence histograms",
            Control::Anytime => "Anytime curve",
            Control::Hypervolume => "Hypervolume chart",
            Control::Compute => "Compute check and test images",
            Control::Share => "Link, export and import",
        }
    }

    /// The control of a link name.
    pub fn from_name(name: &str) -> Option<Control> {
        Control::ALL.into_iter().find(|c| c.name() == name)
    }
}

/// The section the page opens at.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum View {
    /// Settings and the Pareto front (the top of the page).
    #[default]
    Search,
    /// The selected candidate: sliders, histograms, which samples exit where.
    Candidate,
    /// The dataset's test images and the compute check.
    Data,
}

impl View {
    /// Every view.
    pub const ALL: [View; 3] = [View::Search, View::Candidate, View::Data];

    /// The name in links.
    pub fn name(self) -> &'static str {
        match self {
            View::Search => "search",
            View::Candidate => "candidate",
            View::Data => "data",
        }
    }

    /// The `id` of the page section.
    pub fn anchor(self) -> &'static str {
        match self {
            View::Search => "view-search",
            View::Candidate => "view-candidate",
            View::Data => "view-data",
        }
    }

    /// The view of a link name.
    pub fn from_name(name: &str) -> Option<View> {
        View::ALL.into_iter().find(|v| v.name() == name)
    }
}
