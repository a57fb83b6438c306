//! Tests of the stored form of user datasets: round trips through IDX (grey and colour),
//! the id and slug rules, link-safe file names and the size checks.

use super::*;
use crate::data::{load_any, Format, Input};

fn dataset(name: &str, channels: usize, n: usize, classes: usize) -> Dataset {
    let (h, w) = (4, 3);
    let images: Vec<u8> = (0..n * channels * h * w)
        .map(|i| (i * 7 % 251) as u8)
        .collect();
    let labels: Vec<u16> = (0..n).map(|i| (i % classes) as u16).collect();
    let names = (0..classes).map(|c| format!("class {c}")).collect();
    Dataset::new(name, names, (channels, h, w), images, labels).unwrap()
}

fn loaded(channels: usize, with_test: bool) -> Loaded {
    Loaded {
        format: Format::Cifar10,
        train: dataset("t", channels, 20, 4),
        test: with_test.then(|| dataset("s", channels, 8, 4)),
    }
}

#[test]
fn colour_round_trip_keeps_every_pixel_label_and_class() {
    let l = loaded(3, true);
    let (train, test) = (l.train.clone(), l.test.clone().unwrap());
    let names = vec!["data_batch_1.bin".to_string(), "test_batch.bin".to_string()];
    let s = to_stored(l, &names, 1234).unwrap();
    // Colour is stored interleaved: IDX N×H×W×3.
    assert_eq!(&s.train_images[..4], &[0, 0, 8, 4]);
    assert_eq!(
        &s.train_images[4..20],
        &[0, 0, 0, 20, 0, 0, 0, 4, 0, 0, 0, 3, 0, 0, 0, 3]
    );
    assert_eq!(
        s.train_images[20 + 1],
        train.images[12],
        "pixel 0, green = plane 1"
    );
    let meta = UserMeta::from_json(&s.meta.to_json()).unwrap();
    assert_eq!(meta, s.meta);
    let (a, b) = meta
        .datasets([
            &s.train_images,
            &s.train_labels,
            &s.test_images,
            &s.test_labels,
        ])
        .unwrap();
    assert_eq!(
        (a.images, a.labels, a.classes),
        (train.images, train.labels, train.classes)
    );
    assert_eq!((b.images, b.labels), (test.images, test.labels));
    assert_eq!(
        (meta.train_count, meta.test_count, meta.split),
        (20, 8, false)
    );
    assert_eq!(meta.counts, vec![7, 7, 7, 7]);
    assert_eq!(meta.shape(), "3×4×3");
    assert_eq!(meta.source_bytes, 1234);
    assert_eq!(meta.stored_bytes, (20 + 720 + 8 + 20) + (20 + 288 + 8 + 8));
    assert_eq!(meta.files, names);
    assert_eq!(meta.name, "data_batch_1.bin (+1 more)");
    assert!(
        meta.id.starts_with("user-data-batch-1-") && is_user_id(&meta.id),
        "{}",
        meta.id
    );
}

#[test]
fn grey_input_without_test_part_is_split_80_20_and_round_trips() {
    let s = to_stored(loaded(1, false), &["digits.mat".into()], 10).unwrap();
    assert_eq!(&s.train_images[..4], &[0, 0, 8, 3]);
    assert_eq!(
        (s.meta.train_count, s.meta.test_count, s.meta.split),
        (16, 4, true)
    );
    assert_eq!(s.meta.counts, vec![5, 5, 5, 5]);
    let (a, b) = s
        .meta
        .datasets([
            &s.train_images,
            &s.train_labels,
            &s.test_images,
            &s.test_labels,
        ])
        .unwrap();
    assert_eq!((a.channels, a.len(), b.len()), (1, 16, 4));
    // Gzip'd parts read the same.
    use std::io::Write;
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(&s.train_images).unwrap();
    let zipped = gz.finish().unwrap();
    let (c, _) = s
        .meta
        .datasets([&zipped, &s.train_labels, &s.test_images, &s.test_labels])
        .unwrap();
    assert_eq!(c, a);
}

