//! Each reader against the source PNGs its fixture was built from.

use super::{assert_matches, fx, planar, read, sources};
use aebnas::data::cifar::{self, Cifar100Labels, CifarKind};
use aebnas::data::detect::{load_with, Format, Input, LoadOptions};
use aebnas::data::folder::{self, FolderOptions};
use aebnas::data::{idx, load_any, svhn};

#[test]
fn cifar10_binary_and_archive_match_pngs() {
    let src = sources("cifar10");
    let l = aebnas::data::load_path(&fx("cifar10/test_batch.bin")).unwrap();
    assert_eq!(l.format, Format::Cifar10);
    assert_eq!(
        (l.train.channels, l.train.height, l.train.width),
        (3, 32, 32)
    );
    assert_matches(&l.train, &src, |x| x);
    assert_eq!(l.train.classes[3], "cat");
    let a =
        cifar::parse_archive(&read("cifar-10-binary.tar.gz"), Cifar100Labels::Fine, "a").unwrap();
    assert_eq!(a.kind, CifarKind::Cifar10);
    assert_matches(&a.train, &src[..10], |x| x);
    assert_matches(&a.test, &src[10..], |x| x);
}

#[test]
fn cifar100_binary_and_archive_match_pngs() {
    let src = sources("cifar100");
    let l = aebnas::data::load_path(&fx("cifar100/test.bin")).unwrap();
    assert_eq!(l.format, Format::Cifar100);
    assert_eq!(l.train.num_classes(), 100);
    assert_matches(&l.train, &src, |x| x);
    let opts = LoadOptions {
        cifar100_labels: Cifar100Labels::Coarse,
        ..Default::default()
    };
    let c = load_with(Input::Path(&fx("cifar100/test.bin")), opts).unwrap();
    assert_eq!(c.train.num_classes(), 20);
    assert_matches(&c.train, &src, |f| {
        cifar::CIFAR100_FINE_TO_COARSE[f as usize] as u16
    });
    let a = load_any(Input::Bytes {
        name: "cifar-100-binary.tar.gz",
        bytes: &read("cifar-100-binary.tar.gz"),
    })
    .unwrap();
    assert_eq!(a.format, Format::Cifar100Archive);
    assert_matches(&a.train, &src[..10], |x| x);
    assert_matches(a.test.as_ref().unwrap(), &src[10..], |x| x);
}

#[test]
fn svhn_mat_compressed_and_plain_match_sources() {
    let mut src = Vec::new();
    for i in 0..20 {
        let name = format!("svhn/source/{i:02}_{}.png", i % 10);
        let (w, h, c, px) = folder::decode(&read(&name), &name).unwrap();
        src.push(((i % 10) as u16, planar(w, h, c, &px)));
    }
    for f in ["svhn/test_32x32.mat", "svhn/train_32x32.mat"] {
        let d = svhn::parse_svhn(&read(f), f).unwrap();
        assert_eq!(d.shape_string(), "20×3×32×32");
        assert_matches(&d, &src, |x| x);
    }
    let both = aebnas::data::load_path(&fx("svhn")).unwrap();
    assert_eq!(both.format, Format::SvhnMat);
    assert_eq!(both.test.map(|t| t.len()), Some(20));
}

#[test]
fn idx_matches_pngs() {
    let src = sources("fashionMNIST");
    let l = aebnas::data::load_path(&fx("idx/t10k-images-idx3-ubyte.gz")).unwrap();
    assert_eq!(l.format, Format::Idx);
    assert_eq!(l.train.shape_string(), "20×1×28×28");
    assert_matches(&l.train, &src, |x| x);
    // A gzip'd IDX under an arbitrary name is still recognised (by the inner magic).
    let e = load_any(Input::Bytes {
        name: "upload.gz",
        bytes: &read("idx/t10k-images-idx3-ubyte.gz"),
    })
    .unwrap_err();
    assert!(e.to_string().contains("labels file"), "{e}");
    let a = idx::parse_idx(&read("idx/t10k-labels-idx1-ubyte.gz"), "l").unwrap();
    assert_eq!(a.dims, vec![20]);
}

#[test]
fn image_folder_dir_and_zip() {
    let src = sources("cifar10");
    let opts = FolderOptions::default();
    let d = folder::from_dir(&fx("imagefolder"), opts).unwrap();
    let z = folder::from_zip("z", &read("imagefolder.zip"), opts).unwrap();
    assert_eq!(d.images, z.images);
    assert_eq!(d.labels, z.labels);
    assert_eq!(d.classes, z.classes);
    assert_eq!(d.len(), 20);
    let names = [
        "airplane",
        "automobile",
        "bird",
        "cat",
        "deer",
        "dog",
        "frog",
        "horse",
        "ship",
        "truck",
    ];
    let present: Vec<&str> = names
        .iter()
        .copied()
        .filter(|n| src.iter().any(|(l, _)| names[*l as usize] == *n))
        .collect();
    assert_eq!(d.classes, present);
    // Images in path order: class folders sorted, then file names; PNGs are exact.
    let mut k = 0;
    for class in &d.classes {
        let mut files: Vec<String> = std::fs::read_dir(fx(&format!("imagefolder/{class}")))
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        files.sort();
        for f in files {
            let i: usize = f[..2].parse().unwrap();
            assert_eq!(d.classes[d.labels[k] as usize], names[src[i].0 as usize]);
            if f.ends_with(".png") {
                assert_eq!(d.image(k), &src[i].1[..], "{class}/{f}");
            } else {
                let diff: u64 = d
                    .image(k)
                    .iter()
                    .zip(&src[i].1)
                    .map(|(a, b)| a.abs_diff(*b) as u64)
                    .sum();
                assert!(
                    diff / 3072 < 12,
                    "JPEG {class}/{f} too far from source: {}",
                    diff / 3072
                );
            }
            k += 1;
        }
    }
    // Resizing and grey conversion.
    let small = folder::from_zip(
        "z",
        &read("imagefolder.zip"),
        FolderOptions {
            channels: 1,
            height: 16,
            width: 12,
        },
    )
    .unwrap();
    assert_eq!(small.shape_string(), "20×1×16×12");
}

#[test]
fn shipped_datasets_resolve() {
    let (train, test) = aebnas::data::load_dataset_arg("fashion-mnist").unwrap();
    assert_eq!((train.len(), test.len()), (10_000, 2_000));
    assert_eq!(train.classes[9], "Ankle boot");
    let (train, test) =
        aebnas::data::load_dataset_arg(fx("cifar10/test_batch.bin").to_str().unwrap()).unwrap();
    assert_eq!((train.len(), test.len()), (16, 4));
    assert!(aebnas::data::load_dataset_arg("no-such-dataset").is_err());
}
