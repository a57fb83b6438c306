//! The in-memory dataset and the registry of shipped datasets.
//!
//! Pixels are `u8`, channel-planar per image (N·C·H·W), labels are `u16` class indices
//! into `classes`. The app fetches the shipped gzip'd IDX files (`www/data/`) over HTTP
//! and calls [`Dataset::from_idx_bytes`] / [`Shipped::from_bytes`]; the CLI reads them
//! from disk (see `detect::load_dataset_arg`).

use super::{idx, DataError, MAX_DECODED_BYTES};

/// A labelled image dataset held in memory.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Dataset {
    /// Human-readable name (e.g. "Fashion-MNIST (train)").
    pub name: String,
    /// Class names; labels index into this.
    pub classes: Vec<String>,
    /// Channels per image (1 grey, 3 RGB).
    pub channels: usize,
    /// Image height in pixels.
    pub height: usize,
    /// Image width in pixels.
    pub width: usize,
    /// Pixels, N·C·H·W, channel-planar per image.
    pub images: Vec<u8>,
    /// One label per image, each `< classes.len()`.
    pub labels: Vec<u16>,
}

impl Dataset {
    /// Builds a dataset, checking that sizes agree and every label names a class.
    pub fn new(
        name: impl Into<String>,
        classes: Vec<String>,
        (channels, height, width): (usize, usize, usize),
        images: Vec<u8>,
        labels: Vec<u16>,
    ) -> Result<Self, DataError> {
        let name = name.into();
        let per = channels
            .checked_mul(height)
            .and_then(|v| v.checked_mul(width));
        let per = match per {
            Some(p) if p > 0 => p,
            _ => {
                return Err(DataError::Mismatch(format!(
                    "{name}: invalid image shape {channels}×{height}×{width}"
                )))
            }
        };
        if images.len() as u64 > MAX_DECODED_BYTES {
            return Err(DataError::TooLarge {
                what: format!("{name} pixels"),
                size: images.len() as u64,
                limit: MAX_DECODED_BYTES,
            });
        }
        if !images.len().is_multiple_of(per) || images.len() / per != labels.len() {
            return Err(DataError::Mismatch(format!(
                "{name}: {} pixel bytes do not make {} images of {channels}×{height}×{width}",
                images.len(),
                labels.len()
            )));
        }
        if classes.is_empty() || classes.len() > u16::MAX as usize {
            return Err(DataError::Mismatch(format!(
                "{name}: {} classes",
                classes.len()
            )));
        }
        if let Some(&l) = labels.iter().find(|&&l| l as usize >= classes.len()) {
            return Err(DataError::Mismatch(format!(
                "{name}: label {l} out of range for {} classes",
                classes.len()
            )));
        }
        Ok(Self {
            name,
            classes,
            channels,
            height,
            width,
            images,
            labels,
        })
    }

    /// Reads a pair of IDX files (each gzip'd or not). Class names default to `"0"`,
    /// `"1"`, … (as many as the largest label + 1) when `classes` is `None`.
    pub fn from_idx_bytes(
        name: &str,
        classes: Option<Vec<String>>,
        images: &[u8],
        labels: &[u8],
    ) -> Result<Self, DataError> {
        let (n, c, h, w, pixels) = idx::read_images(images, &format!("{name} images"))?;
        let labels = idx::read_labels(labels, &format!("{name} labels"))?;
        if labels.len() != n {
            return Err(DataError::Mismatch(format!(
                "{name}: {n} images but {} labels",
                labels.len()
            )));
        }
        let classes = classes.unwrap_or_else(|| numbered_classes(labels.iter().map(|&l| l as u16)));
        let labels = labels.into_iter().map(u16::from).collect();
        Self::new(name, classes, (c, h, w), pixels, labels)
    }

    /// Number of images.
    pub fn len(&self) -> usize {
        self.labels.len()
    }

    /// True when there are no images.
    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }

    /// Number of classes.
    pub fn num_classes(&self) -> usize {
        self.classes.len()
    }

    /// Bytes per image (C·H·W).
    pub fn image_len(&self) -> usize {
        self.channels * self.height * self.width
    }

    /// Pixels of image `i` (C·H·W); panics when `i >= len()`, like slice indexing.
    pub fn image(&self, i: usize) -> &[u8] {
        let n = self.image_len();
        &self.images[i * n..(i + 1) * n]
    }

    /// Pixels of image `i`, or `None` when out of range.
    pub fn get_image(&self, i: usize) -> Option<&[u8]> {
        let n = self.image_len();
        self.images
            .get(i.checked_mul(n)?..i.checked_add(1)?.checked_mul(n)?)
    }

    /// Number of images of each class (length `num_classes()`).
    pub fn counts_per_class(&self) -> Vec<usize> {
        let mut counts = vec![0; self.classes.len()];
        for &l in &self.labels {
            if let Some(c) = counts.get_mut(l as usize) {
                *c += 1;
            }
        }
        counts
    }

    /// The images at `indices` (in that order, repeats allowed), same classes and shape.
    pub fn subset(&self, indices: &[usize]) -> Result<Dataset, DataError> {
        let n = self.image_len();
        let mut images = Vec::with_capacity(indices.len().saturating_mul(n));
        let mut labels = Vec::with_capacity(indices.len());
        for &i in indices {
            let img = self.get_image(i).ok_or_else(|| {
                DataError::Mismatch(format!(
                    "{}: index {i} out of range (len {})",
                    self.name,
                    self.len()
                ))
            })?;
            images.extend_from_slice(img);
            labels.push(self.labels[i]);
        }
        Ok(Dataset {
            name: self.name.clone(),
            classes: self.classes.clone(),
            channels: self.channels,
            height: self.height,
            width: self.width,
            images,
            labels,
        })
    }

    /// "N×C×H×W" as text.
    pub fn shape_string(&self) -> String {
        format!(
            "{}×{}×{}×{}",
            self.len(),
            self.channels,
            self.height,
            self.width
        )
    }
}

