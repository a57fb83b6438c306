//! Importing a supernet for one of the user's datasets: one trained by the CLI
//! (`aebnas supernet --dataset FILES --out FILE.bpk`) on the same data. The file is read
//! with its size bounded first, checked (`user_data::check_supernet`: an AEBNAS supernet
//! for these images and classes) and kept in browser storage beside the dataset
//! (`user_store::set_supernet`), which the dataset's description then records; searches on
//! that dataset inherit it ("Backbone: pre-trained supernet"). Removing it keeps the data.

use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use crate::app::files::read_bytes;
use crate::app::user_data::{check_supernet, UserMeta};
use crate::app::user_store;
use crate::model::meta::MAX_WEIGHTS_BYTES;

/// What the panel needs: the two actions and their state.
pub struct UserSupernet {
    /// Imports a file as the supernet of a dataset.
    pub import: Callback<(UserMeta, web_sys::File)>,
    /// Deletes a dataset's imported supernet.
    pub remove: Callback<UserMeta>,
    /// What is being done, while it is.
    pub busy: Option<String>,
    /// Why the last action failed (nothing was changed).
    pub error: Option<String>,
}

/// Import and removal of user datasets' supernets; `on_list` gets the new stored list.
#[hook]
pub fn use_user_supernet(on_list: Callback<Vec<UserMeta>>) -> UserSupernet {
    let busy = use_state(|| None::<String>);
    let error = use_state(|| None::<String>);
    let import = {
        let (busy, error, on_list) = (busy.clone(), error.clone(), on_list.clone());
        Callback::from(move |(meta, file): (UserMeta, web_sys::File)| {
            let (busy, error, on_list) = (busy.clone(), error.clone(), on_list.clone());
            busy.set(Some(format!("Importing the supernet {}…", file.name())));
            error.set(None);
            spawn_local(async move {
                let done = async {
                    let bytes = read_bytes(&file, MAX_WEIGHTS_BYTES as u64).await?;
                    let record = check_supernet(&meta, &file.name(), file.size() as u64, &bytes)
                        .map_err(|e| e.to_string())?;
                    let updated = UserMeta {
                        supernet: Some(record),
                        ..meta.clone()
                    };
                    user_store::set_supernet(&updated, Some(&bytes))
                        .await
                        .map_err(|e| e.to_string())?;
                    user_store::list().await.map_err(|e| e.to_string())
                };
                match done.await {
                    Ok(list) => on_list.emit(list),
                    Err(e) => error.set(Some(format!(
                        "The supernet was not imported for {} (nothing was changed): {e}",
                        meta.name
                    ))),
                }
                busy.set(None);
            });
        })
    };
    let remove = {
        let (busy, error) = (busy.clone(), error.clone());
        Callback::from(move |meta: UserMeta| {
            let (busy, error, on_list) = (busy.clone(), error.clone(), on_list.clone());
            busy.set(Some(format!("Removing the supernet of {}…", meta.name)));
            error.set(None);
            spawn_local(async move {
                let updated = UserMeta {
                    supernet: None,
                    ..meta.clone()
                };
                let done = match user_store::set_supernet(&updated, None).await {
                    Ok(()) => user_store::list().await,
                    Err(e) => Err(e),
                };
                match done {
                    Ok(list) => on_list.emit(list),
                    Err(e) => error.set(Some(format!(
                        "The supernet of {} could not be removed: {e}",
                        meta.name
                    ))),
                }
                busy.set(None);
            });
        })
    };
    UserSupernet {
        import,
        remove,
        busy: (*busy).clone(),
        error: (*error).clone(),
    }
}
