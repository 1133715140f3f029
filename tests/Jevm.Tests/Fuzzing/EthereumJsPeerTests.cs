using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Jevm.Tests.Fuzzing;

/// <summary>
/// `jevm fuzz --peer ethereumjs` against @ethereumjs/vm (installed by the adapter with npm ci on first use): Jevm
/// agrees with it on a fixed set of cases, and a planted JIT bug in the reference engine shows up as a divergence.
/// Skipped where node or npm is missing.
/// </summary>
public class EthereumJsPeerTests
{
    private static bool HasTool(string name)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':'))
            if (dir.Length > 0 && File.Exists(Path.Combine(dir, name))) return true;
        return false;
    }

    private static (int Exit, string Out, string Err) Fuzz(string? plant, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "jevm.dll"));
        psi.ArgumentList.Add("fuzz");
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["JEVM_PLANT_BUG"] = plant ?? "";
        // The peer's sources are found from the working folder: the repository.
        psi.WorkingDirectory = RepositoryRoot();
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        string output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, output, err.Result);
    }

    private static string RepositoryRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "fuzz", "peer-ethereumjs", "peer.mjs"))) return d.FullName;
        throw new InvalidOperationException("repository root not found");
    }

    [Fact]
    public void Jevm_and_ethereumjs_agree_and_a_planted_bug_is_a_divergence()
    {
        if (!HasTool("node") || !HasTool("npm")) Assert.Skip("node and npm are needed for the ethereumjs peer");
        var dir = Path.Combine(Path.GetTempPath(), $"jevm-peer-test-{Guid.NewGuid():N}");
        try
        {
            var clean = Fuzz(null, "--seed", "5", "--runs", "12", "--threads", "1", "--engines", "interpreter", "--peer", "ethereumjs", "--out", dir);
            // The install needs the npm registry: without it this test cannot say anything about the peer.
            if (clean.Exit == 2 && clean.Err.Contains("npm ci failed", StringComparison.Ordinal)) Assert.Skip($"npm ci failed: {clean.Err}");
            Assert.True(clean.Exit == 0, $"exit {clean.Exit}\n{clean.Out}\n{clean.Err}");
            Assert.Equal("12 programs, 0 divergences", clean.Out.TrimEnd().Split('\n')[^1]);

            var planted = Fuzz("gas:ADD", "--seed", "5", "--runs", "12", "--threads", "1", "--engines", "jit", "--peer", "ethereumjs", "--max-saved", "1", "--out", dir);
            Assert.True(planted.Exit == 1, $"exit {planted.Exit}\n{planted.Out}\n{planted.Err}");
            var m = Regex.Match(planted.Out.TrimEnd().Split('\n')[^1], @"^12 programs, (\d+) divergences$");
            Assert.True(m.Success && int.Parse(m.Groups[1].Value) > 0, planted.Out);
            Assert.Single(Directory.GetFiles(dir, "peer-*.json"));
        }
        finally { if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true); }
    }
}
