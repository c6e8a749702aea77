"""The bench's results as Markdown tables and one PNG chart (matplotlib)."""
from __future__ import annotations

from pathlib import Path

TARGET_RATE = 35  # nominations/s at 8 clients with scans running (issue 19)


PATHS = {"api": "API", "direct": "API, files to S3", "html": "HTML"}
UPLOAD_STEPS = ("upload", "upload to S3")


def _paths(intake: dict) -> list[str]:
    return [path for path in PATHS if intake.get(path)]


def _intake_rows(intake: dict) -> list[str]:
    paths = _paths(intake)
    head = "".join(f" {PATHS[path]} nom/s | {PATHS[path]} p50 / p99 ms |" for path in paths)
    rows = [f"| clients |{head} errors | raw S3 PUT nom/s | bare req/s (p50 ms) | scan backlog (oldest) |",
            "|---:|" + "---:|" * (2 * len(paths) + 4)]
    for index, clients in enumerate(intake["levels"]):
        levels = [intake[path][index] for path in paths]
        raw, bare, backlog = intake["raw_put"][index], intake["bare"][index], intake["scan_backlog"][index]
        cells = "".join(f" {level['per_s']} | {level['p50_ms']} / {level['p99_ms']} |" for level in levels)
        rows.append(f"| {clients} |{cells} {sum(level['errors'] for level in levels)} "
                    f"| {raw['per_s']} | {bare['requests_per_s']:.0f} ({bare['p50_ms']}) "
                    f"| {backlog['pending']} ({backlog['oldest_s']:.0f} s) |")
    return rows


def _request_rows(intake: dict) -> list[str]:
    """Each API request's p50 at 1 client beside the raw PUT of one file (the files through intake, and
    straight to S3: the slot, the POST to S3 and the confirmation are three requests)."""
    if not intake.get("api"):
        return []
    raw = intake["raw_put"][0]["steps"]["put"]
    rows = ["", "| API request at 1 client | p50 ms | p99 ms | vs raw PUT p50 |", "|---|---:|---:|---:|"]
    steps = dict(intake["api"][0]["steps"])
    direct = intake["direct"][0]["steps"] if intake.get("direct") else {}
    steps.update({name: step for name, step in direct.items() if name.startswith("upload ")})
    for name, step in steps.items():
        ratio = f"{step['p50_ms'] / raw['p50_ms']:.1f}×" if name in UPLOAD_STEPS else ""
        rows.append(f"| {name} | {step['p50_ms']} | {step['p99_ms']} | {ratio} |")
    if direct:
        whole = sum(direct[name]["p50_ms"] for name in ("upload slot", "upload to S3", "upload confirm"))
        rows.append(f"| a file straight to S3, its three requests | {whole:.1f} | | {whole / raw['p50_ms']:.1f}× |")
    rows.append(f"| raw S3 PUT of one file | {raw['p50_ms']} | {raw['p99_ms']} | 1× |")
    paths = intake.get("upload_paths")
    if paths:
        rows += ["", f"Side by side before the load, {paths['files']} files alternating through one connection: a direct "
                 f"upload's POST {paths['post_p50_ms']} ms against a raw PUT {paths['put_p50_ms']} ms (p50), "
                 f"**{paths['ratio']}×**."]
    bodies = intake.get("upload_bodies")
    if bodies:
        rows += ["", f"intake-web's CPU per upload through intake, {bodies['blocks']} alternating blocks of "
                 f"{bodies['uploads_per_block']} uploads: a multipart form's file {bodies['form_cpu_ms']} ms, the file "
                 f"as the whole body {bodies['body_cpu_ms']} ms (**{bodies['ratio']}×**)."]
    return rows


# Kafka's share is mostly its own idle work, so it is shown but left out of the total.
FORM_PROCESSES = ("intake-web", "intake-relay", "postgres", "s3", "redis")


