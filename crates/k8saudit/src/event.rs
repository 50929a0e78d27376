//! [`AuditEvent`]: one `audit.k8s.io/v1` Event as the rules engine sees it.
//!
//! Field values follow the Falco k8saudit plugin (v0.18, `pkg/k8saudit/extract.go`) and the
//! json plugin (`jevt.*`): a field whose JSON path is absent has no value; non-string JSON
//! values are given as their JSON text (`true`, `201`, `{"a":"b"}`); list fields gather one
//! value per container/rule/volume and skip the ones that lack the key. Where the plugin is
//! clearly wrong, Saker does what its documentation says instead (see docs/k8s-audit.md,
//! "Differences from Falco").

use std::borrow::Cow;
use std::sync::OnceLock;

use saker_engine::{Event, EventTypeId, FieldArg, FieldRef, Value, clock_time, iso8601};
use saker_rules::Source;
use saker_rules::fields::{self, FieldId};
use serde_json::Value as Json;

use crate::K8sAuditError;
use crate::time::parse_rfc3339_ns;

/// One Kubernetes audit event. Fields are extracted lazily from the JSON when the engine
/// asks for them; nothing is computed up front except the event time.
#[derive(Clone, Debug, PartialEq)]
pub struct AuditEvent {
    json: Json,
    time_ns: u64,
    num: u64,
}

impl AuditEvent {
    /// Wraps one audit Event object. Its time is `stageTimestamp` (what the k8saudit plugin
    /// uses), or `requestReceivedTimestamp` when the stage time is missing; an event with
    /// neither is rejected, as the plugin drops it.
    pub fn from_json(json: Json) -> Result<AuditEvent, K8sAuditError> {
        let Some(object) = json.as_object() else {
            return Err(K8sAuditError::NotAnObject);
        };
        let stamp = ["stageTimestamp", "requestReceivedTimestamp"]
            .iter()
            .find_map(|key| object.get(*key).and_then(Json::as_str));
        let Some(stamp) = stamp else {
            return Err(K8sAuditError::MissingTimestamp {
                audit_id: audit_id(&json),
            });
        };
        let time_ns = parse_rfc3339_ns(stamp).ok_or_else(|| K8sAuditError::BadTimestamp {
            audit_id: audit_id(&json),
            value: stamp.to_string(),
        })?;
        Ok(AuditEvent {
            json,
            time_ns,
            num: 0,
        })
    }

    /// Parses one JSON object (a line of an audit log).
    pub fn parse(text: &str) -> Result<AuditEvent, K8sAuditError> {
        let json = serde_json::from_str(text).map_err(|e| K8sAuditError::Json(e.to_string()))?;
        AuditEvent::from_json(json)
    }

    /// Sets `evt.num`, the event's sequence number in its stream.
    pub fn with_num(mut self, num: u64) -> AuditEvent {
        self.num = num;
        self
    }

    pub fn json(&self) -> &Json {
        &self.json
    }

    pub fn into_json(self) -> Json {
        self.json
    }

    /// The value of `field[arg]`, looked up by name (for tests and tools; the engine goes
    /// through [`Event::value`] with pre-resolved fields).
    pub fn field(&self, name: &str) -> Option<Value<'_>> {
        let (id, arg) = saker_engine::resolve_field(name, None).ok()?;
        extract(self, kind_of(id)?, arg.as_ref())
    }
}

fn audit_id(json: &Json) -> String {
    json.get("auditID")
        .and_then(Json::as_str)
        .unwrap_or("<none>")
        .to_string()
}

impl Event for AuditEvent {
    fn source(&self) -> Source {
        Source::K8sAudit
    }

    /// Falco gives every audit event the one plugin event type; no k8s audit rule names an
    /// `evt.type`, so all of them sit in the engine's bucket for unnamed types.
    fn event_type(&self) -> EventTypeId {
        EventTypeId::OTHER
    }

    fn time_ns(&self) -> u64 {
        self.time_ns
    }

    fn value(&self, field: &FieldRef) -> Option<Value<'_>> {
        extract(self, kind_of(field.id)?, field.arg.as_ref())
    }

    fn str_value(&self, field: &FieldRef) -> Option<&str> {
        match kind_of(field.id)? {
            Kind::Path(path) => at(&self.json, path)?.as_str(),
            Kind::Pointer => match field.arg.as_ref()? {
                FieldArg::Key(pointer) => json_pointer(&self.json, pointer)?.as_str(),
                FieldArg::Index(_) => None,
            },
            _ => None,
        }
    }
}

/// Which container list of the pod spec a `ka.req.pod.*` field reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Containers {
    Regular,
    Init,
    Ephemeral,
}

impl Containers {
    fn key(self) -> &'static str {
        match self {
            Containers::Regular => "containers",
            Containers::Init => "initContainers",
            Containers::Ephemeral => "ephemeralContainers",
        }
    }
}

