using System.Globalization;
using System.Text.Json;
using Jevm.Encoding;
using Jevm.Evm;

namespace Jevm.Cli.Bench;

/// <summary>Prints the measurements as tables and writes them as JSON.</summary>
internal sealed class BenchReport(Fork fork, IReadOnlyList<BenchMeasurement> jevm, IReadOnlyList<BenchMeasurement> peers)
{
    private const string Interpreter = "interpreter";

    /// <summary>Problems found in all measurements.</summary>
    public int ProblemCount
    {
        get
        {
            int n = 0;
            foreach (var m in jevm) n += m.Problems.Count;
            foreach (var m in peers) n += m.Problems.Count;
            return n;
        }
    }

    /// <summary>
    /// The consensus cross-check: every peer must agree with Jevm's first engine on success, gas used (ethereumjs
    /// reports execution gas, EDR only the receipt's gas), and the output.
    /// </summary>
    public void CheckConsensus()
    {
        foreach (var p in peers)
        {
            var r = Find(p.Case, null);
            if (r is null) continue;
            if ((p.Status == "success") != (r.Status == "success")) p.Problems.Add($"consensus: status {p.Status}, jevm {r.Status}");
            if (p.GasUsed is { } g && g != r.GasUsed) p.Problems.Add($"consensus: gas used {g}, jevm {r.GasUsed}");
            if (p.TxGasUsed is { } t && t != r.TxGasUsed) p.Problems.Add($"consensus: tx gas used {t}, jevm {r.TxGasUsed}");
            if (p.OutputSha256 is { } h && h != r.OutputSha256) p.Problems.Add($"consensus: output sha256 {h}, jevm {r.OutputSha256}");
        }
    }

    private BenchMeasurement? Find(string @case, string? engine)
    {
        foreach (var m in jevm) if (m.Case == @case && (engine is null || m.Engine == engine)) return m;
        foreach (var m in peers) if (m.Case == @case && m.Engine == engine) return m;
        return null;
    }

    /// <summary>
    /// The compute-heavy cases of the issue's targets (snailtracer, sha1, blake2b, weierstrudel, ten_thousand_hashes,
    /// the erc20 family), without the "/empty" inputs, which time little more than a call's overhead.
    /// </summary>
    public static bool IsComputeHeavy(string caseName) =>
        s_computeHeavy.IsMatch(caseName) && !caseName.EndsWith("/empty", StringComparison.Ordinal);

