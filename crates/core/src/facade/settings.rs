//! The user's settings, kept in the database so every Switchboard process (the window, the
//! command line, the link handler) reads the same ones.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::Result;

use super::Switchboard;

const LINKS_SWITCH_WITHOUT_ASKING: &str = "links_switch_without_asking";

/// What the user chose.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Settings {
    /// Whether a `switchboard://use` or `next` link (which any web page can open) switches
    /// accounts at once. Off: the window shows what the link asks and waits for a click.
    pub links_switch_without_asking: bool,
}

impl Switchboard {
    pub fn settings(&self) -> Result<Settings> {
        self.store.read(|tx| {
            Ok(Settings {
                links_switch_without_asking: tx.setting(LINKS_SWITCH_WITHOUT_ASKING)?.as_deref()
                    == Some("on"),
            })
        })
    }

    /// Saves every setting at once.
    pub fn save_settings(&self, settings: &Settings) -> Result<Settings> {
        self.store.transaction(|tx| {
            tx.set_setting(
                LINKS_SWITCH_WITHOUT_ASKING,
                if settings.links_switch_without_asking {
                    "on"
                } else {
                    "off"
                },
            )
        })?;
        self.settings()
    }
}
