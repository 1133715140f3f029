using System.Diagnostics;
using System.Security.Cryptography;
using Jevm.Codegen;
using Jevm.Encoding;
using Jevm.Evm;

namespace Jevm.Cli.Bench;

/// <summary>How long to measure each case on each engine.</summary>
/// <param name="MinRuns">Timed executions at least.</param>
/// <param name="MinSeconds">Keep timing until this much time has passed (and <paramref name="MinRuns"/> are done).</param>
/// <param name="MaxRuns">Never more timed executions than this.</param>
/// <param name="Warmups">Untimed executions first (the first one is the one checked; a JIT compiles here). A tiered
/// engine is warmed up further until its background compilation of the case's code has finished.</param>
/// <param name="ColdRuns">Also time this many executions on a fresh engine with an empty code cache (compilation
/// included), to show the JIT's cost amortised over that many executions; 0: do not.</param>
/// <param name="WarmupSeconds">Keep warming up (untimed) for at least this long: .NET compiles the runtime's own
/// methods (the instruction cores the compiled code calls, the host) at tier 0 first and recompiles the hot ones
/// optimised in the background after about 30 calls and a delay, which on a loaded machine takes a while.</param>
internal sealed record BenchSettings(int MinRuns = 5, double MinSeconds = 0.5, int MaxRuns = 2000, int Warmups = 2, int ColdRuns = 0, double WarmupSeconds = 0.5, double TurnMs = 100);

/// <summary>One case measured on one engine (or one peer).</summary>
internal sealed class BenchMeasurement
{
    public required string Case { get; init; }
    public required string Engine { get; init; }
    public required string Status { get; init; }
    public long? GasUsed { get; init; }
    public long? Refund { get; init; }
    /// <summary>EDR's only gas figure: gas used net of the refund (null for Jevm and ethereumjs).</summary>
    public long? GasNetOfRefund { get; init; }
    public long? TxGasUsed { get; init; }
    /// <summary>Who measured: "jevm &lt;version&gt;" or the peer's package and version.</summary>
    public string? Version { get; init; }
    public byte[]? Output { get; init; }
    /// <summary>First 16 hex digits of SHA-256 of the output (what ../shared/peers reports).</summary>
    public string? OutputSha256 { get; init; }
    public int Runs { get; init; }
    public double MedianMs { get; init; }
    public double MinMs { get; init; }
    /// <summary>
    /// The median of each turn's timed executions, in turn order: the engines of one case take turn k in the same pass,
    /// so turn-paired ratios show how far one run's ratio moves with the machine (see <see cref="BenchReport"/>).
    /// </summary>
    public IReadOnlyList<double> TurnMedianMs { get; init; } = [];
    public double? MgasPerS { get; init; }
    /// <summary>
    /// Managed bytes allocated on the executing thread by one timed execution, the least over the timed runs (steady
    /// state; the fresh state is made outside; a tiered engine's background compilation is on another thread).
    /// </summary>
    public long? AllocatedBytes { get; init; }
    /// <summary>The first (untimed, checked) execution's time: for a JIT it includes compiling the code.</summary>
    public double? FirstRunMs { get; init; }
    /// <summary>Executions timed on a fresh engine with an empty code cache (0: none).</summary>
    public int ColdRuns { get; set; }
    /// <summary>Total ms of the <see cref="ColdRuns"/> cold executions, compilation included (the median over 3–25 fresh engines, taking turns with the other engines).</summary>
    public double? ColdTotalMs { get; set; }
    /// <summary>The compiler's own figure for compiling the case's code (analysis, IL emission, .NET JIT), when compiled.</summary>
    public double? CompileMs { get; set; }
    /// <summary>The harness's verdict on the output against the manifest: match, MISMATCH or unknown.</summary>
    public string ExpectedOutputVerdict { get; set; } = "unknown";
    /// <summary>The harness's verdict on the gas figures against the manifest: match, MISMATCH or unknown.</summary>
    public string ExpectedGasVerdict { get; set; } = "unknown";
    /// <summary>Disagreements with the manifest or with other engines; empty when all is well.</summary>
    public List<string> Problems { get; } = [];
    /// <summary>True when the case ran (not skipped) and was timed.</summary>
    public bool Timed => Runs > 0;

