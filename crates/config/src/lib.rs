//! saker-config: `/etc/saker/saker.yaml` (or `-c FILE`) with falco.yaml's key names and
//! defaults, `${ENV}` expansion, `-o key.path=value` overrides, unknown keys reported as
//! warnings at `file:line`, wrong types as errors at `file:line`.
//!
//! Each section is a serde struct; `build*` methods turn them into the runtime objects of
//! `saker-output` and `saker-server`.
//!
//! ```
//! let yaml = "json_output: true\nwebserver:\n  listen_port: ${PORT}\n  colour: blue\n";
//! let env = |name: &str| (name == "PORT").then(|| "9000".to_string());
//! let loaded = saker_config::load_str(yaml, "saker.yaml", &["priority=warning".into()], env).unwrap();
//! assert!(loaded.config.json_output);
//! assert_eq!(loaded.config.webserver.listen_port, 9000);
//! assert_eq!(loaded.config.priority, saker_event::Priority::Warning);
//! assert_eq!(loaded.warnings[0].to_string(),
//!            "saker.yaml:4: warning: unknown configuration key `webserver.colour`");
//! ```

mod build;
mod error;
mod load;
mod model;
mod position;

pub use error::{ConfigError, ConfigWarning, UnknownKey};
pub use load::{ConfigSource, DEFAULT_CONFIG_PATH, LoadedConfig, load, load_str};
pub use model::*;
