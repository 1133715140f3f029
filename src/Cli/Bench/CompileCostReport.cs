using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Jevm.Codegen;
using Jevm.Crypto;
using Jevm.Encoding;
using Jevm.Evm;
using Jevm.Primitives;

namespace Jevm.Cli.Bench;

/// <summary>One distinct code of a corpus and where it was first found.</summary>
internal sealed record CorpusCode(string Source, string Origin, byte[] Code);

/// <summary>What compiling one code cost.</summary>
internal sealed record CompileCost(CorpusCode Code, bool Compiled, string? Reason, double WallMs, double CompilerMs, int IlBytes, int Regions, long AllocatedBytes)
{
    /// <summary>Milliseconds per KiB of bytecode (wall time around the whole compilation).</summary>
    public double MsPerKiB => WallMs / (Code.Code.Length / 1024.0);
}

/// <summary>
/// The compile-cost report of issue #10: compile time per KiB of bytecode over every distinct code of a corpus (the
/// pre-state codes of state tests, the contracts of a benchmark manifest, the embedded programs), with the median, p90
/// and maximum; IL bytes and managed memory allocated per compiled contract. Each code is compiled on its own with
/// <see cref="JitCompiler.TryCompile"/> (no cache), timed by the wall clock and by the compiler's own clock, with
/// <see cref="GC.GetAllocatedBytesForCurrentThread"/> read around it (the .NET JIT runs on this thread, inside the
/// compilation, so its managed allocations count; its native memory does not).
/// </summary>
internal static class CompileCostReport
{
    /// <summary>The distinct codes at <paramref name="paths"/>, in order of first appearance.</summary>
    public static List<CorpusCode> Collect(IReadOnlyList<string> paths, bool embedded)
    {
        var seen = new HashSet<Hash256>();
        var list = new List<CorpusCode>();
        void Add(string source, string origin, byte[] code)
        {
            if (code.Length == 0 || !seen.Add(Keccak256.Compute(code))) return;
            list.Add(new CorpusCode(source, origin, code));
        }
        if (embedded)
            foreach (var c in Programs.EmbeddedPrograms.All) Add("jevm", c.Name, c.Code);
        foreach (var path in paths)
        {
            var source = Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(path)));
            if (Directory.Exists(path) && File.Exists(Path.Combine(path, BenchSuite.ManifestName)))
            {
                foreach (var c in BenchSuite.Load(path)) Add(source, c.Name, c.Code);
                continue;
            }
            IEnumerable<string> files = Directory.Exists(path)
                ? Directory.EnumerateFiles(path, "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
                : File.Exists(path) ? [path] : throw new UsageException($"'{path}' not found");
            foreach (var file in files)
            {
                JsonDocument doc;
                try { doc = JsonDocument.Parse(File.ReadAllBytes(file)); }
                catch (JsonException) { continue; } // not a test file
                using (doc)
                {
                    if (doc.RootElement.ValueKind != JsonValueKind.Object) continue;
                    foreach (var test in doc.RootElement.EnumerateObject())
                    {
                        if (test.Value.ValueKind != JsonValueKind.Object || !test.Value.TryGetProperty("pre", out var pre) || pre.ValueKind != JsonValueKind.Object) continue;
                        foreach (var account in pre.EnumerateObject())
                            if (account.Value.ValueKind == JsonValueKind.Object && account.Value.TryGetProperty("code", out var code)
                                && code.GetString() is { Length: > 2 } hex && Hex.TryDecode(hex, out var bytes, out _))
                                Add(source, $"{Path.GetRelativePath(path, file)}:{test.Name}:{account.Name}", bytes);
                    }
                }
            }
        }
        return list;
    }

    /// <summary>Compiles one code and measures it.</summary>
    public static CompileCost Measure(CorpusCode code, Fork fork)
    {
        long a0 = GC.GetAllocatedBytesForCurrentThread();
        long t0 = Stopwatch.GetTimestamp();
        var compiled = JitCompiler.TryCompile(code.Code, fork, out var reason);
        double wall = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
        long allocated = GC.GetAllocatedBytesForCurrentThread() - a0;
        return compiled is null
            ? new CompileCost(code, false, reason, wall, 0, 0, 0, allocated)
            : new CompileCost(code, true, null, wall, compiled.CompileTime.TotalMilliseconds, compiled.IlBytes, compiled.RegionFigures.Count, allocated);
    }

    /// <summary>The value at quantile <paramref name="q"/> (nearest rank) of sorted values.</summary>
    public static double Quantile(IReadOnlyList<double> sorted, double q)
    {
        if (sorted.Count == 0) return double.NaN;
        int rank = (int)Math.Ceiling(q * sorted.Count);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
    }

    /// <summary>Median, p90 and max of a figure over some results, as text.</summary>
    private static string Stats(List<CompileCost> costs, Func<CompileCost, double> figure, string format)
    {
        var values = costs.ConvertAll(c => figure(c));
        values.Sort();
        if (values.Count == 0) return "-";
        string F(double v) => v.ToString(format, CultureInfo.InvariantCulture);
        return $"{F(Quantile(values, 0.5))} / {F(Quantile(values, 0.9))} / {F(values[^1])}";
    }

    /// <summary>Prints the report: overall, by size class and by source; the slowest codes.</summary>
    public static void Print(TextWriter w, List<CompileCost> costs, Fork fork, int warmups)
    {
        var compiled = costs.FindAll(c => c.Compiled);
        long totalBytes = 0;
        double totalMs = 0;
        foreach (var c in compiled) { totalBytes += c.Code.Code.Length; totalMs += c.WallMs; }
        w.WriteLine($"compile cost, fork {fork}: {costs.Count} distinct codes, {compiled.Count} compiled, {costs.Count - compiled.Count} not compiled; {warmups} untimed warm-up compilations first");
        w.WriteLine("figures are median / p90 / max over the compiled codes; ms = wall time of JitCompiler.TryCompile (analysis, IL emission and the .NET JIT of every region); alloc = managed bytes allocated on the compiling thread");
        w.WriteLine($"size-weighted: {totalMs:F1} ms for {totalBytes / 1024.0:F1} KiB = {(totalBytes == 0 ? 0 : totalMs / (totalBytes / 1024.0)):F3} ms/KiB");
        w.WriteLine();
        string header = $"{"group",-26} {"codes",6} {"KiB",9}  {"ms/KiB",-26} {"ms",-24} {"IL bytes",-24} {"alloc KiB",-24}";
        w.WriteLine(header);
        void Line(string name, List<CompileCost> group)
        {
            if (group.Count == 0) return;
            long bytes = 0;
            foreach (var c in group) bytes += c.Code.Code.Length;
            w.WriteLine($"{name,-26} {group.Count,6} {bytes / 1024.0,9:F1}  {Stats(group, c => c.MsPerKiB, "F3"),-26} {Stats(group, c => c.WallMs, "F3"),-24} {Stats(group, c => c.IlBytes, "F0"),-24} {Stats(group, c => c.AllocatedBytes / 1024.0, "F1"),-24}");
        }
        Line("all", compiled);
        foreach (var (name, lo, hi) in s_sizeClasses)
            Line($"  code {name}", compiled.FindAll(c => c.Code.Code.Length >= lo && c.Code.Code.Length < hi));
        var sources = new List<string>();
        foreach (var c in costs) if (!sources.Contains(c.Code.Source)) sources.Add(c.Code.Source);
        foreach (var s in sources) Line($"  from {s}", compiled.FindAll(c => c.Code.Source == s));

        var byCompilerClock = compiled.ConvertAll(c => c.CompilerMs);
        byCompilerClock.Sort();
        if (byCompilerClock.Count > 0)
            w.WriteLine($"the compiler's own clock (CompiledContract.CompileTime): median {Quantile(byCompilerClock, 0.5):F3} ms, p90 {Quantile(byCompilerClock, 0.9):F3} ms, max {byCompilerClock[^1]:F3} ms (IL emission and the .NET JIT are not timed apart by the compiler)");

        w.WriteLine();
        var slowest = new List<CompileCost>(compiled);
        slowest.Sort((a, b) => b.WallMs.CompareTo(a.WallMs));
        w.WriteLine("longest compilations:");
        for (int i = 0; i < Math.Min(8, slowest.Count); i++)
        {
            var c = slowest[i];
            w.WriteLine($"  {c.WallMs,9:F2} ms  {c.Code.Code.Length,6} B  {c.MsPerKiB,8:F3} ms/KiB  {c.IlBytes,8} IL B  {c.Regions,3} region(s)  {c.AllocatedBytes / 1024.0,9:F1} KiB  {c.Code.Source}: {Abbrev(c.Code.Origin)}");
        }
        var failures = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var c in costs)
            if (!c.Compiled)
            {
                var key = c.Reason is { } r ? Generalise(r) : "?";
                failures[key] = failures.GetValueOrDefault(key) + 1;
            }
        if (failures.Count > 0)
        {
            w.WriteLine("not compiled (these run in the interpreter):");
            foreach (var (reason, n) in failures) w.WriteLine($"  {n,6}  {reason}");
        }
    }

    private static readonly (string Name, int Lo, int Hi)[] s_sizeClasses =
        [("< 256 B", 0, 256), ("256 B - 1 KiB", 256, 1024), ("1 - 4 KiB", 1024, 4096), ("4 - 16 KiB", 4096, 16384), (">= 16 KiB", 16384, int.MaxValue)];

    private static string Abbrev(string s) => s.Length <= 110 ? s : "…" + s[^109..];

    // Reasons name blocks and offsets; group them by kind.
    private static string Generalise(string reason) =>
        System.Text.RegularExpressions.Regex.Replace(reason, @"\d+", "N");

    /// <summary>Writes one record per code: source, origin, bytes, compiled, reason, wallMs, compilerMs, msPerKiB, ilBytes, regions, allocatedBytes.</summary>
    public static void WriteJson(string file, List<CompileCost> costs, Fork fork)
    {
        using var stream = File.Create(file);
        using var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        w.WriteStartObject();
        w.WriteString("fork", fork.ToString().ToLowerInvariant());
        w.WriteStartArray("codes");
        foreach (var c in costs)
        {
            w.WriteStartObject();
            w.WriteString("source", c.Code.Source);
            w.WriteString("origin", c.Code.Origin);
            w.WriteNumber("bytes", c.Code.Code.Length);
            w.WriteBoolean("compiled", c.Compiled);
            if (c.Reason is not null) w.WriteString("reason", c.Reason);
            w.WriteNumber("wallMs", c.WallMs);
            w.WriteNumber("compilerMs", c.CompilerMs);
            w.WriteNumber("msPerKiB", c.MsPerKiB);
            w.WriteNumber("ilBytes", c.IlBytes);
            w.WriteNumber("regions", c.Regions);
            w.WriteNumber("allocatedBytes", c.AllocatedBytes);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>
    /// <c>jevm compile --corpus PATH [--corpus PATH…] [--fork F] [--no-embedded] [--warmup N] [--limit N] [--json FILE]</c>.
    /// </summary>
    public static int Run(string[] args)
    {
        var paths = new List<string>();
        var fork = Fork.Cancun;
        bool embedded = true;
        int warmup = 200, limit = int.MaxValue;
        string? json = null;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--corpus": paths.Add(Value(args, ref i)); break;
                case "--no-embedded": embedded = false; break;
                case "--json": json = Value(args, ref i); break;
                case "--warmup": warmup = Count(args, ref i); break;
                case "--limit": limit = Count(args, ref i); break;
                case "--fork":
                    var name = Value(args, ref i);
                    if (!ForkNames.TryParse(name, out fork))
                        throw new UsageException($"unknown fork '{name}' (known: {string.Join(", ", Enum.GetNames<Fork>())})");
                    break;
                default: throw new UsageException($"unexpected argument '{args[i]}' with --corpus (see 'jevm compile --help')");
            }
        }
        if (paths.Count == 0) throw new UsageException("--corpus needs a PATH");
        foreach (var p in paths)
            if (!Directory.Exists(p) && !File.Exists(p)) throw new UsageException($"'{p}' not found");

        var codes = Collect(paths, embedded);
        if (codes.Count > limit) codes.RemoveRange(limit, codes.Count - limit);
        if (codes.Count == 0) throw new UsageException("no code found in the corpus");
        Console.Error.WriteLine($"# {codes.Count} distinct codes; {Math.Min(warmup, codes.Count)} warm-up compilations, then each code once");
        // Warm up the compiler itself (its own methods are JIT-compiled and tiered up by .NET on first use).
        for (int i = 0; i < Math.Min(warmup, codes.Count); i++) JitCompiler.TryCompile(codes[i].Code, fork, out _);
        var costs = new List<CompileCost>(codes.Count);
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < codes.Count; i++)
        {
            costs.Add(Measure(codes[i], fork));
            if (clock.Elapsed.TotalSeconds >= 15)
            {
                Console.Error.WriteLine($"  {i + 1}/{codes.Count} compiled");
                clock.Restart();
            }
        }
        Print(Console.Out, costs, fork, Math.Min(warmup, codes.Count));
        if (json is not null) WriteJson(json, costs, fork);
        return CommandLine.ExitOk;
    }

    private static int Count(string[] args, ref int i)
    {
        var flag = args[i];
        if (!int.TryParse(Value(args, ref i), NumberStyles.None, CultureInfo.InvariantCulture, out int n))
            throw new UsageException($"{flag} needs a whole number >= 0");
        return n;
    }

    private static string Value(string[] args, ref int i)
    {
        if (i + 1 >= args.Length) throw new UsageException($"{args[i]} needs a value");
        return args[++i];
    }
}