#[test]
fn the_cifar10_fixture_converts_with_its_real_labels() {
    let bytes = std::fs::read("tests/fixtures/cifar10/test_batch.bin").unwrap();
    let names = vec!["test_batch.bin".to_string()];
    let files = vec![(names[0].clone(), bytes.clone())];
    let s = to_stored(load_any(Input::Files(&files)).unwrap(), &names, 61_460).unwrap();
    let mut want = vec![0usize; 10];
    for r in bytes.chunks(3073) {
        want[r[0] as usize] += 1;
    }
    assert_eq!(s.meta.counts, want);
    assert_eq!(
        (s.meta.train_count + s.meta.test_count, s.meta.classes.len()),
        (20, 10)
    );
    assert_eq!(
        (s.meta.classes[0].as_str(), s.meta.shape()),
        ("airplane", "3×32×32".into())
    );
    assert_eq!(s.meta.format, "CIFAR-10 binary");
    // Same files, same id (a link names it on any computer).
    let again = to_stored(load_any(Input::Files(&files)).unwrap(), &names, 61_460).unwrap();
    assert_eq!(again.meta.id, s.meta.id);
}

#[test]
fn a_corrupted_stored_part_is_an_error_not_a_panic() {
    let s = to_stored(loaded(3, true), &["x.bin".into()], 1).unwrap();
    let cut = &s.train_images[..s.train_images.len() - 5];
    let parts = [
        cut,
        &s.train_labels[..],
        &s.test_images[..],
        &s.test_labels[..],
    ];
    let err = s.meta.datasets(parts).unwrap_err();
    assert!(matches!(err, UserDataError::Data(_)), "{err:?}");
    assert!(err.to_string().contains("truncated"), "{err}");
    let swapped = [
        &s.test_images[..],
        &s.test_labels[..],
        &s.test_images[..],
        &s.test_labels[..],
    ];
    let err = s.meta.datasets(swapped).unwrap_err().to_string();
    assert!(err.contains("train image counts"), "{err}");
    // One part alone (what the page reads): the test part, checked against the meta.
    let test = s
        .meta
        .dataset(Part::Test, &s.test_images, &s.test_labels)
        .unwrap();
    assert_eq!(test.len(), s.meta.test_count);
    let err = s
        .meta
        .dataset(Part::Test, &s.train_images, &s.train_labels)
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "{}: stored test image counts do not match ({} stored, {} expected)",
            s.meta.id, s.meta.train_count, s.meta.test_count
        )
    );
    let mut bad = s.meta.clone();
    bad.counts[0] += 1;
    assert!(UserMeta::from_json(&bad.to_json()).is_err());
    bad = s.meta.clone();
    bad.id = "fashion-mnist".into();
    assert!(UserMeta::from_json(&bad.to_json()).is_err());
    assert!(UserMeta::from_json("{").is_err());
}

#[test]
fn ids_and_slugs() {
    assert_eq!(slug("cifar-10-binary.tar.gz"), "cifar-10-binary");
    assert_eq!(slug("My Photos/Cats & Dogs.zip"), "cats-dogs");
    assert_eq!(slug("___.bin"), "data");
    assert_eq!(slug("ÄÖÜ"), "data");
    assert_eq!(slug("a".repeat(50).as_str()), "a".repeat(24));
    assert_eq!(
        make_id("test_batch.bin", 0xdead_beef_0000_0001),
        "user-test-batch-deadbeef"
    );
    let longest = make_id(&"b".repeat(99), u64::MAX);
    assert!(longest.len() <= MAX_ID_CHARS);
    assert!(is_user_id(&longest));
    for bad in [
        "user-",
        "user--a",
        "user-a-",
        "user-A",
        "user-a b",
        "mnist",
        "user-é",
        &format!("user-{}", "a".repeat(40)),
    ] {
        assert!(!is_user_id(bad), "{bad}");
    }
}

