//! The safety blocks of an env, read into [`Policy`]:
//!
//! ```hcl
//! diff {
//!   skip { drop_table = true }                    # Atlas's keys: leave these out of plans
//!   concurrent_index { add = true  drop = true }  # PostgreSQL: build/drop indexes online
//! }
//! lint { destructive { error = true } }           # refuse destructive plans, prompt or not
//! policy {
//!   allow_hazards       = ["destructive"]         # what -auto-approve may run
//!   data_check_max_rows = 1000000                 # larger tables: estimates, no scans
//!   lock_timeout        = "5s"                    # per apply session
//!   statement_timeout   = "10m"
//! }
//! ```

use super::env::Reading;
use super::shape::{self, Shape};
use crate::error::Located;
use crate::safety::policy::{Policy, SKIP_KEYS};
use hcl::edit::structure::{Block, Body};

const DIFF: Shape = Shape {
    what: "a diff block",
    attributes: &[],
    blocks: &["skip", "concurrent_index"],
};
const SKIP: Shape = Shape {
    what: "a diff.skip block",
    attributes: SKIP_KEYS,
    blocks: &[],
};
const CONCURRENT: Shape = Shape {
    what: "a diff.concurrent_index block",
    attributes: &["add", "drop"],
    blocks: &[],
};
const LINT: Shape = Shape {
    what: "a lint block",
    attributes: &[],
    blocks: &["destructive"],
};
const DESTRUCTIVE: Shape = Shape {
    what: "a lint.destructive block",
    attributes: &["error"],
    blocks: &[],
};
const POLICY: Shape = Shape {
    what: "a policy block",
    attributes: &[
        "allow_hazards",
        "data_check_max_rows",
        "lock_timeout",
        "statement_timeout",
    ],
    blocks: &[],
};

impl Reading<'_> {
    /// Read the env's `diff`, `lint` and `policy` blocks.
    pub(super) fn policy(&self, env: &Body) -> Result<Policy, Box<Located>> {
        let mut policy = Policy::default();
        for diff in env.get_blocks("diff") {
            self.block(diff, &DIFF)?;
            for skip in diff.body.get_blocks("skip") {
                self.block(skip, &SKIP)?;
                for attr in skip.body.attributes() {
                    if self.scope.boolean(self.text, attr)? {
                        policy.skip.insert(attr.key.as_str().to_string());
                    }
                }
            }
            for concurrent in diff.body.get_blocks("concurrent_index") {
                self.block(concurrent, &CONCURRENT)?;
                if let Some(a) = concurrent.body.get_attribute("add") {
                    policy.concurrent_index_add = self.scope.boolean(self.text, a)?;
                }
                if let Some(a) = concurrent.body.get_attribute("drop") {
                    policy.concurrent_index_drop = self.scope.boolean(self.text, a)?;
                }
            }
        }
        for lint in env.get_blocks("lint") {
            self.block(lint, &LINT)?;
            for destructive in lint.body.get_blocks("destructive") {
                self.block(destructive, &DESTRUCTIVE)?;
                if let Some(a) = destructive.body.get_attribute("error") {
                    policy.destructive_error = self.scope.boolean(self.text, a)?;
                }
            }
        }
        for block in env.get_blocks("policy") {
            self.block(block, &POLICY)?;
            let body = &block.body;
            if let Some(a) = body.get_attribute("allow_hazards") {
                for name in self.scope.strings(self.text, a)? {
                    let kind = name
                        .parse()
                        .map_err(|e: String| self.text.error_at(&a.value, e))?;
                    policy.allow_hazards.insert(kind);
                }
            }
            if let Some(a) = body.get_attribute("data_check_max_rows") {
                policy.data_check_max_rows = self.scope.count(self.text, a)?;
            }
            if let Some(a) = body.get_attribute("lock_timeout") {
                policy.lock_timeout = Some(self.scope.string(self.text, a)?);
            }
            if let Some(a) = body.get_attribute("statement_timeout") {
                policy.statement_timeout = Some(self.scope.string(self.text, a)?);
            }
        }
        Ok(policy)
    }

    fn block(&self, block: &Block, shape_of: &Shape) -> Result<(), Box<Located>> {
        shape_of.check(self.text, &block.body)?;
        shape::labels(self.text, block, 0, shape_of.what).map(drop)
    }
}
