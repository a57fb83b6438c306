//! The reader's messages: wire form, round trips and the preview pixel split.

use super::*;

fn meta() -> UserMeta {
    UserMeta {
        supernet: None,
        version: 1,
        id: "user-batch-0123abcd".into(),
        name: "batch.bin".into(),
        files: vec!["batch.bin".into()],
        format: "CIFAR-10 binary".into(),
        channels: 3,
        height: 32,
        width: 32,
        classes: vec!["a".into(), "b".into()],
        train_count: 8,
        test_count: 2,
        counts: vec![5, 5],
        source_bytes: 30_730,
        stored_bytes: 30_746,
        split: true,
    }
}

fn head(index: usize, side: u32) -> SampleHead {
    SampleHead {
        index,
        label: index % 2,
        class_name: "a".into(),
        width: side,
        height: side,
    }
}

#[test]
fn read_request_wire_form() {
    let m = ToReader::Read {
        names: vec!["a/x.png".into(), "b.bin".into()],
    };
    assert_eq!(
        m.to_json(),
        r#"{"type":"read","names":["a/x.png","b.bin"]}"#
    );
    assert_eq!(ToReader::from_json(&m.to_json()), Ok(m));
}

#[test]
fn load_request_and_answer_wire_form() {
    let m = ToReader::LoadTest {
        id: "user-batch-0123abcd".into(),
    };
    assert_eq!(
        m.to_json(),
        r#"{"type":"load_test","id":"user-batch-0123abcd"}"#
    );
    assert_eq!(ToReader::from_json(&m.to_json()), Ok(m));
    let save = ToReader::Save {
        meta: Box::new(meta()),
    };
    assert!(save.to_json().starts_with(r#"{"type":"save","meta":{"#));
    assert_eq!(ToReader::from_json(&save.to_json()), Ok(save));
    assert_eq!(FromReader::Saved.to_json(), r#"{"type":"saved"}"#);
    assert_eq!(
        FromReader::Failed(ReadError::Storage("quota".into())).to_json(),
        r#"{"type":"failed","data":{"kind":"storage","detail":"quota"}}"#
    );
    let a = FromReader::Loaded { meta: meta() };
    assert!(a
        .to_json()
        .starts_with(r#"{"type":"loaded","data":{"meta":{"#));
    assert_eq!(FromReader::from_json(&a.to_json()), Ok(a));
}

#[test]
fn labels_travel_as_little_endian_u16() {
    let labels = [0u16, 9, 256, 65_535];
    let bytes = labels_to_bytes(&labels);
    assert_eq!(bytes, [0, 0, 9, 0, 0, 1, 255, 255]);
    assert_eq!(labels_from_bytes(&bytes).as_deref(), Some(&labels[..]));
    assert_eq!(labels_from_bytes(&bytes[..3]), None);
    assert_eq!(labels_from_bytes(&[]), Some(vec![]));
}

#[test]
fn memory_wire_form() {
    let m = FromReader::Memory(18_874_368);
    assert_eq!(m.to_json(), r#"{"type":"memory","data":18874368}"#);
    assert_eq!(FromReader::from_json(&m.to_json()), Ok(m));
}

#[test]
fn answers_round_trip() {
    let answers = [
        FromReader::Ready,
        FromReader::Progress(Step::Reading {
            file: 2,
            files: 3,
            name: "b.bin".into(),
        }),
        FromReader::Progress(Step::Decoding),
        FromReader::Memory(18_874_368),
        FromReader::Done {
            meta: meta(),
            samples: vec![head(0, 32), head(3, 32)],
        },
        FromReader::Failed(ReadError::Decode("x.idx: 5000 × 5000 pixels".into())),
        FromReader::Failed(ReadError::Crashed("RuntimeError: unreachable".into())),
    ];
    for a in answers {
        assert_eq!(FromReader::from_json(&a.to_json()), Ok(a));
    }
    assert_eq!(
        FromReader::Progress(Step::Decoding).to_json(),
        r#"{"type":"progress","data":{"step":"decoding"}}"#
    );
    assert_eq!(
        FromReader::Failed(ReadError::Unreadable("a.bin".into())).to_json(),
        r#"{"type":"failed","data":{"kind":"unreadable","detail":"a.bin"}}"#
    );
}

#[test]
fn malformed_messages_are_protocol_errors() {
    for text in [
        "",
        "{}",
        r#"{"type":"read"}"#,
        r#"{"type":"explode","names":[]}"#,
    ] {
        assert!(matches!(
            ToReader::from_json(text),
            Err(ReadError::Protocol(_))
        ));
    }
    assert!(matches!(
        FromReader::from_json(r#"{"type":"done","data":{}}"#),
        Err(ReadError::Protocol(_))
    ));
}

#[test]
fn errors_read_as_one_sentence() {
    assert_eq!(
        ReadError::Unreadable("a.bin".into()).to_string(),
        "a.bin could not be read"
    );
    assert_eq!(
        ReadError::Crashed("RuntimeError: unreachable".into()).to_string(),
        "the file reader stopped (RuntimeError: unreachable); nothing was changed"
    );
    assert_eq!(
        ReadError::Refused("the files are 300.0 MB together; the limit is 256 MB".into())
            .to_string(),
        "the files are 300.0 MB together; the limit is 256 MB"
    );
}

#[test]
fn status_lines() {
    let reading = Step::Reading {
        file: 1,
        files: 4,
        name: "data_batch_1.bin".into(),
    };
    assert_eq!(
        reading.describe(),
        "Reading file 1 of 4 (data_batch_1.bin)…"
    );
    assert_eq!(Step::Decoding.describe(), "Decoding the images…");
}

#[test]
fn pixels_split_per_sample() {
    let heads = [head(0, 2), head(1, 1)];
    let pixels: Vec<u8> = (0..20).collect();
    let parts = split_pixels(&heads, &pixels).unwrap();
    assert_eq!(parts[0], &pixels[..16]);
    assert_eq!(parts[1], &pixels[16..20]);
    assert_eq!(split_pixels(&heads, &pixels[..19]), None);
    assert_eq!(split_pixels(&heads, &[0; 21]), None);
    assert_eq!(split_pixels(&[], &[]), Some(vec![]));
}
