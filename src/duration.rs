//! Durations as Terraform and Strata's config write them: `30s`, `5m`, `1h30m`, `500ms`.

/// Parse a duration as Terraform writes it: a number and a unit (ms, s, m, h), or several
/// (`1m30s`).
pub fn parse(text: &str) -> Result<std::time::Duration, String> {
    let bad = || {
        format!("invalid duration {text:?}: use a number and a unit, e.g. 30s, 5m, 1h30m, 500ms")
    };
    let mut total = std::time::Duration::ZERO;
    let mut rest = text.trim();
    if rest == "0" {
        return Ok(total);
    }
    while !rest.is_empty() {
        let digits = rest.find(|c: char| !c.is_ascii_digit()).ok_or_else(bad)?;
        let n: u64 = rest[..digits].parse().map_err(|_| bad())?;
        rest = &rest[digits..];
        let unit_len = rest
            .find(|c: char| c.is_ascii_digit())
            .unwrap_or(rest.len());
        let unit = match &rest[..unit_len] {
            "ms" => std::time::Duration::from_millis(n),
            "s" => std::time::Duration::from_secs(n),
            "m" => std::time::Duration::from_secs(n * 60),
            "h" => std::time::Duration::from_secs(n * 3600),
            _ => return Err(bad()),
        };
        total += unit;
        rest = &rest[unit_len..];
    }
    Ok(total)
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    #[test]
    fn units_and_sums() {
        assert_eq!(super::parse("30s"), Ok(Duration::from_secs(30)));
        assert_eq!(super::parse("1m30s"), Ok(Duration::from_secs(90)));
        assert_eq!(super::parse("500ms"), Ok(Duration::from_millis(500)));
        assert_eq!(super::parse("0"), Ok(Duration::ZERO));
        assert!(super::parse("5 minutes").is_err());
        assert!(super::parse("s").is_err());
    }
}
