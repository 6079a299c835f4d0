"""Evidence benchmark: what binding a 50-resource Terraform module adds to one check.

    python bench/evidence.py              # median of 15 runs each
    python bench/evidence.py --runs 31

Writes, in a temporary git repository, a root module built the way public modules are
(a module called with for_each, count, an aliased provider, variables with defaults) that
declares 50 resources, and two copies of one manifest: one binding the location to the
module's resources, one without the binding. Runs `python -m checker check FILE
--framework verify --no-cache` on each (cold: the Terraform is read every time), alternating,
and then the bound one with the result cache warm (a re-check of unchanged files reads no
Terraform, it only hashes it), and prints the median wall and CPU times and the difference;
also the in-process time of reading the module (tfparse) alone, and of python-hcl2 parsing
the same files when it is installed (the alternative we measured).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

BUCKETS = 11  # 11 buckets x 4 resources + KMS key + log bucket + 4 SageMaker = 50

MODULE = """
variable "name" {
  type = string
}

variable "kms_key_arn" {
  type = string
}

resource "aws_s3_bucket" "this" {
  bucket = var.name
}

resource "aws_s3_bucket_server_side_encryption_configuration" "this" {
  bucket = aws_s3_bucket.this.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = var.kms_key_arn
    }
  }
}

resource "aws_s3_bucket_public_access_block" "this" {
  bucket                  = aws_s3_bucket.this.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_logging" "this" {
  bucket        = aws_s3_bucket.this.id
  target_bucket = "${var.name}-logs"
  target_prefix = "s3/"
}
"""

ROOT_MODULE = """
variable "region" {
  type    = string
  default = "us-gov-west-1"
}

variable "zones" {
  type    = set(string)
  default = [%(zones)s]
}

provider "aws" {
  region = var.region
}

provider "aws" {
  alias  = "logs"
  region = "us-gov-east-1"
}

resource "aws_kms_key" "data" {
  enable_key_rotation = true
}

resource "aws_s3_bucket" "logs" {
  provider = aws.logs
  bucket   = "audit-logs"
}

module "lake" {
  source      = "./modules/bucket"
  for_each    = var.zones
  name        = "lake-${each.key}"
  kms_key_arn = aws_kms_key.data.arn
}

resource "aws_sagemaker_domain" "studio" {
  count       = 2
  domain_name = "studio-${count.index}"
  auth_mode   = "IAM"
  vpc_id      = "vpc-1"
  subnet_ids  = ["subnet-1"]
  kms_key_id  = aws_kms_key.data.arn

  default_user_settings {
    execution_role = "arn:aws-us-gov:iam::123456789012:role/train"
  }
}

resource "aws_sagemaker_model" "classifier" {
  count                    = 2
  name                     = "classifier-${count.index}"
  execution_role_arn       = "arn:aws-us-gov:iam::123456789012:role/train"
  enable_network_isolation = true

  primary_container {
    image = "123456789012.dkr.ecr.us-gov-west-1.amazonaws.com/classifier:1"
  }
}
"""


def build(repo: Path) -> tuple[Path, Path]:
    infra = repo / "infra"
    (infra / "modules" / "bucket").mkdir(parents=True)
    zones = ", ".join(f'"zone{i}"' for i in range(BUCKETS))
    (infra / "main.tf").write_text(ROOT_MODULE % {"zones": zones})
    (infra / "modules" / "bucket" / "main.tf").write_text(MODULE)
    manifest = (ROOT / "fixtures" / "rules" / "EVID-001" / "pass.yaml").read_text()
    bound = manifest.replace("../../evidence/aws-govcloud", "infra").replace(
        "aws_sagemaker_model.notes_classifier", "aws_sagemaker_model.classifier"
    )
    with_evidence = repo / "bound.yaml"
    with_evidence.write_text(bound)
    start = bound.index("      evidence:")
    end = bound.index("  stages:")
    without = repo / "unbound.yaml"
    without.write_text(bound[:start] + bound[end:])
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    return with_evidence, without


def timed(argv: list[str], cwd: Path) -> tuple[float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(argv, cwd=cwd, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} exited {done.returncode}:\n{done.stdout}{done.stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def in_process(infra: Path) -> tuple[float, int, float | None]:
    from checker.evidence.hcl import HclReader

    start = time.perf_counter()
    module = HclReader().read(infra, "infra")
    tfparse_seconds = time.perf_counter() - start
    try:
        import hcl2  # type: ignore[import-untyped]
    except ImportError:
        return tfparse_seconds, len(module.resources), None
    start = time.perf_counter()
    for path in sorted(infra.rglob("*.tf")):
        with path.open() as handle:
            hcl2.load(handle)
    return tfparse_seconds, len(module.resources), time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        repo = Path(tmp)
        bound, unbound = build(repo)
        command = [sys.executable, "-m", "checker", "check", "--framework", "verify", "-f", "json"]
        cold = [*command, "--no-cache"]
        os.environ.setdefault("PYTHONPATH", str(ROOT))
        os.environ["TDCHECK_CACHE_DIR"] = str(repo / ".cache")
        timed([*command, str(bound)], repo)  # fill the caches for the warm runs
        results: dict[str, list[tuple[float, float]]] = {"bound": [], "unbound": [], "warm": []}
        for _ in range(args.runs):
            results["unbound"].append(timed([*cold, str(unbound)], repo))
            results["bound"].append(timed([*cold, str(bound)], repo))
            results["warm"].append(timed([*command, str(bound)], repo))
        tfparse_seconds, resources, hcl2_seconds = in_process(repo / "infra")
    wall = {k: statistics.median(w for w, _ in v) for k, v in results.items()}
    cpu = {k: statistics.median(c for _, c in v) for k, v in results.items()}
    print(
        f"module: {resources} resources with facts, read by tfparse in "
        f"{tfparse_seconds * 1000:.0f} ms"
    )
    if hcl2_seconds is not None:
        print(f"python-hcl2 parse of the same files: {hcl2_seconds * 1000:.0f} ms")
    print(f"check without evidence: wall {wall['unbound']:.3f} s, cpu {cpu['unbound']:.3f} s")
    print(f"check with evidence:    wall {wall['bound']:.3f} s, cpu {cpu['bound']:.3f} s")
    print(f"re-check, cache warm:   wall {wall['warm']:.3f} s, cpu {cpu['warm']:.3f} s")
    added = wall["bound"] - wall["unbound"]
    print(
        f"evidence adds: wall {added * 1000:+.0f} ms, "
        f"cpu {(cpu['bound'] - cpu['unbound']) * 1000:+.0f} ms"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
