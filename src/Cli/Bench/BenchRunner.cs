using System.Diagnostics;
using System.Security.Cryptography;
using Jevm.Encoding;
using Jevm.Evm;

namespace Jevm.Cli.Bench;

/// <summary>How long to measure each case on each engine.</summary>
/// <param name="MinRuns">Timed executions at least.</param>
/// <param name="MinSeconds">Keep timing until this much time has passed (and <paramref name="MinRuns"/> are done).</param>
/// <param name="MaxRuns">Never more timed executions than this.</param>
/// <param name="Warmups">Untimed executions first (the first one is the one checked; a JIT compiles here).</param>
internal sealed record BenchSettings(int MinRuns = 5, double MinSeconds = 0.5, int MaxRuns = 2000, int Warmups = 2);

/// <summary>One case measured on one engine (or one peer).</summary>
internal sealed class BenchMeasurement
{
    public required string Case { get; init; }
    public required string Engine { get; init; }
    public required string Status { get; init; }
    public long? GasUsed { get; init; }
    public long? TxGasUsed { get; init; }
    public byte[]? Output { get; init; }
    /// <summary>First 16 hex digits of SHA-256 of the output (what ../shared/peers reports).</summary>
    public string? OutputSha256 { get; init; }
    public int Runs { get; init; }
    public double MedianMs { get; init; }
    public double MinMs { get; init; }
    public double? MgasPerS { get; init; }
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

    /// <summary>
    /// Runs the warm-ups, checks the first result against the manifest, then times executions on fresh states.
    /// Only the call itself is timed; the fresh state is made before the clock starts.
    /// </summary>
    public static BenchMeasurement Measure(BenchExecutor executor, IExecutionEngine engine, BenchSettings settings)
    {
        var c = executor.Case;
        var first = executor.Execute(engine);
        for (int i = 1; i < settings.Warmups; i++) executor.Execute(engine);

        var times = new List<double>(Math.Min(settings.MaxRuns, 256));
        var total = Stopwatch.StartNew();
        var problems = new List<string>();
        while (times.Count < settings.MaxRuns && (times.Count < settings.MinRuns || total.Elapsed.TotalSeconds < settings.MinSeconds))
        {
            var state = executor.FreshState();
            long t0 = Stopwatch.GetTimestamp();
            var o = executor.Execute(engine, state);
            long t1 = Stopwatch.GetTimestamp();
            times.Add((t1 - t0) * 1000.0 / Stopwatch.Frequency);
            if (o.Status != first.Status || o.GasUsed != first.GasUsed)
            {
                problems.Add($"non-deterministic: run gave {StatusName(o.Status)}/{o.GasUsed}, first {StatusName(first.Status)}/{first.GasUsed}");
                break;
            }
        }
        times.Sort();
        double median = times.Count == 0 ? 0 : times.Count % 2 == 1 ? times[times.Count / 2] : (times[times.Count / 2 - 1] + times[times.Count / 2]) / 2;
        var expected = c.ExpectedGasFor(executor.Fork, out bool known);
        long gasForRate = known && expected is not null ? expected.ExecutionGas : first.GasUsed;
        var m = new BenchMeasurement
        {
            Case = c.Name,
            Engine = engine.Name,
            Status = StatusName(first.Status),
            GasUsed = first.GasUsed,
            TxGasUsed = first.TxGasUsed(executor.Fork, c.Calldata),
            Output = first.Output,
            OutputSha256 = BenchMeasurement.Sha256Prefix(first.Output),
            Runs = times.Count,
            MedianMs = median,
            MinMs = times.Count == 0 ? 0 : times[0],
            MgasPerS = median > 0 ? gasForRate / (median / 1000) / 1e6 : null,
        };
        m.Problems.AddRange(problems);
        CheckExpectations(m, c, executor.Fork, first);
        return m;
    }

    /// <summary>Compares an outcome with the manifest's expected output and gas for the fork.</summary>
    public static void CheckExpectations(BenchMeasurement m, BenchCase c, Fork fork, in BenchOutcome o)
    {
        var expected = c.ExpectedGasFor(fork, out bool known);
        if (known && expected is null)
        {
            if (o.Status == StatusCode.Success) m.Problems.Add($"succeeded, but the manifest says the code cannot run on {fork}");
            return;
        }
        if (known && o.Status != StatusCode.Success) { m.Problems.Add($"status {StatusName(o.Status)}, expected success"); return; }
        if (expected is not null)
        {
            if (o.GasUsed != expected.ExecutionGas) m.Problems.Add($"gas used {o.GasUsed}, expected {expected.ExecutionGas}");
            if (o.Refund != expected.Refund) m.Problems.Add($"refund {o.Refund}, expected {expected.Refund}");
            long tx = o.TxGasUsed(fork, c.Calldata);
            if (tx != expected.TxGasUsed) m.Problems.Add($"tx gas used {tx}, expected {expected.TxGasUsed}");
        }
        if (c.ExpectedOutputHex is { } hex)
        {
            var got = Hex.Encode(o.Output, prefix: false);
            if (!string.Equals(got, hex, StringComparison.OrdinalIgnoreCase))
                m.Problems.Add($"output {Abbrev(got)}, expected {Abbrev(hex)}");
        }
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
