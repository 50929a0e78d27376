//! The `container.*` and `k8s.*` fields of one event, with Falco's `<NA>` semantics:
//!
//! - a host process: `container.id`, `container.full_id`, `container.name` and
//!   `container.type` are `host`, every other field is `<NA>`;
//! - a container the runtime has not described (yet, or ever): its id, full id, type (from
//!   the cgroup) and start time, nothing else;
//! - a described container: what the runtime said; a string it left empty is `<NA>`.
//!
//! Sources: falcosecurity/plugins `plugins/container/src/caps/extract/extract.cpp` and, for the
//! health probes the plugin dropped, libsinsp's `sinsp_filtercheck_container.cpp` (libs before
//! the plugin took over).

use std::borrow::Cow;
use std::sync::Arc;

use saker_container::{ContainerMeta, ProbeKind, describe_mounts, join_labels, short_id};
use saker_engine::{Event, FieldArg, Value};

use crate::live_event::LiveEvent;
use crate::mounts;
use crate::process::ProcessEntry;

/// The container and Kubernetes fields, each a small integer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ContainerField {
    Id,
    FullId,
    Name,
    Image,
    ImageId,
    ImageRepository,
    ImageTag,
    ImageDigest,
    Type,
    Privileged,
    Mounts,
    Mount,
    MountSource,
    MountDest,
    MountMode,
    MountRdwr,
    MountPropagation,
    Healthcheck,
    LivenessProbe,
    ReadinessProbe,
    StartTs,
    Duration,
    Ip,
    CniJson,
    HostPid,
    HostNetwork,
    HostIpc,
    Label,
    Labels,
    IsHealthcheck,
    IsLivenessProbe,
    IsReadinessProbe,
    PodName,
    PodUid,
    PodSandboxId,
    PodFullSandboxId,
    PodLabel,
    PodLabels,
    PodIp,
    PodCniJson,
    NsName,
    /// Fields Falco keeps for old rules and never fills (`k8s.rc.*`, `k8s.svc.*`, ...: the
    /// k8smeta plugin's job).
    Deprecated,
}

use ContainerField as F;

pub(crate) const CONTAINER_FIELDS: &[(&str, ContainerField)] = &[
    ("container.id", F::Id),
    ("container.full_id", F::FullId),
    ("container.name", F::Name),
    ("container.image", F::Image),
    ("container.image.id", F::ImageId),
    ("container.image.repository", F::ImageRepository),
    ("container.image.tag", F::ImageTag),
    ("container.image.digest", F::ImageDigest),
    ("container.type", F::Type),
    ("container.privileged", F::Privileged),
    ("container.mounts", F::Mounts),
    ("container.mount", F::Mount),
    ("container.mount.source", F::MountSource),
    ("container.mount.dest", F::MountDest),
    ("container.mount.mode", F::MountMode),
    ("container.mount.rdwr", F::MountRdwr),
    ("container.mount.propagation", F::MountPropagation),
    ("container.healthcheck", F::Healthcheck),
    ("container.liveness_probe", F::LivenessProbe),
    ("container.readiness_probe", F::ReadinessProbe),
    ("container.start_ts", F::StartTs),
    ("container.duration", F::Duration),
    ("container.ip", F::Ip),
    ("container.cni.json", F::CniJson),
    ("container.host_pid", F::HostPid),
    ("container.host_network", F::HostNetwork),
    ("container.host_ipc", F::HostIpc),
    ("container.label", F::Label),
    ("container.labels", F::Labels),
    ("proc.is_container_healthcheck", F::IsHealthcheck),
    ("proc.is_container_liveness_probe", F::IsLivenessProbe),
    ("proc.is_container_readiness_probe", F::IsReadinessProbe),
    ("k8s.pod.name", F::PodName),
    ("k8s.pod.id", F::PodUid),
    ("k8s.pod.uid", F::PodUid),
    ("k8s.pod.sandbox_id", F::PodSandboxId),
    ("k8s.pod.full_sandbox_id", F::PodFullSandboxId),
    ("k8s.pod.label", F::PodLabel),
    ("k8s.pod.labels", F::PodLabels),
    ("k8s.pod.ip", F::PodIp),
    ("k8s.pod.cni.json", F::PodCniJson),
    ("k8s.ns.name", F::NsName),
    ("k8s.ns.id", F::Deprecated),
    ("k8s.ns.label", F::Deprecated),
    ("k8s.ns.labels", F::Deprecated),
    ("k8s.rc.name", F::Deprecated),
    ("k8s.rc.id", F::Deprecated),
    ("k8s.rc.label", F::Deprecated),
    ("k8s.rc.labels", F::Deprecated),
    ("k8s.svc.name", F::Deprecated),
    ("k8s.svc.id", F::Deprecated),
    ("k8s.svc.label", F::Deprecated),
    ("k8s.svc.labels", F::Deprecated),
    ("k8s.rs.name", F::Deprecated),
    ("k8s.rs.id", F::Deprecated),
    ("k8s.rs.label", F::Deprecated),
    ("k8s.rs.labels", F::Deprecated),
    ("k8s.deployment.name", F::Deprecated),
    ("k8s.deployment.id", F::Deprecated),
    ("k8s.deployment.label", F::Deprecated),
    ("k8s.deployment.labels", F::Deprecated),
];

