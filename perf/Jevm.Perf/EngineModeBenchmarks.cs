extern alias jevmcli;

using BenchmarkDotNet.Attributes;
using jevmcli::Jevm.Cli.Bench;
using jevmcli::Jevm.Cli.Bench.Programs;
using Jevm.Codegen;
using Jevm.Evm;

namespace Jevm.Perf;

/// <summary>
/// One case (bytecode + calldata, run as `jevm bench` runs it: a top-level CALL on a fresh state per execution) in
/// four engine modes, one benchmark method each, so that modes are selected by category:
/// <c>interpreter</c>; <c>jit</c> (compiled in the global setup: compilation excluded); <c>jit-compile</c> (a new
/// JIT engine with an empty code cache per invocation: every execution compiles the code first); <c>tiered</c>
/// (warmed up until its background compilation has finished, like a long-running node). The fresh state (a clone of
/// two accounts, ~9 KB, 5–10 µs here: see InterpreterAllocationBenchmarks.FreshStateOnly) is inside the measurement
/// and matters only for the tiny swap_math cases. Every global setup checks the case's result (status, gas, output)
/// against the manifest, so a wrong engine cannot post a time.
/// </summary>
[MemoryDiagnoser]
public abstract class EngineModeBenchmarks
{
    private BenchExecutor _executor = null!;
    private IExecutionEngine _engine = null!;

    /// <summary>The case's name ("jevm/…" for the embedded programs, else the manifest's).</summary>
    [ParamsSource(nameof(CaseNames))]
    public string Case { get; set; } = "";

    /// <summary>The names of the cases this class runs.</summary>
    public IEnumerable<string> CaseNames()
    {
        foreach (var c in Cases()) yield return c.Name;
    }

    /// <summary>The cases this class runs.</summary>
    private protected abstract IReadOnlyList<BenchCase> Cases();

    private void Setup(IExecutionEngine engine)
    {
        BenchCase? found = null;
        foreach (var x in Cases()) if (x.Name == Case) found = x;
        var c = found ?? throw new InvalidOperationException($"no case {Case}");
        _executor = new BenchExecutor(c, Fork.Cancun);
        _engine = engine;
        var o = _executor.Execute(engine);
        var m = new BenchMeasurement { Case = c.Name, Engine = engine.Name, Status = BenchRunner.StatusName(o.Status) };
        BenchRunner.CheckExpectations(m, c, Fork.Cancun, o);
        if (m.Problems.Count > 0) throw new InvalidOperationException($"{c.Name} on {engine.Name}: {string.Join("; ", m.Problems)}");
        for (int i = 0; i < 3; i++) _executor.Execute(engine);
        BenchRunner.WarmUpTiered(_executor, engine);
    }

    [GlobalSetup(Target = nameof(Interpreter))]
    public void SetupInterpreter() => Setup(Engines.Create(EngineKind.Interpreter));

    [GlobalSetup(Target = nameof(Jit))]
    public void SetupJit() => Setup(new JitEngine(tiered: false, cache: new CompiledCodeCache()));

    [GlobalSetup(Target = nameof(JitCompile))]
    public void SetupJitCompile() => Setup(new JitEngine(tiered: false, cache: new CompiledCodeCache()));

    [GlobalSetup(Target = nameof(Tiered))]
    public void SetupTiered() => Setup(new JitEngine(tiered: true, cache: new CompiledCodeCache()));

    /// <summary>The interpreter.</summary>
    [Benchmark(Baseline = true), BenchmarkCategory("interpreter")]
    public long Interpreter() => _executor.Execute(_engine).GasUsed;

    /// <summary>The JIT, the code compiled in the setup.</summary>
    [Benchmark, BenchmarkCategory("jit")]
    public long Jit() => _executor.Execute(_engine).GasUsed;

    /// <summary>The JIT compiling the code in every invocation (a fresh engine and code cache).</summary>
    [Benchmark, BenchmarkCategory("jit-compile")]
    public long JitCompile() => _executor.Execute(new JitEngine(tiered: false, cache: new CompiledCodeCache())).GasUsed;

    /// <summary>The tiered engine in its steady state (compiled).</summary>
    [Benchmark, BenchmarkCategory("tiered")]
    public long Tiered() => _executor.Execute(_engine).GasUsed;
}

/// <summary>
/// Every case of ../shared/bench (read through its manifest at run time; JEVM_BENCH overrides the folder). When the
/// folder is missing a warning says so and this class has no benchmarks.
/// Run: <c>dotnet run -c Release --project perf/Jevm.Perf -- --filter '*SharedSuite*' --job short --inProcess</c>
/// </summary>
[BenchmarkCategory("shared")]
public class SharedSuiteBenchmarks : EngineModeBenchmarks
{
    private protected override IReadOnlyList<BenchCase> Cases() => PerfCases.Shared();
}

/// <summary>
/// Our own programs (src/Cli/Bench/Programs): arithmetic loop, keccak chain, memory copies, storage-heavy loop, ERC-20
/// style token transfers, call-heavy recursion.
/// Run: <c>dotnet run -c Release --project perf/Jevm.Perf -- --filter '*OwnPrograms*' --job short --inProcess</c>
/// </summary>
[BenchmarkCategory("own")]
public class OwnProgramsBenchmarks : EngineModeBenchmarks
{
    private protected override IReadOnlyList<BenchCase> Cases() => EmbeddedPrograms.All;
}

/// <summary>The cases of ../shared/bench, loaded once.</summary>
internal static class PerfCases
{
    private static List<BenchCase>? s_shared;

    public static List<BenchCase> Shared()
    {
        if (s_shared is not null) return s_shared;
        var dir = Environment.GetEnvironmentVariable("JEVM_BENCH") is { Length: > 0 } env ? env : PeerRunner.FindShared("bench");
        if (dir is not null && File.Exists(Path.Combine(dir, BenchSuite.ManifestName))) return s_shared = BenchSuite.Load(dir);
        Console.Error.WriteLine($"warning: SharedSuiteBenchmarks skipped: no {BenchSuite.ManifestName} in {dir ?? "shared/bench (searched from here and from the binary's folder up)"}; set JEVM_BENCH to the folder");
        return s_shared = [];
    }
}