#[test]
fn link_file_names_are_safe_and_capped() {
    assert!(valid_link_file("test_batch.bin"));
    assert!(valid_link_file("imagefolder/"));
    for bad in ["", "  ", "a,b", "a&b", "é.bin", "a%20", &"x".repeat(65)] {
        assert!(!valid_link_file(bad), "{bad:?}");
    }
    assert_eq!(link_safe("a,b&c.bin"), "a_b_c.bin");
    assert_eq!(link_safe("my data (1).bin"), "my data (1).bin");
    let long = format!("{}.tar.gz", "n".repeat(100));
    assert!(link_safe(&long).ends_with(".tar.gz") && link_safe(&long).len() == LINK_FILE_CHARS);
    let many: Vec<String> = (0..30)
        .map(|i| format!("imagefolder/{}/{i}.png", i % 3))
        .collect();
    assert_eq!(files_for_link(&many), vec!["imagefolder/".to_string()]);
    let tops: Vec<String> = (0..30).map(|i| format!("f{i}/x.png")).collect();
    assert_eq!(files_for_link(&tops).len(), LINK_FILES_MAX);
    assert!(files_for_link(&tops).iter().all(|n| valid_link_file(n)));
}

#[test]
fn sizes_are_checked_before_reading() {
    assert_eq!(check_sizes(&[1, 2, 3]), Ok(6));
    assert_eq!(check_sizes(&[MAX_TOTAL_BYTES]), Ok(MAX_TOTAL_BYTES));
    let over = check_sizes(&[MAX_TOTAL_BYTES, 1]).unwrap_err();
    assert_eq!(over, UserDataError::TooLarge(MAX_TOTAL_BYTES + 1));
    assert_eq!(
        over.to_string(),
        "the files are 256.0 MB together; the limit is 256 MB"
    );
    assert_eq!(check_sizes(&[]), Err(UserDataError::NoFiles));
    assert_eq!(
        check_sizes(&[]).unwrap_err().to_string(),
        "no files were given"
    );
    assert!(check_sizes(&[u64::MAX, u64::MAX]).is_err());
    assert_eq!(
        check_sizes(&vec![1; MAX_FILES + 1])
            .unwrap_err()
            .to_string(),
        format!(
            "{} files were given; the limit is {MAX_FILES}",
            MAX_FILES + 1
        )
    );
}

#[test]
fn too_many_classes_or_channels_are_refused() {
    let d = dataset("d", 1, 300, 300);
    assert_eq!(
        to_idx(&d).unwrap_err().to_string(),
        "300 classes; at most 256 can be stored"
    );
    let d = dataset("d", 2, 4, 2);
    assert_eq!(to_idx(&d).unwrap_err(), UserDataError::Channels(2));
    assert_eq!(
        to_idx(&d).unwrap_err().to_string(),
        "2 channels; 1 or 3 can be stored"
    );
}

#[test]
fn an_imported_supernet_is_checked_against_the_dataset_and_recorded() {
    let s = to_stored(loaded(1, true), &["a.idx".to_string()], 1).unwrap();
    let bytes = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/www/data/fashion-mnist-supernet.bpk"
    ))
    .unwrap();
    let size = bytes.len() as u64;
    // The shipped supernet takes 1×28×28 images of 10 classes.
    let mut fits = s.meta.clone();
    (fits.height, fits.width) = (28, 28);
    fits.classes = (0..10).map(|c| format!("c{c}")).collect();
    fits.counts = vec![0; 10];
    fits.counts[0] = fits.train_count + fits.test_count;
    let got = check_supernet(&fits, "fashion.bpk", size, &bytes).unwrap();
    assert_eq!(
        (got.name.as_str(), got.bytes, got.epochs, got.train_images),
        ("fashion.bpk", size, 10, 50_000)
    );
    fits.supernet = Some(got.clone());
    let back = UserMeta::from_json(&fits.to_json()).unwrap();
    assert_eq!(back.supernet, Some(got));
    // Other images or classes, not a record, too large: refused with the reason.
    let wrong = check_supernet(&s.meta, "fashion.bpk", size, &bytes)
        .unwrap_err()
        .to_string();
    assert!(wrong.contains("(1, 28, 28)"), "{wrong}");
    let junk = check_supernet(&fits, "x.bpk", 5, b"hello")
        .unwrap_err()
        .to_string();
    assert!(junk.contains("not a burn record"), "{junk}");
    let huge = check_supernet(&fits, "x.bpk", 1 << 40, &[])
        .unwrap_err()
        .to_string();
    assert!(huge.contains("at most"), "{huge}");
}
