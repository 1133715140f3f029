using System.Text.Json;

namespace Jevm.Tests.Support;

/// <summary>The benchmark cases of ../shared/bench (code, calldata, agreed output and gas), for tests and benchmarks.</summary>
public static class BenchCases
{
    public sealed record GasFigures(long ExecutionGas, long Refund);

    public sealed record Case(string Name, byte[] Code, byte[] Calldata, string MinFork, byte[] ExpectedOutput, GasFigures? Cancun, GasFigures? Istanbul);

    public static string? Root { get; } = Find();

    private static string? Find()
    {
        var env = Environment.GetEnvironmentVariable("JEVM_BENCH");
        if (!string.IsNullOrEmpty(env)) return Directory.Exists(env) ? Path.GetFullPath(env) : null;
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Jevm.sln"))) dir = dir.Parent;
        if (dir?.Parent is null) return null;
        var candidate = Path.Combine(dir.Parent.FullName, "shared", "bench");
        return Directory.Exists(candidate) ? candidate : null;
    }

    private static readonly Lazy<Dictionary<string, Case>> s_cases = new(Load);

    public static IReadOnlyDictionary<string, Case> All => s_cases.Value;

    /// <summary>Case names (empty when the data is missing, so theories still enumerate).</summary>
    public static IEnumerable<string> Names => Root is null ? [] : s_cases.Value.Keys;

    private static Dictionary<string, Case> Load()
    {
        var result = new Dictionary<string, Case>();
        if (Root is not { } root) return result;
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(root, "manifest.json")));
        foreach (var c in doc.RootElement.GetProperty("cases").EnumerateArray())
        {
            byte[] Hex(string rel) => Convert.FromHexString(File.ReadAllText(Path.Combine(root, rel)).Trim());
            GasFigures? Gas(string fork) => c.GetProperty("gas").TryGetProperty(fork, out var g) && g.ValueKind == JsonValueKind.Object
                ? new GasFigures(g.GetProperty("executionGas").GetInt64(), g.GetProperty("refund").GetInt64())
                : null;
            string name = c.GetProperty("name").GetString()!;
            result[name] = new Case(name, Hex(c.GetProperty("code").GetString()!), Hex(c.GetProperty("calldata").GetString()!),
                c.GetProperty("minFork").GetString()!, Convert.FromHexString(c.GetProperty("expectedOutput").GetString()!),
                Gas("cancun"), Gas("istanbul"));
        }
        return result;
    }

    public static readonly Jevm.Primitives.Address CodeAddress = Jevm.Primitives.Address.Parse("0xbe7c43a580000000000000000000000000000001");
    public static readonly Jevm.Primitives.Address Caller = Jevm.Primitives.Address.Parse("0xa94f5374fce5edbc8e2a8697c15331677e6ebf0b");
    public const long GasLimit = 1_000_000_000;
}