/// What a per-container field takes from each container.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum PerContainer {
    /// A key of the container (`image`, `name`); arrays (`command`, `args`) are flattened.
    Key(&'static str),
    Repository,
    /// A key of the container's `securityContext`.
    Security(&'static str),
    /// The container's `securityContext` key, else the pod's, else `0`.
    Effective(&'static str),
    AddCapabilities,
    HostPort,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Subjects {
    User,
    ServiceAccount,
    ServiceAccountWithNamespace,
    Group,
}

/// How a field is extracted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// A scalar at a path of keys.
    Path(&'static [&'static str]),
    /// An array at a path of keys, each element a value; an index argument picks one.
    ListPath(&'static [&'static str]),
    UriParam,
    TargetPodName,
    SubjectNames(Subjects),
    SubjectHasName,
    Container(Containers, PerContainer),
    FirstContainerImage,
    FirstContainerRepository,
    AnyContainerPrivileged,
    /// A key of each `requestObject.rules[]` entry, flattened.
    RoleRules(&'static str),
    VolumeHostPaths,
    /// Deprecated `ka.req.volume.hostpath[PATH]`: `true` when a hostPath volume is PATH (or
    /// starts with it when PATH ends with `*`).
    VolumeHostPathMatch,
    FlexVolumeDrivers,
    VolumeTypes,
    /// `jevt.value[/json/pointer]`.
    Pointer,
    WholeObject,
    RawTime,
    EvtTime,
    EvtTimeS,
    EvtTimeIso8601,
    EvtDatetime,
    EvtDatetimeS,
    EvtRawtimeS,
    EvtRawtimeNs,
    EvtNum,
    EvtSource,
    EvtPluginName,
    EvtIsAsync,
}

const REQ_SPEC: &[&str] = &["requestObject", "spec"];

/// Every field an audit event answers, by registry name.
const FIELD_KINDS: &[(&str, Kind)] = {
    use Containers::*;
    use Kind::*;
    use PerContainer::*;
    &[
        ("ka.auditid", Path(&["auditID"])),
        ("ka.stage", Path(&["stage"])),
        (
            "ka.auth.decision",
            Path(&["annotations", "authorization.k8s.io/decision"]),
        ),
        (
            "ka.auth.reason",
            Path(&["annotations", "authorization.k8s.io/reason"]),
        ),
        (
            "ka.auth.openshift.decision",
            Path(&["annotations", "authentication.openshift.io/decision"]),
        ),
        (
            "ka.auth.openshift.username",
            Path(&["annotations", "authentication.openshift.io/username"]),
        ),
        (
            "ka.validations.admission.policy.failure",
            Path(&[
                "annotations",
                "validation.policy.admission.k8s.io/validation_failure",
            ]),
        ),
        (
            "ka.security.pod.violations",
            Path(&["annotations", "pod-security.kubernetes.io/audit-violations"]),
        ),
        ("ka.user.name", Path(&["user", "username"])),
        ("ka.user.groups", ListPath(&["user", "groups"])),
        ("ka.impuser.name", Path(&["impersonatedUser", "username"])),
        ("ka.verb", Path(&["verb"])),
        ("ka.uri", Path(&["requestURI"])),
        ("ka.uri.param", UriParam),
        ("ka.target.name", Path(&["objectRef", "name"])),
        ("ka.target.namespace", Path(&["objectRef", "namespace"])),
        ("ka.target.resource", Path(&["objectRef", "resource"])),
        ("ka.target.subresource", Path(&["objectRef", "subresource"])),
        ("ka.target.pod.name", TargetPodName),
        (
            "ka.req.binding.subjects",
            ListPath(&["requestObject", "subjects"]),
        ),
        (
            "ka.req.binding.subjects.user_names",
            SubjectNames(Subjects::User),
        ),
        (
            "ka.req.binding.subjects.serviceaccount_names",
            SubjectNames(Subjects::ServiceAccount),
        ),
        (
            "ka.req.binding.subjects.serviceaccount_ns_names",
            SubjectNames(Subjects::ServiceAccountWithNamespace),
        ),
        (
            "ka.req.binding.subjects.group_names",
            SubjectNames(Subjects::Group),
        ),
        (
            "ka.req.binding.role",
            Path(&["requestObject", "roleRef", "name"]),
        ),
        ("ka.req.binding.subject.has_name", SubjectHasName),
        ("ka.req.configmap.name", Path(&["objectRef", "name"])),
        ("ka.req.configmap.obj", Path(&["requestObject", "data"])),
        ("ka.req.container.image", FirstContainerImage),
        (
            "ka.req.container.image.repository",
            FirstContainerRepository,
        ),
        (
            "ka.req.pod.host_ipc",
            Path(&["requestObject", "spec", "hostIPC"]),
        ),
        (
            "ka.req.pod.host_network",
            Path(&["requestObject", "spec", "hostNetwork"]),
        ),
        (
            "ka.req.container.host_network",
            Path(&["requestObject", "spec", "hostNetwork"]),
        ),
        (
            "ka.req.pod.host_pid",
            Path(&["requestObject", "spec", "hostPID"]),
        ),
        ("ka.req.container.privileged", AnyContainerPrivileged),
        (
            "ka.req.pod.run_as_user",
            Path(&["requestObject", "spec", "securityContext", "runAsUser"]),
        ),
        (
            "ka.req.pod.run_as_group",
            Path(&["requestObject", "spec", "securityContext", "runAsGroup"]),
        ),
        (
            "ka.req.pod.fs_group",
            Path(&["requestObject", "spec", "securityContext", "fsGroup"]),
        ),
        (
            "ka.req.pod.supplemental_groups",
            ListPath(&[
                "requestObject",
                "spec",
                "securityContext",
                "supplementalGroups",
            ]),
        ),
        ("ka.req.role.rules", ListPath(&["requestObject", "rules"])),
        ("ka.req.role.rules.apiGroups", RoleRules("apiGroups")),
        (
            "ka.req.role.rules.nonResourceURLs",
            RoleRules("nonResourceURLs"),
        ),
        ("ka.req.role.rules.verbs", RoleRules("verbs")),
        ("ka.req.role.rules.resources", RoleRules("resources")),
        (
            "ka.req.service.type",
            Path(&["requestObject", "spec", "type"]),
        ),
        (
            "ka.req.service.ports",
            ListPath(&["requestObject", "spec", "ports"]),
        ),
        ("ka.req.pod.volumes.hostpath", VolumeHostPaths),
        ("ka.req.volume.hostpath", VolumeHostPathMatch),
        ("ka.req.pod.volumes.flexvolume_driver", FlexVolumeDrivers),
        ("ka.req.pod.volumes.volume_type", VolumeTypes),
        (
            "ka.resp.name",
            Path(&["responseObject", "metadata", "name"]),
        ),
        ("ka.response.code", Path(&["responseStatus", "code"])),
        ("ka.response.reason", Path(&["responseStatus", "reason"])),
        ("ka.useragent", Path(&["userAgent"])),
        ("ka.sourceips", ListPath(&["sourceIPs"])),
        // Per-container fields, for each of the three container lists.
        (
            "ka.req.pod.containers.name",
            Container(Regular, Key("name")),
        ),
        (
            "ka.req.pod.containers.image",
            Container(Regular, Key("image")),
        ),
        (
            "ka.req.pod.containers.image.repository",
            Container(Regular, Repository),
        ),
        (
            "ka.req.pod.containers.command",
            Container(Regular, Key("command")),
        ),
        (
            "ka.req.pod.containers.args",
            Container(Regular, Key("args")),
        ),
        (
            "ka.req.pod.containers.privileged",
            Container(Regular, Security("privileged")),
        ),
        (
            "ka.req.pod.containers.allow_privilege_escalation",
            Container(Regular, Security("allowPrivilegeEscalation")),
        ),
        (
            "ka.req.pod.containers.read_only_fs",
            Container(Regular, Security("readOnlyRootFilesystem")),
        ),
        (
            "ka.req.pod.containers.run_as_user",
            Container(Regular, Security("runAsUser")),
        ),
        (
            "ka.req.pod.containers.eff_run_as_user",
            Container(Regular, Effective("runAsUser")),
        ),
        (
            "ka.req.pod.containers.run_as_group",
            Container(Regular, Security("runAsGroup")),
        ),
        (
            "ka.req.pod.containers.eff_run_as_group",
            Container(Regular, Effective("runAsGroup")),
        ),
        (
            "ka.req.pod.containers.proc_mount",
            Container(Regular, Security("procMount")),
        ),
        (
            "ka.req.pod.containers.add_capabilities",
            Container(Regular, AddCapabilities),
        ),
        (
            "ka.req.pod.containers.host_port",
            Container(Regular, HostPort),
        ),
        (
            "ka.req.pod.initContainers.name",
            Container(Init, Key("name")),
        ),
        (
            "ka.req.pod.initContainers.image",
            Container(Init, Key("image")),
        ),
        (
            "ka.req.pod.initContainers.image.repository",
            Container(Init, Repository),
        ),
        (
            "ka.req.pod.initContainers.command",
            Container(Init, Key("command")),
        ),
        (
            "ka.req.pod.initContainers.args",
            Container(Init, Key("args")),
        ),
        (
            "ka.req.pod.initContainers.privileged",
            Container(Init, Security("privileged")),
        ),
        (
            "ka.req.pod.initContainers.allow_privilege_escalation",
            Container(Init, Security("allowPrivilegeEscalation")),
        ),
        (
            "ka.req.pod.initContainers.read_only_fs",
            Container(Init, Security("readOnlyRootFilesystem")),
        ),
        (
            "ka.req.pod.initContainers.run_as_user",
            Container(Init, Security("runAsUser")),
        ),
        (
            "ka.req.pod.initContainers.eff_run_as_user",
            Container(Init, Effective("runAsUser")),
        ),
        (
            "ka.req.pod.initContainers.run_as_group",
            Container(Init, Security("runAsGroup")),
        ),
        (
            "ka.req.pod.initContainers.eff_run_as_group",
            Container(Init, Effective("runAsGroup")),
        ),
        (
            "ka.req.pod.initContainers.proc_mount",
            Container(Init, Security("procMount")),
        ),
        (
            "ka.req.pod.initContainers.add_capabilities",
            Container(Init, AddCapabilities),
        ),
        (
            "ka.req.pod.initContainers.host_port",
            Container(Init, HostPort),
        ),
        (
            "ka.req.pod.ephemeralContainers.name",
            Container(Ephemeral, Key("name")),
        ),
        (
            "ka.req.pod.ephemeralContainers.image",
            Container(Ephemeral, Key("image")),
        ),
        (
            "ka.req.pod.ephemeralContainers.image.repository",
            Container(Ephemeral, Repository),
        ),
        (
            "ka.req.pod.ephemeralContainers.command",
            Container(Ephemeral, Key("command")),
        ),
        (
            "ka.req.pod.ephemeralContainers.args",
            Container(Ephemeral, Key("args")),
        ),
        (
            "ka.req.pod.ephemeralContainers.privileged",
            Container(Ephemeral, Security("privileged")),
        ),
        (
            "ka.req.pod.ephemeralContainers.allow_privilege_escalation",
            Container(Ephemeral, Security("allowPrivilegeEscalation")),
        ),
        (
            "ka.req.pod.ephemeralContainers.read_only_fs",
            Container(Ephemeral, Security("readOnlyRootFilesystem")),
        ),
        (
            "ka.req.pod.ephemeralContainers.run_as_user",
            Container(Ephemeral, Security("runAsUser")),
        ),
        (
            "ka.req.pod.ephemeralContainers.eff_run_as_user",
            Container(Ephemeral, Effective("runAsUser")),
        ),
        (
            "ka.req.pod.ephemeralContainers.run_as_group",
            Container(Ephemeral, Security("runAsGroup")),
        ),
        (
            "ka.req.pod.ephemeralContainers.eff_run_as_group",
            Container(Ephemeral, Effective("runAsGroup")),
        ),
        (
            "ka.req.pod.ephemeralContainers.proc_mount",
            Container(Ephemeral, Security("procMount")),
        ),
        (
            "ka.req.pod.ephemeralContainers.add_capabilities",
            Container(Ephemeral, AddCapabilities),
        ),
        // json plugin fields and their legacy jevt.* aliases.
        ("json.value", Pointer),
        ("jevt.value", Pointer),
        ("json.obj", WholeObject),
        ("jevt.obj", WholeObject),
        ("json.rawtime", RawTime),
        ("jevt.rawtime", RawTime),
        // Generic event fields.
        ("evt.time", EvtTime),
        ("evt.rawtime", EvtTime),
        ("evt.outputtime", EvtTime),
        ("evt.time.s", EvtTimeS),
        ("evt.time.iso8601", EvtTimeIso8601),
        ("evt.datetime", EvtDatetime),
        ("evt.datetime.s", EvtDatetimeS),
        ("evt.rawtime.s", EvtRawtimeS),
        ("evt.rawtime.ns", EvtRawtimeNs),
        ("evt.num", EvtNum),
        ("evt.source", EvtSource),
        ("evt.pluginname", EvtPluginName),
        ("evt.is_async", EvtIsAsync),
    ]
};

/// Names in [`FIELD_KINDS`] that the registry does not know (a registry change would show
/// up here; tested).
#[cfg(test)]
fn unknown_field_names() -> Vec<&'static str> {
    FIELD_KINDS
        .iter()
        .filter(|(name, _)| fields::lookup(name).is_none())
        .map(|(name, _)| *name)
        .collect()
}

