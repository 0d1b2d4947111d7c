"""Per-call cost of DescribeImageSharePermission with the official Tencent Cloud Python SDK.

Run by `cargo run --release -p imgshare-bench --example sdk_compare`, which starts the Tencent
fake in-process and passes, through the environment:

  IMGSHARE_BENCH_ENDPOINT   host:port of the fake (plain HTTP)
  IMGSHARE_BENCH_SECRET_ID  a test key of the fake
  IMGSHARE_BENCH_SECRET_KEY
  IMGSHARE_BENCH_IMAGE      the image to describe
  IMGSHARE_BENCH_CALLS      timed calls (after IMGSHARE_BENCH_WARMUP untimed ones)

Prints one JSON line: calls, median_us, p90_us, p99_us, mean_us, failures.
Needs `pip install tencentcloud-sdk-python-common tencentcloud-sdk-python-cvm`.
"""

import json
import os
import statistics
import sys
import time

from tencentcloud.common import credential
from tencentcloud.common.exception.tencent_cloud_sdk_exception import (
    TencentCloudSDKException,
)
from tencentcloud.common.profile.client_profile import ClientProfile
from tencentcloud.common.profile.http_profile import HttpProfile
from tencentcloud.cvm.v20170312 import cvm_client, models


def main() -> int:
    env = os.environ
    http = HttpProfile()
    http.scheme = "http"
    http.endpoint = env["IMGSHARE_BENCH_ENDPOINT"]
    http.reqMethod = "POST"
    profile = ClientProfile(httpProfile=http, signMethod="TC3-HMAC-SHA256")
    cred = credential.Credential(
        env["IMGSHARE_BENCH_SECRET_ID"], env["IMGSHARE_BENCH_SECRET_KEY"]
    )
    client = cvm_client.CvmClient(cred, "ap-guangzhou", profile)
    image = env["IMGSHARE_BENCH_IMAGE"]
    calls = int(env.get("IMGSHARE_BENCH_CALLS", "2000"))
    warmup = int(env.get("IMGSHARE_BENCH_WARMUP", "50"))

    def call() -> None:
        req = models.DescribeImageSharePermissionRequest()
        req.ImageId = image
        client.DescribeImageSharePermission(req)

    failures = 0
    first_error = None
    for _ in range(warmup):
        try:
            call()
        except TencentCloudSDKException as e:
            failures += 1
            first_error = first_error or str(e)
    samples = []
    for _ in range(calls):
        start = time.perf_counter()
        try:
            call()
        except TencentCloudSDKException as e:
            failures += 1
            first_error = first_error or str(e)
            continue
        samples.append((time.perf_counter() - start) * 1e6)
    samples.sort()

    def pct(p: float) -> float:
        return samples[int((len(samples) - 1) * p)] if samples else 0.0

    print(
        json.dumps(
            {
                "calls": len(samples),
                "median_us": statistics.median(samples) if samples else 0.0,
                "p90_us": pct(0.90),
                "p99_us": pct(0.99),
                "mean_us": statistics.fmean(samples) if samples else 0.0,
                "failures": failures,
                "first_error": first_error,
            }
        )
    )
    return 0 if samples else 1


if __name__ == "__main__":
    sys.exit(main())
