//! Checking and normalising custom endpoints: URL syntax, no credentials in URLs, plain
//! HTTP only on loopback, Codex's presets (LM Studio, Azure's Responses shape).

use url::{Host, Url};

use crate::account::{Endpoint, EndpointInput, EndpointPreset};
use crate::catalog::ProviderInfo;
use crate::error::{Error, Result};

const AZURE_HOST_SUFFIXES: [&str; 3] = [
    ".openai.azure.com",
    ".cognitiveservices.azure.com",
    ".services.ai.azure.com",
];

fn is_loopback(host: &Host<&str>) -> bool {
    match host {
        Host::Domain(d) => d.eq_ignore_ascii_case("localhost"),
        Host::Ipv4(ip) => ip.is_loopback(),
        Host::Ipv6(ip) => ip.is_loopback(),
    }
}

fn parse_base_url(raw: &str) -> Result<Url> {
    let url = Url::parse(raw.trim()).map_err(|e| {
        Error::InvalidInput(format!(
            "The base URL is not a valid URL ({e}); it should look like https://host/v1."
        ))
    })?;
    let Some(host) = url.host() else {
        return Err(Error::InvalidInput("The base URL has no host.".to_owned()));
    };
    if !url.username().is_empty() || url.password().is_some() {
        return Err(Error::InvalidInput(
            "The base URL contains a user name or password; put the key in the key field, never in the URL.".to_owned(),
        ));
    }
    match url.scheme() {
        "https" => {}
        "http" if is_loopback(&host) => {}
        "http" => {
            return Err(Error::InvalidInput(
                "Plain http:// would send your key unencrypted; use https://, or http:// only for localhost.".to_owned(),
            ))
        }
        other => {
            return Err(Error::InvalidInput(format!(
                "The base URL must start with https:// (it starts with {other}://)."
            )))
        }
    }
    Ok(url)
}

fn without_trailing_slash(url: &Url) -> String {
    url.as_str().trim_end_matches('/').to_owned()
}

fn check_api_version(version: &str) -> Result<()> {
    if version.len() > 40
        || !version
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c))
    {
        return Err(Error::InvalidInput(format!(
            "\u{201c}{version}\u{201d} is not an API version; versions look like v1beta or 2025-04-01-preview."
        )));
    }
    Ok(())
}