    public static string Sha256Prefix(ReadOnlySpan<byte> output) => Convert.ToHexStringLower(SHA256.HashData(output))[..16];
}

/// <summary>Measures cases on engines and checks their results.</summary>
internal static class BenchRunner
{
    /// <summary>The peers' spelling of a status (success / revert / the failure's name).</summary>
    public static string StatusName(StatusCode s) => s switch
    {
        StatusCode.Success => "success",
        StatusCode.Revert => "revert",
        _ => s.ToString(),
    };

    // Executions that allocate more than this (in their state: new storage slots, the journal, logs) have the garbage
    // collected before the next timed one; smaller ones are not worth a collection each. Never before the first timed
    // execution: the execution after a collection pays for touching fresh heap pages, which for a microsecond case
    // outweighs its run (a collection before each fresh engine's first run took signextend's tiered@10 from 0.96x to 0.68x).
    private const long GarbageCollectAbove = 256 * 1024;

    // Engines (by name) measured so far in this process, and the warm-up the first case of each gets at least.
    private static readonly HashSet<string> s_measuredEngines = [];
    private const double FirstWarmupSeconds = 1.0;

    // A bound on warm-up executions, for a case that does nothing (a million runs of an empty call take about a second).
    private const int MaxWarmups = 1_000_000;

    // One engine's part of an interleaved measurement: its first execution, how many executions make its turn, and the
    // executions timed so far.
    private sealed class EngineRun(IExecutionEngine engine)
    {
        public readonly IExecutionEngine Engine = engine;
        public BenchOutcome First;
        public double FirstMs;
        public readonly List<double> Times = new(256);
        // The median of each turn's timed executions, in turn order (turn k of every engine ran in the same pass).
        public readonly List<double> TurnMedians = new(64);
        public readonly List<string> Problems = [];
        public long LeastAllocated = long.MaxValue, LastAllocated;
        public int Batch = 1;
        public bool Stopped;
    }

    // Most timed executions in one turn.
    private const int MaxBatch = 100;

    /// <summary>
    /// Each engine's warm-ups (the first result checked against the manifest), then timed executions on fresh states,
    /// the engines taking turns of about <see cref="BenchSettings.TurnMs"/> each until every engine has at least
    /// <see cref="BenchSettings.MinRuns"/> executions and the engines together have run
    /// <see cref="BenchSettings.MinSeconds"/> each. A turn starts with one untimed execution, so that every timed one
    /// follows an execution of its own engine, as when one engine is timed after another (timed right after another
    /// engine's execution, snailtracer's jit lost a third: its 8 MB of EVM memory and its code had left the caches).
    /// Only the call itself is timed; the fresh state is made before the clock starts. Turns rather than one engine
    /// after another, so that the ratios of one run compare executions made under the same conditions: on a shared
    /// machine a slow spell lasts seconds, and timed one engine after the other, the same build's snailtracer read
    /// 3.0–4.9× from one run to the next (docs/benchmarks.md, "Session 12").
    /// </summary>
    public static List<BenchMeasurement> Measure(BenchExecutor executor, IReadOnlyList<IExecutionEngine> engines, BenchSettings settings)
    {
        var runs = new EngineRun[engines.Count];
        for (int e = 0; e < runs.Length; e++) runs[e] = WarmUp(executor, engines[e], settings);
        var total = Stopwatch.StartNew();
        bool NeedsMore(EngineRun r) => !r.Stopped && r.Times.Count < settings.MaxRuns
            && (r.Times.Count < settings.MinRuns || total.Elapsed.TotalSeconds < settings.MinSeconds * runs.Length);
        for (bool any = true; any;)
        {
            any = false;
            foreach (var r in runs)
            {
                if (!NeedsMore(r)) continue;
                any = true;
                if (runs.Length > 1) executor.Execute(r.Engine); // the turn's untimed first execution
                int before = r.Times.Count;
                for (int i = 0; i < r.Batch && NeedsMore(r); i++) TimeOne(executor, r);
                if (r.Times.Count > before) r.TurnMedians.Add(Median(r.Times.GetRange(before, r.Times.Count - before)));
            }
        }
        var result = new List<BenchMeasurement>(runs.Length);
        foreach (var r in runs) result.Add(Summarise(executor, r));
        return result;
    }

