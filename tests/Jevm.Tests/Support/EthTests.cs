namespace Jevm.Tests.Support;

/// <summary>
/// Locates ../shared/ethtests (or JEVM_ETHTESTS). When it is missing, conformance tests are skipped with a message,
/// except under CI=true, where a missing folder is a failure.
/// </summary>
public static class EthTests
{
    public static string? Root { get; } = Find();

    private static string? Find()
    {
        var env = Environment.GetEnvironmentVariable("JEVM_ETHTESTS");
        if (!string.IsNullOrEmpty(env)) return Directory.Exists(env) ? Path.GetFullPath(env) : null;
        // Walk up from the test binary to the repository root (the folder holding Jevm.sln), then ../shared/ethtests.
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Jevm.sln"))) dir = dir.Parent;
        if (dir?.Parent is null) return null;
        var candidate = Path.Combine(dir.Parent.FullName, "shared", "ethtests");
        return Directory.Exists(candidate) ? candidate : null;
    }

    public static bool InCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>The path of a sub-folder, or skips (fails under CI) when the data is missing.</summary>
    public static string Require(string relative)
    {
        const string hint = "set JEVM_ETHTESTS or place the data at ../shared/ethtests";
        if (Root is null)
        {
            if (InCi) Assert.Fail($"conformance data not found ({hint}); under CI=true a missing folder is a failure");
            Assert.Skip($"conformance data not found ({hint})");
        }
        var path = Path.Combine(Root!, relative);
        if (!Directory.Exists(path) && !File.Exists(path))
        {
            if (InCi) Assert.Fail($"conformance data '{path}' not found");
            Assert.Skip($"conformance data '{path}' not found");
        }
        return path;
    }
}
