//! A NIC's membership of load balancer backend pools, changed in the NIC's JSON as ARM gave it.
//! Only `loadBalancerBackendAddressPools` of the primary IP configuration is touched; every
//! other field (those the generated 0.21 model does not know — `auxiliaryMode`, `nicType`,
//! fields newer than the crate — included) goes back to ARM as it came.

use serde_json::{json, Value};

use crate::providers::{ErrorKind, ProviderError, Result};

/// Add `pool` to (or take it from) the primary IP configuration's backend pools. Pool ids are
/// compared without case. Returns whether anything changed (nothing to PUT when not).
pub fn set_member(nic: &mut Value, pool: &str, member: bool) -> Result<bool> {
    let name = nic
        .get("name")
        .and_then(Value::as_str)
        .unwrap_or("?")
        .to_string();
    let config = primary_config(nic).ok_or_else(|| {
        ProviderError::new(
            ErrorKind::InvalidState,
            format!("NIC {name} has no IP configuration"),
        )
    })?;
    let props = config
        .as_object_mut()
        .ok_or_else(|| unreadable("IP configuration"))?
        .entry("properties")
        .or_insert_with(|| json!({}));
    let props = props
        .as_object_mut()
        .ok_or_else(|| unreadable("IP configuration properties"))?;
    let is_pool = |v: &Value| {
        v.get("id")
            .and_then(Value::as_str)
            .is_some_and(|i| i.eq_ignore_ascii_case(pool))
    };
    let present = props
        .get("loadBalancerBackendAddressPools")
        .and_then(Value::as_array)
        .is_some_and(|a| a.iter().any(is_pool));
    if present == member {
        return Ok(false);
    }
    let list = props
        .entry("loadBalancerBackendAddressPools")
        .or_insert_with(|| json!([]));
    if !list.is_array() {
        *list = json!([]);
    }
    let ids = list.as_array_mut().expect("made an array above");
    if member {
        ids.push(json!({ "id": pool }));
    } else {
        ids.retain(|v| !is_pool(v));
    }
    Ok(true)
}

/// The IP configuration marked primary, else the first.
fn primary_config(nic: &mut Value) -> Option<&mut Value> {
    let configs = nic
        .pointer_mut("/properties/ipConfigurations")?
        .as_array_mut()?;
    let at = configs
        .iter()
        .position(|c| c.pointer("/properties/primary") == Some(&Value::Bool(true)))
        .unwrap_or(0);
    configs.get_mut(at)
}

/// The NIC's etag, for `If-Match`.
pub fn etag(nic: &Value) -> Option<String> {
    nic.get("etag")
        .and_then(Value::as_str)
        .filter(|e| !e.is_empty())
        .map(str::to_string)
}

fn unreadable(what: &str) -> ProviderError {
    ProviderError::new(
        ErrorKind::Unavailable,
        format!("Azure's NIC could not be read: its {what} is not an object"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nic() -> Value {
        json!({"name": "n", "etag": "W/\"1\"", "properties": {"auxiliaryMode": "None",
            "someFutureField": {"x": [1, 2]},
            "ipConfigurations": [
                {"name": "a", "properties": {"primary": false, "privateIPAddress": "10.0.0.5"}},
                {"name": "b", "properties": {"primary": true, "applicationSecurityGroups": [{"id": "/asg"}],
                    "loadBalancerBackendAddressPools": [{"id": "/other/pool"}]}}]}})
    }

    #[test]
    fn only_the_primary_configuration_s_pools_change_and_ids_ignore_case() {
        let before = nic();
        let mut n = before.clone();
        assert!(set_member(&mut n, "/LB/Pool", true).unwrap());
        assert_eq!(
            n.pointer("/properties/ipConfigurations/1/properties/loadBalancerBackendAddressPools")
                .unwrap(),
            &json!([{"id": "/other/pool"}, {"id": "/LB/Pool"}])
        );
        assert!(n
            .pointer("/properties/ipConfigurations/0/properties/loadBalancerBackendAddressPools")
            .is_none());
        assert!(!set_member(&mut n, "/lb/pool", true).unwrap(), "already in");
        assert!(set_member(&mut n, "/lb/POOL", false).unwrap());
        assert_eq!(n, before, "everything else as it was");
        assert!(
            !set_member(&mut n, "/lb/pool", false).unwrap(),
            "already out"
        );
        assert_eq!(etag(&n).as_deref(), Some("W/\"1\""));
    }

    #[test]
    fn a_nic_without_ip_configurations_is_an_error() {
        let mut n = json!({"name": "bare", "properties": {}});
        let e = set_member(&mut n, "/p", true).unwrap_err();
        assert_eq!(e.kind, ErrorKind::InvalidState);
        assert!(e.message.contains("bare"), "{}", e.message);
    }
}
