"""`make bench`: what each page costs at the largest scale against the demo's size, in one run.

    python -m bench.ratios                          # SQLite: scale 1 and LARGEST
    python -m bench.ratios --database postgres      # the same on PostgreSQL
    BENCH_QUICK=1 python -m bench.ratios            # a short run (QUICK_LARGEST, 1 s a page)

Both databases are made first (the demo alone; the demo with generated rows, bench/generate.py),
then served side by side by two gunicorns (production settings, page cache off), and each
page is measured on one right after the other, so that a change in the machine's speed
(shared machines) falls on both alike. Three modes:

- uncached, at both scales: every public page and API list, the baselines (a bare "ok" view
  and a bare 50-row list view) and the staff pages officers and secretaries use all day,
  signed in with every role. Each page's ratio is its requests per second at the largest
  scale over those at the smallest (target SCALE_TARGET).
- cached, at the largest scale: every public page with the page cache on (Redis when one
  listens on 127.0.0.1:6379, else per process), against the bare "ok" view (CACHED_TARGET).
- after one change, at the largest scale, page cache on: before every BATCH requests one
  unrelated record is saved (/bench/change/, bench.views.change); list pages against the
  bare 50-row view (AFTER_CHANGE_TARGET), every page against "ok".
- among many municipalities (--municipalities, 98 by default): a third database holds the
  largest scale's municipality beside 97 others (bench.generate); each page of the measured
  one is measured alone and among them, one right after the other (MANY_TARGET); with the
  page cache on, a record saved in another municipality before every BATCH requests leaves
  the measured one's pages cached (CACHED_TARGET against "ok"); and the national comparison
  (the service's own host), under the same changes, each of which makes it stale, is
  reported against "ok".

Each figure is read against those of its own run; results go to bench/results/<date>-ratios.md
and .json, printed as well.
"""

import argparse
import datetime
import json
import os
import secrets
import shutil
import subprocess
import sys
from contextlib import ExitStack
from pathlib import Path

from bench.run import (
    LISTS,
    OK,
    PAGES,
    PYTHON,
    ROOT,
    ROWS,
    STAFF_PAGES,
    database_url,
    environment,
    gunicorn,
    machine,
    prepare_database,
    progress,
    redis_url,
    run,
    wrk,
)

SMALL = 1  # the demo's size
# The largest scale measured: 200 is about 20,000 trips, 40,000 grant applications, 200,000
# commitments and 1,000 partner cities, generated in 6-12 minutes on two shared cores; the
# whole run then stays under about 25 minutes there.
LARGEST = 200
QUICK_LARGEST = 20
DURATION, QUICK_DURATION = 3, 1  # seconds of load per page and scale
BATCH = 50  # requests (of all wrk's threads) after each change in the "after one change" mode
SCALE_TARGET = 0.8
CACHED_TARGET = 1.0
AFTER_CHANGE_TARGET = 0.5
MANY_TARGET = 0.8
MUNICIPALITIES, QUICK_MUNICIPALITIES = 98, 5
NATIONAL = ("national comparison", "/", "localhost")  # name, path, host
CHANGE = "/bench/change/"
# Fewer answers than this in a page's seconds of load make no figure: the page is reported
# as not measured (a longer --duration measures it).
MIN_REQUESTS = 10
RESULTS = ROOT / "bench" / "results"


def options(argv=None):
    quick = os.environ.get("BENCH_QUICK", "") not in ("", "0", "false")
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--small", type=int, default=SMALL)
    parser.add_argument("--largest", type=int, default=QUICK_LARGEST if quick else LARGEST)
    parser.add_argument(
        "--duration", type=int, default=QUICK_DURATION if quick else DURATION, help="seconds"
    )
    parser.add_argument(
        "--municipalities",
        type=int,
        default=QUICK_MUNICIPALITIES if quick else MUNICIPALITIES,
        help="in the third database (1: no third database)",
    )
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--only", help="these pages only (names, comma-separated), for tests")
    parser.add_argument("--keep-data", action="store_true", help="measure the last run's data")
    parser.add_argument("--results", type=Path, default=RESULTS, help="where results go")
    args = parser.parse_args(argv)
    args.quick = quick
    args.secret_key = secrets.token_urlsafe(50)
    return args


