//! Tests of the worker protocol: wire names, round trips, malformed messages.

use super::*;

#[test]
fn probe_and_smoke_messages_round_trip_with_their_wire_names() {
    let probe = ToWorker::Probe {
        backend: BackendChoice::Cpu,
        remembered: None,
    };
    assert_eq!(probe.to_json(), r#"{"type":"probe","backend":"cpu"}"#);
    let smoke = ToWorker::Smoke {
        dataset: "mnist".into(),
        seed: 7,
        steps: 12,
        backend: BackendChoice::Auto,
    };
    assert_eq!(ToWorker::from_json(&smoke.to_json()), Ok(smoke));
    assert_eq!(ToWorker::from_json(&probe.to_json()), Ok(probe));

    let probed = FromWorker::Probed {
        kind: DeviceKind::WebGpu,
        detail: "WebGPU adapter: SwiftShader".into(),
        measurement: None,
    };
    assert_eq!(
        probed.to_json(),
        r#"{"type":"probed","data":{"kind":"webgpu","detail":"WebGPU adapter: SwiftShader"}}"#
    );
    let step = FromWorker::SmokeStep { step: 3, loss: 1.5 };
    assert_eq!(
        step.to_json(),
        r#"{"type":"smoke_step","data":{"step":3,"loss":1.5}}"#
    );
    for message in [
        probed,
        step,
        FromWorker::SmokeDone {
            losses: vec![2.25, 1.75],
            seconds: 4.5,
        },
        FromWorker::SmokeFailed {
            message: "no data".into(),
        },
        FromWorker::Measuring,
        FromWorker::MeasureRefused {
            reason: "busy".into(),
        },
    ] {
        assert_eq!(FromWorker::from_json(&message.to_json()), Ok(message));
    }
}

#[test]
fn measurement_messages_carry_typed_figures() {
    use crate::playground::backend_measure::Timing;
    let m = Measurement {
        webgpu: Timing::OverCap {
            cap_ms: 4000.0,
            steps: 1,
        },
        cpu: Timing::Measured {
            median_ms: 9.5,
            steps: 5,
        },
        adapter: Some("swiftshader".into()),
    };
    let probe = ToWorker::Probe {
        backend: BackendChoice::Auto,
        remembered: Some(m.clone()),
    };
    assert_eq!(ToWorker::from_json(&probe.to_json()), Ok(probe));
    let again = ToWorker::Measure {
        backend: BackendChoice::WebGpu,
    };
    assert_eq!(again.to_json(), r#"{"type":"measure","backend":"webgpu"}"#);
    let probed = FromWorker::Probed {
        kind: m.picked(),
        detail: m.detail(),
        measurement: Some(m),
    };
    let json = probed.to_json();
    assert!(json.contains(r#""kind":"cpu""#), "{json}");
    assert!(json.contains(r#""outcome":"over_cap""#), "{json}");
    assert_eq!(FromWorker::from_json(&json), Ok(probed));
    // A remembered measurement that no longer parses is a bad message, not a panic.
    assert!(ToWorker::from_json(r#"{"type":"probe","backend":"auto","remembered":{}}"#).is_err());
}

#[test]
fn pool_jobs_round_trip_and_a_start_without_workers_means_one() {
    use super::super::job::{JobOutcome, JobResult};
    use crate::engine::genome::Genome;
    let old = r#"{"type":"pause"}"#;
    assert_eq!(ToWorker::from_json(old), Ok(ToWorker::Pause));
    let settings = crate::playground::settings::Settings::default().search_settings();
    let start = ToWorker::Start {
        settings: settings.clone(),
        resume: None,
        backend: BackendChoice::Cpu,
        workers: 1,
        compare: false,
    };
    let mut json: serde_json::Value = serde_json::from_str(&start.to_json()).unwrap();
    json.as_object_mut().unwrap().remove("workers");
    assert!(!json.as_object().unwrap().contains_key("compare"));
    assert_eq!(ToWorker::from_json(&json.to_string()), Ok(start));
    let compared = ToWorker::Start {
        settings: settings.clone(),
        resume: None,
        backend: BackendChoice::Cpu,
        workers: 2,
        compare: true,
    };
    assert_eq!(ToWorker::from_json(&compared.to_json()), Ok(compared));
    let job = ToWorker::Job {
        job: Job {
            batch: 3,
            index: 1,
            settings,
            genome: "1,0,2".parse::<Genome>().unwrap(),
        },
    };
    assert_eq!(ToWorker::from_json(&job.to_json()), Ok(job));
    let done = FromWorker::JobDone {
        result: JobResult {
            batch: 3,
            index: 1,
            outcome: JobOutcome::Failed {
                reason: "diverged".into(),
            },
        },
    };
    assert_eq!(
        done.to_json(),
        r#"{"type":"job_done","data":{"result":{"batch":3,"index":1,"outcome":{"kind":"failed","reason":"diverged"}}}}"#
    );
    assert_eq!(FromWorker::from_json(&done.to_json()), Ok(done));
}

#[test]
fn a_malformed_message_is_an_error_not_a_panic() {
    let err = ToWorker::from_json(r#"{"type":"smoke","steps":"many"}"#).unwrap_err();
    assert!(
        matches!(err, ProtocolError::MalformedToWorker(_)),
        "{err:?}"
    );
    assert!(
        err.to_string().starts_with("bad message to the worker: "),
        "{err}"
    );
    let err = FromWorker::from_json("not json").unwrap_err();
    assert_eq!(
        err.to_string(),
        "bad message from the worker: expected ident at line 1 column 2"
    );
}
