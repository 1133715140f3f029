using System.Globalization;
using Jevm.Cli.Fuzzing;
using Jevm.Evm;

namespace Jevm.Cli.Commands;

internal sealed class FuzzCommand : ICommand
{
    public string Name => "fuzz";
    public string Summary => "differential fuzzing: generated programs on every engine (and a peer EVM), divergences as state tests";
    public string Usage => """
        usage: jevm fuzz [--seed S] [--time SECONDS | --runs N] [--engines a,b,...] [--fork F] [--out DIR]
                         [--threads N] [--first INDEX] [--peer ethereumjs] [--max-pieces N] [--reuse R]
                         [--max-saved N]

        Generates cases (a pre-state of up to four generated contracts and a transaction), runs each on every engine
        and compares status, gas used, refund, output, logs, post-state root and the end of every frame with the
        first engine's. A divergence is minimised and written to DIR as a state-test file whose expected root is the
        first engine's, so `jevm statetest --engine OTHER FILE` replays it; a .txt beside it has the first differing
        frame and EIP-3155 trace step. Case I of seed S is the same on every run: `--seed S --first I --runs 1`
        reproduces it. Prints a progress line on stderr and ends with "N programs, D divergences"; exit code 1 when
        D > 0 (or a case crashed), 2 for usage errors.

          --seed S        campaign seed (default 1)
          --time SECONDS  run for this long (default 60 when --runs is not given)
          --runs N        run N cases
          --first INDEX   the first case index (default 0)
          --engines LIST  comma-separated: interpreter, jit, tiered (default all three; the first is the reference)
          --fork F        only this fork (default: a fork per case, weighted to Cancun, Prague, Osaka)
          --out DIR       where divergences are written (default fuzz-out)
          --threads N     worker threads (default: the number of cores)
          --peer NAME     also compare the reference engine with an independent EVM: ethereumjs
                          (installs the pinned @ethereumjs/vm with npm ci on first use; see docs/fuzzing.md)
          --max-pieces N  most pieces per generated program (default 14)
          --max-saved N   minimise and write at most N divergences (default 20; the rest are counted)
          --reuse R       cheaper mode: R consecutive cases share their programs (varying balances, storage, value,
                          call data, gas limit and transaction type), so each program is JIT-compiled once per R
                          cases (default 1: every case has programs of its own)
        """;

    public int Run(string[] args)
    {
        ulong seed = 1;
        long? runs = null;
        long first = 0;
        double? seconds = null;
        var engines = new List<EngineKind> { EngineKind.Interpreter, EngineKind.Jit, EngineKind.Tiered };
        Fork? fork = null;
        string outDir = "fuzz-out";
        int threads = Environment.ProcessorCount;
        string? peerName = null;
        int maxPieces = CaseOptions.Default.MaxPieces;
        int reuse = 1;
        int maxSaved = 20;
        for (int i = 0; i < args.Length; i++)
        {
            string a = args[i];
            string Value() => i + 1 < args.Length ? args[++i] : throw new UsageException($"{a} needs a value");
            long Long(long min)
            {
                string v = Value();
                if (!long.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out long n) || n < min)
                    throw new UsageException($"{a} needs a whole number ≥ {min}, not '{v}'");
                return n;
            }
            switch (a)
            {
                case "--seed":
                {
                    string v = Value();
                    if (!ulong.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out seed)) throw new UsageException($"--seed needs a whole number, not '{v}'");
                    break;
                }
                case "--runs": runs = Long(0); break;
                case "--first": first = Long(0); break;
                case "--time":
                {
                    string v = Value();
                    if (!double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out double s) || !(s > 0)) throw new UsageException($"--time needs a positive number of seconds, not '{v}'");
                    seconds = s;
                    break;
                }
                case "--engines":
                    engines.Clear();
                    foreach (var e in Value().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                        engines.Add(StateTestCommand.ParseEngine(e));
                    if (engines.Count == 0) throw new UsageException("--engines needs at least one engine");
                    break;
                case "--fork": fork = StateTestCommand.ParseFork(Value()); break;
                case "--out": outDir = Value(); break;
                case "--threads": threads = (int)Math.Min(Long(1), 256); break;
                case "--peer":
                    peerName = Value();
                    if (peerName != "ethereumjs") throw new UsageException($"unknown peer '{peerName}'; known peers: ethereumjs");
                    break;
                case "--max-pieces": maxPieces = (int)Math.Min(Long(1), 1000); break;
                case "--max-saved": maxSaved = (int)Math.Min(Long(0), 100_000); break;
                case "--reuse": reuse = (int)Math.Min(Long(1), 1_000_000); break;
                default: throw new UsageException($"unknown option '{a}'");
            }
        }
        if (runs is not null && seconds is not null) throw new UsageException("give --time or --runs, not both");
        if (runs is null && seconds is null) seconds = 60;
        if (engines.Count < 2 && peerName is null) throw new UsageException("give at least two engines, or a --peer, to compare");
        foreach (var e in engines) StateTestCommand.CreateEngine(e, null);

        Func<IPeer>? peer = null;
        if (peerName == "ethereumjs")
        {
            var factory = EthereumJsPeer.Prepare(Console.Error);
            peer = factory;
        }
        var options = new CampaignOptions
        {
            Seed = seed,
            Runs = runs,
            Seconds = seconds,
            FirstIndex = first,
            Engines = engines.ToArray(),
            Cases = CaseOptions.Default with { Fork = fork, MaxPieces = maxPieces, Reuse = reuse },
            OutDir = outDir,
            Threads = threads,
            MaxSaved = maxSaved,
            Peer = peer,
            Progress = Console.Error,
            LiveProgress = !Console.IsErrorRedirected,
        };
        Console.Error.WriteLine($"jevm fuzz: seed {seed}, {(runs is { } r ? $"{r} cases from index {first}" : $"{seconds} s")}, engines {string.Join(",", engines).ToLowerInvariant()}{(peerName is null ? "" : $", peer {peerName}")}, fork {(fork?.ToString() ?? "random")}, {threads} threads{(reuse > 1 ? $", programs reused by {reuse} cases" : "")}, out {outDir}");
        var result = new FuzzCampaign(options).Run();
        foreach (var f in result.Findings.OrderBy(f => f.Index))
        {
            Console.Out.WriteLine($"{(f.Engines == "crash" ? "CRASH" : "DIVERGENCE")} case {f.Index} ({f.Engines}): {f.Fields}{(f.File is null ? "" : $" -> {f.File}")}");
            foreach (var line in f.Explanation.Split('\n', StringSplitOptions.RemoveEmptyEntries)) Console.Out.WriteLine("  " + line);
        }
        if (result.Crashes > 0) Console.Out.WriteLine($"{result.Crashes} cases crashed (saved in {outDir})");
        if (result.PeerUnsupported > 0) Console.Out.WriteLine($"{result.PeerUnsupported} cases the peer does not support (not compared)");
        Console.Out.WriteLine($"{result.GeneratedCodes} codes generated (contracts and init codes; with --reuse, each counted once)");
        Console.Out.WriteLine($"{result.Programs} programs, {result.Divergences} divergences");
        return result.Divergences > 0 || result.Crashes > 0 ? CommandLine.ExitFailure : CommandLine.ExitOk;
    }
}
