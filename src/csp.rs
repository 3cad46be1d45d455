//! The Content-Security-Policy, shared by the page shell (which knows the
//! per-response script nonce) and the header layer (which covers the rest).

/// The policy text. `script-src` never allows inline script: the hydration
/// bootstrap runs under a per-response nonce, and `'wasm-unsafe-eval'` lets the
/// browser compile our WebAssembly without allowing `eval`.
pub fn content_security_policy(nonce: Option<&str>) -> String {
    let nonce = nonce.map(|n| format!(" 'nonce-{n}'")).unwrap_or_default();
    format!(
        "default-src 'self'; script-src 'self'{nonce} 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; \
         object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_allows_inline_script() {
        for policy in [
            content_security_policy(None),
            content_security_policy(Some("abc")),
        ] {
            let script_src = policy
                .split(';')
                .find(|d| d.trim().starts_with("script-src"))
                .unwrap();
            assert!(!script_src.contains("unsafe-inline"));
            assert!(policy.contains("frame-ancestors 'none'"));
        }
        assert!(content_security_policy(Some("abc")).contains("'nonce-abc'"));
    }
}