/// The extraction of every registry field, indexed by `FieldId`; `None` for fields an audit
/// event does not have (syscall fields).
fn kind_of(id: FieldId) -> Option<Kind> {
    static TABLE: OnceLock<Vec<Option<Kind>>> = OnceLock::new();
    let table = TABLE.get_or_init(|| {
        let mut table = vec![None; fields::all().len()];
        for (name, kind) in FIELD_KINDS {
            if let Some(id) = fields::lookup(name) {
                table[id.0 as usize] = Some(*kind);
            }
        }
        table
    });
    table.get(id.0 as usize).copied().flatten()
}

/// Follows `path` through nested objects.
fn at<'j>(json: &'j Json, path: &[&str]) -> Option<&'j Json> {
    path.iter().try_fold(json, |value, key| value.get(key))
}

/// RFC 6901 JSON pointer lookup, like `serde_json::Value::pointer` but without allocating
/// for tokens that need no unescaping (every pointer of the shipped rules): `kevt`'s
/// `jevt.value[/stage]` runs on every event.
fn json_pointer<'j>(json: &'j Json, pointer: &str) -> Option<&'j Json> {
    if pointer.is_empty() {
        return Some(json);
    }
    let rest = pointer.strip_prefix('/')?;
    rest.split('/').try_fold(json, |value, token| {
        let token: Cow<'_, str> = if token.contains('~') {
            Cow::Owned(token.replace("~1", "/").replace("~0", "~"))
        } else {
            Cow::Borrowed(token)
        };
        match value {
            Json::Object(map) => map.get(token.as_ref()),
            Json::Array(items) => {
                // RFC 6901: no leading zeros, no sign.
                if token.len() > 1 && token.starts_with('0') {
                    return None;
                }
                items.get(token.parse::<usize>().ok()?)
            }
            _ => None,
        }
    })
}

