using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Jevm.Tests.Fuzzing;

/// <summary>
/// The CI campaign (fixed seeds, about two minutes in all): `jevm fuzz` as a child process, once clean and once per
/// planted JIT bug (JEVM_PLANT_BUG is read once per process, so each needs its own). Clean, the campaign must find
/// nothing; planted, it must find the bug within the same budget and write a file that `jevm statetest` replays:
/// failing on the jit with the plant, passing without it.
/// </summary>
public class FuzzCampaignCiTests
{
    /// <summary>The CI budget: this many cases of one seed, on every engine.</summary>
    private static readonly string[] s_campaign = ["--seed", "1", "--runs", "1000", "--fork", "Cancun", "--threads", "2", "--max-saved", "1"];

    private static (int Exit, string Out, string Err) Jevm(string? plant, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "jevm.dll"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["JEVM_PLANT_BUG"] = plant ?? "";
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        string output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, output, err.Result);
    }

    private static string TempDir()
    {
        var dir = Path.Combine(Path.GetTempPath(), $"jevm-fuzz-ci-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        return dir;
    }

    private static string LastLine(string text) => text.TrimEnd().Split('\n')[^1].Trim();

    [Fact]
    public void The_campaign_finds_nothing_without_a_plant()
    {
        var dir = TempDir();
        try
        {
            var (exit, output, err) = Jevm(null, ["fuzz", .. s_campaign, "--out", dir]);
            Assert.True(exit == 0, $"exit {exit}\n{output}\n{err}");
            Assert.Equal("1000 programs, 0 divergences", LastLine(output));
            Assert.Contains("programs/s", err); // the progress line
            Assert.Empty(Directory.GetFiles(dir));
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Theory]
    [InlineData("sar")]
    [InlineData("gas:ADD")]
    [InlineData("gas:JUMPDEST")]
    public void The_campaign_finds_a_planted_jit_bug(string plant)
    {
        var dir = TempDir();
        try
        {
            var (exit, output, err) = Jevm(plant, ["fuzz", .. s_campaign, "--out", dir]);
            Assert.True(exit == 1, $"exit {exit}\n{output}\n{err}");
            var m = Regex.Match(LastLine(output), @"^1000 programs, (\d+) divergences$");
            Assert.True(m.Success && int.Parse(m.Groups[1].Value) > 0, output);
            var file = Assert.Single(Directory.GetFiles(dir, "div-*.json"));
            string engine = file.EndsWith("-jit.json", StringComparison.Ordinal) ? "jit" : "tiered";
            string replayEngine = "jit"; // tiered runs the jit's compiled code once a code is hot
            _ = engine;
            var planted = Jevm(plant, "statetest", "--engine", replayEngine, file);
            Assert.True(planted.Exit == 1, $"replay with the plant should fail:\n{planted.Out}\n{planted.Err}");
            Assert.Equal("0 passed, 1 failed, 0 skipped", LastLine(planted.Out));
            var clean = Jevm(null, "statetest", "--engine", replayEngine, file);
            Assert.True(clean.Exit == 0, $"replay without the plant should pass:\n{clean.Out}\n{clean.Err}");
            var reference = Jevm(plant, "statetest", "--engine", "interpreter", file);
            Assert.True(reference.Exit == 0, $"the interpreter ignores the plant:\n{reference.Out}\n{reference.Err}");
        }
        finally { Directory.Delete(dir, recursive: true); }
    }
}
