"""Files per second through the scan checks called in-process, on a generated mix of uploads.

Run from the repository root: python -m bench.bench_scans_inprocess [rounds]
The Celery side of the benchmark imports sample_uploads and run_inprocess from here, so both run
on the same files in one run.
"""
import multiprocessing
import sys
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from typing import NamedTuple

from shared.scans import scan_upload
from tests.fixtures import scanfiles


class Upload(NamedTuple):
    data: bytes
    kind: str
    nomination_id: str


def sample_uploads(rounds: int = 3) -> list[Upload]:
    """Per round: what four nominations upload (photo, sealed form, two certificates), and hostile files
    that intake stores for their scan to judge."""
    nid = scanfiles.NOMINATION_ID
    uploads: list[Upload] = []
    for round_number in range(rounds):
        seed = round_number * 10
        uploads += [
            Upload(scanfiles.portrait_photo_jpeg(), "photo", nid),
            Upload(scanfiles.gps_photo_jpeg(), "photo", nid),
            Upload(scanfiles.rotated_portrait_jpeg(), "photo", nid),
            Upload(scanfiles.portrait_photo_jpeg(700, 500), "photo", nid),
            Upload(scanfiles.sealed_form_png(), "sealed_form", nid),
            Upload(scanfiles.sealed_form_pdf(), "sealed_form", nid),
            Upload(scanfiles.sealed_form_phone_jpeg(), "sealed_form", nid),
            Upload(scanfiles.unsealed_form_pdf(), "sealed_form", nid),
            *(Upload(scanfiles.certificate_jpeg(seed + n), "certificate", nid) for n in range(8)),
            Upload(scanfiles.pdf_with_pages(2), "media_proof", nid),
            Upload(scanfiles.bomb_png(), "certificate", nid),
            Upload(scanfiles.jpeg_with_zip_and_html_appended(), "photo", nid),
            Upload(scanfiles.elf_named_jpg(), "photo", nid),
            Upload(scanfiles.pdf_with_javascript(), "certificate", nid),
            Upload(scanfiles.truncated_jpeg(), "certificate", nid),
            Upload(scanfiles.svg_named_png(), "photo", nid),
            Upload(scanfiles.zip_named_pdf(), "sealed_form", nid),
        ]  # no empty file: intake refuses it before storing it, so no scan ever sees one
    return uploads


def run_inprocess(files: list[Upload]) -> float:
    """Scan every file once, one after another, in this process; returns files per second."""
    started = time.perf_counter()
    for upload in files:
        scan_upload(upload.data, upload.kind, upload.nomination_id)
    return len(files) / (time.perf_counter() - started)


def scan_verdict(upload: Upload) -> str:
    return scan_upload(upload.data, upload.kind, upload.nomination_id).findings.verdict


def _started(_: int) -> None:
    time.sleep(0.5)


def run_inprocess_pool(files: list[Upload], processes: int) -> tuple[float, Counter]:
    """The same checks spread over a process pool: files per second, and the verdicts. forkserver,
    as OpenCV's threads and fork do not mix; the pool's processes are up before the clock starts."""
    context = multiprocessing.get_context("forkserver")
    with ProcessPoolExecutor(processes, mp_context=context) as pool:
        list(pool.map(_started, range(processes)))
        started = time.perf_counter()
        verdicts = Counter(pool.map(scan_verdict, files))
        return len(files) / (time.perf_counter() - started), verdicts


def _verdicts(files: list[Upload]) -> Counter:
    return Counter(scan_upload(u.data, u.kind, u.nomination_id).findings.verdict for u in files)


def main(rounds: int) -> None:
    files = sample_uploads(rounds)
    verdicts = _verdicts(files[: len(files) // rounds])
    rate = run_inprocess(files)
    megabytes = sum(len(upload.data) for upload in files) / 1048576
    print(f"in-process: {len(files)} files ({megabytes:.1f} MB), {rate:.1f} files/s "
          f"(one round's verdicts: {dict(verdicts)})")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