/// A JSON value as the plugin turns it into a string: strings as they are, everything else
/// as JSON text. `null` counts as missing.
fn text(value: &Json) -> Option<Cow<'_, str>> {
    match value {
        Json::Null => None,
        Json::String(s) => Some(Cow::Borrowed(s)),
        other => Some(Cow::Owned(other.to_string())),
    }
}

fn owned(value: &Json) -> Option<Value<'static>> {
    text(value).map(|t| Value::Str(Cow::Owned(t.into_owned())))
}

fn list(items: Vec<Value<'static>>) -> Value<'static> {
    Value::List(Cow::Owned(items))
}

/// The elements of the array at `path`, or only element `index` when an index is given.
fn elements<'j>(json: &'j Json, path: &[&str], arg: Option<&FieldArg>) -> Option<&'j [Json]> {
    let array = at(json, path)?.as_array()?;
    match arg {
        Some(FieldArg::Index(i)) => {
            let i = usize::try_from(*i).ok()?;
            array.get(i..=i)
        }
        _ => Some(array),
    }
}

fn extract<'e>(event: &'e AuditEvent, kind: Kind, arg: Option<&FieldArg>) -> Option<Value<'e>> {
    let json = &event.json;
    match kind {
        Kind::Path(path) => text(at(json, path)?).map(Value::Str),
        Kind::ListPath(path) => {
            let items = elements(json, path, arg)?;
            Some(list(items.iter().filter_map(owned).collect()))
        }
        Kind::UriParam => {
            let Some(FieldArg::Key(name)) = arg else {
                return None;
            };
            let uri = json.get("requestURI")?.as_str()?;
            query_param(uri, name).map(|v| Value::Str(Cow::Owned(v)))
        }
        Kind::TargetPodName => {
            let object_ref = json.get("objectRef")?;
            if object_ref.get("resource")?.as_str()? != "pods" {
                return None;
            }
            text(object_ref.get("name")?).map(Value::Str)
        }
        Kind::SubjectNames(which) => {
            let subjects = at(json, &["requestObject", "subjects"])?.as_array()?;
            let names = subjects
                .iter()
                .filter_map(|subject| subject_name(subject, which))
                .map(|name| Value::Str(Cow::Owned(name)))
                .collect();
            Some(list(names))
        }
        // The plugin documents N/A but answers `true`, as the legacy implementation did.
        Kind::SubjectHasName => Some(Value::str("true")),
        Kind::Container(which, what) => container_values(json, which, what, arg).map(list),
        Kind::FirstContainerImage => {
            let first = at(json, REQ_SPEC)?.get("containers")?.get(0)?;
            text(first.get("image")?).map(Value::Str)
        }
        Kind::FirstContainerRepository => {
            let first = at(json, REQ_SPEC)?.get("containers")?.get(0)?;
            let image = first.get("image")?.as_str()?;
            Some(Value::str(image_repository(image)))
        }
        Kind::AnyContainerPrivileged => {
            let containers = at(json, REQ_SPEC)?.get("containers")?.as_array()?;
            let any = containers.iter().any(|c| {
                c.get("securityContext")
                    .and_then(|s| s.get("privileged"))
                    .and_then(Json::as_bool)
                    == Some(true)
            });
            Some(Value::str(if any { "true" } else { "false" }))
        }
        Kind::RoleRules(key) => {
            let rules = elements(json, &["requestObject", "rules"], arg)?;
            let values = rules
                .iter()
                .filter_map(|rule| rule.get(key)?.as_array())
                .flatten()
                .filter_map(owned)
                .collect();
            Some(list(values))
        }
        Kind::VolumeHostPaths => {
            // The registry types this argument as a key (`[/etc]`, the deprecated
            // ka.req.volume.hostpath form); the plugin takes a volume index.
            let index = match arg {
                Some(FieldArg::Key(key)) => match key.trim().parse::<u64>() {
                    Ok(i) => Some(FieldArg::Index(i)),
                    Err(_) => return volume_hostpath_match(json, key),
                },
                other => other.cloned(),
            };
            let volumes = elements(json, &["requestObject", "spec", "volumes"], index.as_ref())?;
            Some(list(
                volumes
                    .iter()
                    .filter_map(|v| owned(at(v, &["hostPath", "path"])?))
                    .collect(),
            ))
        }
        Kind::VolumeHostPathMatch => match arg {
            Some(FieldArg::Key(path)) => volume_hostpath_match(json, path),
            _ => None,
        },
        Kind::FlexVolumeDrivers => {
            let volumes = elements(json, &["requestObject", "spec", "volumes"], arg)?;
            Some(list(
                volumes
                    .iter()
                    .filter_map(|v| owned(at(v, &["flexVolume", "driver"])?))
                    .collect(),
            ))
        }
        Kind::VolumeTypes => {
            let volumes = elements(json, &["requestObject", "spec", "volumes"], arg)?;
            let types = volumes
                .iter()
                .filter_map(Json::as_object)
                .flat_map(|volume| volume.keys())
                .filter(|key| *key != "name")
                .map(|key| Value::Str(Cow::Owned(key.clone())))
                .collect();
            Some(list(types))
        }
        Kind::Pointer => match arg? {
            FieldArg::Key(pointer) => text(json_pointer(json, pointer)?).map(Value::Str),
            FieldArg::Index(_) => None,
        },
        Kind::WholeObject => Some(Value::Str(Cow::Owned(json.to_string()))),
        Kind::RawTime | Kind::EvtTime => Some(Value::UInt(event.time_ns)),
        Kind::EvtTimeS => {
            let clock = clock_time(event.time_ns);
            Some(Value::Str(Cow::Owned(clock[..8].to_string())))
        }
        Kind::EvtTimeIso8601 => Some(Value::Str(Cow::Owned(iso8601(event.time_ns)))),
        Kind::EvtDatetime => Some(Value::Str(Cow::Owned(datetime(event.time_ns)))),
        Kind::EvtDatetimeS => {
            let full = datetime(event.time_ns);
            Some(Value::Str(Cow::Owned(full[..19].to_string())))
        }
        Kind::EvtRawtimeS => Some(Value::UInt(event.time_ns / 1_000_000_000)),
        Kind::EvtRawtimeNs => Some(Value::UInt(event.time_ns % 1_000_000_000)),
        Kind::EvtNum => Some(Value::UInt(event.num)),
        Kind::EvtSource => Some(Value::str("k8s_audit")),
        Kind::EvtPluginName => Some(Value::str("k8saudit")),
        Kind::EvtIsAsync => Some(Value::Bool(false)),
    }
}

