using Jevm.Cli;
using Jevm.Cli.Fuzzing;
using Jevm.Evm;

namespace Jevm.Tests.Fuzzing;

/// <summary>`jevm fuzz` options and the campaign's guarantees (determinism, surviving a crashing case).</summary>
public class FuzzCommandTests
{
    [Theory]
    [InlineData("--runs", "-1")]
    [InlineData("--runs", "x")]
    [InlineData("--time", "0")]
    [InlineData("--engines", "interpreter,warp")]
    [InlineData("--engines", "jit")]
    [InlineData("--fork", "Atlantis")]
    [InlineData("--peer", "geth")]
    [InlineData("--threads", "0")]
    [InlineData("--bogus")]
    [InlineData("--runs", "1", "--time", "1")]
    [InlineData("--seed")]
    public void Bad_arguments_are_usage_errors(params string[] args) =>
        Assert.Equal(CommandLine.ExitUsage, CommandLine.Run(["fuzz", .. args]));

    [Fact]
    public void Help_exits_zero() => Assert.Equal(CommandLine.ExitOk, CommandLine.Run(["fuzz", "--help"]));

    private static string TempDir()
    {
        var dir = Path.Combine(Path.GetTempPath(), $"jevm-fuzz-test-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        return dir;
    }

    [Fact]
    public void A_crashing_case_is_saved_and_the_campaign_goes_on()
    {
        var dir = TempDir();
        try
        {
            var result = new FuzzCampaign(new CampaignOptions
            {
                Seed = 4, Runs = 30, Threads = 2, OutDir = dir, Engines = [EngineKind.Interpreter, EngineKind.Jit],
                InjectCrash = i => i == 7,
            }).Run();
            Assert.Equal(30, result.Programs);
            Assert.Equal(1, result.Crashes);
            Assert.Equal(0, result.Divergences);
            Assert.True(File.Exists(Path.Combine(dir, "crash-4-7.json")));
            Assert.Contains("injected crash of case 7", File.ReadAllText(Path.Combine(dir, "crash-4-7.txt")));
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void A_campaign_is_the_same_on_one_thread_or_two()
    {
        CampaignResult Run(int threads) => new FuzzCampaign(new CampaignOptions
        {
            Seed = 12, Runs = 40, FirstIndex = 100, Threads = threads, Engines = [EngineKind.Interpreter, EngineKind.Jit],
        }).Run();
        var one = Run(1);
        var two = Run(2);
        Assert.Equal(40, one.Programs);
        Assert.Equal(40, two.Programs);
        Assert.Equal(one.CorpusSize, two.CorpusSize);
        Assert.True(one.CorpusSize > 5, $"corpus {one.CorpusSize}");
        Assert.Equal(0, one.Divergences + two.Divergences);
    }
}
