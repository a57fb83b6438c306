//! [`UserDataError`]: why a user's files could not become a stored dataset, or why a
//! stored one does not read back. The messages are what the page shows.

use super::{MAX_CLASSES, MAX_FILES, MAX_TOTAL_BYTES, META_VERSION};
use crate::data::DataError;

/// Why a user dataset was refused, could not be converted or does not read back.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum UserDataError {
    /// The pick or drop held no files.
    #[error("no files were given")]
    NoFiles,
    /// More than [`MAX_FILES`] files at once.
    #[error("{0} files were given; the limit is {MAX_FILES}")]
    TooManyFiles(usize),
    /// More than [`MAX_TOTAL_BYTES`] together (bytes given).
    #[error(
        "the files are {:.1} MB together; the limit is {} MB",
        *.0 as f64 / (1u64 << 20) as f64,
        MAX_TOTAL_BYTES >> 20
    )]
    TooLarge(u64),
    /// More classes than IDX unsigned-byte labels hold.
    #[error("{0} classes; at most {MAX_CLASSES} can be stored")]
    TooManyClasses(usize),
    /// A dimension (images, height, width, channels) past an IDX header's `u32`.
    #[error("{0} is too large")]
    DimensionTooLarge(usize),
    /// Images that are neither grey nor RGB.
    #[error("{0} channels; 1 or 3 can be stored")]
    Channels(usize),
    /// The data module could not read, split or decode the data.
    #[error(transparent)]
    Data(#[from] DataError),
    /// Too few images for a train part and a test part.
    #[error("too few images to hold some out for testing")]
    TooFewImages,
    /// The train and test files disagree on image shape or classes.
    #[error("the train and test files do not have the same shape and classes")]
    PartsDiffer,
    /// A stored meta that does not parse as JSON (the parser's message).
    #[error("{0}")]
    MetaJson(String),
    /// A stored meta of another format version.
    #[error("stored dataset format {0} is not {META_VERSION}")]
    MetaVersion(u32),
    /// A stored meta whose id is not a user dataset id.
    #[error("{0:?} is not a user dataset id")]
    NotUserId(String),
    /// A stored meta (by id) whose classes and per-class counts disagree.
    #[error("{0}: classes and counts do not agree")]
    CountsDisagree(String),
    /// A stored part whose images are not the meta's shape.
    #[error("{id}: stored images are not {shape}")]
    WrongShape {
        /// The dataset's id.
        id: String,
        /// The meta's shape ([`super::UserMeta::shape`]).
        shape: String,
    },
    /// A stored part with another number of images than the meta says.
    #[error(
        "{id}: stored {part} image counts do not match ({stored} stored, {expected} expected)"
    )]
    WrongCount {
        /// The dataset's id.
        id: String,
        /// `train` or `test`.
        part: &'static str,
        /// Images stored.
        stored: usize,
        /// Images the meta records.
        expected: usize,
    },
}
