//! The glue between `saker run` and saker-response: the `response:` section checked against
//! the loaded rules (problems at `file:line:col`), and the responder's counters in /metrics.

use std::sync::Arc;

use saker_config::LoadedConfig;
use saker_response::{Plan, PlanOptions, Problem, ResponseConfig, ResponseStats};
use saker_rules::ruleset::RuleSet;

/// Why the responses could not be built: every error, rendered.
#[derive(Debug)]
pub struct ResponsesFailure {
    pub message: String,
}

fn render(loaded: &LoadedConfig, problem: &Problem) -> String {
    format!(
        "{}: {}: {}: {}",
        loaded.locate(&problem.path),
        if problem.is_error() {
            "error"
        } else {
            "warning"
        },
        problem.path,
        problem.message
    )
}

/// Checks the `response:` section of `loaded` against `ruleset`; logs the warnings.
pub fn build_plan(loaded: &LoadedConfig, ruleset: &RuleSet) -> Result<Plan, ResponsesFailure> {
    let config = ResponseConfig::from_value(&loaded.config.response).map_err(|problem| {
        ResponsesFailure {
            message: render(loaded, &problem),
        }
    })?;
    let options = PlanOptions {
        min_priority: loaded.config.priority,
    };
    let (plan, problems) = Plan::build(&config, ruleset, &options);
    for problem in problems.iter().filter(|p| !p.is_error()) {
        tracing::warn!("{}", render(loaded, problem));
    }
    plan.ok_or_else(|| ResponsesFailure {
        message: problems
            .iter()
            .filter(|p| p.is_error())
            .map(|p| render(loaded, p))
            .collect::<Vec<_>>()
            .join("\n"),
    })
}

/// The responder's counters as /metrics families.
#[derive(Debug)]
pub struct ResponseMetrics(pub Arc<ResponseStats>);

impl saker_server::Exposition for ResponseMetrics {
    fn render(&self, out: &mut String) {
        self.0.render(out);
    }
}