/// Class names `"0"`, `"1"`, … up to the largest label (at least one class).
pub fn numbered_classes(labels: impl Iterator<Item = u16>) -> Vec<String> {
    let max = labels.max().unwrap_or(0) as usize;
    (0..=max).map(|i| i.to_string()).collect()
}

/// Which half of a shipped dataset.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part {
    /// The training subset (10,000 images).
    Train,
    /// The test subset (2,000 images).
    Test,
}

/// Datasets shipped with the app under `www/data/` (see `www/data/datasets.json`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Shipped {
    /// Fashion-MNIST (Zalando, MIT): 28×28 grey, 10 classes. The default.
    FashionMnist,
    /// MNIST (LeCun & Cortes): 28×28 grey digits.
    Mnist,
}

const FASHION_CLASSES: [&str; 10] = [
    "T-shirt/top",
    "Trouser",
    "Pullover",
    "Dress",
    "Coat",
    "Sandal",
    "Shirt",
    "Sneaker",
    "Bag",
    "Ankle boot",
];
const DIGITS: [&str; 10] = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];

impl Shipped {
    /// All shipped datasets, default first.
    pub const ALL: [Shipped; 2] = [Shipped::FashionMnist, Shipped::Mnist];
    /// The app's default dataset.
    pub const DEFAULT: Shipped = Shipped::FashionMnist;
    /// Folder of the files relative to the crate root (and to the served site: `data/`).
    pub const DIR: &'static str = "www/data";

    /// Stable id, used in file names, links and `--dataset`.
    pub fn id(self) -> &'static str {
        match self {
            Self::FashionMnist => "fashion-mnist",
            Self::Mnist => "mnist",
        }
    }

    /// Display name.
    pub fn name(self) -> &'static str {
        match self {
            Self::FashionMnist => "Fashion-MNIST",
            Self::Mnist => "MNIST",
        }
    }

    /// Class names, in label order.
    pub fn class_names(self) -> &'static [&'static str] {
        match self {
            Self::FashionMnist => &FASHION_CLASSES,
            Self::Mnist => &DIGITS,
        }
    }

    /// Looks up an id (`"fashion-mnist"`, `"mnist"`).
    pub fn from_id(id: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.id() == id)
    }

    /// File names `(images, labels)` of one part, inside [`Shipped::DIR`].
    pub fn files(self, part: Part) -> (String, String) {
        let p = match part {
            Part::Train => "train",
            Part::Test => "test",
        };
        (
            format!("{}-{p}-images-idx3-ubyte.gz", self.id()),
            format!("{}-{p}-labels-idx1-ubyte.gz", self.id()),
        )
    }

    /// File name of the pre-trained supernet shipped for this dataset, inside
    /// [`Shipped::DIR`] (made by `scripts/train-supernets`).
    pub fn supernet_file(self) -> String {
        format!("{}-supernet.bpk", self.id())
    }

    /// Decodes one part from the bytes of its two files.
    pub fn from_bytes(
        self,
        part: Part,
        images: &[u8],
        labels: &[u8],
    ) -> Result<Dataset, DataError> {
        let suffix = match part {
            Part::Train => "train",
            Part::Test => "test",
        };
        let classes = self.class_names().iter().map(|s| s.to_string()).collect();
        let d = Dataset::from_idx_bytes(
            &format!("{} ({suffix})", self.name()),
            Some(classes),
            images,
            labels,
        )?;
        Ok(d)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tiny() -> Dataset {
        Dataset::new(
            "t",
            vec!["a".into(), "b".into()],
            (1, 1, 2),
            vec![1, 2, 3, 4, 5, 6],
            vec![0, 1, 1],
        )
        .unwrap()
    }

    #[test]
    fn accessors() {
        let d = tiny();
        assert_eq!(d.len(), 3);
        assert_eq!(d.image(1), &[3, 4]);
        assert_eq!(d.get_image(3), None);
        assert_eq!(d.counts_per_class(), vec![1, 2]);
        let s = d.subset(&[2, 0]).unwrap();
        assert_eq!(s.images, vec![5, 6, 1, 2]);
        assert_eq!(s.labels, vec![1, 0]);
        assert!(d.subset(&[3]).is_err());
        assert_eq!(d.shape_string(), "3×1×1×2");
    }

    #[test]
    fn new_validates() {
        assert!(Dataset::new("t", vec!["a".into()], (1, 1, 2), vec![1, 2], vec![1]).is_err());
        assert!(Dataset::new("t", vec!["a".into()], (1, 1, 2), vec![1, 2, 3], vec![0]).is_err());
        assert!(Dataset::new("t", vec!["a".into()], (0, 1, 2), vec![], vec![]).is_err());
    }

    #[test]
    fn registry() {
        assert_eq!(Shipped::from_id("mnist"), Some(Shipped::Mnist));
        assert_eq!(Shipped::DEFAULT.id(), "fashion-mnist");
        assert_eq!(Shipped::FashionMnist.class_names().len(), 10);
        assert_eq!(
            Shipped::Mnist.files(Part::Test).0,
            "mnist-test-images-idx3-ubyte.gz"
        );
    }
}
