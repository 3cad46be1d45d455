//! Files the person picks in an `<input type=file>`.

/// The text of the first file picked in the file input with id `id`,
/// read as UTF-8; `None` when none is picked (or on the server).
pub async fn picked_file_text(id: &str) -> Option<String> {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        use wasm_bindgen_futures::JsFuture;

        let input: web_sys::HtmlInputElement = leptos::prelude::document()
            .get_element_by_id(id)?
            .dyn_into()
            .ok()?;
        let file = input.files()?.get(0)?;
        // Cleared at once, so picking the same file again fires `change`.
        input.set_value("");
        JsFuture::from(file.text()).await.ok()?.as_string()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = id;
        None
    }
}