/// `2026-11-28 10:00:00.123456789` (UTC).
fn datetime(time_ns: u64) -> String {
    let iso = iso8601(time_ns);
    iso.trim_end_matches('Z').replacen('T', " ", 1)
}

fn subject_name(subject: &Json, which: Subjects) -> Option<String> {
    let kind = subject.get("kind")?.as_str()?;
    let name = subject.get("name")?.as_str()?;
    match (which, kind) {
        (Subjects::User, "User") | (Subjects::Group, "Group") => Some(name.to_string()),
        (Subjects::ServiceAccount, "ServiceAccount") => Some(name.to_string()),
        (Subjects::ServiceAccountWithNamespace, "ServiceAccount") => {
            let namespace = subject
                .get("namespace")
                .and_then(Json::as_str)
                .unwrap_or("");
            Some(format!("{namespace}:{name}"))
        }
        _ => None,
    }
}

fn volume_hostpath_match(json: &Json, pattern: &str) -> Option<Value<'static>> {
    let volumes = at(json, &["requestObject", "spec", "volumes"])?.as_array()?;
    let prefix = pattern.strip_suffix('*');
    let hit = volumes
        .iter()
        .filter_map(|v| at(v, &["hostPath", "path"])?.as_str())
        .any(|path| match prefix {
            Some(prefix) => path.starts_with(prefix),
            None => path == pattern,
        });
    Some(Value::str(if hit { "true" } else { "false" }))
}

