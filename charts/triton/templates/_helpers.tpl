{{/*
Chart name, overridable with nameOverride.
*/}}
{{- define "triton.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Full name: fullnameOverride, else <release>-<name> (just <release> when it already contains the name).
*/}}
{{- define "triton.fullname" -}}
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
{{- define "triton.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Image reference from an image values map: repository:tag, repository:tag@digest or repository@digest.
*/}}
{{- define "triton.imageRef" -}}
{{- $ref := .repository }}
{{- if .tag }}{{ $ref = printf "%s:%s" $ref (toString .tag) }}{{ end }}
{{- if .digest }}{{ $ref = printf "%s@%s" $ref .digest }}{{ end }}
{{- $ref }}
{{- end }}

{{/*
Selector labels: stable for the life of a release (the Deployment selector is immutable).
*/}}
{{- define "triton.selectorLabels" -}}
app.kubernetes.io/name: {{ include "triton.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/*
Labels shared by every object, without the component (test pods set their own).
*/}}
{{- define "triton.baseLabels" -}}
helm.sh/chart: {{ include "triton.chart" . }}
{{ include "triton.selectorLabels" . }}
app.kubernetes.io/version: {{ .Values.image.tag | default .Chart.AppVersion | toString | replace "+" "_" | trunc 63 | trimSuffix "-" | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: coffea-shoppe
{{- end }}

{{/*
Common labels.
*/}}
{{- define "triton.labels" -}}
{{ include "triton.baseLabels" . }}
app.kubernetes.io/component: inference-server
{{- end }}

{{/*
ServiceAccount name.
*/}}
{{- define "triton.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "triton.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/*
Name of the model repository claim: the existing one or the one the chart creates.
*/}}
{{- define "triton.claimName" -}}
{{- default (printf "%s-models" (include "triton.fullname" .)) .Values.modelRepository.pvc.existingClaim }}
{{- end }}

{{/*
The --model-repository value.
*/}}
{{- define "triton.modelRepository" -}}
{{- if eq .Values.modelRepository.source "s3" }}
{{- .Values.modelRepository.s3.url }}
{{- else }}
{{- .Values.modelRepository.mountPath }}
{{- end }}
{{- end }}

{{/*
Container resources with the GPU limit taken from .Values.gpus, as YAML.
*/}}
{{- define "triton.resources" -}}
{{- $resources := deepCopy (.Values.resources | default dict) }}
{{- $limits := deepCopy (get $resources "limits" | default dict) }}
{{- $gpus := int .Values.gpus }}
{{- if gt $gpus 0 }}
{{- $_ := set $limits "nvidia.com/gpu" $gpus }}
{{- end }}
{{- if $limits }}
{{- $_ := set $resources "limits" $limits }}
{{- end }}
{{- toYaml $resources }}
{{- end }}

{{/*
Checks across values that the schema cannot express (or where a clearer message helps).
*/}}
{{- define "triton.validate" -}}
{{- $src := .Values.modelRepository.source }}
{{- if and .Values.resources .Values.resources.limits (hasKey .Values.resources.limits "nvidia.com/gpu") }}
{{- fail "triton: do not set resources.limits[\"nvidia.com/gpu\"]; set gpus instead" }}
{{- end }}
{{- if and .Values.resources .Values.resources.requests (hasKey .Values.resources.requests "nvidia.com/gpu") }}
{{- fail "triton: do not set resources.requests[\"nvidia.com/gpu\"]; set gpus instead" }}
{{- end }}
{{- if eq $src "s3" }}
{{- if not (regexMatch "^s3://" .Values.modelRepository.s3.url) }}
{{- fail "triton: modelRepository.source is s3 but modelRepository.s3.url is not an s3:// URL" }}
{{- end }}
{{- if not .Values.modelRepository.s3.existingSecret }}
{{- fail "triton: modelRepository.source is s3 but modelRepository.s3.existingSecret is empty" }}
{{- end }}
{{- end }}
{{- if and (eq $src "initContainer") (not .Values.modelRepository.initContainer.command) }}
{{- fail "triton: modelRepository.source is initContainer but modelRepository.initContainer.command is empty" }}
{{- end }}
{{- if and .Values.loadModels (ne .Values.modelControlMode "explicit") }}
{{- fail "triton: loadModels needs modelControlMode explicit" }}
{{- end }}
{{- if and .Values.autoscaling.enabled (lt (int .Values.autoscaling.maxReplicas) (int .Values.autoscaling.minReplicas)) }}
{{- fail "triton: autoscaling.maxReplicas must not be below autoscaling.minReplicas" }}
{{- end }}
{{- if and .Values.autoscaling.enabled (not (or .Values.autoscaling.targetCPUUtilizationPercentage .Values.autoscaling.targetMemoryUtilizationPercentage .Values.autoscaling.metrics)) }}
{{- fail "triton: autoscaling.enabled needs a CPU or memory target or autoscaling.metrics" }}
{{- end }}
{{- end }}

{{/*
Environment of the server container, as a YAML list (empty when there is none).
*/}}
{{- define "triton.env" -}}
{{- $repo := .Values.modelRepository }}
{{- $src := $repo.source }}
{{- if eq $src "s3" }}
- name: AWS_ACCESS_KEY_ID
  valueFrom:
    secretKeyRef:
      name: {{ $repo.s3.existingSecret }}
      key: {{ $repo.s3.accessKeyIdKey }}
- name: AWS_SECRET_ACCESS_KEY
  valueFrom:
    secretKeyRef:
      name: {{ $repo.s3.existingSecret }}
      key: {{ $repo.s3.secretAccessKeyKey }}
{{- with $repo.s3.sessionTokenKey }}
- name: AWS_SESSION_TOKEN
  valueFrom:
    secretKeyRef:
      name: {{ $repo.s3.existingSecret }}
      key: {{ . }}
{{- end }}
- name: AWS_DEFAULT_REGION
  value: {{ $repo.s3.region | quote }}
{{- end }}
{{- if eq (int .Values.gpus) 0 }}
# No GPU asked for: keep the NVIDIA runtime (where it is the default) from exposing any.
- name: NVIDIA_VISIBLE_DEVICES
  value: void
{{- end }}
{{- with .Values.extraEnv }}
{{- toYaml . | nindent 0 }}
{{- end }}
{{- end }}
