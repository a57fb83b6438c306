//! `aebnas data`: inspect dataset files (IDX, CIFAR-10/100 binary and archives, SVHN
//! `.mat`, image folders / zips) — format, shape, classes and counts per class.

use super::error::CliError;
use crate::data::cifar::Cifar100Labels;
use crate::data::detect::{load_with, Input, LoadOptions};
use crate::data::folder::FolderOptions;
use crate::data::Dataset;
use std::path::PathBuf;

/// Arguments of `aebnas data`.
#[derive(clap::Args, Debug)]
pub struct DataArgs {
    /// What to do.
    #[command(subcommand)]
    pub command: DataCommand,
}

/// Subcommands of `aebnas data`.
#[derive(clap::Subcommand, Debug)]
pub enum DataCommand {
    /// Print format, shape (N×C×H×W), classes and counts per class of a dataset file or folder.
    Inspect {
        /// A file (IDX, CIFAR .bin / .tar.gz, SVHN .mat, zip of images) or a folder.
        path: PathBuf,
        /// CIFAR-100: use the 20 coarse labels instead of the 100 fine ones.
        #[arg(long)]
        coarse: bool,
        /// Image folders: output resolution (square).
        #[arg(long, default_value_t = 32)]
        size: usize,
        /// Image folders: output channels (1 or 3).
        #[arg(long, default_value_t = 3)]
        channels: usize,
    },
}

/// Runs `aebnas data …`; errors are one line.
pub fn run(args: DataArgs) -> Result<(), CliError> {
    match args.command {
        DataCommand::Inspect {
            path,
            coarse,
            size,
            channels,
        } => {
            let opts = LoadOptions {
                cifar100_labels: if coarse {
                    Cifar100Labels::Coarse
                } else {
                    Cifar100Labels::Fine
                },
                folder: FolderOptions {
                    channels,
                    height: size,
                    width: size,
                },
            };
            let loaded = load_with(Input::Path(&path), opts).map_err(|e| e.to_string())?;
            println!("path: {}", path.display());
            println!("format: {}", loaded.format);
            print_part("train", &loaded.train, loaded.test.is_some());
            if let Some(test) = &loaded.test {
                print_part("test", test, true);
            }
            Ok(())
        }
    }
}

fn print_part(role: &str, d: &Dataset, has_test: bool) {
    let label = if has_test { role } else { "data" };
    println!(
        "{label}: {} ({}, N×C×H×W = {})",
        d.name,
        d.len(),
        d.shape_string()
    );
    println!("  classes: {}", d.num_classes());
    for (name, count) in d.classes.iter().zip(d.counts_per_class()) {
        println!("    {name}: {count}");
    }
}
