"""SPEC §10: journey steps per second of the real bot vs. a bare PTB bot, and step latency.

One run, one fake Bot API server (playground/fakebot, answering instantly on 127.0.0.1), two bots
measured against it, each started as an operator would (a subprocess, long polling) and
stopped with SIGTERM before the other one starts:

* ``bare``: bench/bare_bot.py, fixed texts, no database, PTB's default update processing (one
  update at a time): the framework's ceiling;
* ``real``: ``python -m bot`` with the İzmir demo courses in a fresh SQLite file.

N citizens (``--citizens``, default 40) walk the journey below at once, each waiting for the
reply to a step before taking the next, for ``--seconds`` (default 20) per bot; then a single
citizen for ``--single-seconds`` (default 10).  The crowd time is split into ``--rounds``
(default 2) alternating slices, bare, real, bare, real, so that a passing disturbance on the
machine weighs on both bots alike.  A step is done when the fake has recorded the bot's reply:
the new message for a command or text, the edit for a button.

Bars (SPEC §10): with N citizens, real/bare throughput ≥ 0.90 and the real bot's p99 step
latency at most 1.5× the bare bot's; with one citizen, p99 step latency < 50 ms.
Exit status 0 when both hold, 1 when a bar is missed, 2 when the run itself went wrong.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as `python bench/throughput.py`
    sys.path.insert(0, str(ROOT))

from bench.fakehooks import ReplyWatcher  # noqa: E402
from playground.fakebot import FakeTelegram  # noqa: E402
from playground.fakebot.models import BotMessage  # noqa: E402
from playground.fakebot.users import FakeUser  # noqa: E402
from tests.e2e.harness import BotProcess  # noqa: E402

DEMO_CSV = ROOT / "bot" / "demo" / "izmir_kurslar.csv"
BARE_BOT = ROOT / "bench" / "bare_bot.py"
BOTS = ("bare", "real")
TITLES = {"bare": "bare PTB bot", "real": "real bot"}
THROUGHPUT_BAR = 0.90
P99_RATIO_BAR = 1.5
P99_BAR_MS = 50.0
NAVIGATION = frozenset({"‹ Önceki", "Sonraki ›", "Geri"})
SEARCHES = ("kuafor", "muhasebe", "ingilizce", "kaynak", "web", "pasta", "Çiğli", "bilgisayar")
WORDS = ("muhasebe", "Buca", "Karşıyaka", "kuaför", "arıcılık", "çini", "Bergama", "klima")
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
_T0 = time.perf_counter()


def progress(what: str) -> None:
    print(f"[{time.perf_counter() - _T0:5.1f} s] {what}…", file=sys.stderr, flush=True)


# -- the journey ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """One journey step: a text the citizen sends, or an inline button they press."""

    name: str
    text: Callable[[int], str] | None = None  # n → the message to send
    choose: Callable[[Sequence[str], int], str] | None = None  # (labels, n) → label to press


def _district(labels: Sequence[str], n: int) -> str:
    """A district button, "Çiğli (3)" (on the bare bot: "Seçenek A (1)")."""
    options = [label for label in labels if label.endswith(")") and label not in NAVIGATION]
    if not options:
        raise AssertionError(f"no district button among {list(labels)}")
    return options[n % len(options)]


def _course(labels: Sequence[str], n: int) -> str:
    """A course of the page (not paging or Geri)."""
    options = [label for label in labels if label not in NAVIGATION]
    if not options:
        raise AssertionError(f"no course button among {list(labels)}")
    return options[n % len(options)]


JOURNEY: tuple[Step, ...] = (
    Step("/start", text=lambda n: "/start"),
    Step("/kurslar", text=lambda n: "/kurslar"),
    Step("ilçe", choose=_district),
    Step("kurs", choose=_course),
    Step("Geri", choose=lambda labels, n: "Geri"),
    Step("/ara", text=lambda n: f"/ara {SEARCHES[n % len(SEARCHES)]}"),
    Step("kelime", text=lambda n: WORDS[n % len(WORDS)]),
)


# -- measuring ------------------------------------------------------------------------------


@dataclass
class Samples:
    """Steps completed inside the measured window [start, end] (perf_counter seconds)."""

    start: float
    end: float
    latencies: dict[str, list[float]] = field(default_factory=dict)  # step name → seconds
    failures: list[str] = field(default_factory=list)

    def add(self, step: str, sent: float, replied: float) -> None:
        if self.start <= replied <= self.end:
            self.latencies.setdefault(step, []).append(replied - sent)


@dataclass
class PhaseResult:
    """One bot, one number of citizens: what was measured (possibly over several slices)."""

    citizens: int
    seconds: float
    latencies: dict[str, list[float]]
    failures: list[str]
    bot_cpu: float  # CPU seconds of the bot process (all its threads)
    bench_cpu: float  # CPU seconds of this process: the fake server and the citizens
    calls: Counter[str]  # Bot API calls received by the fake, by method

    @property
    def steps(self) -> int:
        return sum(len(values) for values in self.latencies.values())

    @property
    def rate(self) -> float:
        return self.steps / self.seconds

    def all(self) -> list[float]:
        return [latency for values in self.latencies.values() for latency in values]

    def percentile_ms(self, q: float, step: str | None = None) -> float:
        values = self.latencies.get(step, []) if step else self.all()
        return percentile(values, q) * 1000

    def merge(self, other: PhaseResult) -> PhaseResult:
        latencies = {k: [*self.latencies.get(k, []), *other.latencies.get(k, [])]
                     for k in {*self.latencies, *other.latencies}}
        return PhaseResult(self.citizens, self.seconds + other.seconds, latencies,
                           self.failures + other.failures, self.bot_cpu + other.bot_cpu,
                           self.bench_cpu + other.bench_cpu, self.calls + other.calls)


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0–100), interpolated between closest ranks; NaN when empty."""
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=1000, method="inclusive")[round(q * 10) - 1]


