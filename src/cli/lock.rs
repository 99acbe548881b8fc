//! `strata lock show`: who holds the state lock. For a remote state this is how a team finds
//! the pipeline or person holding it (the record names the CI job when there is one), and how
//! long until its lease runs out; `force-unlock ID` removes it before that.

use super::args::{LockArgs, LockCommand, LockShowArgs};
use super::session::Session;
use crate::error::{Error, exit};

/// Run the command.
pub fn lock(session: &Session, args: &LockArgs) -> Result<i32, Error> {
    match &args.command {
        LockCommand::Show(a) => show(session, a),
    }
}

fn show(session: &Session, args: &LockShowArgs) -> Result<i32, Error> {
    let backend = session.settings(&args.common)?.state.backend()?;
    let record = session.block_on(backend.lock_record())?;
    if args.json {
        let text = serde_json::to_string_pretty(&record).expect("a lock record serialises");
        println!("{text}");
        return Ok(exit::OK);
    }
    match record {
        None => println!("The state at {} is not locked.", backend.shown()),
        Some(info) => {
            println!("The state at {} is locked.", backend.shown());
            println!("  ID:        {}", info.id);
            println!("  Operation: {}", info.operation);
            println!("  Who:       {}", info.who);
            println!("  Strata:    {}", info.version);
            println!("  Created:   {}", info.created);
            if let Some(expires) = &info.expires {
                println!("  Expires:   {expires}");
            }
            if let Some(ci) = &info.ci {
                println!("  CI job:    {ci}");
            }
            println!(
                "\nIf that process is gone or stuck: strata force-unlock {}",
                info.id
            );
        }
    }
    Ok(exit::OK)
}
