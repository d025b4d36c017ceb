{{/*
Chart name, overridable with nameOverride.
*/}}
{{- define "xcache.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Full name: fullnameOverride, else <release>-<name> (just <release> when it already contains the name).
*/}}
{{- define "xcache.fullname" -}}
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

{{/*
Chart label value: <name>-<version>, with "+" (not allowed in labels) replaced.
*/}}
{{- define "xcache.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
The image values in effect: originServer.image in origin mode when its repository is set, image otherwise.
*/}}
{{- define "xcache.imageValues" -}}
{{- if and (eq .Values.mode "origin") .Values.originServer.image.repository }}
{{- toYaml .Values.originServer.image }}
{{- else }}
{{- toYaml .Values.image }}
{{- end }}
{{- end }}

{{/*
Image reference: repository:tag, repository:tag@digest, or repository@digest.
*/}}
{{- define "xcache.image" -}}
{{- $img := include "xcache.imageValues" . | fromYaml }}
{{- $ref := $img.repository }}
{{- if $img.tag }}{{ $ref = printf "%s:%s" $ref (toString $img.tag) }}{{ end }}
{{- if $img.digest }}{{ $ref = printf "%s@%s" $ref $img.digest }}{{ end }}
{{- $ref }}
{{- end }}

{{- define "xcache.imagePullPolicy" -}}
{{- $img := include "xcache.imageValues" . | fromYaml }}
{{- $img.pullPolicy | default "IfNotPresent" }}
{{- end }}

{{/*
Version label: the image tag in use (labels allow at most 63 characters and no "+" or "@").
*/}}
{{- define "xcache.version" -}}
{{- $img := include "xcache.imageValues" . | fromYaml }}
{{- $img.tag | default .Chart.AppVersion | toString | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Component label: what this release runs.
*/}}
{{- define "xcache.component" -}}
{{- if eq .Values.mode "origin" }}origin{{ else }}cache{{ end }}
{{- end }}

{{/*
Selector labels: stable for the life of a release (the StatefulSet selector is immutable).
*/}}
{{- define "xcache.selectorLabels" -}}
app.kubernetes.io/name: {{ include "xcache.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/*
Labels shared by every object, without the component (test pods set their own).
*/}}
{{- define "xcache.baseLabels" -}}
helm.sh/chart: {{ include "xcache.chart" . }}
{{ include "xcache.selectorLabels" . }}
app.kubernetes.io/version: {{ include "xcache.version" . | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: coffea-shoppe
{{- end }}

{{/*
Common labels.
*/}}
{{- define "xcache.labels" -}}
{{ include "xcache.baseLabels" . }}
app.kubernetes.io/component: {{ include "xcache.component" . }}
{{- end }}

{{/*
ServiceAccount name.
*/}}
{{- define "xcache.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "xcache.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/*
Resource name for all.sitename / XC_RESOURCENAME.
*/}}
{{- define "xcache.resourceName" -}}
{{- default (include "xcache.fullname" .) .Values.resourceName }}
{{- end }}

{{/*
The upstream the cache reads from, as host:port, or "" for a forwarding proxy.
Fails when both origin.host and redirector.host are set.
*/}}
{{- define "xcache.upstream" -}}
{{- if and .Values.origin.host .Values.redirector.host }}
{{- fail "xcache: set at most one of origin.host and redirector.host" }}
{{- end }}
{{- if .Values.origin.host }}
{{- printf "%s:%d" .Values.origin.host (int .Values.origin.port) }}
{{- else if .Values.redirector.host }}
{{- printf "%s:%d" .Values.redirector.host (int .Values.redirector.port) }}
{{- end }}
{{- end }}

{{/*
True ("true") when the init container that prepares secret files must run.
*/}}
{{- define "xcache.needsSecretPrep" -}}
{{- if or .Values.hostCert.enabled .Values.tokenSecret.enabled }}true{{ end }}
{{- end }}

{{/*
Checks across values that the schema cannot express.
*/}}
{{- define "xcache.validate" -}}
{{- if and .Values.hostCert.enabled (not .Values.hostCert.secretName) }}
{{- fail "xcache: hostCert.enabled needs hostCert.secretName" }}
{{- end }}
{{- if and .Values.tokenSecret.enabled (not .Values.tokenSecret.secretName) }}
{{- fail "xcache: tokenSecret.enabled needs tokenSecret.secretName" }}
{{- end }}
{{- $low := toString .Values.cache.spaceLowWatermark }}
{{- $high := toString .Values.cache.spaceHighWatermark }}
{{- if and (regexMatch "^[0-9.]+$" $low) (regexMatch "^[0-9.]+$" $high) }}
{{- if ge (float64 $low) (float64 $high) }}
{{- fail (printf "xcache: cache.spaceLowWatermark (%s) must be below cache.spaceHighWatermark (%s)" $low $high) }}
{{- end }}
{{- end }}
{{- $_ := include "xcache.upstream" . }}
{{- end }}