def at_scale(args, scale: int) -> argparse.Namespace:
    """The run's options for one of its two databases."""
    one = argparse.Namespace(**vars(args))
    one.scale = scale
    one.sqlite_path = str(ROOT / "var" / f"bench-{scale}.sqlite3")
    one.database_name = f"{os.environ.get('BENCH_DATABASE', 'portal_bench')}_{scale}"
    one.database_url = database_url(one)
    one.cache_url = ""
    one.municipalities = 1
    return one


def among_many(args) -> argparse.Namespace:
    """The options of the third database: the largest scale among many municipalities."""
    one = at_scale(args, args.largest)
    one.municipalities = args.municipalities
    one.sqlite_path = str(ROOT / "var" / f"bench-{args.largest}-many.sqlite3")
    one.database_name += "_many"
    one.database_url = database_url(one)
    return one


def sign_in() -> dict:
    """In a process set up on a benchmark database: a staff user with every role, signed in
    (its session cookie), and the addresses of the staff pages: the grant queue, a case in
    it, the trip form of a published trip and the follow-up round of the newest year."""
    from portal.models import Municipality
    from portal.scoping import municipality

    with municipality(Municipality.objects.order_by("pk").first()):  # the measured one
        return _signed_in()


def _signed_in() -> dict:
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.test import Client
    from django.urls import reverse

    from budgets.models import BudgetYear
    from grants.enums import ApplicationState
    from grants.models import GrantApplication
    from portal.roles import Role
    from travel.models import Trip

    username = f"bench-staff-{secrets.token_hex(4)}"
    # A grant officer needs a plain email address (the own-case rule reads it).
    user = get_user_model().objects.create_user(username, email=f"{username}@example.dk")
    user.groups.add(*Group.objects.filter(name__in=[role.value for role in Role]))
    client = Client()
    client.force_login(user)
    case = GrantApplication.objects.filter(state=ApplicationState.SUBMITTED).order_by("pk").first()
    trip = Trip.objects.get(slug="2025-10-bsu-wuxi")
    year = BudgetYear.objects.order_by("-year").values_list("year", flat=True).first()
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    return {
        "cookie": f"{settings.SESSION_COOKIE_NAME}={cookie}",
        "paths": {
            "grant queue": reverse("grants:queue"),
            "a case": reverse("grants:officer_case", args=[case.pk]),
            "the trip form": reverse("travel:trip_edit", args=[trip.pk]),
            "the follow-up round": reverse("budgets:staff_follow_up", args=[year]),
        },
    }