def process_cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process, all threads (Linux /proc)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return float("nan")
    fields = stat.rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime, stime


async def citizen(watcher: ReplyWatcher, user: FakeUser, index: int, samples: Samples,
                  timeout: float) -> None:
    """Walk the journey again and again until the window ends; one step at a time."""
    n = index
    while time.perf_counter() < samples.end:
        current: BotMessage | None = None
        for step in JOURNEY:
            if time.perf_counter() >= samples.end:
                return
            try:
                if step.choose is not None:
                    if current is None:
                        raise AssertionError("no message to press a button on")
                    label = step.choose(current.buttons(), n)
                    reply = watcher.expect(user.id, "edit")
                    sent = time.perf_counter()
                    user.press(label, current)
                else:
                    assert step.text is not None
                    reply = watcher.expect(user.id, "send")
                    sent = time.perf_counter()
                    user.send_text(step.text(n))
                async with asyncio.timeout(timeout):
                    replied, current = await reply
            except (AssertionError, TimeoutError) as exc:
                watcher.forget(user.id)
                samples.failures.append(f"{user.id} {step.name}: {exc!r}"[:300])
                break  # start the journey again
            samples.add(step.name, sent, replied)
        n += 1


async def run_phase(watcher: ReplyWatcher, users: Sequence[FakeUser], pid: int, *,
                    warmup: float, seconds: float, timeout: float) -> PhaseResult:
    """All citizens walk at once; warm-up first, then the measured window."""
    begin = time.perf_counter()
    samples = Samples(begin + warmup, begin + warmup + seconds)
    marks: dict[str, float] = {}

    async def mark_window() -> None:
        await asyncio.sleep(max(samples.start - time.perf_counter(), 0))
        marks.update(bot=process_cpu_seconds(pid), bench=time.process_time(),
                     start=time.monotonic())  # the clock of ApiCall.at
        await asyncio.sleep(max(samples.end - time.perf_counter(), 0))
        marks.update(bot=process_cpu_seconds(pid) - marks["bot"],
                     bench=time.process_time() - marks["bench"], end=time.monotonic())

    await asyncio.gather(
        mark_window(),
        *(citizen(watcher, user, i, samples, timeout) for i, user in enumerate(users)),
    )
    with watcher.fake._state.lock:
        calls = Counter(call.method for call in watcher.fake.calls
                        if marks["start"] <= call.at <= marks["end"])
    return PhaseResult(len(users), seconds, samples.latencies, samples.failures,
                       marks["bot"], marks["bench"], calls)


# -- the bots -------------------------------------------------------------------------------


def make_bot(name: str, fake: FakeTelegram, workdir: Path,
             profile: Path | None) -> BotProcess:
    """The bot's process (not started); the real one gets the demo courses in a new database."""
    workdir.mkdir(parents=True)
    argv = [str(BARE_BOT)] if name == "bare" else ["-m", "bot"]
    if profile is not None:  # written when the bot exits (SIGTERM stops PTB cleanly)
        profile.mkdir(parents=True, exist_ok=True)
        argv = ["-m", "cProfile", "-o", str(profile.resolve() / f"{name}.prof"), *argv]
    process = BotProcess(fake, workdir, argv=argv, LOG_LEVEL="WARNING")
    if name == "real":
        imported = process.command("import-courses", str(DEMO_CSV))
        if imported.returncode != 0:
            raise RuntimeError(f"import-courses failed: {imported.stderr}")
    return process