    // The first execution (timed on its own: a JIT compiles in it), the warm-ups, and the estimate that sizes the turns.
    private static EngineRun WarmUp(BenchExecutor executor, IExecutionEngine engine, BenchSettings settings)
    {
        var r = new EngineRun(engine);
        var firstState = executor.FreshState();
        long f0 = Stopwatch.GetTimestamp();
        r.First = executor.Execute(engine, firstState);
        r.FirstMs = Stopwatch.GetElapsedTime(f0).TotalMilliseconds;
        var warm = Stopwatch.StartNew();
        // By time, not capped by MaxRuns: .NET starts counting calls for its optimising recompilation only after 100 ms
        // without new methods to compile, so 2,000 runs of a 10 µs case (20 ms) used to be timed at tier 0 — the
        // interpreter at a fifth of its speed when a small case was the first one measured in the process. The first
        // case an engine meets in the process is warmed up longer, whatever --time asks: with 0.3 s, swap_math's
        // interpreter was still timed at 2.7 times its later median when that case came first.
        bool firstCase;
        lock (s_measuredEngines) firstCase = s_measuredEngines.Add(engine.Name);
        double warmupSeconds = firstCase ? Math.Max(settings.WarmupSeconds, FirstWarmupSeconds) : settings.WarmupSeconds;
        for (int i = 1; i < MaxWarmups && (i < settings.Warmups || warm.Elapsed.TotalSeconds < warmupSeconds); i++) executor.Execute(engine);
        WarmUpTiered(executor, engine);
        // The last few warm-ups tell the time of one execution (the earlier ones may have run slower code).
        var probe = Stopwatch.StartNew();
        int probes = 0;
        while (probes < 3 || (probes < 1000 && probe.Elapsed.TotalMilliseconds < 5)) { executor.Execute(engine); probes++; }
        double estimateMs = probe.Elapsed.TotalMilliseconds / probes;
        r.Batch = (int)Math.Clamp(settings.TurnMs / Math.Max(estimateMs, 1e-6), 1, MaxBatch);
        return r;
    }

    private static void TimeOne(BenchExecutor executor, EngineRun r)
    {
        var state = executor.FreshState();
        // The garbage of earlier executions (their states can be megabytes) is collected before the clock starts,
        // as BenchmarkDotNet does between iterations, so no execution pays for another's; its own is still timed.
        if (r.LastAllocated > GarbageCollectAbove) GC.Collect();
        long a0 = GC.GetAllocatedBytesForCurrentThread();
        long t0 = Stopwatch.GetTimestamp();
        var o = executor.Execute(r.Engine, state);
        long t1 = Stopwatch.GetTimestamp();
        r.LastAllocated = GC.GetAllocatedBytesForCurrentThread() - a0;
        r.LeastAllocated = Math.Min(r.LeastAllocated, r.LastAllocated);
        r.Times.Add((t1 - t0) * 1000.0 / Stopwatch.Frequency);
        if (o.Status != r.First.Status || o.GasUsed != r.First.GasUsed)
        {
            r.Problems.Add($"non-deterministic: run gave {StatusName(o.Status)}/{o.GasUsed}, first {StatusName(r.First.Status)}/{r.First.GasUsed}");
            r.Stopped = true;
        }
    }

    /// <summary>The median of <paramref name="values"/> (sorted in place; not empty).</summary>
    internal static double Median(List<double> values)
    {
        values.Sort();
        int n = values.Count;
        return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
    }

    private static BenchMeasurement Summarise(BenchExecutor executor, EngineRun r)
    {
        var c = executor.Case;
        var first = r.First;
        var times = r.Times;
        double median = times.Count == 0 ? 0 : Median(times);
        var expected = c.ExpectedGasFor(executor.Fork, out bool known);
        long gasForRate = known && expected is not null ? expected.ExecutionGas : first.GasUsed;
        var m = new BenchMeasurement
        {
            Case = c.Name,
            Engine = r.Engine.Name,
            Status = StatusName(first.Status),
            GasUsed = first.GasUsed,
            Refund = first.Refund,
            TxGasUsed = first.TxGasUsed(executor.Fork, c.Calldata),
            Version = JevmVersion,
            FirstRunMs = r.FirstMs,
            AllocatedBytes = times.Count == 0 ? null : r.LeastAllocated,
            Output = first.Output,
            OutputSha256 = BenchMeasurement.Sha256Prefix(first.Output),
            Runs = times.Count,
            MedianMs = median,
            MinMs = times.Count == 0 ? 0 : times[0],
            TurnMedianMs = r.TurnMedians.ToArray(),
            MgasPerS = median > 0 ? gasForRate / (median / 1000) / 1e6 : null,
        };
        m.Problems.AddRange(r.Problems);
        CheckExpectations(m, c, executor.Fork, first);
        return m;
    }

