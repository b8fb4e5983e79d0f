//! What a key or the palette can ask for. Keys bind only to these, so help and the palette are
//! generated from the same list and cannot drift from the keymap.

use crate::domain::{Op, ResourceKind};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Command {
    Up,
    Down,
    Top,
    Bottom,
    PageUp,
    PageDown,
    PaneInstances,
    PaneDisks,
    PaneLoadBalancers,
    PaneCosts,
    PaneNetworks,
    NextPane,
    PrevPane,
    Filter,
    Palette,
    Mark,
    MarkAll,
    Help,
    Open,
    Back,
    CopyId,
    Refresh,
    SortNext,
    SortReverse,
    ToggleTheme,
    Quit,
    Start,
    Stop,
    Reboot,
    /// Azure: power off without deallocating (still billed).
    PowerOff,
    /// Terminate an instance, delete a disk or a load balancer: whatever the pane holds.
    Delete,
    CreateInstance,
    CreateDisk,
    CreateLoadBalancer,
    AttachDisk,
    DetachDisk,
    Register,
    Deregister,
    EditTags,
    /// On the Networks pane: allow traffic into one of the network's security groups.
    AddRule,
    /// On the Networks pane: remove the rule that allows that traffic in.
    RemoveRule,
    /// In the Costs pane: take the selected finding's saving.
    ApplyFinding,
    /// The same shape on every cloud, for the selected instance.
    Compare,
    /// The actions that failed, with the provider's words.
    Errors,
    /// Every action of this session and the journal's recent ones, with outcome and error.
    Operations,
    /// Keep every pane to one account, provider or region (`:ctx`), or to all of them again.
    Scope,
    /// Show the TOML that saves this pane, filter, sort and scope as a view.
    ViewSave,
    /// Pick the column to sort by (its name, fuzzy matched), not only cycle.
    SortBy,
}

impl Command {
    pub const ALL: [Command; 48] = [
        Command::Up,
        Command::Down,
        Command::Top,
        Command::Bottom,
        Command::PageUp,
        Command::PageDown,
        Command::PaneInstances,
        Command::PaneDisks,
        Command::PaneLoadBalancers,
        Command::PaneCosts,
        Command::PaneNetworks,
        Command::NextPane,
        Command::PrevPane,
        Command::Filter,
        Command::Palette,
        Command::Mark,
        Command::MarkAll,
        Command::Help,
        Command::Open,
        Command::Back,
        Command::CopyId,
        Command::Refresh,
        Command::SortNext,
        Command::SortReverse,
        Command::ToggleTheme,
        Command::Quit,
        Command::Start,
        Command::Stop,
        Command::Reboot,
        Command::PowerOff,
        Command::Delete,
        Command::CreateInstance,
        Command::CreateDisk,
        Command::CreateLoadBalancer,
        Command::AttachDisk,
        Command::DetachDisk,
        Command::Register,
        Command::Deregister,
        Command::EditTags,
        Command::AddRule,
        Command::RemoveRule,
        Command::ApplyFinding,
        Command::Compare,
        Command::Errors,
        Command::Operations,
        Command::Scope,
        Command::ViewSave,
        Command::SortBy,
    ];

