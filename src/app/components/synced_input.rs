//! An `<input>` whose text the user owns while typing: the value from the state is
//! written into the element only when that value changes (yew's `value=` writes it on
//! every render, which would erase half-typed numbers whenever a progress event re-renders
//! the page between a keystroke and the `change` event).

use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::app::setting_fields::Field;

/// The `change` handler of a settings control (an input or a `<select>`): sends its
/// value with the field it sets (`Action::SetSetting`).
pub fn edit_setting(on_settings: &Callback<(Field, String)>, f: Field) -> Callback<Event> {
    let cb = on_settings.clone();
    Callback::from(move |e: Event| {
        let value = match e.target_dyn_into::<HtmlSelectElement>() {
            Some(select) => select.value(),
            None => e.target_unchecked_into::<HtmlInputElement>().value(),
        };
        cb.emit((f, value));
    })
}

/// Props of [`SyncedInput`].
#[derive(Properties, PartialEq)]
pub struct SyncedInputProps {
    /// The value from the state.
    pub value: AttrValue,
    /// `number` or `text`.
    #[prop_or(AttrValue::Static("text"))]
    pub kind: AttrValue,
    /// `data-setting` of the input.
    pub setting: AttrValue,
    /// Lower bound (number inputs).
    #[prop_or_default]
    pub min: Option<AttrValue>,
    /// Upper bound (number inputs).
    #[prop_or_default]
    pub max: Option<AttrValue>,
    /// Whether the input is disabled.
    #[prop_or_default]
    pub disabled: bool,
    /// `aria-invalid`.
    #[prop_or_default]
    pub invalid: bool,
    /// The committed text (`change`).
    pub onchange: Callback<Event>,
}

/// The input.
#[component]
pub fn SyncedInput(props: &SyncedInputProps) -> Html {
    let node = use_node_ref();
    {
        let node = node.clone();
        use_effect_with(props.value.clone(), move |value| {
            if let Some(input) = node.cast::<HtmlInputElement>() {
                if input.value() != value.as_str() {
                    input.set_value(value);
                }
            }
        });
    }
    let step = (props.kind.as_str() == "number").then_some("1");
    let inputmode = (props.kind.as_str() == "text").then_some("decimal");
    html! {
        <input ref={node} type={props.kind.clone()} min={props.min.clone()} max={props.max.clone()} {step} {inputmode}
               data-setting={props.setting.clone()} disabled={props.disabled} onchange={props.onchange.clone()}
               aria-invalid={props.invalid.to_string()} />
    }
}
