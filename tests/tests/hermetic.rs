//! The tests' own promise: nothing a test does can reach a real provider. Until a test
//! starts a fake provider, `TestEnv` points every provider's every endpoint at a closed
//! loopback port; this checks that no endpoint a provider has is left out.

use switchboard_core::catalog::ProviderId;
use switchboard_core::providers;
use switchboard_tests::TestEnv;

#[test]
fn every_endpoint_of_every_provider_is_loopback_in_a_test() {
    let env = TestEnv::new();
    let overrides = &env.config.endpoints;
    for provider in ProviderId::ALL {
        let base = overrides
            .api_base(provider)
            .unwrap_or_else(|| panic!("{provider:?}: no api_base override"));
        assert!(
            base.starts_with("http://127.0.0.1:"),
            "{provider:?}: {base}"
        );
        let Some(client) = providers::get(provider).oauth_client() else {
            continue;
        };
        let client = overrides.apply(client);
        for (name, url) in [
            ("authorize_url", Some(&client.authorize_url)),
            ("token_url", Some(&client.token_url)),
            ("userinfo_url", client.userinfo_url.as_ref()),
            ("revoke_url", client.revoke_url.as_ref()),
            ("usage_url", client.usage_url.as_ref()),
            ("paste_redirect_uri", client.paste_redirect_uri.as_ref()),
            ("device_code_url", client.device_code_url.as_ref()),
            ("device_token_url", client.device_token_url.as_ref()),
            (
                "device_verification_url",
                client.device_verification_url.as_ref(),
            ),
            ("device_redirect_uri", client.device_redirect_uri.as_ref()),
        ] {
            if let Some(url) = url {
                assert!(
                    url.starts_with("http://127.0.0.1:"),
                    "{provider:?} {name} reaches {url} in a test"
                );
            }
        }
    }
}
