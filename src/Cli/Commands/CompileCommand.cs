using System.Diagnostics;
using Jevm.Codegen;
using Jevm.Crypto;
using Jevm.Encoding;
using Jevm.Evm;
using Jevm.Numerics;
using Jevm.Primitives;
using Jevm.State;

namespace Jevm.Cli.Commands;

internal sealed class CompileCommand : ICommand
{
    public string Name => "compile";
    public string Summary => "compile a bytecode to CIL and report compile time, IL size, blocks and whether it is optimised";
    public string Usage => """
        usage: jevm compile (--code HEX | --codefile FILE) [--fork FORK] [--calldata HEX] [--repeat N] [--engine E]
               jevm compile --corpus PATH [--corpus PATH…] [--fork FORK] [--no-embedded] [--warmup N] [--limit N]
                            [--json FILE]

        Compiles the code with the JIT (one DynamicMethod per region of blocks) and prints the compile time (analysis,
        IL emission and the .NET JIT), IL size, block and region counts, and whether every region stays under
        RyuJIT's MinOpts thresholds (so the .NET JIT optimised it).
          --code HEX       the bytecode as hex ("0x" optional)
          --codefile FILE  a file holding the bytecode as hex (white space ignored)
          --fork FORK      the fork whose rules apply (default Osaka)
          --calldata HEX   also run the code as a top-level call with this input, on the interpreter and on the JIT
                           (fresh state each run), and print the median time of each and their ratio
          --repeat N       runs per engine with --calldata (default 10)
          --engine E       with --calldata, run only this engine (interpreter, jit or tiered): a fixed number of
                           executions of one engine, e.g. to count its instructions under valgrind (the difference
                           between two --repeat counts is per execution)

        The compile-cost report (--corpus, src/Cli/Bench/CompileCostReport.cs): compiles every distinct code found in
        the PATHs (state-test JSON files, searched recursively, give the codes of their pre-states; a folder with
        manifest.json, its benchmark contracts) plus the embedded benchmark programs, each once and on its own with the
        .NET JIT run eagerly, after N warm-up compilations (default 200), and prints ms per KiB of bytecode (median, p90,
        max; overall, by size and by source), analysis + IL emission vs .NET JIT time, IL bytes and managed bytes
        allocated per contract, the longest compilations, the codes not compiled and those not fully optimised. Fork
        default Cancun. --limit N keeps the first N codes; --json FILE writes one record per code.
        """;

    private static readonly JitOptions s_eager = new() { EagerDotNetJit = true };
    private static readonly Address s_codeAddress = Address.Parse("0xbe7c43a580000000000000000000000000000001");
    private static readonly Address s_caller = Address.Parse("0xa94f5374fce5edbc8e2a8697c15331677e6ebf0b");

