using Jevm.Codegen;
using Jevm.Evm;

namespace Jevm.Tests.Bench;

/// <summary>Engines to run the benchmark programs on, and the location of ../shared/bench.</summary>
public static class BenchTestSupport
{
    /// <summary>Every engine kind that <see cref="Engines"/> can make in this build.</summary>
    public static TheoryData<string> AvailableEngines()
    {
        var data = new TheoryData<string>();
        foreach (var k in Enum.GetValues<EngineKind>())
            if (Engines.IsAvailable(k)) data.Add(k.ToString());
        return data;
    }

    public static IExecutionEngine Engine(string kind) => Engines.Create(Enum.Parse<EngineKind>(kind));

    /// <summary>../shared/bench next to the repository (or JEVM_BENCH); skips, or fails under CI=true, when missing.</summary>
    public static string RequireSharedBench()
    {
        var env = Environment.GetEnvironmentVariable("JEVM_BENCH");
        string? found = null;
        if (!string.IsNullOrEmpty(env)) found = Directory.Exists(env) ? env : null;
        else
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Jevm.sln"))) dir = dir.Parent;
            var candidate = dir?.Parent is null ? null : Path.Combine(dir.Parent.FullName, "shared", "bench");
            if (candidate is not null && File.Exists(Path.Combine(candidate, "manifest.json"))) found = candidate;
        }
        if (found is null)
        {
            if (Support.EthTests.InCi) Assert.Fail("../shared/bench not found (set JEVM_BENCH)");
            Assert.Skip("../shared/bench not found (set JEVM_BENCH)");
        }
        return found!;
    }
}
