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

    /// <summary>The per-engine table, and with peers the comparison table.</summary>
    public void Print(TextWriter w)
    {
        var cases = new List<string>();
        foreach (var m in jevm) if (!cases.Contains(m.Case)) cases.Add(m.Case);
        int caseWidth = 24;
        foreach (var c in cases) caseWidth = Math.Max(caseWidth, c.Length);

        w.WriteLine($"fork {fork}, gas limit {BenchExecutor.DefaultGas:N0}; ms per execution; MGas/s on the manifest's execution gas when known, else on the gas used; x interp = interpreter median / this median");
        w.WriteLine($"{"case".PadRight(caseWidth)}  {"engine",-12} {"status",-8} {"gas used",12} {"median ms",10} {"min ms",10} {"runs",5} {"MGas/s",8} {"x interp",8}  check");
        var all = new List<BenchMeasurement>(jevm);
        all.AddRange(peers);
        all.Sort((a, b) => cases.IndexOf(a.Case) - cases.IndexOf(b.Case)); // stable enough: grouped by case, engines first
        foreach (var c in cases)
        {
            var interp = Find(c, Interpreter);
            foreach (var m in jevm) if (m.Case == c) Row(w, m, interp, caseWidth);
            foreach (var m in peers) if (m.Case == c) Row(w, m, null, caseWidth);
        }
        if (peers.Count == 0 && HasEngine("interpreter") && EngineNames().Count > 1) PrintGeoMeans(w, cases);
        if (peers.Count > 0) PrintComparison(w, cases, caseWidth);
        foreach (var m in all)
            foreach (var p in m.Problems) w.WriteLine($"MISMATCH {m.Case} [{m.Engine}]: {p}");
    }

    private static void Row(TextWriter w, BenchMeasurement m, BenchMeasurement? interp, int caseWidth)
    {
        string ratio = m.Engine != Interpreter && interp is { MedianMs: > 0 } && m.MedianMs > 0 ? $"{interp.MedianMs / m.MedianMs:F2}" : "";
        string gas = m.GasUsed?.ToString(CultureInfo.InvariantCulture) ?? (m.TxGasUsed is { } t ? $"tx {t}" : "?");
        string check = m.Problems.Count == 0 ? "ok" : "MISMATCH";
        string timing = m.Timed ? $"{m.MedianMs,10:F3} {m.MinMs,10:F3} {m.Runs,5} {m.MgasPerS?.ToString("F1", CultureInfo.InvariantCulture) ?? "?",8}" : $"{"-",10} {"-",10} {0,5} {"-",8}";
        w.WriteLine($"{m.Case.PadRight(caseWidth)}  {m.Engine,-12} {Truncate(m.Status, 8),-8} {gas,12} {timing} {ratio,8}  {check}");
    }

    private static string Truncate(string s, int n) => s.Length <= n ? s : s[..n];

    private List<string> EngineNames()
    {
        var names = new List<string>();
        foreach (var m in jevm) if (!names.Contains(m.Engine)) names.Add(m.Engine);
        return names;
    }

    private bool HasEngine(string name) => EngineNames().Contains(name);

    private void PrintGeoMeans(TextWriter w, List<string> cases)
    {
        foreach (var e in EngineNames())
        {
            if (e == Interpreter) continue;
            var g = GeoMean(cases, c => Ratio(Find(c, Interpreter), Find(c, e)));
            if (g is { } v) w.WriteLine($"geometric mean speed-up of {e} over the interpreter: {v:F2}x");
        }
    }

    /// <summary>a.median / b.median: how many times faster b is than a.</summary>
    private static double? Ratio(BenchMeasurement? a, BenchMeasurement? b) =>
        a is { Timed: true, MedianMs: > 0 } && b is { Timed: true, MedianMs: > 0 } ? a.MedianMs / b.MedianMs : null;

    private static double? GeoMean(List<string> cases, Func<string, double?> ratio)
    {
        double sum = 0;
        int n = 0;
        foreach (var c in cases)
            if (ratio(c) is { } r) { sum += Math.Log(r); n++; }
        return n == 0 ? null : Math.Exp(sum / n);
    }

    private BenchMeasurement? BestJevm(string c)
    {
        BenchMeasurement? best = null;
        foreach (var m in jevm)
            if (m.Case == c && m.Timed && (best is null || m.MedianMs < best.MedianMs)) best = m;
        return best;
    }

    private void PrintComparison(TextWriter w, List<string> cases, int caseWidth)
    {
        var engines = EngineNames();
        var peerNames = new List<string>();
        foreach (var m in peers) if (!peerNames.Contains(m.Engine)) peerNames.Add(m.Engine);
        var columns = new List<string>(engines);
        columns.AddRange(peerNames);
        bool jit = engines.Count > 1 && engines.Contains(Interpreter);

        w.WriteLine();
        w.WriteLine("comparison: ms per execution (MGas/s); JIT/interp = interpreter ms / best compiled engine ms; Jevm/PEER = PEER ms / best Jevm ms (how many times faster Jevm is)");
        var header = new System.Text.StringBuilder($"{"case".PadRight(caseWidth)} ");
        foreach (var col in columns) header.Append($" {col,20}");
        if (jit) header.Append($" {"JIT/interp",10}");
        foreach (var p in peerNames) header.Append($" {"Jevm/" + p,15}");
        header.Append("  consensus");
        w.WriteLine(header);
        foreach (var c in cases)
        {
            var line = new System.Text.StringBuilder($"{c.PadRight(caseWidth)} ");
            foreach (var col in columns)
            {
                var m = Find(c, col);
                line.Append(m is { Timed: true } ? $" {$"{Ms(m.MedianMs)} ({m.MgasPerS?.ToString("F0", CultureInfo.InvariantCulture) ?? "?"})",20}" : $" {"-",20}");
            }
            if (jit) line.Append($" {Fmt(JitRatio(c)),10}");
            foreach (var p in peerNames) line.Append($" {Fmt(Ratio(Find(c, p), BestJevm(c))),15}");
            bool agree = true;
            foreach (var m in peers) if (m.Case == c && m.Problems.Exists(x => x.StartsWith("consensus", StringComparison.Ordinal))) agree = false;
            foreach (var m in jevm) if (m.Case == c && m.Problems.Count > 0) agree = false;
            line.Append(agree ? "  ok" : "  MISMATCH");
            w.WriteLine(line);
        }
        var geo = new System.Text.StringBuilder($"{"geometric mean".PadRight(caseWidth)} ");
        foreach (var _ in columns) geo.Append($" {"",20}");
        if (jit) geo.Append($" {Fmt(GeoMean(cases, JitRatio)),10}");
        foreach (var p in peerNames) geo.Append($" {Fmt(GeoMean(cases, c => Ratio(Find(c, p), BestJevm(c)))),15}");
        w.WriteLine(geo);
    }

    private double? JitRatio(string c)
    {
        BenchMeasurement? best = null;
        foreach (var m in jevm)
            if (m.Case == c && m.Engine != Interpreter && m.Timed && (best is null || m.MedianMs < best.MedianMs)) best = m;
        return Ratio(Find(c, Interpreter), best);
    }

    private static string Ms(double ms) => ms >= 100 ? ms.ToString("F1", CultureInfo.InvariantCulture) : ms.ToString("F3", CultureInfo.InvariantCulture);

    private static string Fmt(double? r) => r is { } v ? $"{v:F2}x" : "-";

    /// <summary>Writes <c>{ fork, gasLimit, runtime, results: [ … ] }</c>, one result per case and engine or peer.</summary>
    public void WriteJson(string file)
    {
        using var stream = File.Create(file);
        using var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        w.WriteStartObject();
        w.WriteString("fork", fork.ToString().ToLowerInvariant());
        w.WriteString("gasLimit", BenchExecutor.DefaultGas.ToString(CultureInfo.InvariantCulture));
        w.WriteString("runtime", $".NET {Environment.Version}");
        w.WriteString("machine", $"{Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}");
        w.WriteString("date", DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
        w.WriteStartArray("results");
        foreach (var list in new[] { jevm, peers })
            foreach (var m in list)
            {
                w.WriteStartObject();
                w.WriteString("case", m.Case);
                w.WriteString("engine", m.Engine);
                w.WriteString("peer", ReferenceEquals(list, jevm) ? "jevm" : m.Engine);
                w.WriteString("status", m.Status);
                if (m.GasUsed is { } g) w.WriteString("gasUsed", g.ToString(CultureInfo.InvariantCulture)); else w.WriteNull("gasUsed");
                if (m.TxGasUsed is { } t) w.WriteString("txGasUsed", t.ToString(CultureInfo.InvariantCulture)); else w.WriteNull("txGasUsed");
                if (m.OutputSha256 is { } h) w.WriteString("outputSha256", h);
                if (m.Output is { Length: <= 4096 } o) w.WriteString("output", Hex.Encode(o, prefix: false));
                w.WriteNumber("medianMs", m.MedianMs);
                w.WriteNumber("minMs", m.MinMs);
                w.WriteNumber("runs", m.Runs);
                if (m.MgasPerS is { } r) w.WriteNumber("mgasPerS", r); else w.WriteNull("mgasPerS");
                w.WriteStartArray("problems");
                foreach (var p in m.Problems) w.WriteStringValue(p);
                w.WriteEndArray();
                w.WriteEndObject();
            }
        w.WriteEndArray();
        w.WriteEndObject();
    }
}