/// The values of one per-container field over `spec.<containers>` (one container when an
/// index is given). `None` when the pod spec has no such container list.
fn container_values(
    json: &Json,
    which: Containers,
    what: PerContainer,
    arg: Option<&FieldArg>,
) -> Option<Vec<Value<'static>>> {
    let spec = at(json, REQ_SPEC)?;
    // `pods/ephemeralcontainers` requests of Kubernetes < 1.25 carry an
    // `EphemeralContainers` object whose list is at the top of the request object.
    let containers = match spec.get(which.key()) {
        Some(list) => list,
        None if which == Containers::Ephemeral => {
            json.get("requestObject")?.get("ephemeralContainers")?
        }
        None => return None,
    };
    let containers = containers.as_array()?;
    let containers = match arg {
        Some(FieldArg::Index(i)) => containers.get(usize::try_from(*i).ok()?..)?.get(..1)?,
        _ => containers.as_slice(),
    };
    let mut values = Vec::new();
    for container in containers {
        let security = container.get("securityContext");
        match what {
            PerContainer::Key(key) => match container.get(key) {
                Some(Json::Array(items)) => values.extend(items.iter().filter_map(owned)),
                Some(value) => values.extend(owned(value)),
                None => {}
            },
            PerContainer::Repository => {
                if let Some(image) = container.get("image").and_then(Json::as_str) {
                    values.push(Value::Str(Cow::Owned(image_repository(image).to_string())));
                }
            }
            PerContainer::Security(key) => {
                values.extend(security.and_then(|s| s.get(key)).and_then(owned));
            }
            PerContainer::Effective(key) => {
                let value = security
                    .and_then(|s| s.get(key))
                    .filter(|v| !v.is_null())
                    .or_else(|| at(spec, &["securityContext", key]).filter(|v| !v.is_null()));
                values.push(match value {
                    Some(v) => owned(v).unwrap_or(Value::str("0")),
                    None => Value::str("0"),
                });
            }
            PerContainer::AddCapabilities => {
                if let Some(Json::Array(caps)) =
                    security.and_then(|s| at(s, &["capabilities", "add"]))
                {
                    values.extend(caps.iter().filter_map(owned));
                }
            }
            PerContainer::HostPort => {
                for port in container
                    .get("ports")
                    .and_then(Json::as_array)
                    .into_iter()
                    .flatten()
                {
                    // Without hostPort, a hostNetwork pod's containerPort is its host port.
                    let value = port.get("hostPort").or_else(|| port.get("containerPort"));
                    values.extend(value.and_then(owned));
                }
            }
        }
    }
    Some(values)
}

/// `registry.example:5000/team/app` of `registry.example:5000/team/app:1.2@sha256:...`.
///
/// The plugin cuts at the first `:`, which turns an image of a registry with a port into just
/// the host name; Saker strips only the digest and a tag after the last `/`.
pub fn image_repository(image: &str) -> &str {
    let image = image.split_once('@').map_or(image, |(name, _)| name);
    let last_slash = image.rfind('/').map_or(0, |i| i + 1);
    match image[last_slash..].find(':') {
        Some(colon) => &image[..last_slash + colon],
        None => image,
    }
}

/// The first value of query parameter `name` in `uri`, percent-decoded (Go's
/// `url.ParseQuery` then `query[name][0]`).
fn query_param(uri: &str, name: &str) -> Option<String> {
    let query = uri.split_once('?')?.1;
    let query = query.split_once('#').map_or(query, |(q, _)| q);
    query.split('&').find_map(|pair| {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        (percent_decode(key)? == name).then(|| percent_decode(value))?
    })
}

fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = bytes.get(i + 1..i + 3)?;
                if !hex.iter().all(u8::is_ascii_hexdigit) {
                    return None;
                }
                let hex = std::str::from_utf8(hex).ok()?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn event(json: Json) -> AuditEvent {
        AuditEvent::from_json(json).unwrap()
    }

    fn pod_event() -> AuditEvent {
        event(json!({
            "kind": "Event", "apiVersion": "audit.k8s.io/v1", "auditID": "a1",
            "stage": "ResponseComplete", "verb": "create",
            "requestURI": "/api/v1/namespaces/prod/pods?fieldManager=kubectl-client-side-apply",
            "user": {"username": "alice", "groups": ["dev", "system:authenticated"]},
            "sourceIPs": ["10.0.0.7", "10.0.0.8"],
            "objectRef": {"resource": "pods", "namespace": "prod", "name": "web"},
            "responseStatus": {"metadata": {}, "code": 201},
            "responseObject": {"metadata": {"name": "web"}},
            "annotations": {"authorization.k8s.io/decision": "allow", "authorization.k8s.io/reason": ""},
            "requestObject": {"spec": {
                "hostNetwork": true,
                "securityContext": {"runAsUser": 1000},
                "containers": [
                    {"name": "app", "image": "registry.local:5000/team/app:1.2@sha256:abcd",
                     "command": ["sh", "-c"], "args": ["sleep 1"],
                     "securityContext": {"privileged": true, "capabilities": {"add": ["NET_ADMIN", "SYS_TIME"]}},
                     "ports": [{"containerPort": 80}, {"containerPort": 81, "hostPort": 8081}]},
                    {"name": "side", "image": "busybox", "securityContext": {"runAsUser": 0}}
                ],
                "initContainers": [{"name": "init", "image": "alpine:3", "securityContext": {"privileged": false}}],
                "volumes": [
                    {"name": "etc", "hostPath": {"path": "/etc", "type": "Directory"}},
                    {"name": "cfg", "configMap": {"name": "cfg"}}
                ]
            }},
            "stageTimestamp": "2026-11-28T10:00:00.000001Z",
            "requestReceivedTimestamp": "2026-11-28T09:59:59Z"
        }))
    }

    /// `(field, expected value rendered as output text, or None for missing)`.
    fn check(event: &AuditEvent, cases: &[(&str, Option<&str>)]) {
        for (name, expect) in cases {
            let got = event.field(name).map(|v| v.to_string());
            assert_eq!(got.as_deref(), *expect, "{name}");
        }
    }

    #[test]
    fn registry_knows_every_field() {
        assert!(
            unknown_field_names().is_empty(),
            "{:?}",
            unknown_field_names()
        );
    }

    #[test]
    fn every_k8s_audit_field_of_the_registry_is_extracted() {
        let missing: Vec<_> = fields::iter()
            .filter(|(_, info)| info.sources == saker_rules::Sources::K8S_AUDIT)
            .filter(|(id, _)| kind_of(*id).is_none())
            .map(|(_, info)| info.name)
            .collect();
        // ka.cluster.name needs configuration the event does not carry (see docs).
        assert_eq!(missing, ["ka.cluster.name"]);
    }

    #[test]
    fn scalar_and_list_fields() {
        check(
            &pod_event(),
            &[
                ("ka.auditid", Some("a1")),
                ("ka.user.name", Some("alice")),
                ("ka.user.groups", Some("(dev,system:authenticated)")),
                ("ka.verb", Some("create")),
                ("ka.target.resource", Some("pods")),
                ("ka.target.subresource", None),
                ("ka.target.pod.name", Some("web")),
                ("ka.response.code", Some("201")),
                ("ka.auth.decision", Some("allow")),
                ("ka.auth.reason", Some("")),
                ("ka.resp.name", Some("web")),
                ("ka.impuser.name", None),
                ("ka.sourceips", Some("(10.0.0.7,10.0.0.8)")),
                ("ka.sourceips[1]", Some("(10.0.0.8)")),
                (
                    "ka.uri.param[fieldManager]",
                    Some("kubectl-client-side-apply"),
                ),
                ("ka.uri.param[command]", None),
                ("ka.req.pod.host_network", Some("true")),
                ("ka.req.pod.host_pid", None),
                ("ka.req.pod.containers.privileged", Some("(true)")),
                ("ka.req.pod.containers.privileged[1]", Some("()")),
                ("ka.req.container.privileged", Some("true")),
                ("ka.req.pod.initContainers.privileged", Some("(false)")),
                ("ka.req.pod.ephemeralContainers.privileged", None),
                (
                    "ka.req.pod.containers.image",
                    Some("(registry.local:5000/team/app:1.2@sha256:abcd,busybox)"),
                ),
                (
                    "ka.req.pod.containers.image.repository",
                    Some("(registry.local:5000/team/app,busybox)"),
                ),
                (
                    "ka.req.container.image.repository",
                    Some("registry.local:5000/team/app"),
                ),
                ("ka.req.pod.containers.name", Some("(app,side)")),
                ("ka.req.pod.containers.command", Some("(sh,-c)")),
                (
                    "ka.req.pod.containers.add_capabilities",
                    Some("(NET_ADMIN,SYS_TIME)"),
                ),
                ("ka.req.pod.containers.host_port", Some("(80,8081)")),
                ("ka.req.pod.containers.eff_run_as_user", Some("(1000,0)")),
                ("ka.req.pod.containers.eff_run_as_group", Some("(0,0)")),
                ("ka.req.pod.volumes.hostpath", Some("(/etc)")),
                ("ka.req.volume.hostpath[/etc]", Some("true")),
                ("ka.req.volume.hostpath[/e*]", Some("true")),
                ("ka.req.volume.hostpath[/proc]", Some("false")),
                (
                    "ka.req.pod.volumes.volume_type",
                    Some("(hostPath,configMap)"),
                ),
                (
                    "jevt.value[/requestObject/spec/volumes/0/hostPath/path]",
                    Some("/etc"),
                ),
                ("jevt.value[/responseStatus/code]", Some("201")),
                ("jevt.value[/nope]", None),
                ("evt.time.iso8601", Some("2026-11-28T10:00:00.000001000Z")),
                ("evt.datetime.s", Some("2026-11-28 10:00:00")),
                ("evt.time.s", Some("10:00:00")),
                ("evt.source", Some("k8s_audit")),
            ],
        );
    }

    #[test]
    fn bindings_roles_and_configmaps() {
        let binding = event(json!({
            "auditID": "b", "stageTimestamp": "2026-01-01T00:00:00Z",
            "requestObject": {"roleRef": {"kind": "ClusterRole", "name": "cluster-admin"},
              "subjects": [
                {"kind": "User", "name": "mallory"},
                {"kind": "ServiceAccount", "name": "builder", "namespace": "ci"},
                {"kind": "Group", "name": "ops"}
              ]}
        }));
        check(
            &binding,
            &[
                ("ka.req.binding.role", Some("cluster-admin")),
                ("ka.req.binding.subjects.user_names", Some("(mallory)")),
                (
                    "ka.req.binding.subjects.serviceaccount_names",
                    Some("(builder)"),
                ),
                (
                    "ka.req.binding.subjects.serviceaccount_ns_names",
                    Some("(ci:builder)"),
                ),
                ("ka.req.binding.subjects.group_names", Some("(ops)")),
                ("ka.req.binding.subject.has_name[x]", Some("true")),
            ],
        );
        let subjects = binding.field("ka.req.binding.subjects").unwrap();
        assert_eq!(
            subjects.to_json()[0],
            json!(r#"{"kind":"User","name":"mallory"}"#)
        );

        let role = event(json!({
            "auditID": "r", "stageTimestamp": "2026-01-01T00:00:00Z",
            "requestObject": {"rules": [
                {"apiGroups": [""], "resources": ["pods"], "verbs": ["get", "list"]},
                {"apiGroups": ["apps"], "resources": ["*"], "verbs": ["*"]}
            ]}
        }));
        check(
            &role,
            &[
                ("ka.req.role.rules.verbs", Some("(get,list,*)")),
                ("ka.req.role.rules.verbs[1]", Some("(*)")),
                ("ka.req.role.rules.resources", Some("(pods,*)")),
                ("ka.req.role.rules.apiGroups", Some("(,apps)")),
                ("ka.req.role.rules.nonResourceURLs", Some("()")),
            ],
        );

        let configmap = event(json!({
            "auditID": "c", "stageTimestamp": "2026-01-01T00:00:00Z",
            "objectRef": {"resource": "configmaps", "name": "creds"},
            "requestObject": {"data": {"aws_access_key_id": "AKIA"}}
        }));
        check(
            &configmap,
            &[
                ("ka.req.configmap.name", Some("creds")),
                (
                    "ka.req.configmap.obj",
                    Some(r#"{"aws_access_key_id":"AKIA"}"#),
                ),
                ("ka.target.pod.name", None),
            ],
        );
    }

    #[test]
    fn uri_parameters_are_decoded() {
        let exec = event(json!({
            "auditID": "e", "stageTimestamp": "2026-01-01T00:00:00Z",
            "requestURI": "/api/v1/namespaces/default/pods/web/exec?command=cat&command=%2Fetc%2Fshadow&container=web&stdin=true&tty=a+b"
        }));
        check(
            &exec,
            &[
                ("ka.uri.param[command]", Some("cat")),
                ("ka.uri.param[container]", Some("web")),
                ("ka.uri.param[tty]", Some("a b")),
                ("ka.uri.param[missing]", None),
            ],
        );
    }

    #[test]
    fn json_pointers_agree_with_serde_json() {
        let json = json!({"a": {"b/c": [1, {"~d": "x"}]}, "": 2});
        for pointer in [
            "",
            "/a",
            "/a/b~1c",
            "/a/b~1c/1/~0d",
            "/a/b~1c/01",
            "/a/b~1c/-1",
            "/",
            "/x",
            "a",
        ] {
            assert_eq!(
                json_pointer(&json, pointer),
                json.pointer(pointer),
                "{pointer}"
            );
        }
    }

    #[test]
    fn image_repositories() {
        for (image, repo) in [
            ("nginx", "nginx"),
            ("nginx:1.27", "nginx"),
            (
                "docker.io/falcosecurity/falco:0.39",
                "docker.io/falcosecurity/falco",
            ),
            ("localhost:5000/app", "localhost:5000/app"),
            ("localhost:5000/app:v1@sha256:00", "localhost:5000/app"),
            ("busybox@sha256:00", "busybox"),
        ] {
            assert_eq!(image_repository(image), repo, "{image}");
        }
    }

    #[test]
    fn times_and_rejections() {
        let e = event(json!({"requestReceivedTimestamp": "1970-01-01T00:00:02Z"}));
        assert_eq!(e.time_ns(), 2_000_000_000);
        assert!(matches!(
            AuditEvent::from_json(json!({"auditID": "x"})),
            Err(K8sAuditError::MissingTimestamp { .. })
        ));
        assert!(matches!(
            AuditEvent::from_json(json!({"stageTimestamp": "soon"})),
            Err(K8sAuditError::BadTimestamp { .. })
        ));
        assert!(matches!(
            AuditEvent::from_json(json!([1])),
            Err(K8sAuditError::NotAnObject)
        ));
    }
}

#[cfg(test)]
mod proptests {
    use super::*;
    use proptest::prelude::*;

    /// Any JSON, biased towards the keys the extractors look for, so that wrong types turn up
    /// where a field expects an array, an object or a string.
    fn json_value() -> impl Strategy<Value = Json> {
        let keys = prop::sample::select(vec![
            "requestObject",
            "spec",
            "containers",
            "initContainers",
            "ephemeralContainers",
            "securityContext",
            "privileged",
            "image",
            "volumes",
            "hostPath",
            "path",
            "rules",
            "verbs",
            "subjects",
            "kind",
            "name",
            "objectRef",
            "resource",
            "requestURI",
            "capabilities",
            "add",
            "ports",
            "hostPort",
            "user",
            "username",
            "0",
            "~1",
        ]);
        let leaf = prop_oneof![
            Just(Json::Null),
            any::<bool>().prop_map(Json::Bool),
            any::<i64>().prop_map(Json::from),
            "[a-z/?=&%+0-9:]{0,12}".prop_map(Json::String),
        ];
        leaf.prop_recursive(5, 64, 6, move |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(Json::Array),
                prop::collection::btree_map(keys.clone().prop_map(str::to_string), inner, 0..5)
                    .prop_map(|m| Json::Object(m.into_iter().collect())),
            ]
        })
    }

    proptest! {
        #[test]
        fn no_field_panics_on_any_event(body in json_value(), index in 0u64..3) {
            let mut object = match body {
                Json::Object(map) => map,
                other => [("requestObject".to_string(), other)].into_iter().collect(),
            };
            object.insert("stageTimestamp".into(), Json::from("2026-01-01T00:00:00Z"));
            let event = AuditEvent::from_json(Json::Object(object)).unwrap();
            let args = [
                None,
                Some(FieldArg::Index(index)),
                Some(FieldArg::Key("/requestObject/spec".into())),
                Some(FieldArg::Key("/e*".into())),
            ];
            for (_, kind) in FIELD_KINDS {
                for arg in &args {
                    let value = extract(&event, *kind, arg.as_ref());
                    // Rendering is what outputs do with every value.
                    let _ = value.map(|v| (v.to_string(), v.to_json()));
                }
            }
        }
    }
}