def _cpu_rows(intake: dict) -> list[str]:
    """CPU per nomination at the busiest level: steadier than rates on a shared machine."""
    rows = ["", "| CPU ms per nomination (most clients) | " + " | ".join(FORM_PROCESSES) + " | forms' total "
            "| 2 cores could take | kafka | scan worker meanwhile |", "|---|" + "---:|" * (len(FORM_PROCESSES) + 4)]
    for path in _paths(intake):
        if "cpu_ms_per_nomination" not in intake[path][-1]:
            continue
        cpu = intake[path][-1]["cpu_ms_per_nomination"]
        total = sum(cpu.get(name, 0) for name in FORM_PROCESSES)
        rows.append(f"| {PATHS[path]} | " + " | ".join(str(cpu.get(name, "–")) for name in FORM_PROCESSES)
                    + f" | {total:.0f} | {2000 / total:.0f} nom/s | {cpu.get('kafka', '–')} "
                    f"| {cpu.get('intake-worker', '–')} |")
    return rows


def _memory_rows(intake: dict) -> list[str]:
    idle, load = intake.get("memory_idle", {}), intake.get("memory_load", {})
    rows = ["", "| process | OS processes | largest idle MB | largest under load MB | all under load MB |",
            "|---|---:|---:|---:|---:|"]
    for name, figures in idle.items():
        peak = load.get(name, figures)
        rows.append(f"| {name} | {figures['processes']} | {figures['max_mb']} | {peak['max_mb']} | {peak['total_mb']} |")
    return rows


def _scan_rows(results: dict) -> list[str]:
    rows = []
    if "scans" in results:
        scans = results["scans"]
        rows += ["", f"Scans: {scans['files']} files ({scans['megabytes']} MB); through Celery "
                     f"{100 * scans['celery_cost']:.0f}% fewer files/s than the same checks in 2 processes."] + _celery_split(scans) + ["",
                 "| scan path | files/s |", "|---|---:|"]
        rows += [f"| {label} | {rate} |" for label, rate in scans["rates"].items()]
    if "scale" in results:
        scale = results["scale"]
        empty = " and ".join(str(rate) for rate in scale["empty_store_files_per_s"])
        rows += ["", f"Scan rate with {scale['stored_uploads']:,} uploads stored: {scale['stored_files_per_s']} files/s, "
                     f"against {empty} with an empty store before and after: **{100 * scale['ratio']:.0f}%**."]
    if "burst" in results:
        burst = results["burst"]
        rows += ["", f"Burst: {burst['nominations']:,} nominations ({burst['files']:,} files) stored in "
                     f"{burst['burst_seconds']} s; {burst['backlog_after_burst']:,} files still to scan then, drained "
                     f"in **{burst['drain_seconds']} s** ({burst['scanned_files_per_s']} files/s overall)."]
    return rows


def _celery_split(scans: dict) -> list[str]:
    if "celery_own_cost" not in scans:
        return []
    return [f"Of that, the task's work around the checks (the file fetched from S3, derivatives stored, findings, "
            f"duplicate search, the event): {scans['celery_task_mean_ms']} ms per file inside the task against "
            f"{scans['inprocess_file_mean_ms']} ms for the checks alone; Celery itself (queue to task, acknowledgement) "
            f"**{100 * scans['celery_own_cost']:.0f}%** of the rate its pool would reach running the task back to back."]


