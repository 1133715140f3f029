using BenchmarkDotNet.Attributes;
using Jevm.Encoding;
using Jevm.Evm;
using Jevm.Frontend;
using Jevm.Ir;

namespace Jevm.Perf;

/// <summary>
/// Cost of the compiler's front half on the shared benchmark contracts: bytecode analysis (blocks, CFG, summaries),
/// IR building, the passes, and a cache hit. Data: $JEVM_BENCH or ../shared/bench beside the repository.
/// Run: dotnet run -c Release --project perf/Jevm.Perf -- --filter '*AnalysisBenchmarks*'
/// </summary>
[MemoryDiagnoser]
public class AnalysisBenchmarks
{
    private byte[] _code = [];
    private BytecodeAnalysis _analysis = null!;
    private readonly BytecodeAnalysisCache _cache = new();

    [Params("erc20_transfer", "sha1_divs", "blake2b_huff", "weierstrudel", "snailtracer", "loop_with_many_jumpdests")]
    public string Contract { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        _code = Hex.Decode(File.ReadAllText(Path.Combine(FindBenchData(), "code", Contract + ".hex")));
        _analysis = BytecodeAnalysis.Analyze(_code, Fork.Cancun);
        _cache.GetOrAnalyze(_code, Fork.Cancun);
    }

    [Benchmark(Baseline = true)]
    public BytecodeAnalysis Analyze() => BytecodeAnalysis.Analyze(_code, Fork.Cancun);

    [Benchmark]
    public IrFunction BuildIr() => IrBuilder.Build(_analysis);

    [Benchmark]
    public IrOptimizationStats AnalyzeBuildOptimize() => IrOptimizer.Run(IrBuilder.Build(BytecodeAnalysis.Analyze(_code, Fork.Cancun)));

    [Benchmark]
    public BytecodeAnalysis CacheHit() => _cache.GetOrAnalyze(_code, Fork.Cancun);

    private static string FindBenchData()
    {
        var env = Environment.GetEnvironmentVariable("JEVM_BENCH");
        if (!string.IsNullOrEmpty(env)) return env;
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Jevm.sln"))) dir = dir.Parent;
        var candidate = dir?.Parent is null ? null : Path.Combine(dir.Parent.FullName, "shared", "bench");
        return candidate is not null && Directory.Exists(candidate)
            ? candidate
            : throw new DirectoryNotFoundException("benchmark data not found: set JEVM_BENCH or place it at ../shared/bench");
    }
}