    public int Run(string[] args)
    {
        if (Array.IndexOf(args, "--corpus") >= 0) return Bench.CompileCostReport.Run(args); // the compile-cost report (bench owner)
        string? codeHex = null, codeFile = null, calldataHex = null;
        var fork = Fork.Osaka;
        int repeat = 10;
        EngineKind? only = null;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--code": codeHex = Value(args, ref i); break;
                case "--codefile": codeFile = Value(args, ref i); break;
                case "--calldata": calldataHex = Value(args, ref i); break;
                case "--engine": only = StateTestCommand.ParseEngine(Value(args, ref i)); break;
                case "--repeat":
                    if (!int.TryParse(Value(args, ref i), out repeat) || repeat < 1) throw new UsageException("--repeat needs a positive number");
                    break;
                case "--fork":
                    var name = Value(args, ref i);
                    if (!ForkNames.TryParse(name, out fork))
                        throw new UsageException($"unknown fork '{name}' (known: {string.Join(", ", Enum.GetNames<Fork>())})");
                    break;
                default: throw new UsageException($"unexpected argument '{args[i]}' (see 'jevm compile --help')");
            }
        }
        if ((codeHex is null) == (codeFile is null)) throw new UsageException("give exactly one of --code HEX or --codefile FILE");
        if (only is not null && calldataHex is null) throw new UsageException("--engine needs --calldata (it picks the engine that runs the code)");
        string text;
        if (codeFile is not null)
        {
            if (!File.Exists(codeFile)) throw new UsageException($"code file '{codeFile}' not found");
            text = string.Concat(File.ReadAllText(codeFile).Where(c => !char.IsWhiteSpace(c)));
        }
        else text = codeHex!;
        if (!Hex.TryDecode(text, out var code, out var error)) throw new UsageException(error);
        byte[] calldata = [];
        if (calldataHex is not null && !Hex.TryDecode(calldataHex.Trim(), out calldata, out error)) throw new UsageException(error);

        var compiled = JitCompiler.TryCompile(code, fork, out var reason, s_eager);
        if (compiled is null)
        {
            Console.WriteLine($"not compiled: {reason}");
            return CommandLine.ExitFailure;
        }
        Console.WriteLine($"code:         {code.Length} bytes, fork {fork}");
        Console.WriteLine($"compile time: {compiled.CompileTime.TotalMilliseconds:F2} ms (analysis + IL emission {compiled.EmitTime.TotalMilliseconds:F2} ms, .NET JIT {compiled.DotNetJitTime.TotalMilliseconds:F2} ms), {compiled.CompileTime.TotalMilliseconds * 1024 / Math.Max(1, compiled.CodeLength):F2} ms/KiB");
        Console.WriteLine($"IL size:      {compiled.IlBytes} bytes");
        Console.WriteLine($"blocks:       {compiled.BlockCount} ({compiled.SegmentCount} segments) in {compiled.RegionFigures.Count} region(s)");
        foreach (var r in compiled.RegionFigures)
            Console.WriteLine($"  region @segment {r.FirstSegment}: {r.SegmentCount} segments, {r.IlBytes} IL bytes, {r.IlInstructions} IL instructions, {r.IlBasicBlocks} IL basic blocks, {r.LocalRefs} local refs{(r.UnderMinOptsThresholds ? "" : "  (over a MinOpts threshold)")}");
        Console.WriteLine($"optimised:    {(compiled.FullyOptimized ? "yes (every region under RyuJIT's MinOpts thresholds)" : "NO (some region exceeds a MinOpts threshold)")}");

        if (only is { } kind)
        {
            double ms = Measure(kind, code, calldata, fork, repeat, out var r);
            Console.WriteLine($"{kind.ToString().ToLowerInvariant() + ":",-14}{ms:F3} ms median ({r.Status}, gas used {1_000_000_000 - r.GasLeft})");
        }
        else if (calldataHex is not null)
        {
            var interpreter = Measure(EngineKind.Interpreter, code, calldata, fork, repeat, out var ri);
            var jit = Measure(EngineKind.Jit, code, calldata, fork, repeat, out var rj);
            Console.WriteLine($"interpreter:  {interpreter:F3} ms median ({ri.Status}, gas used {1_000_000_000 - ri.GasLeft})");
            Console.WriteLine($"jit:          {jit:F3} ms median ({rj.Status}, gas used {1_000_000_000 - rj.GasLeft})");
            Console.WriteLine($"speed-up:     {interpreter / jit:F2}x");
            if (ri.Status != rj.Status || ri.GasLeft != rj.GasLeft || !ri.Output.AsSpan().SequenceEqual(rj.Output))
            {
                Console.WriteLine("MISMATCH between the engines");
                return CommandLine.ExitFailure;
            }
        }
        return CommandLine.ExitOk;
    }

    /// <summary>Median milliseconds of <paramref name="repeat"/> runs, each as a top-level call on a fresh state (after one warm-up run).</summary>
    private static double Measure(EngineKind kind, byte[] code, byte[] calldata, Fork fork, int repeat, out ExecutionResult result)
    {
        var engine = Engines.Create(kind);
        var hash = Keccak256.Compute(code);
        var times = new double[repeat];
        result = RunOnce(engine, code, hash, calldata, fork);
        for (int i = 0; i < repeat; i++)
        {
            var sw = Stopwatch.StartNew();
            result = RunOnce(engine, code, hash, calldata, fork);
            times[i] = sw.Elapsed.TotalMilliseconds;
        }
        Array.Sort(times);
        return times[repeat / 2];
    }

    private static ExecutionResult RunOnce(IExecutionEngine engine, byte[] code, in Hash256 hash, byte[] calldata, Fork fork)
    {
        var state = new WorldState();
        state.SetAccount(s_codeAddress, 1, UInt256.Zero, code);
        state.SetAccount(s_caller, 0, new UInt256(1_000_000_000_000_000_000), []);
        state.BeginTransaction();
        state.WarmAccount(s_codeAddress);
        state.WarmAccount(s_caller);
        var context = new TxContext { Origin = s_caller, BlockNumber = 1, Timestamp = 1, BlockGasLimit = 1_000_000_000, GasPrice = UInt256.One };
        var host = new StateHost(state, fork, engine, context);
        var message = new Message
        {
            Kind = CallKind.Call, Gas = 1_000_000_000, Recipient = s_codeAddress, CodeAddress = s_codeAddress, Sender = s_caller, Input = calldata,
        };
        return engine.Execute(host, fork, message, code, hash);
    }

    private static string Value(string[] args, ref int i)
    {
        if (i + 1 >= args.Length) throw new UsageException($"{args[i]} needs a value");
        return args[++i];
    }
}
