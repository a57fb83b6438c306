//! [`CliError`]: why a subcommand failed. `main` prints it as one line and exits with 2
//! for a usage error (a flag or its value), 1 for anything else.

use crate::data::DataError;
use crate::engine::cache_codec::CacheCodecError;
use crate::engine::genome::GenomeError;
use crate::engine::results::ResultsError;
use crate::engine::search::SearchError;
use crate::model::meta::WeightsFileError;
use crate::model::supernet_file::SupernetFileError;
use crate::model::train::TrainError;

/// Why a subcommand failed.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// A flag, its value or a combination of flags is wrong.
    #[error("{0}")]
    Usage(String),
    /// A file could not be read or written.
    #[error("cannot {action} {path}: {source}")]
    Io {
        /// `read` or `write`.
        action: &'static str,
        /// The file.
        path: String,
        /// The system's reason.
        source: std::io::Error,
    },
    /// A dataset could not be read.
    #[error(transparent)]
    Data(#[from] DataError),
    /// A genome is malformed or does not fit the space.
    #[error("bad genome: {0}")]
    Genome(#[from] GenomeError),
    /// A results file is malformed.
    #[error(transparent)]
    Results(#[from] ResultsError),
    /// The search stopped.
    #[error(transparent)]
    Search(#[from] SearchError),
    /// Training failed.
    #[error(transparent)]
    Train(#[from] TrainError),
    /// A weights file was refused.
    #[error(transparent)]
    Weights(#[from] WeightsFileError),
    /// A supernet file was refused.
    #[error(transparent)]
    Supernet(#[from] SupernetFileError),
    /// A job or result file of the ask-and-tell steps was refused.
    #[error(transparent)]
    Job(#[from] super::job_files::JobFileError),
    /// A network could not be built, run, evaluated or saved.
    #[error(transparent)]
    Model(#[from] crate::model::error::ModelError),
    /// A stored exit cache could not be decoded.
    #[error(transparent)]
    Cache(#[from] CacheCodecError),
    /// Anything else, said by the layer that failed (network building, tensor reads,
    /// JSON output).
    #[error("{0}")]
    Failed(String),
}

impl CliError {
    /// The process exit status: 2 for usage errors, 1 otherwise.
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Usage(_) => 2,
            _ => 1,
        }
    }

    /// A file that could not be read.
    pub fn read(path: &std::path::Path, source: std::io::Error) -> Self {
        CliError::Io {
            action: "read",
            path: path.display().to_string(),
            source,
        }
    }

    /// A file that could not be written.
    pub fn write(path: &std::path::Path, source: std::io::Error) -> Self {
        CliError::Io {
            action: "write",
            path: path.display().to_string(),
            source,
        }
    }
}

impl From<crate::engine::units::ParseMacsError> for CliError {
    /// A MAC count is always a flag's value.
    fn from(e: crate::engine::units::ParseMacsError) -> Self {
        CliError::Usage(e.to_string())
    }
}

impl From<String> for CliError {
    fn from(message: String) -> Self {
        CliError::Failed(message)
    }
}

impl From<&str> for CliError {
    fn from(message: &str) -> Self {
        CliError::Failed(message.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usage_errors_exit_with_2_and_read_as_their_message() {
        let e = CliError::Usage("--jobs must be at least 1".into());
        assert_eq!(
            (e.exit_code(), e.to_string().as_str()),
            (2, "--jobs must be at least 1")
        );
        let io = std::io::Error::new(std::io::ErrorKind::NotFound, "no such file");
        let e = CliError::read(std::path::Path::new("run.json"), io);
        assert_eq!(e.exit_code(), 1);
        assert_eq!(e.to_string(), "cannot read run.json: no such file");
        assert_eq!(CliError::from("boom").to_string(), "boom");
    }
}
