using Jevm.Encoding;
using Jevm.Evm;
using Jevm.Frontend;
using Jevm.Ir;

namespace Jevm.Tests.Ir;

/// <summary>
/// Golden IR dumps: each Golden/NAME.hex (commented hex, "# fork: F" line) has NAME.ir (after the passes) and maybe
/// NAME.noopt.ir (as built). The expected files were written by hand from the program, not captured from the code.
/// </summary>
public class GoldenIrTests
{
    internal static string GoldenDir
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Jevm.sln"))) dir = dir.Parent;
            Assert.NotNull(dir);
            return Path.Combine(dir!.FullName, "tests", "Jevm.Tests", "Ir", "Golden");
        }
    }

    public static TheoryData<string> Programs()
    {
        var data = new TheoryData<string>();
        foreach (var f in Directory.GetFiles(GoldenDir, "*.hex").Order()) data.Add(Path.GetFileNameWithoutExtension(f));
        return data;
    }

    /// <summary>Reads commented hex: '#' starts a comment; "# fork: NAME" selects the fork.</summary>
    internal static (byte[] Code, Fork Fork) ReadProgram(string path)
    {
        var fork = Fork.Cancun;
        var hex = new System.Text.StringBuilder();
        foreach (var line in File.ReadAllLines(path))
        {
            int hash = line.IndexOf('#');
            var comment = hash >= 0 ? line[(hash + 1)..].Trim() : "";
            if (comment.StartsWith("fork:", StringComparison.Ordinal)) fork = ForkNames.Parse(comment[5..]);
            hex.Append((hash >= 0 ? line[..hash] : line).Replace(" ", "", StringComparison.Ordinal));
        }
        return (Hex.Decode(hex.ToString()), fork);
    }

    public static TheoryData<string> AsBuiltPrograms()
    {
        var data = new TheoryData<string>();
        foreach (var f in Directory.GetFiles(GoldenDir, "*.noopt.ir").Order()) data.Add(Path.GetFileName(f)[..^".noopt.ir".Length]);
        return data;
    }

    [Fact]
    public void TheGoldenSetCoversTheRequiredPrograms()
    {
        var names = Programs().Select(r => r.Data).ToArray();
        foreach (var required in new[] { "arithmetic", "loop", "dynamic-jump", "call" }) Assert.Contains(required, names);
    }

    [Theory]
    [MemberData(nameof(Programs))]
    public void OptimisedIrMatchesGolden(string name)
    {
        var (code, fork) = ReadProgram(Path.Combine(GoldenDir, name + ".hex"));
        var fn = IrBuilder.Build(BytecodeAnalysis.Analyze(code, fork));
        IrOptimizer.Run(fn);
        fn.Validate();
        Assert.Equal(File.ReadAllText(Path.Combine(GoldenDir, name + ".ir")), IrPrinter.Print(fn));
    }

    [Theory]
    [MemberData(nameof(AsBuiltPrograms))]
    public void UnoptimisedIrMatchesGolden(string name)
    {
        var expected = Path.Combine(GoldenDir, name + ".noopt.ir");
        var (code, fork) = ReadProgram(Path.Combine(GoldenDir, name + ".hex"));
        var fn = IrBuilder.Build(BytecodeAnalysis.Analyze(code, fork));
        fn.Validate();
        Assert.Equal(File.ReadAllText(expected), IrPrinter.Print(fn));
    }
}