/// Normalises an endpoint for `info`: fills preset defaults, rewrites Azure URLs, rejects
/// presets the provider does not offer and URLs that would leak a key.
pub fn normalize_endpoint(info: &ProviderInfo, input: Option<EndpointInput>) -> Result<Endpoint> {
    let Some(input) = input else {
        return Ok(Endpoint::default());
    };
    let base_url = input
        .base_url
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    let api_version = input
        .api_version
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    let Some(option) = info
        .endpoint_presets
        .iter()
        .find(|o| o.preset == input.preset)
    else {
        return Err(Error::InvalidInput(format!(
            "{} does not offer the endpoint type {:?}.",
            info.display_name,
            input.preset.as_str()
        )));
    };
    if let Some(version) = api_version {
        if !info.takes_api_version {
            return Err(Error::InvalidInput(format!(
                "{} does not take an API version.",
                info.display_name
            )));
        }
        check_api_version(version)?;
    }
    let endpoint = match input.preset {
        EndpointPreset::Default => Endpoint::default(),
        EndpointPreset::LocalResponses => {
            let url = parse_base_url(base_url.unwrap_or(option.placeholder))?;
            if !url.host().is_some_and(|h| is_loopback(&h)) {
                return Err(Error::InvalidInput(
                    "A local endpoint must be on this machine (localhost or 127.0.0.1); use \"Responses-compatible hosted\" for a server elsewhere."
                        .to_owned(),
                ));
            }
            Endpoint {
                preset: input.preset,
                base_url: Some(without_trailing_slash(&url)),
                api_version: api_version.map(str::to_owned),
            }
        }
        EndpointPreset::AzureOpenai => {
            let raw = base_url.ok_or_else(|| {
                Error::InvalidInput(
                    "Enter your Azure OpenAI endpoint, e.g. https://my-resource.openai.azure.com."
                        .to_owned(),
                )
            })?;
            let url = parse_base_url(raw)?;
            let host = url.host_str().unwrap_or_default().to_ascii_lowercase();
            if url.scheme() != "https" || !AZURE_HOST_SUFFIXES.iter().any(|s| host.ends_with(s)) {
                return Err(Error::InvalidInput(
                    "An Azure OpenAI endpoint looks like https://<resource>.openai.azure.com."
                        .to_owned(),
                ));
            }
            Endpoint {
                preset: input.preset,
                // Codex posts to {base_url}/responses?api-version=…; Azure serves that under /openai.
                base_url: Some(format!("https://{host}/openai")),
                api_version: api_version
                    .or(option.default_api_version)
                    .map(str::to_owned),
            }
        }
        EndpointPreset::ResponsesHosted | EndpointPreset::Custom => {
            let raw = base_url.ok_or_else(|| {
                Error::InvalidInput("Enter the base URL of the endpoint.".to_owned())
            })?;
            Endpoint {
                preset: input.preset,
                base_url: Some(without_trailing_slash(&parse_base_url(raw)?)),
                api_version: api_version.map(str::to_owned),
            }
        }
    };
    Ok(endpoint)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::ProviderId;
    use crate::providers::info;

    fn endpoint(
        preset: EndpointPreset,
        url: Option<&str>,
        version: Option<&str>,
    ) -> Option<EndpointInput> {
        Some(EndpointInput {
            preset,
            base_url: url.map(Into::into),
            api_version: version.map(Into::into),
        })
    }

    #[test]
    fn codex_presets_normalise() {
        let codex = info(ProviderId::Codex);
        let local = normalize_endpoint(codex, endpoint(EndpointPreset::LocalResponses, None, None))
            .expect("local");
        assert_eq!(local.base_url.as_deref(), Some("http://localhost:1234/v1"));
        let azure = normalize_endpoint(
            codex,
            endpoint(
                EndpointPreset::AzureOpenai,
                Some("https://My-Res.openai.azure.com/openai/deployments/gpt-5/chat/completions?api-version=x"),
                None,
            ),
        )
        .expect("azure");
        assert_eq!(
            azure.base_url.as_deref(),
            Some("https://my-res.openai.azure.com/openai")
        );
        assert_eq!(azure.api_version.as_deref(), Some("2025-04-01-preview"));
        let hosted = normalize_endpoint(
            codex,
            endpoint(
                EndpointPreset::ResponsesHosted,
                Some("https://litellm.example.com/v1/"),
                None,
            ),
        )
        .expect("hosted");
        assert_eq!(
            hosted.base_url.as_deref(),
            Some("https://litellm.example.com/v1")
        );
        assert_eq!(
            normalize_endpoint(
                codex,
                endpoint(EndpointPreset::Default, Some("https://x"), None)
            )
            .expect("d"),
            Endpoint::default()
        );
    }

    #[test]
    fn endpoints_that_would_leak_a_key_are_refused() {
        let codex = info(ProviderId::Codex);
        for (preset, url) in [
            (EndpointPreset::Custom, "http://proxy.example.com/v1"),
            (
                EndpointPreset::Custom,
                "https://user:pass@proxy.example.com/v1",
            ),
            (EndpointPreset::Custom, "ftp://proxy.example.com"),
            (EndpointPreset::Custom, "not a url"),
            (EndpointPreset::AzureOpenai, "https://evil.example.com"),
            (EndpointPreset::LocalResponses, "http://10.0.0.5:1234/v1"),
        ] {
            assert!(
                normalize_endpoint(codex, endpoint(preset, Some(url), None)).is_err(),
                "{url}"
            );
        }
        assert!(normalize_endpoint(
            codex,
            endpoint(
                EndpointPreset::Custom,
                Some("http://127.0.0.1:8080/v1"),
                None
            )
        )
        .is_ok());
    }

    #[test]
    fn api_version_and_codex_presets_only_where_offered() {
        let claude = info(ProviderId::Claude);
        assert!(normalize_endpoint(
            claude,
            endpoint(
                EndpointPreset::Custom,
                Some("https://gw.example"),
                Some("v1")
            )
        )
        .is_err());
        assert!(normalize_endpoint(
            claude,
            endpoint(
                EndpointPreset::AzureOpenai,
                Some("https://x.openai.azure.com"),
                None
            )
        )
        .is_err());
        let gemini = info(ProviderId::Gemini);
        let ok = normalize_endpoint(
            gemini,
            endpoint(
                EndpointPreset::Custom,
                Some("https://gw.example"),
                Some("v1beta"),
            ),
        )
        .expect("ok");
        assert_eq!(ok.api_version.as_deref(), Some("v1beta"));
        assert!(normalize_endpoint(
            gemini,
            endpoint(
                EndpointPreset::Custom,
                Some("https://gw.example"),
                Some("v1 beta")
            )
        )
        .is_err());
    }
}
