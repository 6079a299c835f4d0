"""`tdcheck init [DIR]`: a commented example manifest and waivers file to start from.

The manifest is compliant (the test suite checks it with `tdcheck check`), so a first run
exits 0 and every later failure is the user's own change. The example waiver is scoped to
the example deployment, so it can never hide a finding of a real manifest.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from checker.cli import Streams
from checker.errors import UsageError
from checker.waivers import DEFAULT_WAIVERS_FILE

MANIFEST_FILE = "training-deployment.yaml"
WAIVER_DAYS = 90  # well inside the one-year limit: waivers are meant to be renewed

MANIFEST = """\
# An example tdcheck manifest (manifest-v1.md): one training pipeline, where each stage
# runs and which data moves where. Check it with:  tdcheck check {manifest_file}
# Editor completion: tdcheck schema > tdcheck.schema.json, then point the YAML
# language server at it (# yaml-language-server: $schema=tdcheck.schema.json).
apiVersion: tdcheck/v1
kind: TrainingDeployment
metadata:
  name: example-training            # unique across a run; waivers match it by glob
  owner: ml-platform@example.com
  description: Fine-tuning a triage model on patient notes, on premises and in a US cloud
spec:
  workload: fine_tuning             # drives the cost and scale advisories
  model: {{name: triage-classifier, parameters_b: 0.4, est_gpu_hours: 600}}

  # What the data is. Frameworks follow from it: phi brings in HIPAA. A model trained on
  # PHI is PHI too (lineage), so the checkpoints below are handled as PHI.
  datasets:
    - id: patient-notes
      classifications: [phi]
    - id: training-set
      classifications: [phi]
    - id: checkpoints
      classifications: [internal]    # declared internal, effectively PHI by lineage

  # Where things run, and the controls each place has.
  locations:
    - id: hospital-dc
      kind: on_premises              # operator defaults to self
      country: US
      network: private
      encryption_at_rest: customer_managed
      fips_140: "140-3"              # quoted: it is a string, not a number
      audit_logging: true
      access_control: {{unique_user_ids: true, mfa: true}}
    - id: us-cloud
      kind: public_cloud             # a third party: HIPAA needs a BAA with it
      provider: aws
      region: us-east-1
      country: US
      hipaa_baa: true
      encryption_at_rest: customer_managed
      fips_140: "140-3"
      audit_logging: true
      access_control: {{unique_user_ids: true, mfa: true}}
      pricing: on_demand

  # What runs where, reading and writing which datasets.
  stages:
    - {{id: ingest, type: ingestion, location: hospital-dc, outputs: [patient-notes]}}
    - id: prepare
      type: preprocessing
      location: hospital-dc
      inputs: [patient-notes]
      outputs: [training-set]
    - {{id: fine-tune, type: fine_tuning, location: us-cloud, inputs: [training-set],
       outputs: [checkpoints]}}
    - {{id: store, type: checkpointing, location: hospital-dc, inputs: [checkpoints]}}

  # Every dataset that crosses locations needs a declared, encrypted transfer.
  transfers:
    - from: hospital-dc
      to: us-cloud
      datasets: [training-set]
      channel: private_link          # not the public internet
      encryption_in_transit: tls_fips
    - from: us-cloud
      to: hospital-dc
      datasets: [checkpoints]        # the checkpoints are PHI by lineage: encrypt them too
      channel: private_link
      encryption_in_transit: tls_fips
"""

WAIVERS = """\
# tdcheck waivers (cli-v1.md, schemas/waivers.schema.json): approved exceptions that
# expire. A waived failure is still reported, as `waived`, and does not fail the run.
# After `expires` it fails again and tdcheck adds a WAIVER-EXPIRED warning.
# `tdcheck check` reads this file from the working directory (or --waivers FILE).
waivers:
  # This example matches nothing in the example manifest, so tdcheck reports it as
  # unused: replace it with your own entries, or delete it.
  - rule: HIPAA-ENC-001              # required: a rule id from `tdcheck rules`
    deployment: example-training     # optional glob on metadata.name
    stage: "store"                   # optional glob on the stage id
    location: "hospital-*"           # optional glob on the location id (a movement: either end)
    reason: "compensating control: encrypted SAN volumes, ticket SEC-123"   # required
    approved_by: ciso@example.com    # required
    expires: {expires}               # required; at most one year after the check date
"""


@click.command(name="init")
@click.argument("directory", required=False, default=".", type=click.Path(path_type=Path))
@click.option("--force", is_flag=True, help="overwrite existing files")
@click.option("--provider", help="print a location block for this provider's --region instead")
@click.option("--region", help="the provider's region id (with --provider)")
@click.option("--data", "data_files", multiple=True, type=click.Path(path_type=Path))
@click.pass_obj
def command(
    streams: Streams,
    directory: Path,
    force: bool,
    provider: str | None,
    region: str | None,
    data_files: tuple[Path, ...],
) -> None:
    """Write a commented example manifest and a waivers file into DIR (default: here).

    With --provider and --region: print a manifest location filled from the provider
    catalogue (country, kind, the boundary's FedRAMP authorisation), naming its sources.
    """
    if provider is not None or region is not None:
        if provider is None or region is None:
            raise UsageError("--provider and --region go together")
        from checker.commands.providers import catalogue_of, location_block
        from checker.policy import load_policy_set

        data = load_policy_set((), tuple(data_files)).data
        streams.stdout.write(location_block(catalogue_of(data), provider, region))
        return
    expires = dt.date.today() + dt.timedelta(days=WAIVER_DAYS)
    files = {
        directory / MANIFEST_FILE: MANIFEST.format(manifest_file=MANIFEST_FILE),
        directory / DEFAULT_WAIVERS_FILE: WAIVERS.format(expires=expires.isoformat()),
    }
    existing = [str(path) for path in files if path.exists()]
    if existing and not force:
        raise UsageError(f"{', '.join(existing)}: already exists (--force overwrites)")
    try:
        directory.mkdir(parents=True, exist_ok=True)
        for path, text in files.items():
            path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"{exc.filename}: cannot write: {exc.strerror}") from None
    for path in files:
        streams.stdout.write(f"wrote {path}\n")
    streams.stdout.write(f"next: tdcheck check {directory / MANIFEST_FILE}\n")
