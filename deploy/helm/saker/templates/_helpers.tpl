{{/* The chart's name, shortened to what DNS labels allow. */}}
{{- define "saker.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The release's full name: the release name when it already holds the chart's name. */}}
{{- define "saker.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "saker.namespace" -}}
{{- default .Release.Namespace .Values.namespaceOverride }}
{{- end }}

{{- define "saker.selectorLabels" -}}
app.kubernetes.io/name: {{ include "saker.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "saker.labels" -}}
{{ include "saker.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{- end }}

{{- define "saker.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "saker.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "saker.image" -}}
{{- $tag := default .Chart.AppVersion .Values.image.tag }}
{{- if .Values.image.registry }}
{{- printf "%s/%s:%s" .Values.image.registry .Values.image.repository $tag }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository $tag }}
{{- end }}
{{- end }}

{{/*
saker.yaml: the `saker` values, with engine.* from `driver` (as Falco's chart derives
engine.* from driver.*) and http_output pointed at falcosidekick when that is on.
*/}}
{{- define "saker.configuration" -}}
{{- $config := deepCopy .Values.saker }}
{{- if not (has .Values.driver.kind (list "ebpf" "modern_ebpf")) }}
{{- fail (printf "driver.kind %q: Saker captures with eBPF only (ebpf, or Falco's modern_ebpf); kmod and the legacy ebpf probe do not exist here" .Values.driver.kind) }}
{{- end }}
{{- $ebpf := dict "buf_size_preset" .Values.driver.ebpf.bufSizePreset "drop_failed_exit" .Values.driver.ebpf.dropFailedExit "drop_unneeded_opens" .Values.driver.ebpf.dropUnneededOpens }}
{{- $_ := set $config "engine" (dict "kind" .Values.driver.kind "ebpf" $ebpf) }}
{{- if .Values.falcosidekick.enabled }}
{{- $port := default "2801" (toString .Values.falcosidekick.listenPort) }}
{{- $host := printf "%s-falcosidekick" (include "saker.fullname" .) }}
{{- if .Values.falcosidekick.fullfqdn }}
{{- $host = printf "%s.%s.svc.cluster.local" $host (include "saker.namespace" .) }}
{{- end }}
{{- $_ := set $config "json_output" true }}
{{- $_ := set $config "http_output" (merge (dict "enabled" true "url" (printf "http://%s:%s/" $host $port)) (default dict $config.http_output)) }}
{{- end }}
{{- toYaml $config }}
{{- end }}

{{/* The collectors' host paths, volume name -> path. */}}
{{- define "saker.collectorPaths" -}}
{{- $c := .Values.collectors }}
{{- if and .Values.driver.enabled $c.podman.enabled }}
podman: {{ $c.podman.socketDir }}
{{- end }}
{{- if and .Values.driver.enabled $c.containerd.enabled }}
containerd: {{ $c.containerd.socketDir }}
{{- end }}
{{- if and .Values.driver.enabled $c.crio.enabled }}
crio: {{ $c.crio.socketDir }}
{{- end }}
{{- end }}