def staff(one) -> dict:
    """sign_in() on the database of `one` (in a process of its own: Django is set up once
    per process, on one database)."""
    output = subprocess.run(
        [
            PYTHON,
            "-c",
            "import django, json; django.setup(); from bench.ratios import sign_in; "
            "print(json.dumps(sign_in()))",
        ],
        cwd=ROOT,
        env=environment(one, cached=False),
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(output.stdout.strip().splitlines()[-1])


def flush(cache_url: str) -> None:
    """An empty page cache: no page stored from another run or database is served."""
    if cache_url:
        import redis

        redis.Redis.from_url(cache_url).flushdb()


def pages(args) -> list[tuple[str, str]]:
    chosen = [(name, path) for name, path in PAGES]
    if args.only:
        wanted = set(args.only.split(","))
        chosen = [(name, path) for name, path in chosen if name in wanted]
    return chosen


def staff_names(args) -> list[str]:
    if args.only:
        return [name for name in STAFF_PAGES if name in set(args.only.split(","))]
    return list(STAFF_PAGES)


def measure(args) -> dict:
    small, large = at_scale(args, args.small), at_scale(args, args.largest)
    for one in (small, large):
        if not args.keep_data:
            prepare_database(one)
        run([PYTHON, "manage.py", "collectstatic", "--noinput"], environment(one, cached=False))
    signed_in = {one.scale: staff(one) for one in (small, large)}
    results = {
        "when": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "database": args.database,
        "scales": [small.scale, large.scale],
        "duration": args.duration,
        "connections": args.connections,
        "workers": args.workers,
        "batch": BATCH,
        "machine": machine(),
        "uncached": {small.scale: {}, large.scale: {}},
    }
    chosen = pages(args)
    with ExitStack() as servers:
        bases = {
            one.scale: servers.enter_context(gunicorn(one, cached=False)) for one in (small, large)
        }
        measured = [("baseline ok", OK, None), ("baseline 50 rows", ROWS, None)]
        measured += [(name, path, None) for name, path in chosen]
        measured += [(name, None, "staff") for name in staff_names(args)]
        for number, (name, path, kind) in enumerate(measured, 1):
            progress(f"uncached, both scales: {name} ({number}/{len(measured)})")
            for one in (small, large):
                if kind == "staff":
                    session = signed_in[one.scale]
                    figures = wrk(
                        one,
                        bases[one.scale] + session["paths"][name],
                        headers=[f"Cookie: {session['cookie']}"],
                        strict=False,
                    )
                else:
                    figures = wrk(one, bases[one.scale] + path, strict=False)
                results["uncached"][one.scale][name] = figures
    large.cache_url = redis_url(int(os.environ.get("BENCH_CACHE_DB", "1")))
    results["cache"] = "redis" if large.cache_url else "per process"
    flush(large.cache_url)
    with gunicorn(large, cached=True) as base:
        for mode in ("cached", "after one change"):
            figures = {"baseline ok": wrk(large, base + OK, strict=False)}
            if mode == "after one change":
                figures["baseline 50 rows"] = wrk(large, base + ROWS, strict=False)
            for number, (name, path) in enumerate(chosen, 1):
                progress(f"{mode} at scale {large.scale}: {name} ({number}/{len(chosen)})")
                if mode == "cached":
                    figures[name] = wrk(large, base + path, strict=False)
                else:
                    figures[name] = wrk(
                        large,
                        base + path,
                        script="change.lua",
                        script_args=(max(2, BATCH // args.threads), CHANGE),
                        strict=False,
                    )
            results[mode] = figures
    flush(large.cache_url)
    if args.municipalities > 1:
        results["municipalities"] = args.municipalities
        measure_many(args, large, chosen, results)
    results["verdicts"] = verdicts(results)
    return results


def measure_many(args, large, chosen, results) -> None:
    """Each page of the largest scale's municipality alone and among many, one right after
    the other; then, page cache on, a change in another municipality before every batch;
    and the national comparison."""
    from bench.generate import other_host

    many = among_many(args)
    if not args.keep_data:
        prepare_database(many)
    large.cache_url = ""
    results["alone"], results["among many"] = {}, {}
    with ExitStack() as servers:
        alone = servers.enter_context(gunicorn(large, cached=False))
        among = servers.enter_context(gunicorn(many, cached=False))
        measured = [("baseline ok", OK), *chosen]
        for number, (name, path) in enumerate(measured, 1):
            progress(f"alone and among {many.municipalities}: {name} ({number}/{len(measured)})")
            results["alone"][name] = wrk(large, alone + path, strict=False)
            results["among many"][name] = wrk(many, among + path, strict=False)
    many.cache_url = redis_url(int(os.environ.get("BENCH_CACHE_DB", "1")))
    flush(many.cache_url)
    figures = {}
    with gunicorn(many, cached=True) as base:
        figures["baseline ok"] = wrk(many, base + OK, strict=False)
        for number, (name, path) in enumerate(chosen, 1):
            progress(f"a change in another municipality: {name} ({number}/{len(chosen)})")
            figures[name] = wrk(
                many,
                base + path,
                script="change.lua",
                script_args=(max(2, BATCH // args.threads), CHANGE, other_host(2)),
                strict=False,
            )
        # With the same changes: each makes it stale, as it reads every municipality's rows.
        name, path, host = NATIONAL
        figures[name] = wrk(
            many,
            base + path,
            headers=[f"Host: {host}"],
            script="change.lua",
            script_args=(max(2, BATCH // args.threads), CHANGE, other_host(2)),
            strict=False,
        )
    results["change elsewhere"] = figures
    flush(many.cache_url)


def _ratio(numerator: float, denominator: float) -> float | None:
    return round(numerator / denominator, 2) if denominator else None


def _too_few(*rows: dict) -> int | None:
    """The fewest answers of the rows, when one has fewer than MIN_REQUESTS."""
    fewest = min(row["requests"] for row in rows)
    return fewest if fewest < MIN_REQUESTS else None


def _verdict(ratio: float | None, target: float) -> str:
    if ratio is None:
        return "MISSED (no answer)"
    if ratio >= target:
        return "met"
    return f"MISSED by {target - ratio:.2f}"


def scale_rows(results: dict) -> list[dict]:
    """Each page's requests per second at both scales and their ratio against SCALE_TARGET."""
    small, large = (str(scale) for scale in results["scales"])
    uncached = {str(key): value for key, value in results["uncached"].items()}
    rows = []
    for name, at_small in uncached[small].items():
        at_large = uncached[large][name]
        failed = at_small.get("non2xx") or at_large.get("non2xx")
        few = _too_few(at_small, at_large)
        ratio = None if failed or few is not None else _ratio(at_large["rps"], at_small["rps"])
        rows.append(
            {
                "page": name,
                "small": at_small["rps"],
                "large": at_large["rps"],
                "ratio": ratio,
                "target": SCALE_TARGET,
                "verdict": _measured(few, results["duration"])
                or _verdict(ratio, SCALE_TARGET)
                + (f" ({failed} answers not 2xx)" if failed else ""),
            }
        )
    return rows


def many_rows(results: dict) -> list[dict]:
    """Each page among many municipalities against the same page alone."""
    rows = []
    for name, alone in results["alone"].items():
        among = results["among many"][name]
        few = _too_few(alone, among)
        broken = alone.get("non2xx") or among.get("non2xx")
        ratio = None if broken or few else _ratio(among["rps"], alone["rps"])
        target = None if name.startswith("baseline") else MANY_TARGET
        rows.append(
            {
                "page": name,
                "alone": alone["rps"],
                "among": among["rps"],
                "ratio": ratio,
                "target": target,
                "verdict": _measured(few, results["duration"])
                or ("reported" if target is None else _verdict(ratio, target)),
            }
        )
    return rows


def mode_rows(results: dict, mode: str) -> list[dict]:
    """Each page in `mode` against its baseline: the bare 50-row view for a list after one
    change, the bare "ok" view else."""
    figures = results[mode]
    rows = []
    for name, row in figures.items():
        if name.startswith("baseline"):
            continue
        if mode == "after one change" and name in LISTS:
            baseline, target = "baseline 50 rows", AFTER_CHANGE_TARGET
        elif mode == "cached" or (mode == "change elsewhere" and name != NATIONAL[0]):
            baseline, target = "baseline ok", CACHED_TARGET
        else:
            baseline, target = "baseline ok", None
        few = _too_few(row)
        ratio = None if row.get("non2xx") or few else _ratio(row["rps"], figures[baseline]["rps"])
        rows.append(
            {
                "page": name,
                "rps": row["rps"],
                "against": baseline,
                "ratio": ratio,
                "target": target,
                "verdict": _measured(few, results["duration"])
                or ("reported" if target is None else _verdict(ratio, target)),
            }
        )
    return rows


def verdicts(results: dict) -> list[str]:
    small, large = results["scales"]
    lines = [
        f"{row['verdict']}: {row['page']}"
        + (
            ""
            if row["ratio"] is None
            else f" at scale {large} serves {row['ratio']}x its requests per second at "
            f"scale {small} (target {row['target']}x)"
        )
        for row in scale_rows(results)
        if not row["page"].startswith("baseline")
    ]
    if "among many" in results:
        lines += [
            f"{row['verdict']}: {row['page']}"
            + (
                ""
                if row["ratio"] is None
                else f" among {results['municipalities']} municipalities serves "
                f"{row['ratio']}x its requests per second alone (target {row['target']}x)"
            )
            for row in many_rows(results)
            if row["target"] is not None
        ]
    for mode in ("cached", "after one change", "change elsewhere"):
        if mode not in results:
            continue
        lines += [
            f"{row['verdict']}: {mode}, {row['page']}"
            + (
                ""
                if row["ratio"] is None
                else f" at {row['ratio']}x the {row['against']} view (target {row['target']}x)"
            )
            for row in mode_rows(results, mode)
            if row["target"] is not None
        ]
    return lines


def _measured(few: int | None, duration: int) -> str:
    """ "" for a measured page; else why it has no figure."""
    if few is None:
        return ""
    return f"NOT MEASURED: {few} answers in {duration} s (under {MIN_REQUESTS})"


def _rps(value: float) -> str:
    return f"{value:,.0f}" if value >= 10 else f"{value:.1f}"


def markdown(results: dict) -> str:
    small, large = results["scales"]
    lines = [
        f"# Benchmark ratios: scale {large} against scale {small} on {results['database']}",
        "",
        f"{results['when']}; {results['machine']['cpus']} cores, "
        f"{results['machine']['memory_gib']} GiB, Python {results['machine']['python']}; "
        f"gunicorn {results['workers']} workers per scale; wrk {results['connections']} "
        f"connections for {results['duration']} s per page and scale; page cache "
        f"{results.get('cache', '')}; `python -m bench.ratios` (`make bench`).",
        "",
        "## What a page costs at the largest scale",
        "",
        f"Requests per second at scale {large} over those at scale {small}, uncached, each page "
        "measured at both scales one right after the other (the baselines' ratio shows how "
        "much the machine moved).",
        "",
        f"| page | req/s at {small} | req/s at {large} | ratio | target | verdict |",
        "| --- | ---: | ---: | ---: | ---: | --- |",
    ]
    for row in scale_rows(results):
        lines.append(
            f"| {row['page']} | {_rps(row['small'])} | {_rps(row['large'])} | {row['ratio']} | "
            f"{row['target']} | {row['verdict']} |"
        )
    if "among many" in results:
        lines += [
            "",
            f"## Among {results['municipalities']} municipalities, at scale {large}",
            "",
            f"Requests per second of the scale-{large} municipality's pages with "
            f"{results['municipalities'] - 1} other municipalities in the same database "
            "(each with the demo and generated rows), over the same page alone, uncached, one "
            "right after the other.",
            "",
            "| page | req/s alone | req/s among many | ratio | target | verdict |",
            "| --- | ---: | ---: | ---: | ---: | --- |",
        ]
        for row in many_rows(results):
            target = "" if row["target"] is None else row["target"]
            lines.append(
                f"| {row['page']} | {_rps(row['alone'])} | {_rps(row['among'])} | "
                f"{row['ratio']} | {target} | {row['verdict']} |"
            )
    for mode, explained in (
        ("cached", 'page cache on, against the bare "ok" view'),
        (
            "after one change",
            f"page cache on, one unrelated record saved before every {results['batch']} "
            "requests; list pages against the bare 50-row view, the others reported against "
            'the bare "ok" view',
        ),
        (
            "change elsewhere",
            f"among the municipalities, page cache on, one record saved in another "
            f"municipality before every {results['batch']} requests; each page against the "
            'bare "ok" view; the national comparison (the service\'s own host) reported',
        ),
    ):
        if mode not in results:
            continue
        figures = results[mode]
        baselines = ", ".join(
            f"{name} {_rps(row['rps'])} req/s"
            for name, row in figures.items()
            if name.startswith("baseline")
        )
        lines += [
            "",
            f"## {mode.capitalize()}, at scale {large}",
            "",
            f"{explained.capitalize()}. Baselines: {baselines}.",
            "",
            "| page | req/s | against | ratio | target | verdict |",
            "| --- | ---: | --- | ---: | ---: | --- |",
        ]
        for row in mode_rows(results, mode):
            target = "" if row["target"] is None else row["target"]
            lines.append(
                f"| {row['page']} | {_rps(row['rps'])} | {row['against']} | {row['ratio']} | "
                f"{target} | {row['verdict']} |"
            )
    missed = [line for line in results["verdicts"] if not line.startswith("met")]
    lines += [
        "",
        "## Targets",
        "",
        f"{len(results['verdicts']) - len(missed)} of {len(results['verdicts'])} met.",
        "",
        *(f"- {line}" for line in missed),
        "",
    ]
    return "\n".join(lines)


def write(results: dict, directory: Path) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    stem = f"{datetime.date.today().isoformat()}-ratios"
    (directory / f"{stem}.json").write_text(json.dumps(results, indent=1) + "\n")
    path = directory / f"{stem}.md"
    path.write_text(markdown(results))
    return path


def main(argv=None) -> None:
    args = options(argv)
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: apt-get install wrk")
    (ROOT / "var").mkdir(exist_ok=True)
    results = measure(args)
    path = write(results, args.results)
    print(markdown(results))
    progress(f"done: {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")


if __name__ == "__main__":
    sys.exit(main())