    private static readonly System.Text.RegularExpressions.Regex s_computeHeavy =
        new("snailtracer|sha1|blake2b|weierstrudel|ten_thousand_hashes|erc20", System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    /// <summary>Print the comparison table as Markdown (for docs) instead of aligned text.</summary>
    public bool Markdown { get; init; }

    /// <summary>The per-engine table, then (with several engines or peers) the comparison table.</summary>
    public void Print(TextWriter w)
    {
        var cases = Cases();
        int caseWidth = 24;
        foreach (var c in cases) caseWidth = Math.Max(caseWidth, c.Length);

        w.WriteLine($"fork {fork}, gas limit {BenchExecutor.DefaultGas:N0}; ms per execution; MGas/s on the manifest's execution gas when known, else on the gas used; x interp = interpreter median / this median; first ms = the first, untimed execution (a JIT compiles in it); cold = executions on a fresh engine with an empty code cache, compilation included; alloc B = managed bytes allocated by one execution (least over the timed runs; the fresh state not included)");
        w.WriteLine($"{"case".PadRight(caseWidth)}  {"engine",-12} {"status",-8} {"gas used",12} {"median ms",10} {"min ms",10} {"runs",5} {"MGas/s",8} {"x interp",8} {"first ms",9} {"cold ms",12} {"compile ms",10} {"alloc B",10}  check");
        foreach (var c in cases)
        {
            var interp = Find(c, Interpreter);
            foreach (var m in jevm) if (m.Case == c) Row(w, m, interp, caseWidth);
            foreach (var m in peers) if (m.Case == c) Row(w, m, null, caseWidth);
        }
        if (peers.Count > 0 || EngineNames().Count > 1)
        {
            w.WriteLine();
            PrintComparison(w, cases);
        }
        foreach (var list in new[] { jevm, peers })
            foreach (var m in list)
                foreach (var p in m.Problems) w.WriteLine($"MISMATCH {m.Case} [{m.Engine}]: {p}");
    }

    private List<string> Cases()
    {
        var cases = new List<string>();
        foreach (var m in jevm) if (!cases.Contains(m.Case)) cases.Add(m.Case);
        return cases;
    }

    private static void Row(TextWriter w, BenchMeasurement m, BenchMeasurement? interp, int caseWidth)
    {
        string ratio = m.Engine != Interpreter && interp is { MedianMs: > 0 } && m.MedianMs > 0 ? $"{interp.MedianMs / m.MedianMs:F2}" : "";
        string gas = m.GasUsed?.ToString(CultureInfo.InvariantCulture) ?? (m.TxGasUsed is { } t ? $"tx {t}" : "?");
        string check = m.Problems.Count == 0 ? "ok" : "MISMATCH";
        string timing = m.Timed ? $"{m.MedianMs,10:F3} {m.MinMs,10:F3} {m.Runs,5} {m.MgasPerS?.ToString("F1", CultureInfo.InvariantCulture) ?? "?",8}" : $"{"-",10} {"-",10} {0,5} {"-",8}";
        string first = m.FirstRunMs is { } f ? Ms(f) : "";
        string cold = m.ColdTotalMs is { } ct ? $"{Ms(ct)}/{m.ColdRuns}" : "";
        string compile = m.CompileMs is { } cm ? Ms(cm) : "";
        string alloc = m.AllocatedBytes?.ToString(CultureInfo.InvariantCulture) ?? "";
        w.WriteLine($"{m.Case.PadRight(caseWidth)}  {m.Engine,-12} {Truncate(m.Status, 8),-8} {gas,12} {timing} {ratio,8} {first,9} {cold,12} {compile,10} {alloc,10}  {check}");
    }

    private static string Truncate(string s, int n) => s.Length <= n ? s : s[..n];

    private List<string> EngineNames()
    {
        var names = new List<string>();
        foreach (var m in jevm) if (!names.Contains(m.Engine)) names.Add(m.Engine);
        return names;
    }

    private List<string> PeerNames()
    {
        var names = new List<string>();
        foreach (var m in peers) if (!names.Contains(m.Engine)) names.Add(m.Engine);
        return names;
    }

    /// <summary>a.median / b.median: how many times faster b is than a.</summary>
    private static double? Ratio(BenchMeasurement? a, BenchMeasurement? b) =>
        a is { Timed: true, MedianMs: > 0 } && b is { Timed: true, MedianMs: > 0 } ? a.MedianMs / b.MedianMs : null;

    /// <summary>
    /// a.min / b.min: the ratio of the two engines' fastest executions. A machine whose slow spells last longer than a
    /// turn and slow one engine more than the other (this project's machines slow the jit's large code more) moves the
    /// medians' ratio from run to run; the fastest executions, taken when it was quiet, move less.
    /// </summary>
    private static double? FastestRatio(BenchMeasurement? a, BenchMeasurement? b) =>
        a is { Timed: true, MinMs: > 0 } && b is { Timed: true, MinMs: > 0 } ? a.MinMs / b.MinMs : null;

    /// <summary>
    /// The quartiles of a.turn[k] / b.turn[k] over the turns both measurements have (turn k of every engine of a case
    /// ran in the same pass of turns): how far this run's ratio moved with the machine while it was measured. Null with
    /// fewer than four turn pairs.
    /// </summary>
    internal static (double Low, double Median, double High)? TurnRatioQuartiles(BenchMeasurement? a, BenchMeasurement? b)
    {
        if (a is null || b is null) return null;
        int n = Math.Min(a.TurnMedianMs.Count, b.TurnMedianMs.Count);
        var ratios = new List<double>(n);
        for (int k = 0; k < n; k++)
            if (a.TurnMedianMs[k] > 0 && b.TurnMedianMs[k] > 0) ratios.Add(a.TurnMedianMs[k] / b.TurnMedianMs[k]);
        if (ratios.Count < 4) return null;
        ratios.Sort();
        return (Quantile(ratios, 0.25), Quantile(ratios, 0.5), Quantile(ratios, 0.75));
    }

    // Linear interpolation between the closest ranks of sorted values (the usual definition, R's type 7).
    private static double Quantile(List<double> sorted, double q)
    {
        double pos = q * (sorted.Count - 1);
        int i = (int)pos;
        return i + 1 < sorted.Count ? sorted[i] + (pos - i) * (sorted[i + 1] - sorted[i]) : sorted[i];
    }

    private static string FmtSpread((double Low, double Median, double High)? q) =>
        q is { } v ? string.Create(CultureInfo.InvariantCulture, $"{v.Median:F2}x ({v.Low:F2}-{v.High:F2})") : "-";

    /// <summary>The median of the cases' ratios (the middle two averaged), the figure issue #10 sets its 5× on.</summary>
    private static double? MedianOf(IEnumerable<string> cases, Func<string, double?> ratio)
    {
        var values = new List<double>();
        foreach (var c in cases)
            if (ratio(c) is { } r && r > 0) values.Add(r);
        return values.Count == 0 ? null : BenchRunner.Median(values);
    }

    private static double? GeoMean(IEnumerable<string> cases, Func<string, double?> ratio)
    {
        double sum = 0;
        int n = 0;
        foreach (var c in cases)
            if (ratio(c) is { } r && r > 0) { sum += Math.Log(r); n++; }
        return n == 0 ? null : Math.Exp(sum / n);
    }

    /// <summary>The engine the "JIT" columns stand for: jit (compile excluded), else the first compiled engine run.</summary>
    private string? JitName()
    {
        var names = EngineNames();
        if (names.Contains("jit")) return "jit";
        foreach (var n in names) if (n != Interpreter) return n;
        return null;
    }

    /// <summary>
    /// The interpreter's total over N cold executions / <paramref name="engine"/>'s total over N cold executions (each
    /// engine fresh, the compiling ones with an empty code cache, so one compilation included; every execution on a
    /// fresh state): above 1 when the engine is ahead once compile time is amortised over N runs. Both sides are timed
    /// the same way, first executions and all. Measurements without the interpreter's cold runs (JSON written before
    /// it had them) fall back to N × the interpreter's median.
    /// </summary>
    private double? AmortisedRatio(string c, string engine)
    {
        var interp = Find(c, Interpreter);
        var m = Find(c, engine);
        if (interp is not { Timed: true, MedianMs: > 0 } || m is not { ColdTotalMs: > 0, ColdRuns: > 0 }) return null;
        if (interp is { ColdTotalMs: > 0 } && interp.ColdRuns == m.ColdRuns) return interp.ColdTotalMs.Value / m.ColdTotalMs.Value;
        return m.ColdRuns * interp.MedianMs / m.ColdTotalMs.Value;
    }

    /// <summary>One column of the comparison: a header, a cell per case, and the ratio its footers (geometric means, median) take, if any.</summary>
    private sealed record Column(string Header, Func<string, string> Cell, Func<string, double?>? Ratio)
    {
        /// <summary>The footers need every case's ratio (else they show "-"): a case too slow for four turns has none.</summary>
        public bool FootersNeedAll { get; init; }
    }

    private List<Column> ComparisonColumns()
    {
        var engines = EngineNames();
        var peerNames = PeerNames();
        var cols = new List<Column>();
        foreach (var e in engines) cols.Add(new Column($"{e} ms (MGas/s)", c => Timing(Find(c, e)), null));
        foreach (var p in peerNames) cols.Add(new Column($"{p} ms (MGas/s)", c => Timing(Find(c, p)), null));
        bool hasInterp = engines.Contains(Interpreter);
        var jit = JitName();
        if (hasInterp)
            foreach (var e in engines)
            {
                if (e == Interpreter) continue;
                var name = e;
                cols.Add(new Column($"{name}/interp", c => Fmt(Ratio(Find(c, Interpreter), Find(c, name))), c => Ratio(Find(c, Interpreter), Find(c, name))));
                cols.Add(new Column($"{name}/interp by turn", c => FmtSpread(TurnRatioQuartiles(Find(c, Interpreter), Find(c, name))),
                    c => TurnRatioQuartiles(Find(c, Interpreter), Find(c, name))?.Median) { FootersNeedAll = true });
                cols.Add(new Column($"{name}/interp fastest", c => Fmt(FastestRatio(Find(c, Interpreter), Find(c, name))),
                    c => FastestRatio(Find(c, Interpreter), Find(c, name))));
            }
        if (hasInterp)
            foreach (var e in engines)
            {
                if (e == Interpreter) continue;
                var name = e;
                int runs = 0;
                foreach (var m in jevm) if (m.Engine == name && m.ColdRuns > 0) runs = m.ColdRuns;
                if (runs == 0) continue;
                cols.Add(new Column($"{name}@{runs}/interp", c => Fmt(AmortisedRatio(c, name)), c => AmortisedRatio(c, name)));
            }
        foreach (var p in peerNames)
        {
            var peer = p;
            if (jit is not null) cols.Add(new Column($"{jit}/{peer}", c => Fmt(Ratio(Find(c, peer), Find(c, jit))), c => Ratio(Find(c, peer), Find(c, jit))));
            if (hasInterp) cols.Add(new Column($"interp/{peer}", c => Fmt(Ratio(Find(c, peer), Find(c, Interpreter))), c => Ratio(Find(c, peer), Find(c, Interpreter))));
        }
        cols.Add(new Column("check", c => Agrees(c) ? "ok" : "MISMATCH", null));
        return cols;
    }

    private string Timing(BenchMeasurement? m) =>
        m is { Timed: true } ? $"{Ms(m.MedianMs)} ({m.MgasPerS?.ToString("F1", CultureInfo.InvariantCulture) ?? "?"})" : "-";

    private bool Agrees(string c)
    {
        foreach (var m in jevm) if (m.Case == c && m.Problems.Count > 0) return false;
        foreach (var m in peers) if (m.Case == c && m.Problems.Count > 0) return false;
        return true;
    }

    /// <summary>
    /// One row per case: every engine's and peer's median ms (MGas/s), each compiled engine's speed-up over the
    /// interpreter (steady state, and amortised over the cold runs), Jevm over each peer; geometric means of the
    /// ratios over all cases and over the compute-heavy ones at the bottom.
    /// </summary>
    private void PrintComparison(TextWriter w, List<string> cases)
    {
        var cols = ComparisonColumns();
        var rows = new List<string[]>();
        var header = new string[cols.Count + 1];
        header[0] = "case";
        for (int i = 0; i < cols.Count; i++) header[i + 1] = cols[i].Header;
        foreach (var c in cases)
        {
            var row = new string[cols.Count + 1];
            row[0] = c;
            for (int i = 0; i < cols.Count; i++) row[i + 1] = cols[i].Cell(c);
            rows.Add(row);
        }
        var heavy = cases.FindAll(IsComputeHeavy);
        var footers = new List<(string Label, List<string> Over, Func<IEnumerable<string>, Func<string, double?>, double?> Of)>
        {
            ($"geometric mean, all {cases.Count} cases", cases, GeoMean),
        };
        if (heavy.Count > 0)
        {
            footers.Add(($"geometric mean, {heavy.Count} compute-heavy cases", heavy, GeoMean));
            footers.Add(($"median, {heavy.Count} compute-heavy cases", heavy, MedianOf));
        }
        foreach (var (label, over, of) in footers)
        {
            var row = new string[cols.Count + 1];
            row[0] = label;
            for (int i = 0; i < cols.Count; i++)
                row[i + 1] = cols[i].Ratio is not { } r ? "" : cols[i].FootersNeedAll && over.Exists(c => r(c) is null) ? "-" : Fmt(of(over, r));
            rows.Add(row);
        }

        w.WriteLine("comparison: median ms per execution (MGas/s); A/B = B's median / A's median (how many times faster A is); E/interp by turn = the median (quartiles) of the ratios of the engines' turns taken in the same pass (turns of about 100 ms); E/interp fastest = the interpreter's fastest execution / E's fastest; E@N/interp = N executions of the interpreter / N executions of E, each engine fresh (E with an empty code cache: compile included)");
        if (Markdown)
        {
            w.WriteLine("| " + string.Join(" | ", header) + " |");
            var sep = new string[header.Length];
            for (int i = 0; i < sep.Length; i++) sep[i] = i == 0 ? "---" : "---:";
            w.WriteLine("| " + string.Join(" | ", sep) + " |");
            foreach (var r in rows) w.WriteLine("| " + string.Join(" | ", Array.ConvertAll(r, x => x.StartsWith("geometric", StringComparison.Ordinal) ? $"**{x}**" : x.Contains('/', StringComparison.Ordinal) && x == r[0] ? $"`{x}`" : x)) + " |");
        }
        else
        {
            var widths = new int[header.Length];
            foreach (var r in rows.Prepend(header))
                for (int i = 0; i < r.Length; i++) widths[i] = Math.Max(widths[i], r[i].Length);
            foreach (var r in rows.Prepend(header))
            {
                var line = new System.Text.StringBuilder(r[0].PadRight(widths[0]));
                for (int i = 1; i < r.Length; i++) line.Append("  ").Append(r[i].PadLeft(widths[i]));
                w.WriteLine(line.ToString().TrimEnd());
            }
        }
        if (heavy.Count > 0)
            w.WriteLine($"compute-heavy: {string.Join(", ", heavy)}");
    }

    private static string Ms(double ms) => ms >= 100 ? ms.ToString("F1", CultureInfo.InvariantCulture) : ms.ToString("F3", CultureInfo.InvariantCulture);

    // Small ratios (a cold JIT against the interpreter) keep their leading digits: 0.004x, not 0.00x.
    private static string Fmt(double? r) => r is { } v ? v.ToString(v < 0.1 ? "G2" : "F2", CultureInfo.InvariantCulture) + "x" : "-";

    /// <summary>
    /// Writes <c>{ fork, gasLimit, node, runtime, machine, date, loadAverage, results: [ … ] }</c>, one result per case and engine or
    /// peer. Each result has every field ../shared/peers/bench.mjs writes, with the same JSON types (case, peer,
    /// peerVersion, fork, status, gasUsed, gasRefund, gasNetOfRefund, txGasUsed as decimal strings or null,
    /// outputSha256, outputBytes, output, expectedOutput, expectedGas, firstRunMs, runs, medianMs, minMs, mgasPerS), so
    /// Jevm's and the peers' files join on <c>case</c>; plus <c>engine</c> (interpreter, jit, tiered, or the peer's
    /// name; <c>peer</c> is "jevm" for Jevm's engines), turnMedianMs, coldRuns, coldTotalMs, compileMs, allocatedBytes and problems.
    /// </summary>
    public void WriteJson(string file)
    {
        using var stream = File.Create(file);
        using var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        w.WriteStartObject();
        w.WriteString("fork", fork.ToString().ToLowerInvariant());
        w.WriteString("gasLimit", BenchExecutor.DefaultGas.ToString(CultureInfo.InvariantCulture));
        w.WriteNull("node");
        w.WriteString("runtime", $".NET {Environment.Version}");
        w.WriteString("machine", $"{Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}");
        w.WriteString("date", DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
        w.WriteString("loadAverage", BenchRunner.LoadAverage());
        w.WriteStartArray("results");
        foreach (var list in new[] { jevm, peers })
            foreach (var m in list)
            {
                bool isJevm = ReferenceEquals(list, jevm);
                w.WriteStartObject();
                w.WriteString("case", m.Case);
                w.WriteString("engine", m.Engine);
                w.WriteString("peer", isJevm ? "jevm" : m.Engine);
                w.WriteString("peerVersion", isJevm ? $"{m.Version ?? BenchRunner.JevmVersion} ({m.Engine})" : m.Version);
                w.WriteString("fork", fork.ToString().ToLowerInvariant());
                w.WriteString("status", m.Status);
                DecimalOrNull(w, "gasUsed", m.GasUsed);
                DecimalOrNull(w, "gasRefund", m.Refund);
                DecimalOrNull(w, "gasNetOfRefund", m.GasNetOfRefund);
                DecimalOrNull(w, "txGasUsed", m.TxGasUsed);
                if (m.OutputSha256 is { } h) w.WriteString("outputSha256", h); else w.WriteNull("outputSha256");
                if (m.Output is { } o)
                {
                    w.WriteNumber("outputBytes", o.Length);
                    if (o.Length <= 4096) w.WriteString("output", Hex.Encode(o, prefix: false));
                }
                w.WriteString("expectedOutput", m.ExpectedOutputVerdict);
                w.WriteString("expectedGas", m.ExpectedGasVerdict);
                if (m.FirstRunMs is { } f) w.WriteNumber("firstRunMs", f); else w.WriteNull("firstRunMs");
                if (m.Timed)
                {
                    w.WriteNumber("runs", m.Runs);
                    w.WriteNumber("medianMs", m.MedianMs);
                    w.WriteNumber("minMs", m.MinMs);
                    w.WriteStartArray("turnMedianMs");
                    foreach (var t in m.TurnMedianMs) w.WriteNumberValue(t);
                    w.WriteEndArray();
                    if (m.MgasPerS is { } r) w.WriteNumber("mgasPerS", r); else w.WriteNull("mgasPerS");
                }
                if (m.ColdRuns > 0 && m.ColdTotalMs is { } ct)
                {
                    w.WriteNumber("coldRuns", m.ColdRuns);
                    w.WriteNumber("coldTotalMs", ct);
                }
                if (m.CompileMs is { } cm) w.WriteNumber("compileMs", cm);
                if (m.AllocatedBytes is { } ab) w.WriteNumber("allocatedBytes", ab);
                w.WriteStartArray("problems");
                foreach (var p in m.Problems) w.WriteStringValue(p);
                w.WriteEndArray();
                w.WriteEndObject();
            }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void DecimalOrNull(Utf8JsonWriter w, string name, long? value)
    {
        if (value is { } v) w.WriteString(name, v.ToString(CultureInfo.InvariantCulture)); else w.WriteNull(name);
    }
}