def _e2e_rows(e2e: dict) -> list[str]:
    rows = [f"End to end: {e2e['submissions']} submissions at {e2e['rate_per_s']}/s, from intake's commit to the "
            "consumer's handling (targets: p50 < 20 ms, p99 < 100 ms).", "",
            "| to | arrived | p50 ms | p99 ms | max ms |", "|---|---:|---:|---:|---:|"]
    for service, figures in e2e["to"].items():
        rows.append(f"| {service} | {figures['arrived']}/{figures['of']} | {figures['p50_ms']} | {figures['p99_ms']} "
                    f"| {figures['max_ms']} |")
    raw = e2e["raw_kafka"]
    rows.append(f"| raw Kafka produce → consume | {raw['arrived']}/{raw['messages']} | {raw['p50_ms']} | {raw['p99_ms']} | |")
    if cpu := e2e.get("cpu_ms_per_submission"):
        rows += ["", "| CPU ms per submission | " + " | ".join(cpu) + " |", "|---|" + "---:|" * len(cpu),
                 "| from the first send to the last handled | " + " | ".join(str(value) for value in cpu.values()) + " |"]
    return rows


def markdown(results: dict, chart_name: str | None) -> str:
    machine = results["machine"]
    lines = [f"# Bench {results['measured_at']}{' (quick)' if results.get('quick') else ''}", "",
             f"{machine['cpus']} CPUs, load {machine['load_before']} before and {machine['load_after']} after "
             "(a shared machine: read the ratios; absolute figures are context).", ""]
    if kept := results.get("kept_from"):
        lines += ["Kept from earlier runs (not measured in this one): "
                  + ", ".join(f"{part} ({at})" for part, at in kept.items()) + ".", ""]
    if chart_name:
        lines += [f"![bench chart]({chart_name})", ""]
    if "e2e" in results:
        lines += _e2e_rows(results["e2e"]) + [""]
    if "intake" in results:
        intake = results["intake"]
        day = ("the last evening: no submission waits for its scans" if intake.get("last_evening")
               else "a usual day: a submission waits for its scans while they keep up")
        lines += [f"Intake: whole nominations by N clients for {intake['seconds_per_level']} s per level, scan worker "
                  f"running (niced as the Procfile says, plus {intake['worker_nice']}); {day}.", ""]
        lines += _intake_rows(intake) + _request_rows(intake) + _cpu_rows(intake) + _memory_rows(intake)
    lines += _scan_rows(results)
    if "review" in results:
        from bench.review_queue import markdown_rows

        lines += [""] + markdown_rows(results["review"])
    if "notice" in results:
        from bench.public_notice import markdown_rows as notice_rows

        lines += [""] + notice_rows(results["notice"])
    if "staff" in results:
        from bench.staff_list import markdown_rows as staff_rows

        lines += [""] + staff_rows(results["staff"])
    return "\n".join(lines) + "\n"


def chart(results: dict, path: Path) -> Path | None:
    if "intake" not in results:
        return None
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    intake = results["intake"]
    levels = intake["levels"]
    figure, (rates, latency) = plt.subplots(1, 2, figsize=(12, 4.5))
    for key, label, colour in (("api", "JSON API", "C0"), ("direct", "JSON API, files straight to S3", "C3"),
                               ("html", "HTML pages", "C1"), ("raw_put", "raw S3 PUT (same files)", "C2")):
        if intake.get(key):
            rates.plot(levels, [level["per_s"] for level in intake[key]], marker="o", color=colour, label=label)
    rates.axhline(TARGET_RATE, color="grey", linestyle="--", label=f"target {TARGET_RATE}/s at 8 clients")
    rates.set(xlabel="concurrent clients", ylabel="nominations per second", xticks=levels, yscale="log",
              title="Intake throughput (scans running)")
    rates.legend(fontsize=8)
    for key, label, colour in (("api", "API", "C0"), ("direct", "API, files to S3", "C3"), ("html", "HTML", "C1")):
        if intake.get(key):
            latency.plot(levels, [level["p50_ms"] for level in intake[key]], marker="o", color=colour, label=f"{label} p50")
            latency.plot(levels, [level["p99_ms"] for level in intake[key]], marker="x", linestyle=":", color=colour,
                         label=f"{label} p99")
    latency.set(xlabel="concurrent clients", ylabel="ms per whole nomination", xticks=levels, yscale="log",
                title="Time for one whole nomination")
    latency.legend(fontsize=8)
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)
    return path
