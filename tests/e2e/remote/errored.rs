//! A network failure on the final write of an apply: the schema changed, the state could not
//! be written, so the new state is kept in `errored.strata.json` with the command that pushes
//! it once the store is back.

use super::{configure, holder_at_prompt, s3_block, server};
use crate::common::Scratch;
use strata::state::file::decode;
use strata_schema::Dialect;

#[test]
fn a_network_error_on_the_final_write_keeps_the_state_in_errored_strata_json() {
    let mut store = server::Own::start();
    let s = Scratch::new(Dialect::Sqlite, "errored_remote");
    s.write(
        "schema.sql",
        "CREATE TABLE users (id integer PRIMARY KEY);\n",
    );
    let bucket = server::bucket_on(&store.endpoint, "errored");
    configure(&s, &s3_block(&store.endpoint, &bucket, "60s"));
    // Planned, locked and waiting for approval: then the store goes away.
    let mut apply = holder_at_prompt(&s);
    store.stop();
    apply.send_line("yes").expect("approve");
    let out = apply.exp_eof().expect("apply ends");
    let status = apply.process().wait().expect("exit status");
    assert!(
        matches!(status, rexpect::process::WaitStatus::Exited(_, 1)),
        "{status:?}\n{out}"
    );
    assert!(
        out.contains("the schema changes were applied, but writing the state failed")
            && out.contains("strata state push errored.strata.json"),
        "{out}"
    );
    assert_eq!(
        s.query_i64("SELECT count(*) FROM sqlite_master WHERE name = 'users'"),
        1,
        "the DDL ran"
    );
    let kept = std::fs::read_to_string(s.dir.path().join("errored.strata.json"))
        .expect("errored.strata.json");
    let state = decode(&kept, "errored.strata.json").expect("a valid state");
    assert!(state.objects.contains_key("table.main.users"), "{kept}");
}