/// A string the runtime may have left empty: empty is `<NA>`.
fn text(s: &str) -> Option<Value<'_>> {
    (!s.is_empty()).then(|| Value::str(s))
}

fn owned<'v>(s: String) -> Option<Value<'v>> {
    Some(Value::Str(Cow::Owned(s)))
}

fn probe_kind(field: ContainerField) -> ProbeKind {
    match field {
        F::Healthcheck | F::IsHealthcheck => ProbeKind::Healthcheck,
        F::LivenessProbe | F::IsLivenessProbe => ProbeKind::Liveness,
        _ => ProbeKind::Readiness,
    }
}

/// True when `process` runs `kind`'s probe command of `meta`.
fn runs_probe(process: &ProcessEntry, meta: &ContainerMeta, kind: ProbeKind) -> bool {
    meta.probes
        .iter()
        .any(|p| p.kind == kind && p.exe == process.exe && p.args == process.args)
}

impl LiveEvent<'_> {
    /// The metadata of the event's pod sandbox container, when the state knows it (the
    /// container plugin's fallback for `k8s.pod.labels`/`ip`/`cni.json`).
    fn sandbox_meta(&self, meta: &ContainerMeta) -> Option<Arc<ContainerMeta>> {
        if meta.pod_sandbox_id.is_empty() || meta.pod_sandbox_id == meta.id {
            return None;
        }
        self.state.container(&meta.pod_sandbox_id)?.meta()
    }

    pub(crate) fn container_value(
        &self,
        field: ContainerField,
        arg: Option<&FieldArg>,
    ) -> Option<Value<'_>> {
        let Some(container) = self.container else {
            // The host.
            return match field {
                F::Id | F::FullId | F::Name | F::Type => Some(Value::str("host")),
                F::IsHealthcheck | F::IsLivenessProbe | F::IsReadinessProbe => {
                    Some(Value::Bool(false))
                }
                _ => None,
            };
        };
        match field {
            F::Id => return Some(Value::str(container.short_id())),
            F::FullId => return Some(Value::str(&container.id)),
            F::Type => return Some(Value::str(container.kind().name())),
            F::StartTs => {
                let start = container.start_ns();
                return (start != 0).then_some(Value::UInt(start));
            }
            F::Duration => {
                let start = container.start_ns();
                return (start != 0).then(|| Value::UInt(self.time_ns().saturating_sub(start)));
            }
            F::Deprecated => return None,
            _ => {}
        }
        let meta: &ContainerMeta = self.container_meta()?;
        let key = || match arg {
            Some(FieldArg::Key(k)) => Some(k.as_str()),
            _ => None,
        };
        match field {
            F::Name => text(&meta.name),
            F::Image => text(&meta.image),
            F::ImageId => text(&meta.image_id),
            F::ImageRepository => text(&meta.image_repository),
            F::ImageTag => text(&meta.image_tag),
            F::ImageDigest => text(&meta.image_digest),
            F::Privileged => Some(Value::Bool(meta.privileged)),
            F::HostPid => Some(Value::Bool(meta.host_pid)),
            F::HostNetwork => Some(Value::Bool(meta.host_network)),
            F::HostIpc => Some(Value::Bool(meta.host_ipc)),
            F::Mounts => owned(describe_mounts(&meta.mounts)),
            F::Mount
            | F::MountSource
            | F::MountDest
            | F::MountMode
            | F::MountRdwr
            | F::MountPropagation => {
                // By index, else by a pattern on the source (on the destination for
                // `container.mount.source`).
                let mount = match arg? {
                    FieldArg::Index(i) => meta.mounts.get(usize::try_from(*i).ok()?),
                    FieldArg::Key(k) if field == F::MountSource => mounts::by_dest(&meta.mounts, k),
                    FieldArg::Key(k) => mounts::by_source(&meta.mounts, k),
                }?;
                match field {
                    F::Mount => owned(mount.describe()),
                    F::MountSource => Some(Value::str(&mount.source)),
                    F::MountDest => Some(Value::str(&mount.dest)),
                    F::MountMode => Some(Value::str(&mount.mode)),
                    F::MountRdwr => Some(Value::str(if mount.rdwr { "true" } else { "false" })),
                    _ => Some(Value::str(&mount.propagation)),
                }
            }
            F::Healthcheck | F::LivenessProbe | F::ReadinessProbe => Some(
                meta.probe(probe_kind(field))
                    .map_or(Value::str("NONE"), |p| {
                        Value::Str(Cow::Owned(p.command_line()))
                    }),
            ),
            F::IsHealthcheck | F::IsLivenessProbe | F::IsReadinessProbe => {
                // The probe's process or one of its children in the container.
                let kind = probe_kind(field);
                let in_probe = self
                    .process
                    .into_iter()
                    .chain(self.ancestors())
                    .take_while(|p| p.container.as_ref().is_some_and(|c| c.id == container.id))
                    .any(|p| runs_probe(p, meta, kind));
                Some(Value::Bool(in_probe))
            }
            F::Ip => text(&meta.ip),
            F::CniJson => text(&meta.cni_json),
            F::Label => meta.label(key()?).map(Value::str),
            F::Labels => owned(join_labels(&meta.labels)),
            F::PodName => meta.pod_name().map(Value::str),
            F::NsName => meta.pod_namespace().map(Value::str),
            F::PodUid => meta.pod_uid().map(Value::str),
            F::PodSandboxId => text(short_id(&meta.pod_sandbox_id)),
            F::PodFullSandboxId => text(&meta.pod_sandbox_id),
            F::PodLabel | F::PodLabels => {
                // The container's own record of its pod's labels, else the sandbox's.
                if !meta.pod_sandbox_labels.is_empty() {
                    return match field {
                        F::PodLabels => owned(join_labels(&meta.pod_sandbox_labels)),
                        _ => meta.pod_sandbox_labels.get(key()?).map(|v| Value::str(v)),
                    };
                }
                let sandbox = self.sandbox_meta(meta)?;
                match field {
                    F::PodLabels => owned(join_labels(&sandbox.pod_sandbox_labels)),
                    _ => sandbox
                        .pod_sandbox_labels
                        .get(key()?)
                        .map(|v| Value::Str(Cow::Owned(v.clone()))),
                }
            }
            F::PodIp | F::PodCniJson => {
                // A CRI container carries its pod's network; others ask the sandbox.
                let pick = |m: &ContainerMeta| {
                    if field == F::PodIp {
                        m.ip.clone()
                    } else {
                        m.cni_json.clone()
                    }
                };
                let value = if meta.cni_json.is_empty() {
                    pick(&*self.sandbox_meta(meta)?)
                } else {
                    pick(meta)
                };
                (!value.is_empty()).then_some(Value::Str(Cow::Owned(value)))
            }
            F::Id | F::FullId | F::Type | F::StartTs | F::Duration | F::Deprecated => None,
        }
    }
}