@dataclass
class BotResult:
    crowd: PhaseResult
    single: PhaseResult


def run_bots(names: Sequence[str], fake: FakeTelegram, watcher: ReplyWatcher, tmp: Path,
             args: argparse.Namespace) -> tuple[dict[str, BotResult], list[str]]:
    """Alternate the bots round by round; the single citizen comes in the last round."""
    processes = {name: make_bot(name, fake, tmp / name, args.profile) for name in names}
    crowds = {name: [watcher.user(100_000 * k + i, f"Vatandaş {i}")
                     for i in range(args.citizens)] for k, name in enumerate(names, start=1)}
    loners = {name: watcher.user(100_000 * k + 99_999, "Tek Vatandaş")
              for k, name in enumerate(names, start=1)}
    crowd: dict[str, PhaseResult] = {}
    single: dict[str, PhaseResult] = {}
    problems: list[str] = []
    slice_seconds = args.seconds / args.rounds
    for number in range(1, args.rounds + 1):
        for name in names:
            process = processes[name]
            watcher.trim_calls()  # the fake's record of calls: only this bot's, from now on
            progress(f"{name}: starting (round {number} of {args.rounds})")
            process.start()
            assert process.process is not None
            pid = process.process.pid
            try:
                gc.collect()
                gc.freeze()  # the fake's records so far are not traversed by later collections
                progress(f"{name}: {args.citizens} citizens, {args.warmup:g} s warm-up + "
                         f"{slice_seconds:g} s")
                result = watcher.run(run_phase(watcher, crowds[name], pid, warmup=args.warmup,
                                               seconds=slice_seconds, timeout=args.timeout))
                crowd[name] = crowd[name].merge(result) if name in crowd else result
                if number == args.rounds:
                    gc.collect()
                    gc.freeze()
                    progress(f"{name}: 1 citizen, {args.warmup:g} s warm-up + "
                             f"{args.single_seconds:g} s")
                    single[name] = watcher.run(run_phase(
                        watcher, [loners[name]], pid, warmup=args.warmup,
                        seconds=args.single_seconds, timeout=args.timeout))
            finally:
                progress(f"{name}: stopping")
                code = process.stop()
            if code != 0:
                problems.append(f"{name}: exit status {code} after SIGTERM")
            problems += [f"{name}: rejected call {call.summary()}"
                         for call in fake.rejected()[:5]]
    for name, process in processes.items():
        log = process.log()
        if "Traceback" in log or " ERROR " in log:
            problems.append(f"{name}: errors in its log:\n{log[-3000:]}")
        problems += [f"{name}: step failed: {failure}"
                     for failure in (crowd[name].failures + single[name].failures)[:10]]
    return {name: BotResult(crowd[name], single[name]) for name in names}, problems


# -- the report -----------------------------------------------------------------------------


