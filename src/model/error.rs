//! [`ModelError`]: why building, running, evaluating or saving a network failed. The
//! worker's messages carry it as text (`From<ModelError> for String`).

use crate::engine::assign::AssignError;
use crate::engine::exits::ExitCacheError;
use crate::engine::genome::GenomeError;
use crate::model::meta::WeightsFileError;
use crate::model::train::TrainError;

/// Why a network could not be built, run, evaluated or saved.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ModelError {
    /// The architecture does not decode (a genome outside the space, a collapsing shape).
    #[error("the network could not be built: {0}")]
    Build(#[from] GenomeError),
    /// Reading a tensor back from the device failed (a lost device, a wrong element type).
    #[error("reading a tensor from the device failed: {0}")]
    TensorRead(String),
    /// The exits' outputs do not form a valid cache (non-finite probabilities, …).
    #[error(transparent)]
    Cache(#[from] ExitCacheError),
    /// Threshold tuning or scoring failed.
    #[error(transparent)]
    Tuning(#[from] AssignError),
    /// Training failed.
    #[error(transparent)]
    Train(#[from] TrainError),
    /// A weights file was refused.
    #[error(transparent)]
    WeightsFile(#[from] WeightsFileError),
    /// The weights do not fit the network (missing or extra tensors, other shapes).
    #[error("the weights do not fit this network: {0}")]
    WeightsDoNotFit(String),
    /// Writing a weights record failed.
    #[error("could not write the record: {0}")]
    Record(String),
}

impl From<ModelError> for String {
    fn from(e: ModelError) -> String {
        e.to_string()
    }
}