    /// <summary>The 1, 5 and 15-minute load averages (Linux /proc/loadavg), or null: timings on a loaded machine wait for a core.</summary>
    public static string? LoadAverage()
    {
        try
        {
            var parts = File.ReadAllText("/proc/loadavg").Split(' ');
            return parts.Length >= 3 ? $"{parts[0]} {parts[1]} {parts[2]}" : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
    }

    /// <summary>"jevm" and the assembly's informational version.</summary>
    public static string JevmVersion { get; } = "jevm " + (typeof(BenchRunner).Assembly
        .GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false) is [System.Reflection.AssemblyInformationalVersionAttribute a, ..]
        ? a.InformationalVersion : "?");

    /// <summary>
    /// A tiered engine compiles in the background once a code is hot (it has run for about twice its estimated compile
    /// time: see <see cref="TieringPolicy"/>): keep executing, for at most 10 s, until the compiled code is in its
    /// cache, so that the timed runs measure its steady state. A code that 10 s do not make hot stays interpreted, as
    /// a client would see.
    /// </summary>
    public static void WarmUpTiered(BenchExecutor executor, IExecutionEngine engine)
    {
        if (engine is not JitEngine { Name: "tiered" } tiered) return;
        var hash = Crypto.Keccak256.Compute(executor.Case.Code);
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed.TotalSeconds < 10 && tiered.Cache.TryGet(hash, executor.Fork) is null)
        {
            if (tiered.PendingCompilations > 0) Thread.Sleep(1); // the compile runs on the thread pool
            else executor.Execute(engine);
        }
    }

    /// <summary>
    /// A fresh engine of the same kind: for engines that compile, one with an empty code cache; for the interpreter a
    /// new one too, so that the amortised ratio compares the same N executions made the same way on both sides.
    /// </summary>
    public static IExecutionEngine? ColdEngine(IExecutionEngine engine) => engine switch
    {
        JitEngine j => new JitEngine(tiered: j.Name == "tiered", cache: new CompiledCodeCache()),
        Interpreter => new Interpreter(),
        _ => null,
    };

    /// <summary>
    /// Times <paramref name="runs"/> executions on a fresh engine of each kind in <paramref name="engines"/> (fresh cache:
    /// the first compiles, or for a tiered engine, the code compiles once hot), each execution on a fresh state made
    /// outside the clock, and stores the median total in the matching measurement. The engines take turns in the order
    /// of <see cref="BalancedTurns"/>, so that each engine follows each engine (itself included) equally often: a
    /// repetition leaves traces the next one pays for, whatever is done between them. Each repetition is prepared alike
    /// (garbage collected, its fresh states made, then one untimed execution on another fresh engine of its kind). At
    /// least two full cycles of turns, and more (up to 25 repetitions per engine, whole cycles only) while they fit in
    /// about 2 s per engine, since ten executions of a microsecond case are at the mercy of one interruption.
    /// </summary>
    public static void MeasureCold(BenchExecutor executor, IReadOnlyList<IExecutionEngine> engines, IReadOnlyList<BenchMeasurement> measurements, int runs)
    {
        int n = engines.Count;
        var totals = new List<double>[n];
        var last = new IExecutionEngine?[n];
        for (int e = 0; e < n; e++) totals[e] = new List<double>(25);
        var turns = BalancedTurns(n);
        var budget = Stopwatch.StartNew();
        // A jit repetition (its compilation, the code it frees) costs the repetition after it 15-20% on a microsecond
        // case, whichever engine that is. The order used before (rotating, reversed every other repetition) balanced the
        // pairs inside a repetition but not across the boundary between two: over swap_math's 25 repetitions the tiered
        // engine followed the jit 39 times and the interpreter 24 times, and a tiered engine that only forwarded to an
        // interpreter read 0.90-0.94x of it at 10 executions (docs/benchmarks.md, "Session 10").
        for (int cycle = 0; cycle < Math.Max(2, 25 / n) && (cycle < 2 || budget.Elapsed.TotalSeconds < 2.0 * n); cycle++)
        {
            foreach (int e in turns)
            {
                if (ColdEngine(engines[e]) is not { } cold) continue;
                totals[e].Add(TimeCold(executor, cold, runs, ColdEngine(engines[e])!));
                last[e] = cold;
            }
        }
        for (int e = 0; e < n; e++)
        {
            var t = totals[e];
            if (t.Count == 0) continue;
            t.Sort();
            var m = measurements[e];
            m.ColdRuns = runs;
            m.ColdTotalMs = t.Count % 2 == 1 ? t[t.Count / 2] : (t[t.Count / 2 - 1] + t[t.Count / 2]) / 2;
            if (last[e] is JitEngine jit && jit.Cache.TryGet(Crypto.Keccak256.Compute(executor.Case.Code), executor.Fork)?.Code is { } compiled)
                m.CompileMs = compiled.CompileTime.TotalMilliseconds;
        }
    }

    /// <summary>
    /// An order of n² turns for <paramref name="n"/> engines in which every ordered pair (a, b), a = b included, is
    /// adjacent exactly once, counting the pair that joins the last turn to the first of the next cycle: an Eulerian
    /// circuit of the complete directed graph with loops (every engine has n edges in and n out), found by Hierholzer's
    /// method. Each engine takes n turns per cycle. For two engines: 0 0 1 1.
    /// </summary>
    internal static int[] BalancedTurns(int n)
    {
        if (n <= 0) return [];
        var next = new int[n]; // the next unused edge out of each engine: a → next[a]
        var path = new Stack<int>();
        var circuit = new List<int>(n * n + 1);
        path.Push(0);
        while (path.Count > 0)
        {
            int a = path.Peek();
            if (next[a] < n) path.Push(next[a]++);
            else circuit.Add(path.Pop());
        }
        // The circuit has n² + 1 turns and ends where it began; reversed it is the order walked; the closing turn is the
        // next cycle's first.
        circuit.Reverse();
        circuit.RemoveAt(circuit.Count - 1);
        return [.. circuit];
    }

    // One cold repetition: the total ms of `runs` executions on the fresh engine `cold`.
    private static double TimeCold(BenchExecutor executor, IExecutionEngine cold, int runs, IExecutionEngine throwaway)
    {
        // Earlier garbage (other cases' and engines' states, the code compiled for them) is collected first, outside
        // the clock, for every engine alike: a collection of it landing in these executions is not theirs to pay.
        // Three rounds: a collected DynamicMethod is freed over several finalizer passes, and that work (the code
        // heap given back) must not land in the next repetition either. Then a moment for background threads.
        for (int i = 0; i < 3; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }
        Thread.Sleep(5);
        // The fresh states are made now, before anything of the repetition runs: made between the timed executions, their
        // 27 KB each were most of what the allocator handed out during the repetition, and the first touch of memory it
        // reached after the collections above stalled one execution by 23-70 µs (docs/benchmarks.md, session 10).
        var states = new Jevm.State.WorldState[runs];
        for (int i = 0; i < runs; i++) states[i] = executor.FreshState();
        // Then one untimed execution of the case on another fresh engine of the same kind: the process is then as a
        // node's is when a new code arrives (this kind of engine's paths warm, its call sites resolved), whatever
        // engine ran before. (A jit repetition compiles, and left caches and branch predictors in a state that cost
        // the next engine 20-40% on a microsecond case; an interpreter execution alone left a tiered engine's first
        // call 2-4 µs slower than an interpreter's.)
        executor.Execute(throwaway);
        WaitForBackgroundCompilation(throwaway); // a tiered one may have found the case hot already
        // And the timed engine itself runs another, tiny code first: the case is a new code meeting an engine that has
        // been running, as in a node, rather than the first code a just-made engine meets (whose own tables are still
        // cold: that cost a fresh tiered engine 3-6% of swap_math's ten 4-µs executions, an engine's making and not a
        // code's compilation).
        Primer(executor.Fork).Execute(cold);
        WaitForBackgroundCompilation(cold);
        double total = 0;
        long lastAllocated = 0;
        for (int i = 0; i < runs; i++)
        {
            var state = states[i];
            states[i] = null!; // collectable once run
            if (lastAllocated > GarbageCollectAbove) GC.Collect(); // as in Measure (not before the first: see there)
            long a0 = GC.GetAllocatedBytesForCurrentThread();
            long t0 = Stopwatch.GetTimestamp();
            executor.Execute(cold, state);
            total += Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
            lastAllocated = GC.GetAllocatedBytesForCurrentThread() - a0;
        }
        // A tiered engine's background compilation must not run into the next repetition's (or case's) clock.
        WaitForBackgroundCompilation(cold);
        return total;
    }

    // PUSH1 1 PUSH1 0 MSTORE PUSH1 32 PUSH1 0 RETURN: returns the word 1.
    private static readonly BenchCase s_primerCase = new("primer", Convert.FromHexString("600160005260206000f3"), []);
    private static BenchExecutor? s_primer;

    private static BenchExecutor Primer(Fork fork) =>
        s_primer is { } p && p.Fork == fork ? p : s_primer = new BenchExecutor(s_primerCase, fork);

    private static void WaitForBackgroundCompilation(IExecutionEngine engine)
    {
        if (engine is JitEngine pending)
            for (var wait = Stopwatch.StartNew(); pending.PendingCompilations > 0 && wait.Elapsed.TotalSeconds < 30;) Thread.Sleep(1);
    }

    /// <summary>Compares an outcome with the manifest's expected output and gas for the fork.</summary>
    public static void CheckExpectations(BenchMeasurement m, BenchCase c, Fork fork, in BenchOutcome o)
    {
        var expected = c.ExpectedGasFor(fork, out bool known);
        if (c.ExpectedOutputHex is { } hex)
        {
            var got = Hex.Encode(o.Output, prefix: false);
            bool same = string.Equals(got, hex, StringComparison.OrdinalIgnoreCase);
            m.ExpectedOutputVerdict = same ? "match" : "MISMATCH";
            if (!same && (!known || expected is not null)) m.Problems.Add($"output {Abbrev(got)}, expected {Abbrev(hex)}");
        }
        int before = m.Problems.Count;
        if (known && expected is null)
        {
            if (o.Status == StatusCode.Success) m.Problems.Add($"succeeded, but the manifest says the code cannot run on {fork}");
        }
        else if (known && o.Status != StatusCode.Success) m.Problems.Add($"status {StatusName(o.Status)}, expected success");
        else if (expected is not null)
        {
            if (o.GasUsed != expected.ExecutionGas) m.Problems.Add($"gas used {o.GasUsed}, expected {expected.ExecutionGas}");
            if (o.Refund != expected.Refund) m.Problems.Add($"refund {o.Refund}, expected {expected.Refund}");
            long tx = o.TxGasUsed(fork, c.Calldata);
            if (tx != expected.TxGasUsed) m.Problems.Add($"tx gas used {tx}, expected {expected.TxGasUsed}");
        }
        // The peers' verdict: "match" when the gas figures agree with the manifest's for the fork.
        if (known) m.ExpectedGasVerdict = m.Problems.Count == before ? "match" : "MISMATCH";
    }

    /// <summary>Checks that every measurement of one case agrees with the first (the reference) on status, gas and output.</summary>
    public static void CheckAgreement(IReadOnlyList<BenchMeasurement> sameCase)
    {
        if (sameCase.Count < 2) return;
        var r = sameCase[0];
        for (int i = 1; i < sameCase.Count; i++)
        {
            var m = sameCase[i];
            if (m.Status != r.Status) m.Problems.Add($"status {m.Status} but {r.Engine} gave {r.Status}");
            if (m.GasUsed is { } g && r.GasUsed is { } rg && g != rg) m.Problems.Add($"gas {g} but {r.Engine} used {rg}");
            if (m.TxGasUsed is { } t && r.TxGasUsed is { } rt && t != rt) m.Problems.Add($"tx gas {t} but {r.Engine} gave {rt}");
            if (m.OutputSha256 is { } h && r.OutputSha256 is { } rh && h != rh) m.Problems.Add($"output sha256 {h} but {r.Engine} gave {rh}");
        }
    }

    private static string Abbrev(string hex) => hex.Length <= 24 ? $"'{hex}'" : $"'{hex[..20]}…' ({hex.Length / 2} bytes)";
}
