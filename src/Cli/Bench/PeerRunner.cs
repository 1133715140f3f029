using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Jevm.Encoding;
using Jevm.Evm;

namespace Jevm.Cli.Bench;

/// <summary>
/// Runs the same cases through the npm peers of ../shared/peers (@ethereumjs/evm and EDR = revm). The peers folder is
/// read-only, so it is copied to a writable folder where its run.sh installs the pinned packages on first use; the cases
/// are written there as a manifest of their own, so embedded programs and any case folder go through the same harness.
/// </summary>
internal static class PeerRunner
{
    private static readonly string[] s_harnessFiles = ["run.sh", "bench.mjs", "ethereumjs-peer.mjs", "edr-peer.mjs", "gas.mjs", "package.json", "package-lock.json"];

    /// <summary>
    /// Looks for <c>shared/NAME</c> in the current folder and its ancestors, then in the ancestors of jevm's own folder
    /// (the repository sits next to shared/).
    /// </summary>
    public static string? FindShared(string name)
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            for (var d = new DirectoryInfo(start); d is not null; d = d.Parent)
            {
                var p = Path.Combine(d.FullName, "shared", name);
                if (Directory.Exists(p)) return p;
            }
        return null;
    }

    /// <summary>Runs the peers and returns one measurement per case and peer; progress goes to stderr.</summary>
    public static List<BenchMeasurement> Run(IReadOnlyList<BenchCase> cases, Fork fork, BenchSettings settings, string peersDir, string workDir)
    {
        if (!File.Exists(Path.Combine(peersDir, "bench.mjs"))) throw new UsageException($"'{peersDir}' has no bench.mjs (give --peers-dir)");
        Directory.CreateDirectory(workDir);
        foreach (var f in s_harnessFiles)
        {
            var src = Path.Combine(peersDir, f);
            if (File.Exists(src)) File.Copy(src, Path.Combine(workDir, f), overwrite: true);
        }

        // The cases as a manifest folder of their own.
        var benchDir = Path.Combine(workDir, "cases");
        if (Directory.Exists(benchDir)) Directory.Delete(benchDir, recursive: true);
        Directory.CreateDirectory(Path.Combine(benchDir, "code"));
        Directory.CreateDirectory(Path.Combine(benchDir, "calldata"));
        string forkName = fork.ToString().ToLowerInvariant();
        using (var stream = File.Create(Path.Combine(benchDir, BenchSuite.ManifestName)))
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteStartArray("cases");
            for (int i = 0; i < cases.Count; i++)
            {
                var c = cases[i];
                File.WriteAllText(Path.Combine(benchDir, "code", $"{i}.hex"), Hex.Encode(c.Code, prefix: false) + "\n");
                File.WriteAllText(Path.Combine(benchDir, "calldata", $"{i}.hex"), Hex.Encode(c.Calldata, prefix: false) + "\n");
                w.WriteStartObject();
                w.WriteString("name", c.Name);
                w.WriteString("code", $"code/{i}.hex");
                w.WriteString("calldata", $"calldata/{i}.hex");
                if (c.ExpectedOutputHex is { } o) w.WriteString("expectedOutput", o);
                var g = c.ExpectedGasFor(fork, out bool known);
                if (known)
                {
                    w.WriteStartObject("gas");
                    if (g is null) w.WriteNull(forkName);
                    else
                    {
                        w.WriteStartObject(forkName);
                        w.WriteNumber("executionGas", g.ExecutionGas);
                        w.WriteNumber("refund", g.Refund);
                        w.WriteNumber("txGasUsed", g.TxGasUsed);
                        w.WriteEndObject();
                    }
                    w.WriteEndObject();
                }
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }

        var json = Path.Combine(workDir, "peers-result.json");
        if (File.Exists(json)) File.Delete(json);
        var psi = new ProcessStartInfo("bash")
        {
            WorkingDirectory = workDir,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var a in new[]
        {
            "run.sh", "--fork", forkName, "--bench-dir", benchDir, "--json", json,
            "--min-runs", settings.MinRuns.ToString(CultureInfo.InvariantCulture),
            "--max-runs", Math.Max(settings.MinRuns, settings.MaxRuns).ToString(CultureInfo.InvariantCulture),
            "--min-ms", ((long)(settings.MinSeconds * 1000)).ToString(CultureInfo.InvariantCulture),
        }) psi.ArgumentList.Add(a);
        Console.Error.WriteLine($"# peers: {string.Join(' ', psi.ArgumentList)} (in {workDir})");
        using var p = Process.Start(psi) ?? throw new InvalidOperationException("could not start bash");
        // The harness prints a line per case once it is done (and its own headers on stderr, which pass through);
        // ethereumjs needs minutes for the largest cases, so a heartbeat says what is running meanwhile.
        int done = 0, expectedLines = cases.Count * 2;
        string last = "(starting)";
        var clock = Stopwatch.StartNew();
        var gate = new object();
        p.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (gate)
            {
                done++;
                last = e.Data.Length > 60 ? e.Data[..60].TrimEnd() : e.Data;
                Console.Error.WriteLine($"  [{done}/{expectedLines} {Elapsed(clock.Elapsed)}] {e.Data}");
            }
        };
        p.BeginOutputReadLine();
        using (var heartbeat = new Timer(_ =>
        {
            lock (gate)
            {
                int next = Math.Min(done, cases.Count * 2 - 1);
                string running = cases.Count == 0 ? "" : $"{(next < cases.Count ? "ethereumjs" : "edr")} on {cases[next % cases.Count].Name}";
                Console.Error.WriteLine($"  … peers still running after {Elapsed(clock.Elapsed)}: {done}/{expectedLines} done, now probably {running} (last: {last})");
            }
        }, null, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30)))
        {
            p.WaitForExit();
        }
        if (p.ExitCode != 0 || !File.Exists(json)) throw new InvalidOperationException($"the peer harness failed (exit {p.ExitCode})");
        return Parse(File.ReadAllBytes(json));
    }

    private static string Elapsed(TimeSpan t) => t.TotalMinutes >= 1 ? $"{(int)t.TotalMinutes}m{t.Seconds:00}s" : $"{t.Seconds}s";

    /// <summary>Reads the harness's JSON (<c>{ results: [ { case, peer, status, gasUsed, … } ] }</c>).</summary>
    public static List<BenchMeasurement> Parse(byte[] json)
    {
        using var doc = JsonDocument.Parse(json);
        var list = new List<BenchMeasurement>();
        foreach (var r in doc.RootElement.GetProperty("results").EnumerateArray())
        {
            long? Long(string name) => r.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? long.Parse(v.GetString()!, CultureInfo.InvariantCulture)
                : r.TryGetProperty(name, out v) && v.ValueKind == JsonValueKind.Number ? v.GetInt64() : null;
            double Double(string name) => r.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : 0;
            var m = new BenchMeasurement
            {
                Case = r.GetProperty("case").GetString()!,
                Engine = r.GetProperty("peer").GetString()!,
                Status = r.GetProperty("status").GetString()!,
                GasUsed = Long("gasUsed"),
                Refund = Long("gasRefund"),
                GasNetOfRefund = Long("gasNetOfRefund"),
                TxGasUsed = Long("txGasUsed"),
                Version = r.TryGetProperty("peerVersion", out var pv) && pv.ValueKind == JsonValueKind.String ? pv.GetString() : null,
                FirstRunMs = r.TryGetProperty("firstRunMs", out var fr) && fr.ValueKind == JsonValueKind.Number ? fr.GetDouble() : null,
                Output = r.TryGetProperty("output", out var o) && o.ValueKind == JsonValueKind.String ? Hex.Decode(o.GetString()!) : null,
                OutputSha256 = r.TryGetProperty("outputSha256", out var h) ? h.GetString() : null,
                Runs = r.TryGetProperty("runs", out var runs) && runs.ValueKind == JsonValueKind.Number ? runs.GetInt32() : 0,
                MedianMs = Double("medianMs"),
                MinMs = Double("minMs"),
                MgasPerS = r.TryGetProperty("mgasPerS", out var g) && g.ValueKind == JsonValueKind.Number ? g.GetDouble() : null,
            };
            if (r.TryGetProperty("expectedOutput", out var eo) && eo.GetString() is { } eov) m.ExpectedOutputVerdict = eov;
            if (r.TryGetProperty("expectedGas", out var eg) && eg.GetString() is { } egv) m.ExpectedGasVerdict = egv;
            if (m.ExpectedOutputVerdict == "MISMATCH") m.Problems.Add("output differs from the manifest");
            if (m.ExpectedGasVerdict == "MISMATCH") m.Problems.Add("gas differs from the manifest");
            list.Add(m);
        }
        return list;
    }
}
