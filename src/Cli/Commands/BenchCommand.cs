using System.Globalization;
using System.Text.Json;
using Jevm.Cli.Bench;
using Jevm.Codegen;
using Jevm.Encoding;
using Jevm.Evm;

namespace Jevm.Cli.Commands;

internal sealed class BenchCommand : ICommand
{
    public string Name => "bench";
    public string Summary => "time the embedded programs or ../shared/bench cases on every engine (and the npm peers)";
    public string Usage => """
        usage: jevm bench [--engine E[,E…]] [--runs N] [--time SECONDS] [--fork F] [--filter REGEX]
                          [--cold N] [--json FILE] [--markdown] [--peers] [--peer-runs N] [--peers-dir DIR] [PATH…]

        Runs each case as a top-level CALL (value 0) to 0xbe7c43a580000000000000000000000000000001 from
        0xa94f5374fce5edbc8e2a8697c15331677e6ebf0b with 1,000,000,000 gas on a fresh state for every execution, on
        every available engine, and prints median and minimum ms per execution, MGas/s and each engine's speed-up over
        the interpreter. Warm-up executions (which compile, for a JIT) are not timed. Status, gas and output are checked
        against the manifest and across engines; any mismatch is reported and the exit code is 1.
          PATH            a folder with manifest.json (e.g. ../shared/bench), one of its code/calldata files, a folder
                          with code.hex [+ calldata.hex], or a hex file of code; none: the embedded programs
          --engine LIST   engines to run (interpreter, jit, tiered; default: all available)
          --runs N        time at least N executions per case and engine (default 10); the engines take turns of
                          about 100 ms (each turn's first execution untimed), so that a slow spell of the machine
                          falls on all of them alike; the "E/interp by turn" column gives the median (quartiles) of
                          the ratios of turns taken in the same pass, "E/interp fastest" the ratio of the two
                          engines' fastest executions (less moved by a slow spell of the machine than the medians);
                          the table ends with the geometric means and the median over the compute-heavy cases
          --time SECONDS  and keep timing for at least SECONDS times the number of engines (default 1); warm-up
                          (untimed): at least 2 runs and min(0.5, SECONDS) s, and 1 s for the first case on each
                          engine (.NET recompiles the engines' hot methods optimised only after a while)
          --fork F        the fork (default Cancun); cases needing a newer fork are skipped
          --filter REGEX  only cases whose name matches
          --cold N        also time N executions of each engine on a fresh engine (a compiling one with an empty
                          code cache, so one compilation is included; each has run one tiny other code first)
                          and compare each compiling engine's total with the interpreter's: the "jit@N/interp"
                          column (default 10; 0: off); the median of 2 × (number of engines) to 25 repetitions
                          per engine, the engines taking turns so that each follows each equally often
          --json FILE     write one record per case and engine (case, engine, status, gasUsed, medianMs, minMs,
                          runs, mgasPerS, …): every field ../shared/peers writes, with the same types
          --markdown      print the comparison table as Markdown
          --peers         also run @ethereumjs/evm and EDR (revm) from ../shared/peers on the same cases (needs node
                          and npm; the harness is copied to a temporary folder and installs itself there), and print
                          one comparison table (Jevm over each peer, geometric means over all cases and over the
                          compute-heavy ones) with a consensus cross-check
          --peer-runs N   time the peers at least N times per case (default: as --runs; ethereumjs needs minutes per
                          execution of the largest cases)
          --peers-dir DIR where the peer harness is (default: shared/peers in this folder or an ancestor)
        """;

