"""Ordinary files of an infrastructure repository that are not manifests.

Each one made a run fail before the cheap look (checker/loader/sniff.py): custom tags,
merge keys, Python tags, template syntax, JSON with comments, and a lock file larger than
the input size limit. Small but realistic: what such a repository really holds.
"""

from __future__ import annotations

import json
from pathlib import Path

GITLAB_CI = """\
include:
  - local: .gitlab/ci/common.yml
stages: [lint, test]
.python:
  image: python:3.11
  before_script:
    - pip install -r requirements.txt
lint:
  stage: lint
  extends: .python
  script:
    - ruff check .
test:
  stage: test
  script:
    - !reference [.python, before_script]
    - pytest -q
  rules:
    - !reference [.default_rules, rules]
"""

CLOUDFORMATION = """\
AWSTemplateFormatVersion: "2010-09-09"
Description: Bucket for training checkpoints
Parameters:
  Env:
    Type: String
    AllowedValues: [dev, prod]
Resources:
  CheckpointBucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !Sub "training-checkpoints-${Env}"
      BucketEncryption:
        ServerSideEncryptionConfiguration:
          - ServerSideEncryptionByDefault: {SSEAlgorithm: aws:kms}
      Tags:
        - Key: env
          Value: !Ref Env
Outputs:
  BucketArn:
    Value: !GetAtt CheckpointBucket.Arn
    Export:
      Name: !Join [":", [!Ref "AWS::StackName", bucket]]
"""

COMPOSE_MERGE_KEYS = """\
x-trainer: &trainer
  image: registry.example.com/trainer:1.4
  restart: unless-stopped
  environment:
    NCCL_DEBUG: WARN
services:
  trainer-a:
    <<: *trainer
    command: [python, train.py, --shard, "0"]
  trainer-b:
    <<: *trainer
    command: [python, train.py, --shard, "1"]
"""

MKDOCS = """\
site_name: Platform docs
theme:
  name: material
markdown_extensions:
  - admonition
  - pymdownx.emoji:
      emoji_index: !!python/name:material.extensions.emoji.twemoji
      emoji_generator: !!python/name:material.extensions.emoji.to_svg
  - pymdownx.superfences:
      custom_fences:
        - name: mermaid
          class: mermaid
          format: !!python/name:pymdownx.superfences.fence_code_format
"""

HELM_DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "trainer.fullname" . }}
  labels:
    {{- include "trainer.labels" . | nindent 4 }}
spec:
  replicas: {{ .Values.replicaCount }}
  template:
    spec:
      {{- with .Values.nodeSelector }}
      nodeSelector:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      containers:
        - name: trainer
          image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"
"""

HELM_VALUES = """\
replicaCount: 2
image: {repository: registry.example.com/trainer, tag: "1.4"}
nodeSelector: {accelerator: a100}
"""

TSCONFIG = """\
{
  // Shared compiler settings for the dashboard
  "compilerOptions": {
    "target": "es2022",
    "strict": true, /* keep strict */
    "paths": {"@/*": ["./src/*"]},
  },
  "include": ["src"],
}
"""

VSCODE_SETTINGS = """\
{
  // Workspace settings
  "editor.formatOnSave": true,
  "yaml.schemas": {
    "schemas/manifest.schema.json": "deploy/*.yaml",
  },
}
"""

KUBERNETES_MULTI_DOC = """\
apiVersion: v1
kind: Namespace
metadata: {name: training}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: trainer-settings, namespace: training}
data: {batch_size: "64"}
"""

# Every ordinary file, by its path in the repository.
ORDINARY: dict[str, str] = {
    ".gitlab-ci.yml": GITLAB_CI,
    "infra/cloudformation/checkpoints.yaml": CLOUDFORMATION,
    "docker-compose.yml": COMPOSE_MERGE_KEYS,
    "mkdocs.yml": MKDOCS,
    "charts/trainer/templates/deployment.yaml": HELM_DEPLOYMENT,
    "charts/trainer/values.yaml": HELM_VALUES,
    "dashboard/tsconfig.json": TSCONFIG,
    ".vscode/settings.json": VSCODE_SETTINGS,
    "k8s/namespace.yaml": KUBERNETES_MULTI_DOC,
}
LOCK_FILE = "dashboard/package-lock.json"
LOCK_FILE_BYTES = 13 * 1024 * 1024


def write_lock_file(path: Path, size: int = LOCK_FILE_BYTES) -> None:
    """An npm lock file (lockfileVersion 3) of at least `size` bytes."""
    packages: dict[str, object] = {"": {"name": "dashboard", "version": "1.0.0"}}
    entry_bytes = 260
    for n in range(size // entry_bytes + 1):
        name = f"pkg-{n:06d}"
        packages[f"node_modules/{name}"] = {
            "version": "1.0.0",
            "resolved": f"https://registry.npmjs.org/{name}/-/{name}-1.0.0.tgz",
            "integrity": "sha512-" + "A" * 86 + "==",
            "dev": n % 2 == 0,
        }
    lock = {"name": "dashboard", "version": "1.0.0", "lockfileVersion": 3, "packages": packages}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(lock, indent=2) + "\n", encoding="utf-8")
    assert path.stat().st_size >= size


def write_ordinary_files(root: Path, lock_file: bool = True) -> list[str]:
    """Write every ordinary file under `root`; their repository paths, sorted."""
    for name, text in ORDINARY.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    names = sorted(ORDINARY)
    if lock_file:
        write_lock_file(root / LOCK_FILE)
        names = sorted([*names, LOCK_FILE])
    return names