    /// The palette's name for it.
    pub fn name(self) -> &'static str {
        match self {
            Command::Up => "up",
            Command::Down => "down",
            Command::Top => "top",
            Command::Bottom => "bottom",
            Command::PageUp => "page-up",
            Command::PageDown => "page-down",
            Command::PaneInstances => "pane-instances",
            Command::PaneDisks => "pane-disks",
            Command::PaneLoadBalancers => "pane-load-balancers",
            Command::PaneCosts => "pane-costs",
            Command::PaneNetworks => "pane-networks",
            Command::NextPane => "next-pane",
            Command::PrevPane => "prev-pane",
            Command::Filter => "filter",
            Command::Palette => "palette",
            Command::Mark => "mark",
            Command::MarkAll => "mark-all",
            Command::Help => "help",
            Command::Open => "open",
            Command::Back => "back",
            Command::CopyId => "copy-id",
            Command::Refresh => "refresh",
            Command::SortNext => "sort-next",
            Command::SortReverse => "sort-reverse",
            Command::ToggleTheme => "toggle-theme",
            Command::Quit => "quit",
            Command::Start => "start",
            Command::Stop => "stop",
            Command::Reboot => "reboot",
            Command::PowerOff => "power-off",
            Command::Delete => "delete",
            Command::CreateInstance => "create-instance",
            Command::CreateDisk => "create-disk",
            Command::CreateLoadBalancer => "create-load-balancer",
            Command::AttachDisk => "attach-disk",
            Command::DetachDisk => "detach-disk",
            Command::Register => "register",
            Command::Deregister => "deregister",
            Command::EditTags => "edit-tags",
            Command::AddRule => "add-rule",
            Command::RemoveRule => "remove-rule",
            Command::ApplyFinding => "apply-finding",
            Command::Compare => "compare",
            Command::Errors => "errors",
            Command::Operations => "operations",
            Command::Scope => "scope",
            Command::ViewSave => "view-save",
            Command::SortBy => "sort-by",
        }
    }

    /// Other words for it, from the clouds' CLIs and k9s, that the palette also matches
    /// (`:terminate` finds `delete`).
    pub fn aliases(self) -> &'static [&'static str] {
        match self {
            Command::Delete => &["terminate", "remove", "rm", "destroy", "kill"],
            Command::Start => &["power-on", "boot", "resume"],
            Command::Stop => &["shutdown", "halt", "deallocate"],
            Command::Reboot => &["restart", "reset"],
            Command::EditTags => &["tag", "label", "untag"],
            Command::AddRule => &["allow", "open-port", "ingress", "authorize"],
            Command::RemoveRule => &["revoke", "close-port", "disallow"],
            Command::Register => &["add-target"],
            Command::Deregister => &["remove-target"],
            Command::AttachDisk => &["mount"],
            Command::DetachDisk => &["unmount"],
            Command::CreateInstance => &["run-instance", "launch", "new-vm"],
            Command::Errors => &["failures"],
            Command::Operations => &["ops", "events", "history", "journal", "actions"],
            Command::Compare => &["price-compare"],
            Command::PaneInstances => &["instances", "vms", "machines"],
            Command::PaneDisks => &["disks", "volumes"],
            Command::PaneLoadBalancers => &["lbs", "load-balancers"],
            Command::PaneCosts => &["costs", "prices"],
            Command::PaneNetworks => &["networks", "vpcs", "vnets", "firewalls", "security"],
            Command::Quit => &["exit"],
            Command::Scope => &["ctx", "context"],
            Command::ViewSave => &["save-view"],
            _ => &[],
        }
    }

    pub fn from_name(s: &str) -> Option<Command> {
        Command::ALL.into_iter().find(|c| c.name() == s)
    }

    pub fn desc(self) -> &'static str {
        match self {
            Command::Up => "Move up",
            Command::Down => "Move down",
            Command::Top => "Go to the first row",
            Command::Bottom => "Go to the last row",
            Command::PageUp => "Page up",
            Command::PageDown => "Page down",
            Command::PaneInstances => "Show instances",
            Command::PaneDisks => "Show disks",
            Command::PaneLoadBalancers => "Show load balancers",
            Command::PaneCosts => "Show costs",
            Command::PaneNetworks => "Show networks (subnets, security groups, findings)",
            Command::NextPane => "Next pane",
            Command::PrevPane => "Previous pane",
            Command::Filter => "Filter rows (the filter language)",
            Command::Palette => "Open the command palette",
            Command::Mark => "Mark or unmark the row",
            Command::MarkAll => "Mark every shown row (again: clear marks)",
            Command::Help => "Show keys and commands",
            Command::Open => "Open the detail view",
            Command::Back => "Back / clear filter and marks",
            Command::CopyId => "Copy the id (OSC 52: works over SSH and tmux)",
            Command::Refresh => "Refresh every account now",
            Command::SortNext => "Sort by the next column",
            Command::SortReverse => "Reverse the sort",
            Command::ToggleTheme => "Switch dark / light theme",
            Command::Quit => "Quit",
            Command::Start => "Start the instance(s)",
            Command::Stop => "Stop the instance(s)",
            Command::Reboot => "Reboot the instance(s)",
            Command::PowerOff => {
                "Power off without deallocating (Azure: stopped, compute still billed)"
            }
            Command::Delete => "Terminate / delete the selection",
            Command::CreateInstance => "Create an instance (form)",
            Command::CreateDisk => "Create a disk (form)",
            Command::CreateLoadBalancer => "Create a load balancer (form)",
            Command::AttachDisk => "Attach the disk to an instance in its zone",
            Command::DetachDisk => "Detach the disk from its instance",
            Command::Register => "Register an instance with the load balancer",
            Command::Deregister => "Deregister a target from the load balancer",
            Command::EditTags => "Set or remove tags (k=v, -k)",
            Command::AddRule => "Allow traffic in: [group] port[/udp] source CIDR",
            Command::RemoveRule => "Remove the rule allowing [group] port[/udp] source CIDR",
            Command::ApplyFinding => "Take the selected finding's saving (its action, confirmed)",
            Command::Compare => "Price this machine's shape on every cloud",
            Command::Errors => "Show the actions that failed, in the provider's words",
            Command::Operations => {
                "Every action of this session and the journal's recent ones: outcome, progress, error"
            }
            Command::Scope => "Keep every pane to one account, provider or region (or all)",
            Command::ViewSave => "Show the TOML that saves this pane, filter and sort as a view",
            Command::SortBy => "Sort by a column you pick (type a few letters of it)",
        }
    }

    /// The provider operation behind it on a pane of `kind`, for capabilities and read-only
    /// (None: no fixed one; `apply-finding`'s depends on the finding).
    pub fn op(self, kind: Option<ResourceKind>) -> Option<Op> {
        Some(match self {
            Command::Start => Op::Start,
            Command::Stop => Op::Stop,
            Command::Reboot => Op::Reboot,
            Command::PowerOff => Op::PowerOff,
            Command::Delete => match kind? {
                ResourceKind::Instance => Op::Terminate,
                ResourceKind::Disk => Op::DeleteDisk,
                ResourceKind::LoadBalancer => Op::DeleteLoadBalancer,
                ResourceKind::Network => Op::DeleteNetwork,
            },
            Command::CreateInstance => Op::CreateInstance,
            Command::CreateDisk => Op::CreateDisk,
            Command::CreateLoadBalancer => Op::CreateLoadBalancer,
            Command::AttachDisk => Op::AttachDisk,
            Command::DetachDisk => Op::DetachDisk,
            Command::Register => Op::RegisterTargets,
            Command::Deregister => Op::DeregisterTargets,
            Command::EditTags => Op::Tag,
            Command::AddRule => Op::AddIngressRule,
            Command::RemoveRule => Op::RemoveIngressRule,
            _ => return None,
        })
    }

    /// Changes something in a cloud (hidden in read-only mode).
    pub fn changes(self) -> bool {
        self.op(Some(ResourceKind::Instance)).is_some() || self == Command::ApplyFinding
    }

    /// Asks with a confirmation that defaults to No: its operation loses something, or (taking
    /// a finding's saving) it terminates or deletes whatever the finding names. A tag change is
    /// dangerous only when it lifts a protection, which the policy decides per request.
    pub fn dangerous(self, kind: Option<ResourceKind>) -> bool {
        self == Command::ApplyFinding || self.op(kind).is_some_and(|o| o.dangerous())
    }

    /// Which panes it belongs to (None: every pane).
    pub fn kinds(self) -> Option<&'static [ResourceKind]> {
        use ResourceKind as K;
        Some(match self {
            Command::Start
            | Command::Stop
            | Command::Reboot
            | Command::PowerOff
            | Command::CreateInstance => &[K::Instance],
            Command::CreateDisk | Command::AttachDisk | Command::DetachDisk => &[K::Disk],
            Command::CreateLoadBalancer | Command::Register | Command::Deregister => {
                &[K::LoadBalancer]
            }
            // Shapes are priced for machines only.
            Command::Compare => &[K::Instance],
            Command::Delete => &[K::Instance, K::Disk, K::LoadBalancer, K::Network],
            Command::EditTags => &[K::Instance, K::Disk, K::LoadBalancer],
            Command::AddRule | Command::RemoveRule => &[K::Network],
            Command::Mark | Command::MarkAll | Command::Open | Command::CopyId => {
                &[K::Instance, K::Disk, K::LoadBalancer, K::Network]
            }
            _ => return None,
        })
    }

    /// Acts on the selected or marked rows (needs one).
    pub fn needs_selection(self) -> bool {
        matches!(
            self,
            Command::Start
                | Command::Stop
                | Command::Reboot
                | Command::PowerOff
                | Command::Delete
                | Command::AttachDisk
                | Command::DetachDisk
                | Command::Register
                | Command::Deregister
                | Command::EditTags
                | Command::AddRule
                | Command::RemoveRule
                | Command::Open
                | Command::CopyId
                | Command::Mark
                | Command::Compare
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_danger_is_per_kind() {
        for c in Command::ALL {
            assert_eq!(Command::from_name(c.name()), Some(c));
            assert!(!c.desc().is_empty());
        }
        assert!(Command::Delete.dangerous(Some(ResourceKind::Disk)));
        assert!(!Command::Stop.dangerous(Some(ResourceKind::Instance)));
        assert!(Command::DetachDisk.dangerous(None));
        assert!(!Command::Down.changes());
        assert!(Command::ApplyFinding.changes());
        assert!(Command::ApplyFinding.dangerous(None));
        assert_eq!(Command::ApplyFinding.op(None), None, "no made-up operation");
        assert!(!Command::Errors.changes());
    }
}