    public int Run(string[] args)
    {
        var paths = new List<string>();
        List<EngineKind>? engines = null;
        var fork = Fork.Cancun;
        int runs = 10;
        double seconds = 1;
        string? json = null, filter = null, peersDir = null;
        bool peers = false, markdown = false;
        int? peerRuns = null;
        int cold = 10;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--engine": engines = ParseEngines(Value(args, ref i)); break;
                case "--runs":
                    if (!int.TryParse(Value(args, ref i), NumberStyles.None, CultureInfo.InvariantCulture, out runs) || runs < 1)
                        throw new UsageException("--runs needs a whole number >= 1");
                    break;
                case "--time":
                    if (!double.TryParse(Value(args, ref i), NumberStyles.Float, CultureInfo.InvariantCulture, out seconds) || seconds < 0 || double.IsNaN(seconds))
                        throw new UsageException("--time needs a number of seconds >= 0");
                    break;
                case "--fork":
                    var name = Value(args, ref i);
                    if (!ForkNames.TryParse(name, out fork))
                        throw new UsageException($"unknown fork '{name}' (known: {string.Join(", ", Enum.GetNames<Fork>())})");
                    break;
                case "--filter": filter = Value(args, ref i); break;
                case "--json": json = Value(args, ref i); break;
                case "--markdown": markdown = true; break;
                case "--cold":
                    if (!int.TryParse(Value(args, ref i), NumberStyles.None, CultureInfo.InvariantCulture, out cold))
                        throw new UsageException("--cold needs a whole number >= 0");
                    break;
                case "--peers": peers = true; break;
                case "--peer-runs":
                    if (!int.TryParse(Value(args, ref i), NumberStyles.None, CultureInfo.InvariantCulture, out int pr) || pr < 1)
                        throw new UsageException("--peer-runs needs a whole number >= 1");
                    peerRuns = pr;
                    peers = true;
                    break;
                case "--peers-dir": peersDir = Value(args, ref i); peers = true; break;
                default:
                    if (args[i].StartsWith('-')) throw new UsageException($"unexpected option '{args[i]}' (see 'jevm bench --help')");
                    paths.Add(args[i]);
                    break;
            }
        }
        if (filter is not null)
        {
            try { _ = new System.Text.RegularExpressions.Regex(filter); }
            catch (ArgumentException e) { throw new UsageException($"--filter: {e.Message}"); }
        }

        var kinds = engines ?? AvailableEngines();
        var cases = BenchSuite.Select(paths, filter);
        if (cases.Count == 0) throw new UsageException("no case selected");
        var settings = new BenchSettings(MinRuns: runs, MinSeconds: seconds, ColdRuns: cold, WarmupSeconds: Math.Min(0.5, seconds));

        var engineList = new List<IExecutionEngine>();
        foreach (var k in kinds) engineList.Add(Engines.Create(k));

        var results = new List<BenchMeasurement>();
        var skipped = new List<string>();
        var ran = new List<BenchCase>();
        Console.Error.WriteLine($"# jevm bench: {cases.Count} case(s), engines {string.Join(", ", engineList.ConvertAll(e => e.Name))}, fork {fork}, >= {runs} runs and >= {seconds.ToString(CultureInfo.InvariantCulture)} s each; load average {BenchRunner.LoadAverage() ?? "?"}");
        foreach (var c in cases)
        {
            if (c.MinFork > fork) { skipped.Add($"{c.Name} (needs {c.MinFork})"); continue; }
            ran.Add(c);
            var executor = new BenchExecutor(c, fork);
            var perCase = new List<BenchMeasurement>();
            Console.Error.Write($"  {c.Name}, engines taking turns … ");
            perCase.AddRange(BenchRunner.Measure(executor, engineList, settings));
            Console.Error.WriteLine(string.Join(", ", perCase.ConvertAll(m =>
                $"{m.Engine} {m.MedianMs:F3} ms (n={m.Runs}){(m.Problems.Count > 0 ? " MISMATCH" : "")}")));
            if (settings.ColdRuns > 0)
            {
                Console.Error.Write($"  {c.Name}: {settings.ColdRuns} cold executions per fresh engine, engines taking turns … ");
                BenchRunner.MeasureCold(executor, engineList, perCase, settings.ColdRuns);
                Console.Error.WriteLine(string.Join(", ", perCase.ConvertAll(m => $"{m.Engine} {m.ColdTotalMs:F3} ms")));
            }
            BenchRunner.CheckAgreement(perCase);
            results.AddRange(perCase);
        }

        List<BenchMeasurement> peerResults = [];
        string? peerError = null;
        if (peers && ran.Count > 0)
        {
            var dir = peersDir ?? PeerRunner.FindShared("peers") ?? throw new UsageException("cannot find shared/peers; give --peers-dir DIR");
            try
            {
                var peerSettings = (peerRuns is { } n ? settings with { MinRuns = n } : settings) with { ColdRuns = 0 };
                peerResults = PeerRunner.Run(ran, fork, peerSettings, dir, Path.Combine(Path.GetTempPath(), $"jevm-peers-{Environment.UserName}"));
            }
            catch (InvalidOperationException e) { peerError = e.Message; }
        }

        var report = new BenchReport(fork, results, peerResults) { Markdown = markdown };
        if (BenchRunner.LoadAverage() is { } load) Console.Out.WriteLine($"load average at the end: {load} ({Environment.ProcessorCount} cores)");
        report.CheckConsensus();
        report.Print(Console.Out);
        foreach (var s in skipped) Console.Out.WriteLine($"skipped: {s}");
        if (peerError is not null) Console.Out.WriteLine($"peers: {peerError}");
        if (json is not null) report.WriteJson(json);

        int problems = report.ProblemCount;
        if (problems > 0)
        {
            Console.Out.WriteLine($"MISMATCH: {problems} problem(s), listed above");
            return CommandLine.ExitFailure;
        }
        return peerError is null ? CommandLine.ExitOk : CommandLine.ExitFailure;
    }

    /// <summary>Every engine kind <see cref="Engines"/> can make now (the JIT and the tiered engine once they exist).</summary>
    internal static List<EngineKind> AvailableEngines()
    {
        var list = new List<EngineKind>();
        foreach (var k in Enum.GetValues<EngineKind>())
            if (Engines.IsAvailable(k)) list.Add(k);
        return list;
    }

    private static List<EngineKind> ParseEngines(string text)
    {
        var list = new List<EngineKind>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Enum.TryParse<EngineKind>(part, ignoreCase: true, out var k) || !Enum.IsDefined(k))
                throw new UsageException($"unknown engine '{part}' (known: {string.Join(", ", Enum.GetNames<EngineKind>()).ToLowerInvariant()})");
            if (!Engines.IsAvailable(k)) throw new UsageException($"engine '{part}' is not available in this build");
            if (!list.Contains(k)) list.Add(k);
        }
        if (list.Count == 0) throw new UsageException("--engine needs at least one engine");
        return list;
    }

    private static string Value(string[] args, ref int i)
    {
        if (i + 1 >= args.Length) throw new UsageException($"{args[i]} needs a value");
        return args[++i];
    }
}
