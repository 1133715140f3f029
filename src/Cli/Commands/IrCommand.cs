using System.Diagnostics;
using System.Text.Json;
using Jevm.Encoding;
using Jevm.Evm;
using Jevm.Frontend;
using Jevm.Ir;

namespace Jevm.Cli.Commands;

internal sealed class IrCommand : ICommand
{
    public string Name => "ir";
    public string Summary => "print the IR of a bytecode (blocks, gas and stack summaries, SSA-like nodes)";
    public string Usage => """
        usage: jevm ir (--code HEX | --codefile FILE) [--fork FORK] [--no-opt]
               jevm ir --corpus DIR [--fork FORK]

        Analyses the code (basic blocks, per-block static gas and stack bounds), builds its IR, runs the passes
        (constant folding, static jump resolution, unreachable-block removal, entry constant propagation,
        dead-value elimination) unless --no-opt, and prints the IR text form.
          --code HEX       the bytecode as hex ("0x" optional)
          --codefile FILE  a file holding the bytecode as hex (white space ignored)
          --fork FORK      the fork whose opcode table applies (default Osaka)
          --no-opt         print the IR as built, before the passes
          --corpus DIR     analyse and build the IR of the code of every pre-state account of every state-test JSON
                           under DIR, and print the median and worst analysis time per KiB of code and how
                           many codes the passes changed
        """;

    public int Run(string[] args) => Run(args, Console.Out);

    /// <summary>Runs the command writing the IR or the figures to <paramref name="output"/>.</summary>
    internal int Run(string[] args, TextWriter output)
    {
        string? codeHex = null, codeFile = null, corpus = null;
        var fork = Fork.Osaka;
        bool optimize = true;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--code": codeHex = Value(args, ref i); break;
                case "--codefile": codeFile = Value(args, ref i); break;
                case "--corpus": corpus = Value(args, ref i); break;
                case "--fork":
                    var name = Value(args, ref i);
                    if (!ForkNames.TryParse(name, out fork))
                        throw new UsageException($"unknown fork '{name}' (known: {string.Join(", ", Enum.GetNames<Fork>())})");
                    break;
                case "--no-opt": optimize = false; break;
                default: throw new UsageException($"unexpected argument '{args[i]}' (see 'jevm ir --help')");
            }
        }
        int sources = (codeHex is null ? 0 : 1) + (codeFile is null ? 0 : 1) + (corpus is null ? 0 : 1);
        if (sources != 1) throw new UsageException("give exactly one of --code HEX, --codefile FILE or --corpus DIR");
        if (corpus is not null) return RunCorpus(corpus, fork, output);

        string text;
        if (codeFile is not null)
        {
            if (!File.Exists(codeFile)) throw new UsageException($"code file '{codeFile}' not found");
            var sb = new System.Text.StringBuilder();
            foreach (char c in File.ReadAllText(codeFile)) if (!char.IsWhiteSpace(c)) sb.Append(c);
            text = sb.ToString();
        }
        else text = codeHex!;
        if (!Hex.TryDecode(text, out var code, out var error)) throw new UsageException(error);

        var fn = IrBuilder.Build(BytecodeAnalysis.Analyze(code, fork));
        if (optimize) IrOptimizer.Run(fn);
        output.Write(IrPrinter.Print(fn));
        return CommandLine.ExitOk;
    }

    private static string Value(string[] args, ref int i)
    {
        if (i + 1 >= args.Length) throw new UsageException($"{args[i]} needs a value");
        return args[++i];
    }

    private static int RunCorpus(string dir, Fork fork, TextWriter output)
    {
        if (!Directory.Exists(dir)) throw new UsageException($"directory '{dir}' not found");
        var codes = new Dictionary<string, byte[]>();
        foreach (var file in Directory.EnumerateFiles(dir, "*.json", SearchOption.AllDirectories))
        {
            try
            {
                using var doc = JsonDocument.Parse(File.ReadAllBytes(file));
                foreach (var test in doc.RootElement.EnumerateObject())
                {
                    if (!test.Value.TryGetProperty("pre", out var pre)) continue;
                    foreach (var account in pre.EnumerateObject())
                        if (account.Value.TryGetProperty("code", out var c) && c.GetString() is { Length: > 2 } hex && !codes.ContainsKey(hex))
                            codes[hex] = Hex.Decode(hex);
                }
            }
            catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
            {
                // Bad input: one line naming the file, not a stack trace.
                throw new UsageException($"{file}: not a state-test file: {e.Message}");
            }
        }
        if (codes.Count == 0) throw new UsageException($"no state-test code found under '{dir}'");
        // Warm up the JIT on every code once (this also proves no code makes analysis or IR building throw).
        long totalBytes = 0;
        int withEntryConstants = 0, entryConstants = 0, withRemovedBlocks = 0;
        foreach (var code in codes.Values)
        {
            var stats = Process(code, fork);
            totalBytes += code.Length;
            if (stats.EntryConstants > 0) withEntryConstants++;
            entryConstants += stats.EntryConstants;
            if (stats.BlocksRemoved > 0) withRemovedBlocks++;
        }
        var perKiB = new List<(double Micros, int Length)>(codes.Count);
        var sw = new Stopwatch();
        long totalTicks = 0;
        foreach (var code in codes.Values)
        {
            // Repeat until ~0.2 ms have passed so tiny codes are not below the timer resolution; keep the fastest round.
            double best = double.MaxValue;
            for (int round = 0; round < 3; round++)
            {
                int reps = 0;
                sw.Restart();
                do { Process(code, fork); reps++; } while (sw.Elapsed.TotalMicroseconds < 200);
                sw.Stop();
                best = Math.Min(best, sw.Elapsed.TotalMicroseconds / reps);
                totalTicks += sw.ElapsedTicks / reps;
            }
            perKiB.Add((best / (code.Length / 1024.0), code.Length));
        }
        perKiB.Sort((a, b) => a.Micros.CompareTo(b.Micros));
        double Median(List<(double Micros, int Length)> xs) => xs.Count == 0 ? 0 : xs[xs.Count / 2].Micros;
        var big = perKiB.FindAll(x => x.Length >= 1024);
        output.WriteLine($"codes: {codes.Count} distinct, {totalBytes} bytes, fork {fork} (analysis + IR build + passes)");
        output.WriteLine($"per KiB, all codes:      median {Median(perKiB):F1} µs, worst {perKiB[^1].Micros:F1} µs ({perKiB[^1].Length} bytes)");
        if (big.Count > 0)
            output.WriteLine($"per KiB, codes >= 1 KiB: median {Median(big):F1} µs, worst {big[^1].Micros:F1} µs ({big[^1].Length} bytes), {big.Count} codes");
        double seconds = totalTicks / 3.0 / Stopwatch.Frequency;
        output.WriteLine($"throughput: {totalBytes / 1048576.0 / seconds:F1} MiB/s over all codes");
        output.WriteLine($"passes: entry constants in {withEntryConstants} codes ({entryConstants} block parameters), unreachable blocks in {withRemovedBlocks} codes");
        return CommandLine.ExitOk;
    }

    private static IrOptimizationStats Process(byte[] code, Fork fork) => IrOptimizer.Run(IrBuilder.Build(BytecodeAnalysis.Analyze(code, fork)));
}