def report(results: dict[str, BotResult]) -> bool:
    """Print the comparison; True when every bar that could be checked holds."""
    names = [name for name in BOTS if name in results]
    both = len(names) == 2
    lines = ["", f"{'':30}" + "".join(f"{TITLES[n]:>14}" for n in names)
             + (f"{'real/bare':>12}" if both else "")]

    def row(label: str, values: list[str], extra: str = "") -> None:
        lines.append(f"{label:30}" + "".join(f"{v:>14}" for v in values) + extra)

    for phase in ("crowd", "single"):
        runs: list[PhaseResult] = [getattr(results[n], phase) for n in names]
        who = f"{runs[0].citizens} citizen{'s' if runs[0].citizens > 1 else ''}"
        ratio = f"{runs[1].rate / runs[0].rate:12.2f}" if both and runs[0].rate else ""
        row(f"{who}: steps/s", [f"{r.rate:.1f}" for r in runs], ratio)
        row(f"  steps in {runs[0].seconds:g} s", [str(r.steps) for r in runs])
        for q in (50, 90, 99):
            row(f"  p{q} step latency (ms)", [f"{r.percentile_ms(q):.1f}" for r in runs])
        row("  max step latency (ms)", [f"{max(r.all(), default=0) * 1000:.1f}" for r in runs])
        row("  bot CPU (share of a core)", [f"{r.bot_cpu / r.seconds:.0%}" for r in runs])
        row("  fake+citizens CPU", [f"{r.bench_cpu / r.seconds:.0%}" for r in runs])
        row("  bot CPU per step (ms)", [f"{r.bot_cpu / max(r.steps, 1) * 1000:.2f}"
                                        for r in runs])
        row("  failed steps", [str(len(r.failures)) for r in runs])
    lines += ["", "Bot API calls per step, crowd:"]
    methods = sorted({m for n in names for m in results[n].crowd.calls})
    for method in methods:
        row(f"  {method}", [f"{results[n].crowd.calls[method] / max(results[n].crowd.steps, 1):.2f}"
                            for n in names])
    lines += ["", "p50 / p99 step latency (ms), 1 citizen:"]
    for step in JOURNEY:
        row(f"  {step.name}", [f"{results[n].single.percentile_ms(50, step.name):.1f} / "
                               f"{results[n].single.percentile_ms(99, step.name):.1f}"
                               for n in names])
    lines.append("")

    ok = True
    if both:
        crowd = results["real"].crowd.rate / results["bare"].crowd.rate
        passed = crowd >= THROUGHPUT_BAR
        ok &= passed
        lines.append(f"{'PASS' if passed else 'FAIL'}  throughput with "
                     f"{results['real'].crowd.citizens} citizens: real/bare = {crowd:.2f} "
                     f"(bar ≥ {THROUGHPUT_BAR:.2f})")
        real_p99 = results["real"].crowd.percentile_ms(99)
        bare_p99 = results["bare"].crowd.percentile_ms(99)
        passed = real_p99 <= P99_RATIO_BAR * bare_p99
        ok &= passed
        lines.append(f"{'PASS' if passed else 'FAIL'}  p99 step latency with "
                     f"{results['real'].crowd.citizens} citizens: real {real_p99:.0f} ms, "
                     f"bare {bare_p99:.0f} ms, real/bare = {real_p99 / bare_p99:.2f} "
                     f"(bar ≤ {P99_RATIO_BAR:.1f})")
    if "real" in results:
        p99 = results["real"].single.percentile_ms(99)
        passed = p99 < P99_BAR_MS
        ok &= passed
        lines.append(f"{'PASS' if passed else 'FAIL'}  p99 step latency with 1 citizen: "
                     f"{p99:.1f} ms (bar < {P99_BAR_MS:.0f} ms)")
    busy = [n for n in names if results[n].crowd.bench_cpu / results[n].crowd.seconds > 0.9]
    if busy:
        lines.append(f"note: the fake server's process used nearly a full core with the "
                     f"{', '.join(busy)} bot; it may cap the figures ({os.cpu_count()} CPUs).")
    print("\n".join(lines))
    return ok


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--citizens", type=int, default=40, help="citizens at once (40)")
    parser.add_argument("--seconds", type=float, default=20.0,
                        help="measured seconds per bot with all citizens (20)")
    parser.add_argument("--rounds", type=int, default=2,
                        help="alternating slices the crowd time is split into (2)")
    parser.add_argument("--single-seconds", type=float, default=10.0,
                        help="measured seconds per bot with one citizen (10)")
    parser.add_argument("--warmup", type=float, default=2.0,
                        help="unmeasured seconds before each measurement (2)")
    parser.add_argument("--timeout", type=float, default=10.0,
                        help="a step with no reply after this many seconds failed (10)")
    parser.add_argument("--bot", choices=("both", *BOTS), default="both",
                        help="measure both bots (default) or only one")
    parser.add_argument("--profile", type=Path, metavar="DIR",
                        help="run the bots under cProfile, writing DIR/bare.prof and "
                             "DIR/real.prof (of the last round; it slows the bots down)")
    args = parser.parse_args(argv)
    if min(args.citizens, args.rounds) < 1 or min(args.seconds, args.single_seconds) <= 0:
        parser.error("--citizens, --rounds, --seconds and --single-seconds must be positive")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    os.environ.setdefault("PTB_TIMEDELTA", "1")
    names = list(BOTS) if args.bot == "both" else [args.bot]
    with FakeTelegram() as fake, tempfile.TemporaryDirectory(prefix="meslek-bench-") as tmp:
        watcher = ReplyWatcher(fake)
        results, problems = run_bots(names, fake, watcher, Path(tmp), args)
    ok = report(results)
    if problems:
        print("\nproblems during the run:\n" + "\n".join(problems), file=sys.stderr)
        return 2
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
