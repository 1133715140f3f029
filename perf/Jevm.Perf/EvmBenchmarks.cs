extern alias jevmcli;

using System.Reflection;
using BenchmarkDotNet.Attributes;
using jevmcli::Jevm.Cli.Bench;
using jevmcli::Jevm.Cli.Bench.Programs;
using Jevm.Codegen;
using Jevm.Evm;

namespace Jevm.Perf;

/// <summary>
/// Every case of ../shared/bench (read at run time; JEVM_BENCH overrides the folder) and every embedded program, on
/// every available engine mode: <c>interpreter</c>; <c>jit</c> (compiled once in the global setup, so compilation is
/// excluded); <c>jit+compile</c> (a fresh engine with an empty code cache per execution, so compilation is included);
/// <c>tiered</c> (warmed up like a long-running node). Each execution gets a fresh state, as `jevm bench` does; making it
/// (a clone of two accounts) is inside the measurement and costs about a microsecond.
/// Run: <c>dotnet run -c Release --project perf/Jevm.Perf -- --filter '*EvmBenchmarks*'</c>
/// (add e.g. <c>--job short</c> on a busy machine).
/// </summary>
[MemoryDiagnoser]
public class EvmBenchmarks
{
    private BenchExecutor _executor = null!;
    private IExecutionEngine _engine = null!;
    private Func<IExecutionEngine>? _freshEngine;

    /// <summary>The case name: "jevm/…" for the embedded programs, else the manifest's name.</summary>
    [ParamsSource(nameof(CaseNames))]
    public string Case { get; set; } = "";

    /// <summary>interpreter, jit, jit+compile, tiered — whichever exist in this build.</summary>
    [ParamsSource(nameof(Modes))]
    public string Mode { get; set; } = "";

    public static IEnumerable<string> CaseNames()
    {
        foreach (var c in BenchCases.All()) yield return c.Name;
    }

    public static IEnumerable<string> Modes()
    {
        foreach (var k in Enum.GetValues<EngineKind>())
        {
            if (!Engines.IsAvailable(k)) continue;
            yield return k.ToString().ToLowerInvariant();
            if (k == EngineKind.Jit && BenchCases.UncachedEngineFactory(k) is not null) yield return "jit+compile";
        }
    }

    [GlobalSetup]
    public void Setup()
    {
        var c = BenchCases.All().Find(x => x.Name == Case) ?? throw new InvalidOperationException($"no case {Case}");
        _executor = new BenchExecutor(c, Fork.Cancun);
        if (Mode == "jit+compile")
        {
            _freshEngine = BenchCases.UncachedEngineFactory(EngineKind.Jit) ?? throw new InvalidOperationException("jit+compile unavailable");
            _engine = _freshEngine();
        }
        else _engine = Engines.Create(Enum.Parse<EngineKind>(Mode, ignoreCase: true));
        // Warm up (compiles for the JIT; makes the tiered engine switch to compiled code) and check the result once.
        BenchOutcome o = default;
        for (int i = 0; i < 20; i++) o = _executor.Execute(_engine);
        var m = new BenchMeasurement { Case = c.Name, Engine = Mode, Status = BenchRunner.StatusName(o.Status) };
        BenchRunner.CheckExpectations(m, c, Fork.Cancun, o);
        if (m.Problems.Count > 0) throw new InvalidOperationException($"{c.Name} on {Mode}: {string.Join("; ", m.Problems)}");
    }

    [Benchmark]
    public long Execute()
    {
        var engine = _freshEngine is null ? _engine : _freshEngine();
        return _executor.Execute(engine).GasUsed;
    }
}

/// <summary>The cases the benchmarks run: embedded programs, then ../shared/bench when found.</summary>
internal static class BenchCases
{
    private static List<BenchCase>? s_all;

    public static List<BenchCase> All()
    {
        if (s_all is not null) return s_all;
        var list = new List<BenchCase>(EmbeddedPrograms.All);
        var dir = Environment.GetEnvironmentVariable("JEVM_BENCH") is { Length: > 0 } env ? env : PeerRunner.FindShared("bench");
        if (dir is not null && File.Exists(Path.Combine(dir, BenchSuite.ManifestName))) list.AddRange(BenchSuite.Load(dir));
        else Console.Error.WriteLine("warning: ../shared/bench not found (set JEVM_BENCH); only the embedded programs run");
        return s_all = list;
    }

    /// <summary>
    /// A factory of engines of <paramref name="kind"/> that share no compiled code with anything else, or null when the
    /// engine offers no way to choose its cache. Found by reflection so that this file builds before and after the JIT
    /// lands: a public constructor with a parameter named "cache" whose type has a public parameterless constructor.
    /// </summary>
    public static Func<IExecutionEngine>? UncachedEngineFactory(EngineKind kind)
    {
        if (!Engines.IsAvailable(kind)) return null;
        var type = Engines.Create(kind).GetType();
        foreach (var ctor in type.GetConstructors(BindingFlags.Public | BindingFlags.Instance))
        {
            var ps = ctor.GetParameters();
            int cacheAt = Array.FindIndex(ps, p => p.Name == "cache");
            if (cacheAt < 0 || ps[cacheAt].ParameterType.GetConstructor(Type.EmptyTypes) is not { } cacheCtor) continue;
            bool ok = true;
            for (int i = 0; i < ps.Length; i++)
                if (i != cacheAt && !ps[i].HasDefaultValue && !(ps[i].ParameterType == typeof(bool) && ps[i].Name == "tiered")) ok = false;
            if (!ok) continue;
            return () =>
            {
                var args = new object?[ps.Length];
                for (int i = 0; i < ps.Length; i++)
                    args[i] = i == cacheAt ? cacheCtor.Invoke(null) : ps[i].Name == "tiered" ? kind == EngineKind.Tiered : ps[i].DefaultValue;
                return (IExecutionEngine)ctor.Invoke(args);
            };
        }
        return null;
    }
}
