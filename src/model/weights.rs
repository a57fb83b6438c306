//! A trained early-exit network's weights as one self-describing file: a burn record in
//! the burnpack format (`.bpk`, readable by any burn program with
//! `ModuleRecord::from_bytes`/`load`) whose metadata key [`META_KEY`] holds the
//! [`WeightsMeta`] JSON — genome, method, dataset, input shape, thresholds — so the page and
//! the CLI can rebuild the network before loading the tensors into it.
//!
//! Export reads every parameter back with the async API (safe on WebGPU in wasm, where the
//! sync reads panic), rebuilds the module on the CPU device, and writes the record there.

use burn::module::{Module, ModuleMapper, ModuleVisitor, Param};
use burn::store::ModuleRecord;
use burn::tensor::{Device, Tensor, TensorData};

use super::error::ModelError;
pub use super::meta::{read_meta, WeightsMeta, MAX_WEIGHTS_BYTES, META_KEY, WEIGHTS_VERSION};
use super::meta::{to_bytes, WeightsFileError};
use super::network::EarlyExitNet;
use crate::engine::arch::Architecture;

/// Collects the float parameters (and running statistics) in visiting order.
#[derive(Default)]
struct Collect(Vec<(Tensor<1>, Vec<usize>)>);

impl ModuleVisitor for Collect {
    fn visit_float<const D: usize>(&mut self, param: &Param<Tensor<D>>) {
        let t = param.val();
        let shape = t.dims().to_vec();
        self.0.push((t.flatten(0, D - 1), shape));
    }
}

/// Replaces the parameters, in visiting order, by host data on `device`.
struct Replace {
    data: std::vec::IntoIter<TensorData>,
    device: Device,
}

impl ModuleMapper for Replace {
    fn map_float<const D: usize>(&mut self, param: Param<Tensor<D>>) -> Param<Tensor<D>> {
        match self.data.next() {
            Some(data) => {
                let device = self.device.clone();
                param.map(move |_| Tensor::from_data(data, &device))
            }
            None => param,
        }
    }
}

/// The weights of `net` (an inference network, no autodiff) as a `.bpk` file.
pub async fn export_weights(net: &EarlyExitNet, meta: &WeightsMeta) -> Result<Vec<u8>, ModelError> {
    let mut collect = Collect::default();
    net.visit(&mut collect);
    let mut host = Vec::with_capacity(collect.0.len());
    for (flat, shape) in collect.0 {
        let data = flat
            .into_data_async()
            .await
            .map_err(|e| ModelError::TensorRead(format!("a weight tensor: {e:?}")))?;
        let values = data
            .try_to_vec::<f32>()
            .map_err(|e| ModelError::TensorRead(format!("unexpected weight type: {e:?}")))?;
        host.push(TensorData::new(values, shape));
    }
    let mut replace = Replace {
        data: host.into_iter(),
        device: Device::flex(),
    };
    let on_cpu = net.clone().map(&mut replace);
    let record = on_cpu
        .into_record()
        .into_bytes()
        .map_err(|e| ModelError::Record(e.to_string()))?;
    let json = serde_json::to_string(meta).map_err(|e| ModelError::Record(e.to_string()))?;
    let tensors = burn_pack::Reader::from_bytes(record)
        .and_then(|r| r.into_tensors())
        .map_err(|e| ModelError::Record(format!("re-reading it: {e}")))?;
    let bytes = burn_pack::Writer::new(tensors)
        .with_metadata(META_KEY, &json)
        .into_bytes()
        .map_err(|e| ModelError::Record(e.to_string()))?;
    Ok(bytes.to_vec())
}

/// Rebuilds `arch`'s network on `device` and loads the tensors of `bytes` into it; the
/// record must fit exactly (no missing or extra tensor, same shapes).
pub fn load_weights(
    arch: &Architecture,
    bytes: &[u8],
    device: &Device,
) -> Result<EarlyExitNet, ModelError> {
    let record = ModuleRecord::from_bytes(to_bytes(bytes)?)
        .map_err(|e| WeightsFileError::NotRecord(e.to_string()))?;
    EarlyExitNet::from_scratch(arch, 0, device)?
        .try_load_record(record)
        .map_err(|e| ModelError::WeightsDoNotFit(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::exits::ExitRule;
    use crate::engine::genome::{default_genome, Genome};
    use crate::engine::rng::Rng;
    use crate::engine::space::Method;
    use crate::engine::space::SearchSpace;

    fn arch(space: &SearchSpace, genome: &Genome) -> Architecture {
        Architecture::decode(space, Method::Aebnas, genome).unwrap()
    }

    fn meta(genome: &Genome) -> WeightsMeta {
        WeightsMeta {
            version: WEIGHTS_VERSION,
            genome: genome.to_string(),
            method: Method::Aebnas,
            dataset: "fashion-mnist".into(),
            input: (1, 28, 28),
            classes: 10,
            seed: 7,
            exit_rule: ExitRule::Margin,
            thresholds: vec![0.25, 0.5],
        }
    }

    async fn outputs(net: &EarlyExitNet, x: &Tensor<4>) -> Vec<f32> {
        let mut all = Vec::new();
        for logits in net.forward_traced(x.clone(), &mut None) {
            all.extend(
                logits
                    .into_data_async()
                    .await
                    .unwrap()
                    .try_to_vec::<f32>()
                    .unwrap(),
            );
        }
        all
    }

    #[test]
    fn weights_round_trip_into_a_differently_seeded_network() {
        let device = Device::flex();
        let space = SearchSpace::browser(1, 28, 10);
        let g = default_genome(&space);
        let a = arch(&space, &g);
        let trained = EarlyExitNet::from_scratch(&a, 1, &device).unwrap();
        let bytes = pollster::block_on(export_weights(&trained, &meta(&g))).unwrap();
        assert_eq!(read_meta(&bytes).unwrap(), meta(&g));
        let loaded = load_weights(&a, &bytes, &device).unwrap();
        let other = EarlyExitNet::from_scratch(&a, 2, &device).unwrap();
        let x = Tensor::<4>::random([3, 1, 28, 28], burn::tensor::Distribution::Default, &device);
        let (want, got, fresh) = pollster::block_on(async {
            (
                outputs(&trained, &x).await,
                outputs(&loaded, &x).await,
                outputs(&other, &x).await,
            )
        });
        assert_eq!(want.len(), got.len());
        assert_eq!(want, got, "loaded weights give the same logits");
        assert_ne!(want, fresh, "a differently seeded network differs");
    }

    #[test]
    fn bad_files_are_refused_with_a_reason() {
        let device = Device::flex();
        let space = SearchSpace::browser(1, 28, 10);
        let g = default_genome(&space);
        let a = arch(&space, &g);
        let net = EarlyExitNet::from_scratch(&a, 1, &device).unwrap();
        let bytes = pollster::block_on(export_weights(&net, &meta(&g))).unwrap();
        assert!(read_meta(b"not a record").is_err());
        assert!(load_weights(&a, &bytes[..bytes.len() / 2], &device).is_err());
        // Another genome (other exits) has other heads: the record does not fit.
        let mut rng = Rng::new(5);
        let other = (0..50)
            .map(|_| Genome::sample(&space, Method::Aebnas, &mut rng))
            .find(|o| arch(&space, o).exits != a.exits)
            .unwrap();
        let err = load_weights(&arch(&space, &other), &bytes, &device)
            .err()
            .unwrap();
        assert!(matches!(err, ModelError::WeightsDoNotFit(_)), "{err}");
        let mut flipped = bytes.clone();
        flipped[0] ^= 0xFF;
        assert!(read_meta(&flipped).is_err());
    }
}
